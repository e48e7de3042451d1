/**
 * The fault matrix: every route the element calls × every way it can fail,
 * injected through the mock's scenario controls, each cell with its expected
 * outcome in the test name. Generated from two tables (ROUTES × FAULTS) and
 * one function (`expected`) that states the policy:
 *
 * - GETs (token URL, session, transcript, codes) are retried on 429/502/503/504
 *   and network errors, at most twice (3 attempts), honouring Retry-After;
 *   POST /sessions is never retried (not idempotent), except once after a 401.
 * - A 401 from Heidi costs exactly one token refresh and one retry.
 * - A failed session or transcript fetch degrades: codes shown, a notice, and
 *   one heidi-error with the code it failed with (the host hears every failure,
 *   the reviewer sees the notice and hears it once, with the codes). A failed token, session create or codes fetch fails the load
 *   with the contract's `heidi-error` code, a plain message, and Retry (or, for
 *   the non-retryable codes, no Retry button but `refresh()`) brings the codes.
 * - The token route is the reference proxy over the mock: it answers 502 for
 *   every upstream failure except 429 (passed on with Retry-After), so the
 *   element sees `server`/502 and retries it.
 *
 * 5 routes × 15 faults = 75 cells, plus 1 timing cell (429 with Retry-After: 1
 * waits ≥ 1 s) = 76 tests. A second table (end of file) sends hostile content
 * instead of failures: one bad field per entity, out-of-range scores,
 * whitespace-variant quotes and transcripts, dot-segment session ids and error
 * bodies that echo the bearer token. Everything else uses Retry-After: 0 and short
 * timeouts to stay fast.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { HeidiErrorCode } from '../../src/core/errors.ts';
import type { ErrorDetail } from '../../src/events.ts';
import type { FailureSpec, LogEntry, RouteName } from '../../demo/mock-heidi/index.ts';
import { en } from '../../src/i18n/en.ts';
import { spyOnFetch, type SpiedFetch } from './fetch-spy.ts';
import { cards, deepText, mount, newUser, requestLog, setScenario, shadow, until } from './helpers.ts';
import { BAD_FIELDS, DOT_SEGMENT_IDS, whitespaceVariant, withBadField, type BadField } from '../node/fuzz-arbitraries.ts';

type Route = Extract<RouteName, 'jwt' | 'create-session' | 'get-session' | 'transcript' | 'clinical-codes'>;
type Fault =
  | '401 once'
  | '401 persistent'
  | '403'
  | '404'
  | '422'
  | '429'
  | '500'
  | '502'
  | '503'
  | '504'
  | 'network failure'
  | 'timeout'
  | 'truncated JSON'
  | 'HTML error page'
  | 'wrong JSON types';

const ROUTES: readonly Route[] = ['jwt', 'create-session', 'get-session', 'transcript', 'clinical-codes'];

const HANG_MS = 1200;
const SHORT_TIMEOUT = 500;

/** The injected failure for each fault (`count` large enough to outlast every retry). */
const FAULTS: Record<Fault, Omit<FailureSpec, 'route'>> = {
  '401 once': { status: 401, count: 1 },
  '401 persistent': { status: 401, count: 3 },
  '403': { status: 403, count: 3 },
  '404': { status: 404, count: 3 },
  '422': { status: 422, count: 3 },
  '429': { status: 429, count: 3, retryAfter: 0 },
  '500': { status: 500, count: 3 },
  '502': { status: 502, count: 3 },
  '503': { status: 503, count: 3, retryAfter: 0 },
  '504': { status: 504, count: 3 },
  // Chromium transparently resends a GET when a reused keep-alive socket closes without a response, once per
  // idle socket it tries (the pool is shared with the other test windows): up to ~7 server hits per client
  // attempt, so a generous count keeps all 3 client attempts failing.
  'network failure': { kind: 'network', count: 60 },
  timeout: { kind: 'hang', hangMs: HANG_MS, count: 1 },
  'truncated JSON': { kind: 'truncated', count: 3 },
  'HTML error page': { kind: 'html', count: 3 }, // a gateway's 502 page
  'wrong JSON types': { kind: 'wrong-types', count: 3 },
};

