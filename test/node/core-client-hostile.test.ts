/**
 * The Heidi client against the mock, fed hostile input: ids that would climb out of their path segment, and
 * error bodies that echo the bearer token. Every request the client makes goes through `fetch` below, so the
 * tests see exactly which URLs left and what an error would show the page.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeidiClient } from '../../src/core/client.ts';
import { TokenManager } from '../../src/core/token.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { loadCodes } from '../../src/core/session-loader.ts';
import { idSegment } from '../../src/core/url.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { TEST_ORIGIN, createMockHarness, type MockHarness } from '../../demo/mock-heidi/testing.ts';

const API_BASE = `${TEST_ORIGIN}/mock-heidi`;
const FX = FIXTURES[0]!.session.session_id;

/** Ids that are not one item: dot segments, empty, spaces (and their padded forms). */
const CLIMBING_IDS = ['..', '.', '', ' ', '  ..', '.. ', '\t.\n'];

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | null;
}

let harness: MockHarness;
let sent: Sent[];
/** Answers the test puts in front of the mock, by `METHOD path` below the API base. */
let overrides: Map<string, (request: Request) => Response>;
const realFetch = globalThis.fetch;

beforeEach(() => {
  harness = createMockHarness();
  sent = [];
  overrides = new Map();
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization') });
    const path = request.url.slice(API_BASE.length);
    const override = overrides.get(`${request.method} ${path}`);
    if (override) return override(request);
    return (await harness.mock.handle(request)) ?? new Response('not the mock', { status: 599 });
  };
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

function client(token: () => Promise<string> = () => harness.token('u')): { client: HeidiClient; tokens: TokenManager } {
  const tokens = new TokenManager({
    source: () => ({ kind: 'provider', provide: async () => ({ token: await token(), expiration_time: new Date(Date.now() + 600_000).toISOString() }) }),
    onHostTokenNeeded: () => {},
  });
  return { client: new HeidiClient({ apiBase: API_BASE, tokens, maxRetryDelayMs: 0 }), tokens };
}

/** Every URL that left, relative to the API base. */
const paths = () => sent.map((s) => `${s.method} ${s.url.slice(API_BASE.length) || '/'}`);

describe('ids are path segments, never paths', () => {
  it('idSegment encodes one segment and refuses dot segments and empty ids as config', () => {
    assert.equal(idSegment('a/b?c#d%e', 'session id'), 'a%2Fb%3Fc%23d%25e');
    assert.equal(idSegment('...', 'session id'), '...');
    assert.equal(idSegment('%2e%2e', 'session id'), '%252e%252e');
    for (const id of CLIMBING_IDS) {
      assert.throws(() => idSegment(id, 'session id'), (e: unknown) => e instanceof HeidiError && e.code === 'config' && !e.retryable, JSON.stringify(id));
    }
  });

  for (const id of CLIMBING_IDS) {
    it(`session id ${JSON.stringify(id)}: every session call is a config error and no request leaves`, async () => {
      const { client: c } = client();
      const calls = [
        () => c.getSession(id),
        () => c.updateSession(id, { clinician_notes: ['x'] }),
        () => c.getTranscript(id),
        () => c.getClinicalCodes(id),
      ];
      for (const call of calls) {
        await assert.rejects(call(), (e: unknown) => e instanceof HeidiError && e.code === 'config');
      }
      assert.deepEqual(paths(), []);
    });
  }

  it('a created session answered as ".." is refused before any request uses it', async () => {
    overrides.set('POST /sessions', () => Response.json({ session_id: '..' }));
    const { client: c } = client();
    await assert.rejects(
      loadCodes({ client: c, sessionId: undefined, create: {}, update: undefined, signal: new AbortController().signal, onSessionStart: () => {}, onGenerating: () => {} }),
      (e: unknown) => e instanceof HeidiError && e.code === 'invalid-response',
    );
    assert.deepEqual(paths(), ['POST /sessions']);
  });

  it('an ordinary id still loads, and ids with slashes stay inside their segment', async () => {
    const { client: c } = client();
    const session = await c.getSession(FX);
    assert.equal(session.session_id, FX);
    await assert.rejects(c.getSession(`${FX}/../..`), (e: unknown) => e instanceof HeidiError && e.code === 'not-found');
    for (const s of sent) assert.ok(new URL(s.url).pathname.startsWith('/mock-heidi/sessions/'), s.url);
  });
});
