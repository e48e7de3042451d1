/**
 * "time to codes, three engines": Heidi, Sully and Omniscribe on one consultation at 100 ms per
 * Heidi and Omniscribe answer, Sully completing on its second poll (the mock's default), polled
 * every POLL_MS. Against its network floor: the same requests made by bare fetches in the page
 * (token; session, transcript and codes at once; then, as soon as the session's note is in, Sully's
 * create and polls beside Omniscribe's codify), bodies parsed, the next paint.
 */
import type { MountResult } from './page/harness.ts';
import { elementPage, type BenchContext, type FigureGroup } from './figures.ts';
import { figure, median } from './stats.ts';

const LATENCY_MS = 100;
const POLL_MS = 50;
const SESSION = 'fx-t2dm-review';
/** The forwarder names the demo user to Omniscribe's mock (no `?as=` reaches it). */
const OMNISCRIBE_USER = 'demo-clinician';

let counter = 0;
const user = (ctx: BenchContext) => `bench-engines-${ctx.stamp}-${(counter += 1)}`;
const round = (n: number) => Math.round(n * 100) / 100;

async function post(ctx: BenchContext, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${ctx.server.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
}

async function elementRun(ctx: BenchContext): Promise<number> {
  const page = await elementPage(ctx, 0);
  try {
    const u = user(ctx);
    await ctx.server.scenario(u, { latencyMs: LATENCY_MS });
    const options = {
      user: u,
      sessionId: SESSION,
      attrs: { engines: 'heidi,sully,omniscribe', 'sully-base': '/ehr/sully', 'omniscribe-base': '/ehr/omniscribe' },
      props: { timeouts: { poll: POLL_MS } },
    };
    const result: MountResult = await page.evaluate((o) => window.bench.mount(o), options);
    if (!result.ok) throw new Error(`three engines: ${result.error ?? 'no codes'}`);
    return result.paint - result.connect;
  } finally {
    await page.close();
  }
}

async function floorRun(ctx: BenchContext): Promise<number> {
  const page = await elementPage(ctx, 0);
  try {
    const u = user(ctx);
    await ctx.server.scenario(u, { latencyMs: LATENCY_MS });
    return await page.evaluate(
      async ([who, session, poll]) => {
        // (No named inner functions: the bench's TypeScript loader would wrap them in a helper the page lacks.)
        const t0 = performance.now();
        const json = { 'content-type': 'application/json', accept: 'application/json' };
        const token = (await (await fetch(`/ehr/heidi-token?as=${encodeURIComponent(who)}`)).json()) as { token: string };
        const headers = { authorization: `Bearer ${token.token}`, accept: 'application/json' };
        const base = `/mock-heidi/sessions/${session}`;
        const [codes, sessionRead, transcript] = [`${base}/clinical-codes`, base, `${base}/transcript`].map((url) =>
          fetch(url, { headers }).then((r) => r.json()),
        );
        const sessionBody = (await sessionRead) as { session: { consult_note?: { result?: string } } };
        const note = sessionBody.session.consult_note?.result ?? '';
        const omniscribe = fetch('/ehr/omniscribe/v1/codify', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ medical_note: note, model: 'balanced' }),
        }).then((r) => r.json());
        const created = (await (
          await fetch('/ehr/sully/v1/codings', { method: 'POST', headers: json, body: JSON.stringify({ text: note }) })
        ).json()) as { data: { id?: string } };
        let status = '';
        while (!status.startsWith('complete')) {
          await new Promise((r) => setTimeout(r, poll));
          status = ((await (await fetch(`/ehr/sully/v1/codings/${created.data.id}`)).json()) as { data: { status: string } }).data.status;
        }
        await Promise.all([codes, transcript, omniscribe]);
        await window.bench.settle(1);
        return performance.now() - t0;
      },
      [u, SESSION, POLL_MS] as const,
    );
  } finally {
    await page.close();
  }
}

export async function enginesFigures(ctx: BenchContext): Promise<FigureGroup> {
  await post(ctx, '/mock-omniscribe/__scenario', { user: OMNISCRIBE_USER, latencyMs: LATENCY_MS });
  try {
    await elementRun(ctx); // warm-up, discarded
    const floor: number[] = [];
    const element: number[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      floor.push(await floorRun(ctx));
      element.push(await elementRun(ctx));
    }
    const budget = median(floor) + 60;
    return {
      figures: [
        figure(
          'ttc.engines',
          `time to codes, three engines @${LATENCY_MS} ms`,
          'ms',
          element,
          { op: '<=', value: round(budget) },
          {
            note: `floor median + 60 ms; Sully polled every ${POLL_MS} ms`,
          },
        ),
        figure('ttc.engines.floor', '  bare fetches, no element, three engines', 'ms', floor, undefined, {
          note: 'the same requests in the same order',
        }),
      ],
      details: { latencyMs: LATENCY_MS, pollMs: POLL_MS, session: SESSION, element: element.map(round), floor: floor.map(round) },
    };
  } finally {
    await post(ctx, '/mock-omniscribe/__reset', {});
    await post(ctx, '/mock-sully/__reset', {});
  }
}
