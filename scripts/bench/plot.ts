/**
 * The growth plot of docs/performance.md: an SVG drawn from the bench's results JSON (no
 * dependencies). Two log-log panels, codes and transcript size, one line per figure, with each
 * budget as a dashed line. Linear growth is a line of slope 1 on these axes.
 *
 *   node --import tsx scripts/bench/plot.ts [.bench/results.json] [docs/performance-growth.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ResultFigure {
  id: string;
  median: number;
  budget?: { value: number };
}

interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
  budget?: number;
}

interface Panel {
  title: string;
  xLabel: string;
  xs: { value: number; label: string }[];
  series: Series[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

function panels(figures: readonly ResultFigure[]): Panel[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const codeXs = [1000, 2000, 5000, 10_000].map((n) => ({ value: n, label: `${n / 1000}k` }));
  const sizeXs = [
    { value: 0.3, label: '0.3 MB', tag: '300k' },
    { value: 1, label: '1 MB', tag: '1m' },
    { value: 5, label: '5 MB', tag: '5m' },
  ];
  const series = (label: string, ids: { x: number; id: string }[], color: string): Series => {
    const points = ids.flatMap(({ x, id }) => {
      const f = byId.get(id);
      return f && Number.isFinite(f.median) ? [{ x, y: Math.max(0.1, f.median) }] : [];
    });
    const budget = ids.map(({ id }) => byId.get(id)?.budget?.value).find((v) => v !== undefined);
    return { label, color, points, ...(budget !== undefined ? { budget } : {}) };
  };
  const codeSeries = (label: string, prefix: string, i: number) =>
    series(
      label,
      codeXs.map((x) => ({ x: x.value, id: `growth.${prefix}.${x.label}` })),
      COLORS[i] as string,
    );
  const sizeSeries = (label: string, prefix: string, i: number) =>
    series(
      label,
      sizeXs.map((x) => ({ x: x.value, id: `growth.${prefix}.${x.tag}` })),
      COLORS[i] as string,
    );
  return [
    {
      title: 'Codes in the session',
      xLabel: 'codes',
      xs: codeXs,
      series: [
        codeSeries('data → first paint', 'paint', 0),
        codeSeries('End → last card', 'end', 1),
        codeSeries('Home → first card', 'home', 2),
        codeSeries('longest task moving', 'moveLongest', 3),
      ],
    },
    {
      title: 'Transcript size (2,000 snippets)',
      xLabel: 'transcript',
      xs: sizeXs,
      series: [
        sizeSeries('load: longest task (text not found)', 'transcriptLoad', 0),
        sizeSeries('data → first paint (text not found)', 'transcriptPaint', 2),
        sizeSeries('select a code → painted', 'select', 1),
      ],
    },
  ];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function drawPanel(panel: Panel, left: number, width: number, height: number): string {
  const legend = panel.series.length * 15 + 8;
  const pad = { l: 56, r: 28, t: 28, b: 52 + legend };
  const ys = panel.series.flatMap((s) => [...s.points.map((p) => p.y), ...(s.budget ? [s.budget] : [])]);
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...ys, 10))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys, 100)));
  const xMin = Math.log10(panel.xs[0]!.value);
  const xMax = Math.log10(panel.xs[panel.xs.length - 1]!.value);
  const px = (x: number) => left + pad.l + ((Math.log10(x) - xMin) / (xMax - xMin)) * (width - pad.l - pad.r);
  const py = (y: number) =>
    pad.t + (1 - (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (height - pad.t - pad.b);
  const out: string[] = [`<text x="${left + pad.l}" y="16" font-weight="bold">${esc(panel.title)}</text>`];
  for (let y = yMin; y <= yMax; y *= 10) {
    out.push(`<line x1="${left + pad.l}" x2="${left + width - pad.r}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    out.push(`<text x="${left + pad.l - 6}" y="${py(y) + 4}" text-anchor="end">${y >= 1000 ? `${y / 1000} s` : `${y} ms`}</text>`);
  }
  for (const x of panel.xs) out.push(`<text x="${px(x.value)}" y="${height - pad.b + 16}" text-anchor="middle">${esc(x.label)}</text>`);
  out.push(`<text x="${left + width / 2}" y="${height - pad.b + 32}" text-anchor="middle">${esc(panel.xLabel)} (log scale)</text>`);
  panel.series.forEach((s, i) => {
    if (s.budget) {
      out.push(
        `<line x1="${left + pad.l}" x2="${left + width - pad.r}" y1="${py(s.budget)}" y2="${py(s.budget)}" stroke="${s.color}" stroke-dasharray="4 3" opacity="0.7"/>`,
      );
    }
    if (s.points.length) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}"/>`,
      );
      for (const p of s.points) out.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3" fill="${s.color}"/>`);
    }
    const ly = height - pad.b + 54 + i * 15;
    out.push(`<rect x="${left + pad.l + 8}" y="${ly - 8}" width="10" height="3" fill="${s.color}"/>`);
    out.push(`<text x="${left + pad.l + 22}" y="${ly - 3}">${esc(s.label)}${s.budget ? ` (budget ${s.budget} ms, dashed)` : ''}</text>`);
  });
  return out.join('\n');
}

export function growthSvg(results: { date?: string; figures: readonly ResultFigure[] }): string {
  const [codes, sizes] = panels(results.figures);
  const width = 960;
  const height = 420;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" font-family="system-ui, sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
${drawPanel(codes!, 0, width / 2, height)}
${drawPanel(sizes!, width / 2, width / 2, height)}
<text x="${width - 8}" y="${height + 14}" text-anchor="end" fill="#666">npm run bench, ${esc((results.date ?? '').slice(0, 10))}: medians; a capped wait is drawn at the cap</text>
</svg>
`;
}

export function writeGrowthPlot(results: { date?: string; figures: readonly ResultFigure[] }, file: string): void {
  writeFileSync(file, growthSvg(results));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const input = process.argv[2] ?? '.bench/results.json';
  const output = process.argv[3] ?? 'docs/performance-growth.svg';
  writeGrowthPlot(JSON.parse(readFileSync(input, 'utf8')) as { date?: string; figures: ResultFigure[] }, output);
  console.log(`wrote ${output}`);
}
