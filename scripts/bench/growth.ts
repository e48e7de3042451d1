/**
 * Growth tables (issue 16): how cost grows with the number of codes and the size of the transcript.
 * One run per size by default (`--growth-runs`): each row is one point of a curve, and a 10,000-code
 * page can take minutes when it does not scale, so every wait is capped and a capped wait is
 * reported as the cap (and misses its budget) rather than hanging the bench.
 *
 * Codes: sessions `generated-<n>` (n = 1k, 2k, 5k, 10k). Per size: data arrival -> first painted
 * cards; End then Home from the first card, each timed from keydown.timeStamp until the first/last
 * card has focus and the frame after it is painted; the longest task while moving (10 x accept/move,
 * End, Home); the JS heap after GC with the list loaded (2k and 10k); accept key -> next frame p95.
 * Transcripts: `generated-1000-t<size>` (2,000 snippets) at 0.3 / 1 / 5 MB: the longest task of
 * the load when no snippet's text is in the transcript (`-missing`, every snippet searched for in
 * vain), and selecting a code (click on its card -> painted) when every snippet is located.
 */
import type { Page } from 'playwright-core';
import type { MountResult, TaskRecord } from './page/harness.ts';
import { elementPage, type BenchContext, type FigureGroup } from './figures.ts';
import { figure, quantile, type Figure } from './stats.ts';

export const CODE_SIZES = [1000, 2000, 5000, 10_000] as const;
export const TRANSCRIPT_SIZES = [
  { tag: '300k', mb: 0.3 },
  { tag: '1m', mb: 1 },
  { tag: '5m', mb: 5 },
] as const;
const MB = 1024 * 1024;
/** The longest any single wait (load, a key reaching its card) may take before it counts as failed. */
const CAP_MS = 10_000;
const LOAD_CAP_MS = 60_000;
const ACCEPTS = 10;

let counter = 0;
const user = (ctx: BenchContext, what: string) => `bench-growth-${what}-${ctx.stamp}-${(counter += 1)}`;
const round = (n: number) => Math.round(n * 100) / 100;
const longest = (tasks: readonly TaskRecord[]) => tasks.reduce((m, t) => Math.max(m, t.duration), 0);

