/**
 * `npm run size`: what each part of dist/heidi-clinical-codes.js costs, per source module and per
 * package (own code, lit, ky, zod), minified and gzipped (-9).
 *
 * The minified bytes of the bundle are attributed to their source modules through the bundle's
 * sourcemap (scripts/bench/build.ts `sourceBreakdown`). gzip is not additive, so each part is
 * shown two ways: gzipped on its own ("alone"), and its share of the real total in proportion to
 * that ("share of total", which sums to the bundle's gzip size).
 *
 *   npm run size            own modules one by one, dependencies by package
 *   npm run size -- --all   every module
 *   npm run size -- --json  the table as JSON
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DIST_FILE, gzip9, sourceBreakdown, type SourceShare } from './bench/build.ts';

export type Part = 'own' | 'lit' | 'ky' | 'zod' | 'other';

export interface SizeRow {
  module: string;
  part: Part;
  bytes: number;
  gzipAlone: number;
  /** This row's share of the bundle's real gzip size, in proportion to gzipAlone. */
  gzipShare: number;
}

export interface SizeReport {
  bytes: number;
  gzip: number;
  parts: Record<Part, { bytes: number; gzipAlone: number; gzipShare: number; modules: number }>;
  rows: SizeRow[];
  /** Own code's share of the gzip total (0..1). */
  ownShare: number;
}

const LIT = /^node_modules\/(lit|lit-html|lit-element|@lit\/[^/]+|@lit-labs\/[^/]+)$/;

export function partOf(source: string): Part {
  if (source.startsWith('src/')) return 'own';
  if (LIT.test(source)) return 'lit';
  if (source === 'node_modules/ky') return 'ky';
  if (source === 'node_modules/zod') return 'zod';
  return 'other';
}

export function sizeReport(sources: readonly SourceShare[] = sourceBreakdown()): SizeReport {
  const code = readFileSync(DIST_FILE);
  const gzip = gzip9(code);
  const aloneTotal = sources.reduce((n, s) => n + s.gzipAlone, 0) || 1;
  const rows = sources.map((s) => ({
    module: s.source,
    part: partOf(s.source),
    bytes: s.bytes,
    gzipAlone: s.gzipAlone,
    gzipShare: (gzip * s.gzipAlone) / aloneTotal,
  }));
  const parts = Object.fromEntries(
    (['own', 'lit', 'ky', 'zod', 'other'] as const).map((part) => {
      const mine = rows.filter((r) => r.part === part);
      return [
        part,
        {
          bytes: mine.reduce((n, r) => n + r.bytes, 0),
          gzipAlone: mine.reduce((n, r) => n + r.gzipAlone, 0),
          gzipShare: mine.reduce((n, r) => n + r.gzipShare, 0),
          modules: mine.length,
        },
      ];
    }),
  ) as SizeReport['parts'];
  return { bytes: code.length, gzip, parts, rows, ownShare: parts.own.gzipShare / gzip };
}

export function formatSizeReport(report: SizeReport, all = false): string {
  const kb = (n: number) => (n / 1024).toFixed(2);
  const lines: string[] = [];
  const row = (name: string, bytes: number, alone: number, share: number) =>
    lines.push(
      `${name.padEnd(48)} ${kb(bytes).padStart(8)} ${kb(alone).padStart(8)} ${kb(share).padStart(8)} ${((share / report.gzip) * 100).toFixed(1).padStart(6)}%`,
    );
  lines.push(
    `${'module / part'.padEnd(48)} ${'min kB'.padStart(8)} ${'gz alone'.padStart(8)} ${'gz share'.padStart(8)} ${'of gz'.padStart(7)}`,
  );
  for (const part of ['own', 'lit', 'ky', 'zod', 'other'] as const) {
    const p = report.parts[part];
    if (!p.modules) continue;
    row(`[${part}] (${p.modules} module${p.modules === 1 ? '' : 's'})`, p.bytes, p.gzipAlone, p.gzipShare);
    if (part === 'own' || all) {
      for (const r of report.rows.filter((x) => x.part === part).sort((a, b) => b.gzipShare - a.gzipShare))
        row(`  ${r.module}`, r.bytes, r.gzipAlone, r.gzipShare);
    }
  }
  lines.push(
    `total: ${report.bytes} B minified, ${report.gzip} B gzip -9 (${kb(report.gzip)} kB); own code ${(report.ownShare * 100).toFixed(1)}% of the gzip bytes`,
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  if (!existsSync(DIST_FILE)) {
    console.error('no dist/heidi-clinical-codes.js: npm run build first');
    process.exit(2);
  }
  const report = sizeReport();
  console.log(values.json ? JSON.stringify(report, null, 2) : formatSizeReport(report, values.all));
}
