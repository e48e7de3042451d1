/**
 * `npm run bench`: the performance budgets of <heidi-clinical-codes>.
 *
 * Builds dist when it is missing or older than src, serves the built element,
 * the mock Heidi API and the token route from a local node:http server, drives
 * headless Chromium (playwright-core) through each figure several times, prints
 * medians with min/max, writes `.bench/results.json`, and exits 1 when a budget
 * is missed (2 when the bench itself failed). Method: docs/performance.md.
 *
 * Options:
 *   --runs N       runs per figure (default 5)
 *   --only a,b     figure groups: bundle, evidence, ttc, list500, list2000, growth
 *   --growth-runs N runs per size in the growth tables (default 1: each size is one point of a curve)
 *   --profile      also record a CPU profile of one (uncounted) large-list load
 *                  into .bench/*.cpuprofile and print the hottest functions
 *   --build        rebuild dist even when it looks fresh
 *   --docs         replace the results table in docs/performance.md with this run's
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.ts';
import { buildPageAssets, ensureDist, OUT, ROOT } from './bench/build.ts';
import {
  bundleFigures,
  evidenceFigures,
  list2000Figures,
  list500Figures,
  timeToCodesFigures,
  type BenchContext,
  type FigureGroup,
  type ProfileSummary,
} from './bench/figures.ts';
import { growthFigures } from './bench/growth.ts';
import { enginesFigures } from './bench/engines.ts';
import { writeGrowthPlot } from './bench/plot.ts';
import { startServer } from './bench/server.ts';
import { formatMarkdown, formatTable, type Figure } from './bench/stats.ts';

const GROUPS = ['bundle', 'evidence', 'ttc', 'engines', 'list500', 'list2000', 'growth'] as const;
type Group = (typeof GROUPS)[number];

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'growth-runs': { type: 'string', default: '1' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
  },
});

const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs must be a positive integer');
  process.exit(2);
}
const only = new Set((args.only ?? GROUPS.join(',')).split(',').map((s) => s.trim()) as Group[]);
for (const g of only) {
  if (!GROUPS.includes(g)) {
    console.error(`unknown group ${g}; groups: ${GROUPS.join(', ')}`);
    process.exit(2);
  }
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<number> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > cpus().length * 0.75) {
    log(`warning: load average ${loadBefore.toFixed(1)} on ${cpus().length} cores: other processes will inflate the figures`);
  }
  mkdirSync(OUT, { recursive: true });
  ensureDist(args.build);
  await buildPageAssets();

  const server = await startServer();
  const executablePath = await findChromium();
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const ctx: BenchContext = { browser, context, server, runs, profile: args.profile, stamp: Date.now().toString(36), progress: log };

  const groups: Partial<Record<Group, FigureGroup>> = {};
  try {
    if (only.has('bundle')) {
      log('bundle size and dependency floor');
      groups.bundle = await bundleFigures();
    }
    if (only.has('evidence')) {
      log('evidence core (60k transcript, 200 snippets)');
      groups.evidence = await evidenceFigures(ctx);
    }
    if (only.has('ttc')) {
      log('time to codes and round trips at 100 ms latency');
      groups.ttc = await timeToCodesFigures(ctx);
    }
    if (only.has('engines')) {
      log('time to codes, three engines, against its network floor');
      groups.engines = await enginesFigures(ctx);
    }
    if (only.has('list500')) groups.list500 = await list500Figures(ctx);
    if (only.has('list2000')) groups.list2000 = await list2000Figures(ctx, true, runs);
    if (only.has('growth')) groups.growth = await growthFigures(ctx, Math.max(1, Number(args['growth-runs']) || 1));
  } finally {
    await context.close();
    await browser.close();
    await server.close();
  }

  const figures: Figure[] = GROUPS.flatMap((g) => groups[g]?.figures ?? []);
  const missed = figures.filter((f) => f.ok === false);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: browser.version(),
    chromiumPath: executablePath,
    /** 1-minute load average before and after: other work on the machine shows up in every time. */
    loadAverage: { before: Math.round(loadBefore * 100) / 100, after: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
  };
  const results = {
    date: new Date().toISOString(),
    machine,
    runsPerFigure: runs,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    ok: missed.length === 0,
    missed: missed.map((f) => f.id),
    figures: figures.map((f) => ({
      id: f.id,
      label: f.label,
      unit: f.unit,
      median: f.summary.median,
      min: f.summary.min,
      max: f.summary.max,
      values: f.values,
      ...(f.budget ? { budget: f.budget } : {}),
      ...(f.ok !== undefined ? { ok: f.ok } : {}),
      ...(f.note ? { note: f.note } : {}),
      load: f.load,
    })),
    details: Object.fromEntries(Object.entries(groups).map(([g, v]) => [g, v.details])),
  };
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, 'results.md'), `${formatMarkdown(figures)}\n`);
  if (groups.growth) writeGrowthPlot(results, join(OUT, 'growth.svg'));

  console.log(
    `\nheidi-clinical-codes bench: ${runs} runs per figure, ${machine.cpus} cores, Chromium ${machine.chromium}, load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}\n`,
  );
  console.log(formatTable(figures));
  for (const [g, group] of Object.entries(groups)) {
    const profile = group.details.profile as ProfileSummary | undefined;
    if (!profile) continue;
    console.log(`\nCPU profile (${g}, ${profile.totalMs} ms sampled, ${profile.file}): hottest functions by self time`);
    for (const e of profile.topSelf.slice(0, 15)) console.log(`  ${e.ms.toFixed(1).padStart(7)} ms  ${e.fn}  ${e.where}`);
  }
  console.log(`\nwrote .bench/results.json (${results.durationSeconds} s)`);
  if (args.docs) {
    const docs = join(ROOT, 'docs', 'performance.md');
    const text = readFileSync(docs, 'utf8');
    const start = '<!-- bench-table:start -->';
    const end = '<!-- bench-table:end -->';
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/performance.md has no ${start} ... ${end} block`);
    const stamp = `${results.date.slice(0, 10)}, ${runs} runs per figure, ${machine.cpus} cores (${machine.cpuModel}), Chromium ${machine.chromium}, Node ${machine.node}, load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}`;
    writeFileSync(docs, `${text.slice(0, from + start.length)}\n\n_${stamp}_\n\n${formatMarkdown(figures)}\n\n${text.slice(to)}`);
    console.log('updated the table in docs/performance.md');
    if (groups.growth) {
      writeGrowthPlot(results, join(ROOT, 'docs', 'performance-growth.svg'));
      console.log('updated docs/performance-growth.svg');
    }
  }
  if (missed.length) console.log(`budgets missed: ${missed.map((f) => f.label.trim()).join('; ')}`);
  else console.log('all budgets met');
  return missed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