/** Mount and wait for the painted list, capped in the page and (for a frozen page) in Node. */
async function mount(ctx: BenchContext, page: Page, sessionId: string): Promise<MountResult> {
  const options = { user: user(ctx, sessionId), sessionId, cap: LOAD_CAP_MS };
  const inPage = page.evaluate(
    (o) =>
      Promise.race([
        window.bench.mount(o),
        new Promise<MountResult>((resolve) =>
          setTimeout(() => resolve({ ok: false, error: `no codes after ${o.cap} ms` } as MountResult), o.cap),
        ),
      ]),
    options,
  );
  const frozen = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${sessionId}: page frozen`)), LOAD_CAP_MS + 15_000));
  const result = await Promise.race([inPage, frozen]);
  if (!result.ok) throw new Error(`${sessionId}: ${result.error ?? 'no codes'}`);
  return result;
}

/** Press `key` on the focused card and wait until the first (Home) or last (End) card in the list has focus, painted. */
async function reach(page: Page, key: 'End' | 'Home'): Promise<{ ms: number; reached: boolean; tasks: TaskRecord[] }> {
  await page.evaluate(() => {
    const w = window as unknown as { benchKeyAt?: number };
    w.benchKeyAt = undefined;
    document.addEventListener('keydown', (e) => (w.benchKeyAt = e.timeStamp), { capture: true, once: true });
  });
  await page.keyboard.press(key);
  return page.evaluate(
    async ([edge, cap]) => {
      const host = document.querySelector('heidi-clinical-codes');
      const root = host?.shadowRoot;
      // (No named inner functions here: the bench's TypeScript loader would wrap them in a helper the page lacks.)
      const w = window as unknown as { benchKeyAt?: number };
      const start = w.benchKeyAt ?? performance.now();
      let reached = false;
      while (performance.now() - start < cap) {
        await new Promise<void>((r) => requestAnimationFrame(() => r()));
        const active = root?.activeElement;
        const cards = root?.querySelectorAll('heidi-code-card');
        if (active?.localName === 'heidi-code-card' && cards && active === cards[edge === 'End' ? cards.length - 1 : 0]) {
          reached = true;
          break;
        }
      }
      // The frame that shows the focused card has been styled, laid out and painted.
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const end = performance.now();
      return { ms: reached ? end - start : cap, reached, tasks: window.bench.longTasks(start, end) };
    },
    [key, CAP_MS] as const,
  );
}

interface CodesRun {
  entities: number;
  paint: number;
  connectToPaint: number;
  loadLongest: number;
  acceptRafP95: number;
  /** At 10k only: accept -> next frame p95 with every code decided. */
  decidedAcceptRafP95?: number;
  end: { ms: number; reached: boolean };
  home: { ms: number; reached: boolean };
  moveLongest: number;
  /** The largest long-animation-frame `blockingDuration` while moving: > 0 means some task, with its rendering, ran over 50 ms. */
  moveBlocking: number;
  heapMB?: number;
}

/** ACCEPTS x `a` then `j` on the focused card, each waited for: the accept key -> next frame p95. */
async function acceptAndMove(page: Page): Promise<number> {
  const from = await page.evaluate(() => window.bench.keys().length);
  let seen = from;
  for (let i = 0; i < ACCEPTS; i++) {
    for (const key of ['a', 'j']) {
      await page.keyboard.press(key);
      seen += 1;
      await page.evaluate(([n, cap]) => window.bench.waitKeys(n, cap), [seen, CAP_MS] as const);
    }
  }
  const keys = (await page.evaluate(() => window.bench.keys())).slice(from);
  const accepts = keys.filter((k) => k.key === 'a').map((k) => k.raf - k.at);
  // Fewer measured presses than sent means a key never reached a frame within the cap.
  return accepts.length === ACCEPTS ? quantile(accepts, 0.95) : CAP_MS;
}

async function codesRun(ctx: BenchContext, entities: number, heap: boolean): Promise<CodesRun> {
  const page = await elementPage(ctx, 0);
  try {
    const m = await mount(ctx, page, `generated-${entities}`);
    await page.evaluate(() => window.bench.settle(4));
    const loaded = await page.evaluate(() => window.bench.now());
    const loadTasks = await page.evaluate(([from, to]) => window.bench.longTasks(from, to), [m.connect, loaded] as const);
    const heapMB = heap ? (await page.evaluate(() => window.bench.heap())).usedJSHeapSize / MB : undefined;
    await page.evaluate(() => window.bench.focusCard());
    const movingFrom = await page.evaluate(() => window.bench.now());
    const acceptRafP95 = await acceptAndMove(page);
    const end = await reach(page, 'End');
    // Measured even when End ran out of time: Home moves the focus target, which ends End's catch-up.
    const home = await reach(page, 'Home');
    await page.evaluate(() => window.bench.settle(2));
    const movingTo = await page.evaluate(() => window.bench.now());
    const moving = await page.evaluate(([from, to]) => window.bench.longTasks(from, to), [movingFrom, movingTo] as const);
    // Long tasks miss work Chromium does not attribute to a task (style, layout, paint after the script); the
    // frames see it.
    const movingFrames = await page.evaluate(([from, to]) => window.bench.frames(from, to), [movingFrom, movingTo] as const);
    // At 10k, the same keys once every code is decided (a review restored from another workstation): each
    // decision then sits in a review of 10,000, which is what saving it has to write.
    let decidedAcceptRafP95: number | undefined;
    if (entities === 10_000) {
      await page.evaluate(() => window.bench.decideAll('REJECTED'));
      decidedAcceptRafP95 = await acceptAndMove(page);
    }
    return {
      ...(decidedAcceptRafP95 !== undefined ? { decidedAcceptRafP95 } : {}),
      entities: m.entities,
      paint: m.paint - (m.dataArrived ?? Number.NaN),
      connectToPaint: m.paint - m.connect,
      loadLongest: longest(loadTasks),
      acceptRafP95,
      end: { ms: end.ms, reached: end.reached },
      home: { ms: home.ms, reached: home.reached },
      moveLongest: longest(moving),
      moveBlocking: Math.max(0, ...movingFrames.map((f) => f.blockingDuration)),
      ...(heapMB !== undefined ? { heapMB } : {}),
    };
  } finally {
    await page.close();
  }
}

interface TranscriptRun {
  transcriptBytes: number;
  paint: number;
  loadLongest: number;
  /** Click on a card's code -> the frame with the source view updated is painted (3 cards). */
  select: number[];
  selectLongest: number;
  /** Which document the source view showed after each selection (`transcript` unless the element switched). */
  shownAfterSelect: string[];
}

async function transcriptRun(ctx: BenchContext, sessionId: string, select: boolean): Promise<TranscriptRun> {
  const page = await elementPage(ctx, 0);
  try {
    const m = await mount(ctx, page, sessionId);
    await page.evaluate(() => window.bench.settle(4));
    const loaded = await page.evaluate(() => window.bench.now());
    const loadTasks = await page.evaluate(([from, to]) => window.bench.longTasks(from, to), [m.connect, loaded] as const);
    const transcriptBytes = m.fetches.find((f) => f.path.endsWith('/transcript'))?.bytes ?? 0;
    let times: number[] = [];
    let selectLongest = 0;
    let shownAfterSelect: string[] = [];
    if (select) {
      const result = await page.evaluate(async () => {
        const root = document.querySelector('heidi-clinical-codes')?.shadowRoot;
        const cards = [...(root?.querySelectorAll('heidi-code-card') ?? [])];
        const out: number[] = [];
        const shown: string[] = [];
        // Show the transcript first (the second tab), so a selection marks its snippets in the 5 MB text.
        const view = root?.querySelector('heidi-source-view') as (HTMLElement & { kind?: string }) | null | undefined;
        view?.shadowRoot?.querySelectorAll<HTMLButtonElement>('.tabs button')[1]?.click();
        await window.bench.settle(2);
        const from = performance.now();
        for (const card of cards.slice(1, 4)) {
          const button = card.shadowRoot?.querySelector<HTMLButtonElement>('button.pick');
          if (!button) continue;
          const t0 = performance.now();
          button.click();
          await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          out.push(performance.now() - t0);
          shown.push(view?.kind ?? 'none');
          await window.bench.settle(2);
        }
        return { out, shown, tasks: window.bench.longTasks(from, performance.now()) };
      });
      times = result.out;
      shownAfterSelect = result.shown;
      selectLongest = longest(result.tasks);
    }
    return {
      transcriptBytes,
      paint: m.paint - (m.dataArrived ?? Number.NaN),
      loadLongest: longest(loadTasks),
      select: times,
      selectLongest,
      shownAfterSelect,
    };
  } finally {
    await page.close();
  }
}

const k = (n: number) => `${n / 1000}k`;

export async function growthFigures(ctx: BenchContext, runs: number): Promise<FigureGroup> {
  const figures: Figure[] = [];
  const codes: Record<string, CodesRun[]> = {};
  for (const n of CODE_SIZES) {
    const list: CodesRun[] = [];
    for (let i = 0; i < runs; i++) {
      ctx.progress(`growth: ${n.toLocaleString('en')} codes, run ${i + 1}/${runs}`);
      list.push(await codesRun(ctx, n, n === 2000 || n === 10_000));
    }
    codes[n] = list;
    const at10k = n === 10_000;
    const tag = `${n.toLocaleString('en')} codes`;
    const reached = (key: 'end' | 'home') => ({
      judge: (_s: unknown, v: number[]) => list.every((r) => r[key].reached) && v.every((x) => x <= 300),
    });
    figures.push(
      figure(
        `growth.paint.${k(n)}`,
        `${tag}: data -> first painted cards`,
        'ms',
        list.map((r) => r.paint),
        at10k ? { op: '<=', value: 1500 } : undefined,
      ),
      figure(
        `growth.end.${k(n)}`,
        `  ${tag}: End -> last card focused, painted`,
        'ms',
        list.map((r) => r.end.ms),
        at10k ? { op: '<=', value: 300 } : undefined,
        {
          ...(at10k ? reached('end') : {}),
          note: `capped at ${CAP_MS} ms (a capped run shows the cap)`,
        },
      ),
      figure(
        `growth.home.${k(n)}`,
        `  ${tag}: Home -> first card focused, painted`,
        'ms',
        list.map((r) => r.home.ms),
        at10k ? { op: '<=', value: 300 } : undefined,
        {
          ...(at10k ? reached('home') : {}),
        },
      ),
      figure(
        `growth.moveLongest.${k(n)}`,
        `  ${tag}: longest task while moving`,
        'ms',
        list.map((r) => r.moveLongest),
        at10k ? { op: '<=', value: 50 } : undefined,
        {
          note: `${ACCEPTS} x a/j, End, Home`,
        },
      ),
      figure(
        `growth.moveBlocking.${k(n)}`,
        `  ${tag}: longest frame's blocking time while moving`,
        'ms',
        list.map((r) => r.moveBlocking),
        undefined,
        {
          note: 'long-animation-frame blockingDuration, rendering included; 0 = no task over 50 ms',
        },
      ),
    );
    if (n === 2000 || at10k) {
      figures.push(
        figure(
          `growth.heap.${k(n)}`,
          `  ${tag}: JS heap after GC, loaded`,
          'MB',
          list.map((r) => r.heapMB ?? Number.NaN),
          { op: '<=', value: at10k ? 80 : 25 },
        ),
      );
    }
    if (at10k) {
      figures.push(
        figure(
          'growth.accept.10k',
          `  ${tag}: accept key -> next frame p95`,
          'ms',
          list.map((r) => r.acceptRafP95),
          { op: '<=', value: 16 },
        ),
        figure(
          'growth.accept.10k.decided',
          `  ${tag}, every code decided: accept key -> next frame p95`,
          'ms',
          list.map((r) => r.decidedAcceptRafP95 ?? Number.NaN),
          undefined,
          { note: `${ACCEPTS} x a/j after reviewState set every decision` },
        ),
      );
    }
  }
  const transcripts: Record<string, { missing: TranscriptRun[]; located: TranscriptRun[] }> = {};
  for (const size of TRANSCRIPT_SIZES) {
    const missing: TranscriptRun[] = [];
    const located: TranscriptRun[] = [];
    for (let i = 0; i < runs; i++) {
      ctx.progress(`growth: ${size.mb} MB transcript, 2,000 snippets, run ${i + 1}/${runs}`);
      missing.push(await transcriptRun(ctx, `generated-1000-t${size.tag}-missing`, false));
      located.push(await transcriptRun(ctx, `generated-1000-t${size.tag}`, true));
    }
    transcripts[size.tag] = { missing, located };
    const at5 = size.mb === 5;
    const tag = `${size.mb} MB transcript, 2,000 snippets`;
    figures.push(
      figure(
        `growth.transcriptLoad.${size.tag}`,
        `${tag} not in it: longest task in load`,
        'ms',
        missing.map((r) => r.loadLongest),
        at5 ? { op: '<=', value: 100 } : undefined,
      ),
      figure(
        `growth.transcriptPaint.${size.tag}`,
        `  same: data -> first painted cards`,
        'ms',
        missing.map((r) => r.paint),
      ),
      figure(
        `growth.select.${size.tag}`,
        `  ${tag} located: select a code -> painted`,
        'ms',
        located.map((r) => Math.max(...r.select)),
        at5 ? { op: '<=', value: 50 } : undefined,
        {
          note: 'slowest of 3 selections per run',
        },
      ),
      figure(
        `growth.selectLongest.${size.tag}`,
        `  same: longest task while selecting`,
        'ms',
        located.map((r) => r.selectLongest),
      ),
    );
  }
  const detail = <T extends object>(list: T[]) =>
    list.map((r) => Object.fromEntries(Object.entries(r).map(([key, v]) => [key, typeof v === 'number' ? round(v) : v])));
  return {
    figures,
    details: {
      capMs: CAP_MS,
      codes: Object.fromEntries(Object.entries(codes).map(([n, list]) => [n, detail(list)])),
      transcripts: Object.fromEntries(
        Object.entries(transcripts).map(([tag, v]) => [tag, { missing: detail(v.missing), located: detail(v.located) }]),
      ),
    },
  };
}