interface Outcome {
  /** `codes`: shown as if nothing happened; `degraded`: shown with a notice and a heidi-error; `error`: the load failed. */
  readonly result: 'codes' | 'degraded' | 'error';
  readonly code?: HeidiErrorCode;
  readonly status?: number;
  readonly retryable?: boolean;
  /** Client attempts at the failing route. */
  readonly attempts: number;
  /** Token requests that reached Heidi's /jwt (401 cells: exactly one refresh). */
  readonly tokens?: number;
}

const DEGRADES: readonly Route[] = ['get-session', 'transcript'];

/** The policy, stated once. */
function expected(route: Route, fault: Fault): Outcome {
  const fail = (code: HeidiErrorCode, attempts: number, status?: number, extra: Partial<Outcome> = {}): Outcome => {
    const retryable = code !== 'not-found' && code !== 'invalid-response';
    const failed = { code, retryable, attempts, ...(status !== undefined ? { status } : {}), ...extra };
    return { result: DEGRADES.includes(route) ? 'degraded' : 'error', ...failed };
  };
  if (route === 'jwt') {
    // The reference proxy: 429 passes through (with Retry-After), every other upstream failure is a 502; the element retries both.
    if (fault === '401 once') return { result: 'codes', attempts: 2 };
    if (fault === '429') return fail('rate-limited', 3, 429);
    if (fault === 'timeout') return fail('timeout', 1);
    // Heidi refusing the server's API key (401/403 on /jwt) is the proxy's UpstreamAuthFailed: a setup problem.
    if (fault === '401 persistent' || fault === '403') return fail('config', 3, 502, { retryable: false });
    return fail('server', 3, 502);
  }
  // GET/PATCH are retried (3 attempts) on 429/502/503/504 and network failures. Creating a session (POST) is
  // retried only on 429 and 503, which say Heidi did not process it; anything else might have created one.
  const retried = route === 'create-session' ? 1 : 3;
  const retriedIfUnprocessed = 3;
  switch (fault) {
    case '401 once':
      return { result: 'codes', attempts: 2, tokens: 2 };
    case '401 persistent':
      return fail('auth', 2, 401, { tokens: 2 });
    case '403':
      return fail('auth', 1, 403);
    case '404':
      return fail('not-found', 1, 404);
    case '422':
      return fail('invalid-response', 1, 422);
    case '429':
      return fail('rate-limited', retriedIfUnprocessed, 429);
    case '500':
      return fail('server', 1, 500);
    case '502':
      return fail('server', retried, 502);
    case '503':
      return fail('server', retriedIfUnprocessed, 503);
    case '504':
      return fail('server', retried, 504);
    case 'network failure':
      return fail('network', retried);
    case 'timeout':
      return fail('timeout', 1);
    case 'truncated JSON':
      return fail('invalid-response', 1);
    case 'HTML error page':
      return fail('server', retried, 502);
    case 'wrong JSON types':
      return fail('invalid-response', 1);
  }
}

function describeOutcome(route: Route, o: Outcome): string {
  const tries = o.attempts === 1 ? 'not retried' : o.tokens ? `one token refresh, ${o.attempts} attempts` : `${o.attempts} attempts`;
  if (o.result === 'codes') return `${tries}, codes shown`;
  const status = o.status ? ` ${o.status}` : '';
  if (o.result === 'degraded')
    return `${tries}, codes shown with a ${route === 'transcript' ? 'transcript' : 'session'} notice, heidi-error ${o.code}${status}`;
  return `${tries}, heidi-error ${o.code}${status}${o.retryable ? ', Retry shows codes' : ', not retryable, refresh() shows codes'}`;
}

// ---------------------------------------------------------------- helpers

interface Seen {
  readonly type: string;
  readonly detail: unknown;
}

