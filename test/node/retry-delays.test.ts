/**
 * How long the client waits before a retry, read from the timers it sets rather than from the clock: a
 * server's `Retry-After: 0` is honoured (no backoff), and without one the client backs off (300 ms, then
 * 600 ms). The browser fault matrix checks the backoff's lower bound on real gaps; the "no backoff" half is
 * here, because an upper bound on a measured gap fails on a loaded machine.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeidiClient } from '../../src/core/client.ts';
import { TokenManager } from '../../src/core/token.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { TEST_ORIGIN, createMockHarness, type MockHarness } from '../../demo/mock-heidi/testing.ts';

const API_BASE = `${TEST_ORIGIN}/mock-heidi`;
const FX = FIXTURES[0]!.session.session_id;
/** The per-attempt timeout the client sets. It and the token provider's 30 s limit are not retry delays. */
const TIMEOUT_MS = 20_000;
const LIMITS_FROM_MS = 10_000;

let harness: MockHarness;
let failures: Response[];
let retryDelays: number[];
const realFetch = globalThis.fetch;
const realSetTimeout = globalThis.setTimeout;

beforeEach(() => {
  harness = createMockHarness();
  failures = [];
  retryDelays = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.endsWith(`/sessions/${FX}`) && failures.length) return failures.shift()!;
    return (await harness.mock.handle(request)) ?? new Response('not the mock', { status: 599 });
  };
  // A retry's wait is recorded and run at once; the time limits run as they are.
  globalThis.setTimeout = ((handler: () => void, ms?: number, ...rest: unknown[]) => {
    if (ms !== undefined && ms >= LIMITS_FROM_MS) return realSetTimeout(handler, ms, ...rest);
    retryDelays.push(ms ?? 0);
    return realSetTimeout(handler, 0, ...rest);
  }) as typeof setTimeout;
});

afterEach(() => {
  globalThis.fetch = realFetch;
  globalThis.setTimeout = realSetTimeout;
});

function client(): HeidiClient {
  const tokens = new TokenManager({
    source: () => ({
      kind: 'provider',
      provide: async () => ({ token: await harness.token('u'), expiration_time: new Date(Date.now() + 600_000).toISOString() }),
    }),
    onHostTokenNeeded: () => {},
  });
  return new HeidiClient({ apiBase: API_BASE, tokens, timeoutMs: TIMEOUT_MS });
}

const failing = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ detail: 'busy' }), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('retry delays', () => {
  it('Retry-After: 0 on a 503 or a 429 is honoured: the retries wait 0 ms', async () => {
    for (const status of [503, 429]) {
      failures = [failing(status, { 'retry-after': '0' }), failing(status, { 'retry-after': '0' })];
      retryDelays = [];
      const session = await client().getSession(FX);
      assert.equal(session.session_id, FX);
      assert.deepEqual(retryDelays, [0, 0], String(status));
    }
  });

  it('a 502 (no Retry-After) backs off: 300 ms, then 600 ms', async () => {
    failures = [failing(502), failing(502)];
    const session = await client().getSession(FX);
    assert.equal(session.session_id, FX);
    assert.deepEqual(retryDelays, [300, 600]);
  });
});
