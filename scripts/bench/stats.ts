/** Small statistics and the results table for the benchmark. */
import { loadavg } from 'node:os';

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank: the smallest value with at least q of the sample at or below it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    n: values.length,
  };
}

export type Comparison = '<=' | '==' | 'info';

/** One row of the table: a figure, its runs and (optionally) its budget. */
export interface Figure {
  id: string;
  label: string;
  unit: string;
  /** One value per run (or a single value for deterministic figures). */
  values: number[];
  summary: Summary;
  budget?: { op: '<=' | '=='; value: number; note?: string };
  /** Judged on the median, unless a figure says otherwise. */
  ok?: boolean;
  note?: string;
  /** 1-minute load average of the machine when the figure was taken (other work inflates times). */
  load: number;
}

export function figure(
  id: string,
  label: string,
  unit: string,
  values: number[],
  budget?: Figure['budget'],
  options: { judge?: (s: Summary, values: number[]) => boolean; note?: string } = {},
): Figure {
  const summary = summarize(values);
  let ok: boolean | undefined;
  if (budget) {
    if (values.length === 0 || values.some((v) => !Number.isFinite(v))) ok = false;
    else if (options.judge) ok = options.judge(summary, values);
    else ok = budget.op === '<=' ? summary.median <= budget.value : summary.median === budget.value;
  }
  const load = Math.round((loadavg()[0] ?? 0) * 10) / 10;
  return {
    id,
    label,
    unit,
    values,
    summary,
    load,
    ...(budget ? { budget } : {}),
    ...(ok !== undefined ? { ok } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Number.isInteger(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'median', 'min', 'max', 'budget', 'ok', 'load'];
  const rows = figures.map((f) => [
    `${f.label} (${f.unit})`,
    fmt(f.summary.median),
    fmt(f.summary.min),
    fmt(f.summary.max),
    f.budget ? `${f.budget.op === '==' ? '=' : '<='} ${fmt(f.budget.value)}` : '-',
    f.ok === undefined ? '' : f.ok ? 'yes' : 'NO',
    f.load.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The same table as Markdown, for docs/performance.md. */
export function formatMarkdown(figures: readonly Figure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.label.replace(/^\s+/, '↳ ')} (${f.unit}) | ${fmt(f.summary.median)} | ${fmt(f.summary.min)} | ${fmt(f.summary.max)} | ${
        f.budget ? `${f.budget.op === '==' ? '=' : '≤'} ${fmt(f.budget.value)}` : '–'
      } | ${f.ok === undefined ? '' : f.ok ? 'yes' : '**no**'} | ${f.load.toFixed(1)} |`,
  );
  return ['| figure | median | min | max | budget | ok | load |', '|---|---:|---:|---:|---:|:-:|---:|', ...rows].join('\n');
}