/** Record the element's outcome events from before it is mounted. */
function watch() {
  const events: Seen[] = [];
  const types = ['heidi-codes-load', 'heidi-error'];
  const on = (e: Event) => events.push({ type: e.type, detail: (e as CustomEvent).detail });
  types.forEach((t) => document.addEventListener(t, on));
  return {
    events,
    errors: () => events.filter((e) => e.type === 'heidi-error').map((e) => e.detail as ErrorDetail),
    loads: () => events.filter((e) => e.type === 'heidi-codes-load').length,
    settled: () => until(() => events.length > 0, 'heidi-codes-load or heidi-error'),
    stop: () => types.forEach((t) => document.removeEventListener(t, on)),
  };
}

const SPY_MATCH: Record<Route, (c: SpiedFetch) => boolean> = {
  jwt: (c) => c.url.includes('/ehr/heidi-token'),
  'create-session': (c) => c.method === 'POST' && /\/mock-heidi\/sessions$/.test(c.url),
  'get-session': (c) => c.method === 'GET' && /\/mock-heidi\/sessions\/[^/?]+$/.test(c.url),
  transcript: (c) => c.url.includes('/transcript'),
  'clinical-codes': (c) => c.url.includes('/clinical-codes'),
};

function noticeText(el: HeidiClinicalCodes): string {
  return [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent ?? '').join(' ');
}

function retryButton(el: HeidiClinicalCodes): HTMLButtonElement | undefined {
  return [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === en.retry);
}

async function expectShown(el: HeidiClinicalCodes, route: Route): Promise<void> {
  await el.updateComplete;
  // A session the element creates is new and has no codes yet: the empty state is "shown" for it.
  if (route === 'create-session') expect(deepText(el)).to.contain(en.empty);
  else expect(cards(el).length).to.be.greaterThan(0);
  expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
}

// ---------------------------------------------------------------- the matrix

