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
    source: () => ({
      kind: 'provider',
      provide: async () => ({ token: await token(), expiration_time: new Date(Date.now() + 600_000).toISOString() }),
    }),
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
      assert.throws(
        () => idSegment(id, 'session id'),
        (e: unknown) => e instanceof HeidiError && e.code === 'config' && !e.retryable,
        JSON.stringify(id),
      );
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
      loadCodes({
        client: c,
        sessionId: undefined,
        create: {},
        update: undefined,
        signal: new AbortController().signal,
        onSessionStart: () => {},
        onGenerating: () => {},
      }),
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

describe('secrets never reach the page', () => {
  /** What the page can see of an error: the `heidi-error` detail's message, and the type. */
  async function caught(call: Promise<unknown>): Promise<HeidiError> {
    try {
      await call;
    } catch (error) {
      assert.ok(error instanceof HeidiError, String(error));
      return error;
    }
    throw new Error('expected the call to fail');
  }
  const echo = (status: number, body: (token: string) => unknown) => (request: Request) => {
    const token = request.headers.get('authorization')!.replace(/^Bearer /, '');
    return Response.json(body(token), { status });
  };
  const visible = (e: HeidiError) => `${e.message} ${e.type ?? ''}`;

  const ECHOES: [string, number, (token: string) => unknown][] = [
    ['the whole token in detail', 500, (t) => ({ detail: `Token ${t} is not valid for this tenant` })],
    ['the bearer header echoed', 502, (t) => ({ detail: { msg: `upstream said: Authorization: Bearer ${t}`, type: 'Upstream' } })],
    ['the token as the error type', 500, (t) => ({ detail: { msg: 'failed', type: t } })],
    ['a truncated token', 500, (t) => ({ detail: `bad token ${t.slice(0, 40)}...` })],
    ['the tail of the token', 500, (t) => ({ detail: `signature ${t.slice(-20)} mismatch` })],
    ['the token upper-cased', 500, (t) => ({ detail: `TOKEN=${t.toUpperCase()}` })],
    [
      'a FastAPI validation list',
      422,
      (t) => ({ detail: [{ loc: ['header', 'authorization'], msg: `invalid value ${t}`, type: 'value_error' }] }),
    ],
  ];
  for (const [name, status, body] of ECHOES) {
    it(`an error body echoing ${name} is redacted`, async () => {
      overrides.set(`GET /sessions/${FX}`, echo(status, body));
      const { client: c } = client();
      const error = await caught(c.getSession(FX));
      const token = sent[0]!.authorization!.replace(/^Bearer /, '');
      assert.ok(token.length > 20);
      assert.ok(!visible(error).includes(token), visible(error));
      for (let i = 0; i + 12 <= token.length; i += 6)
        assert.ok(
          !visible(error)
            .toLowerCase()
            .includes(token.slice(i, i + 12).toLowerCase()),
          visible(error),
        );
      assert.match(visible(error), /\[redacted\]/);
      assert.equal(error.status, status);
      // Nothing else was lost: the status wording and the what stay readable.
      assert.match(error.message, /\(the session, HTTP \d+\)/);
    });
  }

  it('a 401 retried with a fresh token redacts both the rejected and the new token', async () => {
    overrides.set(`GET /sessions/${FX}`, (request) => {
      const token = request.headers.get('authorization')!.replace(/^Bearer /, '');
      const seen = sent.map((s) => s.authorization?.replace(/^Bearer /, '')).filter(Boolean);
      return Response.json({ detail: `rejected ${seen.join(' and ')} (now ${token})` }, { status: 401 });
    });
    let n = 0;
    const { client: c } = client(async () => `${await harness.token('u')}.${++n}`);
    const error = await caught(c.getSession(FX));
    assert.equal(sent.length, 2);
    for (const s of sent) {
      const token = s.authorization!.replace(/^Bearer /, '');
      assert.ok(!error.message.includes(token), error.message);
    }
    assert.equal(error.code, 'auth');
  });

  it('a token URL that echoes the rejected token is redacted too', async () => {
    const tokens = new TokenManager({ source: () => ({ kind: 'url', url: `${TEST_ORIGIN}/token` }), onHostTokenNeeded: () => {} });
    const jwt = await harness.token('u');
    let calls = 0;
    globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      calls += 1;
      if (calls === 1) return Response.json({ token: jwt, expiration_time: new Date(Date.now() + 600_000).toISOString() });
      return Response.json({ detail: `cannot refresh ${request.headers.get('heidi-rejected-token')}` }, { status: 500 });
    };
    assert.equal(await tokens.get(), jwt);
    tokens.invalidate(jwt);
    const error = await caught(tokens.get());
    assert.ok(!error.message.includes(jwt), error.message);
    assert.match(error.message, /cannot refresh \[redacted\]/);
  });

  it('a host-set token and an unrelated JWT or bearer value are redacted; ordinary text is untouched', async () => {
    const { client: c, tokens } = client();
    tokens.setHostToken('host-set-secret-value-0123456789');
    overrides.set(`GET /sessions/${FX}`, () =>
      Response.json(
        { detail: 'saw host-set-secret-value-0123456789, Bearer abc.def-ghi and eyJhbGciOi.eyJzdWIiOiIx.c2ln' },
        { status: 500 },
      ),
    );
    const error = await caught(c.getSession(FX));
    assert.equal(error.message, 'Heidi had a problem answering (the session, HTTP 500): saw [redacted], Bearer [redacted] and [redacted]');
    assert.equal(tokens.redact('Session not found'), 'Session not found');
  });
});