describe('fault matrix: route × fault → expected outcome', () => {
  let spy: ReturnType<typeof spyOnFetch> | undefined;
  afterEach(() => {
    spy?.restore();
    spy = undefined;
  });

  for (const route of ROUTES) {
    describe(`${route}${route === 'create-session' ? ' (element without session-id)' : ''}`, () => {
      for (const fault of Object.keys(FAULTS) as Fault[]) {
        const outcome = expected(route, fault);
        it(`${fault} → ${describeOutcome(route, outcome)}`, async () => {
          const user = newUser('fault');
          await setScenario(user, { failures: [{ route, ...FAULTS[fault] }] });
          const seen = watch();
          spy = spyOnFetch();
          try {
            const timeouts =
              fault === 'timeout' ? (route === 'clinical-codes' ? { codes: SHORT_TIMEOUT } : { request: SHORT_TIMEOUT }) : undefined;
            const { el } = await mount({
              user,
              ...(route === 'create-session' ? {} : { sessionId: 'fx-knee-oa' }),
              ...(timeouts ? { props: { timeouts } } : {}),
            });
            await seen.settled();
            await el.updateComplete;
            // Let a late heidi-error (a second one for a degraded load, say) show up.
            await new Promise((r) => setTimeout(r, 30));

            // Attempts: the client's (fetch spy) and, where the response came back, the mock's log.
            const clientAttempts = spy.calls.filter(SPY_MATCH[route]).length;
            expect(clientAttempts, 'client attempts').to.equal(outcome.attempts);
            const log: LogEntry[] = await requestLog(user);
            const served = log.filter((e) => e.route === route);
            if (fault === 'network failure') expect(served.length, 'mock saw').to.be.at.least(outcome.attempts);
            else if (fault !== 'timeout') expect(served.length, 'mock saw').to.equal(outcome.attempts);
            if (outcome.tokens !== undefined)
              expect(log.filter((e) => e.route === 'jwt').length, 'token requests').to.equal(outcome.tokens);
            if (fault === '401 once') expect(served.map((e) => e.status)).to.deep.equal([401, 200]);
            // Retries back off (ky: 300 ms, then 600 ms) unless the server said when: Retry-After: 0 is honoured.
            const gaps = served.slice(1).map((e, i) => e.startedAt - served[i]!.endedAt);
            const honoursRetryAfter = fault === '429' || (fault === '503' && route !== 'jwt');
            const backsOff =
              outcome.attempts > 1 && !honoursRetryAfter && (route === 'jwt' || ['502', '504', 'HTML error page'].includes(fault));
            // A lower bound only: load can only lengthen a gap. That Retry-After: 0 means no wait at all is checked
            // on the timers the client sets (test/node/retry-delays.test.ts), not on a measured gap.
            if (backsOff) gaps.forEach((gap, i) => expect(gap, `backoff before retry ${i + 1}`).to.be.at.least(270 * 2 ** i));

            if (outcome.result === 'codes') {
              expect(seen.errors()).to.deep.equal([]);
              expect(seen.loads()).to.equal(1);
              expect(noticeText(el)).to.equal('');
              await expectShown(el, route);
              return;
            }

            if (outcome.result === 'degraded') {
              // The host hears the part that failed, as the error has it; the codes are shown all the same.
              const errors = seen.errors();
              expect(errors, 'exactly one heidi-error, for the part that failed').to.have.length(1);
              expect([errors[0]!.code, errors[0]!.retryable, errors[0]!.status]).to.deep.equal([
                outcome.code,
                outcome.retryable,
                outcome.status,
              ]);
              expect(errors[0]!.message).to.be.a('string').and.not.equal('');
              expect(seen.loads()).to.equal(1);
              await expectShown(el, route);
              const notice = route === 'transcript' ? en.degradedTranscript : en.degradedSession;
              expect(noticeText(el)).to.contain(notice);
              // Said once: the live region says the codes and the notice together (the notice itself is not live).
              const live = shadow(el).querySelector('#live')!.textContent!;
              expect(live.split(notice).length - 1, `the live region says the notice once ("${live}")`).to.equal(1);
              expect(live).to.match(/codes? suggested/);
              // Once the fault is gone, a refresh loads everything and the notice goes.
              await setScenario(user, {});
              await el.refresh();
              await el.updateComplete;
              expect(noticeText(el)).to.equal('');
              return;
            }

            // The load failed: the contract's code, a plain message, and a way back.
            const errors = seen.errors();
            expect(errors, 'exactly one heidi-error').to.have.length(1);
            const detail = errors[0]!;
            expect(detail.code).to.equal(outcome.code);
            expect(detail.retryable).to.equal(outcome.retryable);
            if (outcome.status !== undefined) expect(detail.status).to.equal(outcome.status);
            else expect(detail.status).to.equal(undefined);
            expect(detail.message).to.be.a('string').and.not.equal('');
            expect(detail.message).not.to.match(/<html|<!doctype|<body/i, 'an HTML page is not shown as the message');
            const alert = shadow(el).querySelector('[role="alert"]');
            expect(alert, 'an alert is shown').to.exist;
            expect(alert!.textContent).to.contain(en.errors[outcome.code!]);
            expect(alert!.textContent).to.contain(detail.message);
            expect(seen.loads()).to.equal(0);

            if (fault === 'timeout' && route === 'jwt') {
              // The proxy shares one upstream token call per user: let the hung one finish before retrying.
              const ended = async () => (await requestLog(user)).some((e) => e.route === 'jwt');
              const started = performance.now();
              while (!(await ended()) && performance.now() - started < HANG_MS + 3000) await new Promise((r) => setTimeout(r, 50));
            }
            await setScenario(user, {});
            const before = seen.loads();
            const retry = retryButton(el);
            if (outcome.retryable) {
              expect(retry, 'a Retry button').to.exist;
              retry!.click();
            } else {
              expect(retry, 'no Retry button for a non-retryable error').to.equal(undefined);
              void el.refresh();
            }
            await until(() => seen.loads() > before || seen.errors().length > 1, 'the retried load');
            expect(seen.errors(), 'the retry succeeded').to.have.length(1);
            await expectShown(el, route);
          } finally {
            seen.stop();
          }
        });
      }
    });
  }

  it('timing: clinical-codes 429 with Retry-After: 1 → the retry waits ≥ 1 s, then codes shown', async () => {
    const user = newUser('fault');
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 429, retryAfter: 1, count: 1 }] });
    const seen = watch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await seen.settled();
      expect(seen.errors()).to.deep.equal([]);
      const calls = (await requestLog(user)).filter((e) => e.route === 'clinical-codes');
      expect(calls.map((e) => e.status)).to.deep.equal([429, 200]);
      const waited = calls[1]!.startedAt - calls[0]!.endedAt;
      expect(waited, `retry waited ${waited} ms`).to.be.at.least(950);
      expect(waited).to.be.below(5000);
      await expectShown(el, 'clinical-codes');
    } finally {
      seen.stop();
    }
  });
});

// ---------------------------------------------------------------- hostile answers (issue 15)

/**
 * The second table: answers that are well-formed HTTP but hostile in content. Each cell edits the mock's real
 * answer on its way to the element (so the rest of the load is real) and states what the reviewer sees.
 */
type HostileAnswer =
  | { readonly kind: 'bad-field'; readonly bad: BadField }
  | { readonly kind: 'score'; readonly score: number }
  | { readonly kind: 'whitespace-quotes' }
  | { readonly kind: 'whitespace-transcript' }
  | { readonly kind: 'session-id'; readonly id: string }
  | { readonly kind: 'token-echo'; readonly route: Route };

const HOSTILE: readonly HostileAnswer[] = [
  ...BAD_FIELDS.map((bad) => ({ kind: 'bad-field', bad }) as const),
  ...[79, 1.5, -0.25].map((score) => ({ kind: 'score', score }) as const),
  { kind: 'whitespace-quotes' },
  { kind: 'whitespace-transcript' },
  ...DOT_SEGMENT_IDS.slice(0, 4).map((id) => ({ kind: 'session-id', id }) as const),
  ...(['create-session', 'get-session', 'transcript', 'clinical-codes'] as const).map((route) => ({ kind: 'token-echo', route }) as const),
];

function hostileName(h: HostileAnswer): string {
  switch (h.kind) {
    case 'bad-field':
      return `clinical-codes with one entity's ${h.bad} → ${h.bad === 'primary-empty-code' || h.bad === 'entity-not-object' ? 'that card dropped' : 'every card shown'}, no heidi-error`;
    case 'score':
      return `clinical-codes with a score of ${h.score} → shown clamped with a score-range check, never as ${Math.round(h.score * 100)} %`;
    case 'whitespace-quotes':
      return 'clinical-codes quoting the transcript with other whitespace → every snippet located as before';
    case 'whitespace-transcript':
      return 'transcript with CRLF and NBSP for its line ends and spaces → every snippet located as before';
    case 'session-id':
      return `create-session answering session_id ${JSON.stringify(h.id)} → invalid-response, nothing requested with it`;
    case 'token-echo':
      return `${h.route} 500 echoing the bearer token → the token is in no event and nowhere in the DOM`;
  }
}

/** How many snippets the cards say were not found, after opening every card's evidence. */
async function unlocatedCount(el: HeidiClinicalCodes): Promise<number> {
  for (const c of cards(el)) shadow(c).querySelector<HTMLElement>('details[part="evidence"] summary')?.click();
  await until(() => cards(el).every((c) => shadow(c).querySelector('ul.evidence')), 'every card open');
  return cards(el).reduce((n, c) => n + (deepText(c).split(en.unlocated).length - 1), 0);
}

describe('fault matrix, hostile answers: route × hostile content → expected outcome', () => {
  let baseline: { cards: number; unlocated: number } | undefined;
  before(async () => {
    const { el } = await mount({ sessionId: 'fx-knee-oa' });
    await until(() => cards(el).length > 0, 'baseline codes');
    baseline = { cards: cards(el).length, unlocated: await unlocatedCount(el) };
    el.parentElement?.remove();
  });

  for (const h of HOSTILE) {
    it(hostileName(h), async () => {
      const original = window.fetch;
      let token = '';
      const routeOf = (request: Request): Route | undefined => {
        const path = new URL(request.url).pathname;
        if (!path.startsWith('/mock-heidi/')) return undefined;
        return path.endsWith('/clinical-codes')
          ? 'clinical-codes'
          : path.endsWith('/transcript')
            ? 'transcript'
            : request.method === 'POST' && path.endsWith('/sessions')
              ? 'create-session'
              : /\/sessions\/[^/]+$/.test(path)
                ? 'get-session'
                : undefined;
      };
      const answer = async (request: Request, route: Route): Promise<Response> => {
        if (h.kind === 'token-echo' && route === h.route) {
          token = request.headers.get('authorization')!.replace(/^Bearer /, '');
          return Response.json({ detail: { msg: `invalid token ${token}`, type: `Bearer ${token}` } }, { status: 500 });
        }
        if (h.kind === 'session-id' && route === 'create-session') return Response.json({ session_id: h.id });
        const real = await original(request);
        if (!real.ok) return real;
        const body = (await real.json()) as { clinical_entities?: Record<string, unknown>[]; transcript?: string };
        if (route === 'clinical-codes' && body.clinical_entities) {
          const entities = body.clinical_entities;
          if (h.kind === 'bad-field') entities[1] = withBadField(entities[1]!, h.bad, 3) as Record<string, unknown>;
          if (h.kind === 'score') (entities[0]!.primary_code as Record<string, unknown>).score = h.score;
          if (h.kind === 'whitespace-quotes') {
            for (const e of entities)
              for (const ref of (e.reference_in_transcript as { transcript_text: string }[] | undefined) ?? [])
                ref.transcript_text = whitespaceVariant(ref.transcript_text, [2, 3, 0, 1]);
          }
        }
        if (route === 'transcript' && h.kind === 'whitespace-transcript' && body.transcript)
          body.transcript = body.transcript.replace(/\n/g, '\r\n').replace(/ /g, (s, at: number) => (at % 3 ? s : '\u00a0'));
        return Response.json(body, { status: real.status });
      };
      const spy = spyOnFetch((request) => {
        const route = routeOf(request);
        return route ? answer(request, route) : undefined;
      });
      const seen = watch();
      try {
        const { el } = await mount(
          h.kind === 'session-id' || (h.kind === 'token-echo' && h.route === 'create-session') ? {} : { sessionId: 'fx-knee-oa' },
        );
        await seen.settled();
        await el.updateComplete;
        const errors = seen.errors();
        switch (h.kind) {
          case 'bad-field': {
            expect(errors).to.deep.equal([]);
            const dropped = h.bad === 'primary-empty-code' || h.bad === 'entity-not-object' ? 1 : 0;
            expect(cards(el).length).to.equal(baseline!.cards - dropped);
            return;
          }
          case 'score': {
            expect(errors).to.deep.equal([]);
            const text = deepText(cards(el)[0]!);
            expect(text).not.to.contain(`${Math.round(h.score * 100)}%`);
            expect(text).to.contain(en.checks['score-range']({ score: h.score }));
            return;
          }
          case 'whitespace-quotes':
          case 'whitespace-transcript':
            expect(errors).to.deep.equal([]);
            expect(await unlocatedCount(el)).to.equal(baseline!.unlocated);
            return;
          case 'session-id':
            expect(errors.map((e) => e.code)).to.deep.equal(['invalid-response']);
            expect(spy.calls.filter((c) => new URL(c.url).pathname.startsWith('/mock-heidi')).map((c) => c.method)).to.deep.equal(['POST']);
            return;
          case 'token-echo': {
            expect(token.length).to.be.greaterThan(20);
            for (const e of errors) expect(JSON.stringify(e)).not.to.contain(token);
            shadow(el).querySelector<HTMLElement>('[role="alert"] details summary')?.click();
            await el.updateComplete;
            expect(deepText(el)).not.to.contain(token);
            expect(deepText(el)).not.to.contain(token.slice(0, 16));
            return;
          }
        }
      } finally {
        seen.stop();
        spy.restore();
      }
    });
  }
});
