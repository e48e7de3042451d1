/**
 * The reference backend proxy (`heidi-clinical-codes/proxy`): token route,
 * cache, single flight, error mapping, the /sessions forwarder, the node:http
 * adapter, and (when present) end to end against the in-process mock Heidi.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHeidiProxy, DEFAULT_API_BASE, toNodeMiddleware } from '../../src/proxy/index.ts';
import type { HeidiProxyOptions, HeidiUser } from '../../src/proxy/index.ts';
import { createMockHeidi, MOCK_HEIDI_API_KEY, MOCK_HEIDI_BASE_PATH } from '../../demo/mock-heidi/index.ts';

const API_KEY = 'sk-test-SECRET-4f9a2c-do-not-leak';
const API_BASE = 'https://heidi.example.test/api/v2/ml-scribe/open-api';
const ALICE: HeidiUser = { email: 'alice@clinic.test', third_party_internal_id: 'u-1' };
const BOB: HeidiUser = { email: 'bob@clinic.test', third_party_internal_id: 'u-2' };
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3600_000;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A fake Heidi: records every request; by default issues `tok-<id>-<n>` tokens valid for one hour from the clock. */
function fakeHeidi(handler?: (request: Request, n: number) => Response | Promise<Response>) {
  const clock = { t: T0 };
  const calls: Request[] = [];
  let n = 0;
  const fetch = async (request: Request): Promise<Response> => {
    calls.push(request);
    n += 1;
    if (handler) return handler(request, n);
    const url = new URL(request.url);
    return json(200, {
      token: `tok-${url.searchParams.get('third_party_internal_id')}-${n}`,
      expiration_time: new Date(clock.t + HOUR).toISOString(),
    });
  };
  return { clock, calls, fetch, now: () => clock.t };
}

type Fake = ReturnType<typeof fakeHeidi>;

function proxyFor(fake: Fake, options: Partial<HeidiProxyOptions> = {}) {
  return createHeidiProxy({
    apiKey: API_KEY,
    apiBase: API_BASE,
    resolveUser: () => ALICE,
    fetch: fake.fetch,
    now: fake.now,
    ...options,
  });
}

const get = (path: string, init?: RequestInit) => new Request(`http://ehr.test${path}`, init);

async function must(response: Promise<Response | undefined>): Promise<Response> {
  const r = await response;
  assert.ok(r, 'expected the proxy to answer');
  return r;
}

async function assertHeidiError(response: Response, status: number, type: string): Promise<{ msg: string; type: string }> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const text = await response.text();
  assert.ok(!text.includes(API_KEY), 'API key leaked into an error body');
  const body = JSON.parse(text) as { detail: { msg: string; type: string } };
  assert.equal(body.detail.type, type);
  assert.equal(typeof body.detail.msg, 'string');
  assert.ok(body.detail.msg.length > 0);
  return body.detail;
}

function assertNoKeyInHeaders(response: Response): void {
  response.headers.forEach((value, name) => {
    assert.ok(!value.includes(API_KEY), `API key leaked in header ${name}`);
    assert.notEqual(name.toLowerCase(), 'heidi-api-key');
  });
}

describe('token route', () => {
  it('answers {token, expiration_time} with private, uncacheable headers', async () => {
    const fake = fakeHeidi();
    const response = await must(proxyFor(fake)(get('/heidi-token')));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    assert.equal(response.headers.get('vary'), 'Cookie, Authorization');
    assertNoKeyInHeaders(response);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['expiration_time', 'token']);
    assert.equal(body.token, 'tok-u-1-1');
    assert.equal(body.expiration_time, new Date(T0 + HOUR).toISOString());

    assert.equal(fake.calls.length, 1);
    const upstream = fake.calls[0]!;
    assert.equal(upstream.method, 'GET');
    assert.equal(upstream.headers.get('heidi-api-key'), API_KEY);
    const url = new URL(upstream.url);
    assert.equal(`${url.origin}${url.pathname}`, `${API_BASE}/jwt`);
    assert.equal(url.searchParams.get('email'), ALICE.email);
    assert.equal(url.searchParams.get('third_party_internal_id'), ALICE.third_party_internal_id);
  });

  it('calls the documented Heidi registrar by default', async () => {
    const fake = fakeHeidi();
    const proxy = createHeidiProxy({ apiKey: API_KEY, resolveUser: () => ALICE, fetch: fake.fetch, now: fake.now });
    assert.equal((await must(proxy(get('/heidi-token')))).status, 200);
    assert.ok(fake.calls[0]!.url.startsWith(`${DEFAULT_API_BASE}/jwt?`));
    assert.equal(DEFAULT_API_BASE, 'https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api');
  });

  it('takes identity only from resolveUser: browser-supplied query and headers are ignored', async () => {
    const fake = fakeHeidi();
    const seen: Request[] = [];
    const proxy = proxyFor(fake, {
      resolveUser: (request) => {
        seen.push(request);
        return ALICE;
      },
    });
    const response = await must(
      proxy(
        get('/heidi-token?email=mallory@evil.test&third_party_internal_id=admin&user=admin', {
          headers: {
            'X-Email': 'mallory@evil.test',
            email: 'mallory@evil.test',
            third_party_internal_id: 'admin',
            'X-Heidi-User': 'admin',
            'Heidi-Api-Key': 'browser-key',
            Cookie: 'session=abc',
          },
        }),
      ),
    );
    assert.equal(response.status, 200);
    assert.equal(seen.length, 1, 'resolveUser sees the request (to read its own session cookie)');
    const url = new URL(fake.calls[0]!.url);
    assert.equal(url.search, `?email=${encodeURIComponent(ALICE.email)}&third_party_internal_id=u-1`);
    assert.deepEqual([...url.searchParams.keys()].sort(), ['email', 'third_party_internal_id']);
    const headers = fake.calls[0]!.headers;
    assert.equal(headers.get('heidi-api-key'), API_KEY, 'the browser cannot supply its own API key');
    assert.equal(headers.get('cookie'), null);
    assert.equal(headers.get('x-heidi-user'), null);
    assert.equal(headers.get('email'), null);
  });

  it('passes the handler context (e.g. Express req) to resolveUser, and uses only email and id', async () => {
    const fake = fakeHeidi();
    const proxy = createHeidiProxy<{ user: HeidiUser & { role: string } }>({
      apiKey: API_KEY,
      apiBase: API_BASE,
      fetch: fake.fetch,
      now: fake.now,
      resolveUser: (_request, context) => context?.user,
    });
    assert.equal((await must(proxy(get('/heidi-token')))).status, 401);
    const response = await must(proxy(get('/heidi-token'), { user: { ...BOB, role: 'admin' } }));
    assert.equal(response.status, 200);
    const url = new URL(fake.calls[0]!.url);
    assert.equal(url.searchParams.get('third_party_internal_id'), BOB.third_party_internal_id);
    assert.equal(url.searchParams.get('role'), null);
  });

  it('answers 405 with Allow for other methods, without calling Heidi', async () => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const response = await must(proxy(get('/heidi-token', { method })));
      assert.equal(response.headers.get('allow'), 'GET');
      if (method === 'HEAD') assert.equal(response.status, 405);
      else await assertHeidiError(response, 405, 'MethodNotAllowed');
    }
    assert.equal(fake.calls.length, 0);
  });

  it('returns undefined for paths that are not its routes', async () => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake);
    for (const path of ['/', '/heidi-token/', '/heidi-tokens', '/api/heidi-token', '/heidi-api/sessions', '/jwt']) {
      assert.equal(await proxy(get(path)), undefined, path);
    }
    const custom = proxyFor(fake, { tokenPath: '/ehr/heidi-token' });
    assert.equal(await custom(get('/heidi-token')), undefined);
    assert.equal((await must(custom(get('/ehr/heidi-token')))).status, 200);
  });

  it('rejects a missing API key or a bad apiBase at creation', () => {
    assert.throws(() => createHeidiProxy({ apiKey: '', resolveUser: () => ALICE }), TypeError);
    assert.throws(() => createHeidiProxy({ apiKey: API_KEY, apiBase: 'not a url', resolveUser: () => ALICE }), TypeError);
    assert.throws(() => createHeidiProxy({ apiKey: API_KEY, apiBase: 'ftp://x.test', resolveUser: () => ALICE }), TypeError);
  });
});

describe('token cache', () => {
  it('reuses a token until refreshMarginSeconds before expiry, then fetches a new one', async () => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake); // default margin: 60 s
    const token = async () => ((await (await must(proxy(get('/heidi-token')))).json()) as { token: string }).token;

    assert.equal(await token(), 'tok-u-1-1');
    fake.clock.t = T0 + HOUR - 61_000;
    assert.equal(await token(), 'tok-u-1-1');
    assert.equal(fake.calls.length, 1);

    fake.clock.t = T0 + HOUR - 60_000;
    assert.equal(await token(), 'tok-u-1-2');
    assert.equal(fake.calls.length, 2);
    fake.clock.t += 10_000;
    assert.equal(await token(), 'tok-u-1-2');
    assert.equal(fake.calls.length, 2);
  });

  it('honours a custom refreshMarginSeconds', async () => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake, { refreshMarginSeconds: 600 });
    await must(proxy(get('/heidi-token')));
    fake.clock.t = T0 + HOUR - 601_000;
    await must(proxy(get('/heidi-token')));
    assert.equal(fake.calls.length, 1);
    fake.clock.t = T0 + HOUR - 600_000;
    await must(proxy(get('/heidi-token')));
    assert.equal(fake.calls.length, 2);
  });

  it('reads an expiration_time without a UTC offset as UTC', async () => {
    const fake = fakeHeidi(() => json(200, { token: 't', expiration_time: '2030-01-01T01:00:00.000000' }));
    const proxy = proxyFor(fake);
    await must(proxy(get('/heidi-token')));
    fake.clock.t = T0 + HOUR - 61_000;
    await must(proxy(get('/heidi-token')));
    assert.equal(fake.calls.length, 1);
    fake.clock.t = T0 + HOUR - 59_000;
    await must(proxy(get('/heidi-token')));
    assert.equal(fake.calls.length, 2);
  });

  it('does not cache a token that is already inside the refresh margin, but still hands it out', async () => {
    const fake = fakeHeidi((_r, n) => json(200, { token: `short-${n}`, expiration_time: new Date(T0 + 30_000).toISOString() }));
    const proxy = proxyFor(fake);
    const a = await must(proxy(get('/heidi-token')));
    assert.equal(a.status, 200);
    assert.equal(((await a.json()) as { token: string }).token, 'short-1');
    await must(proxy(get('/heidi-token')));
    assert.equal(fake.calls.length, 2);
  });

  it('shares one upstream call among concurrent requests for one user (single flight)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = fakeHeidi(async (_r, n) => {
      await gate;
      return json(200, { token: `shared-${n}`, expiration_time: new Date(T0 + HOUR).toISOString() });
    });
    const proxy = proxyFor(fake);
    const pending = Array.from({ length: 20 }, () => must(proxy(get('/heidi-token'))));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const responses = await Promise.all(pending);
    assert.equal(fake.calls.length, 1);
    for (const response of responses) {
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { token: string }).token, 'shared-1');
    }
  });

  it('shares a failure among concurrent waiters, and does not cache it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = fakeHeidi(async (_request, n) => {
      if (n === 1) {
        await gate;
        return json(503, { detail: 'down' });
      }
      return json(200, { token: 'after', expiration_time: new Date(T0 + HOUR).toISOString() });
    });
    const proxy = proxyFor(fake);
    const pending = Array.from({ length: 5 }, () => must(proxy(get('/heidi-token'))));
    await new Promise((r) => setTimeout(r, 10));
    release();
    for (const response of await Promise.all(pending)) await assertHeidiError(response, 502, 'UpstreamUnavailable');
    assert.equal(fake.calls.length, 1);
    const next = await must(proxy(get('/heidi-token')));
    assert.equal(next.status, 200);
    assert.equal(fake.calls.length, 2);
  });

  it('keeps users apart (by id and by email) and runs their calls in parallel', async () => {
    const fake = fakeHeidi();
    let current: HeidiUser = ALICE;
    const proxy = proxyFor(fake, { resolveUser: () => current });
    const tokenOf = async (user: HeidiUser) => {
      current = user;
      return ((await (await must(proxy(get('/heidi-token')))).json()) as { token: string }).token;
    };
    assert.equal(await tokenOf(ALICE), 'tok-u-1-1');
    assert.equal(await tokenOf(BOB), 'tok-u-2-2');
    assert.equal(await tokenOf(ALICE), 'tok-u-1-1');
    assert.equal(await tokenOf(BOB), 'tok-u-2-2');
    assert.equal(await tokenOf({ ...ALICE, email: 'alice.other@clinic.test' }), 'tok-u-1-3');
    assert.equal(fake.calls.length, 3);

    // concurrent requests for different users are not merged
    const users = [ALICE, BOB].map((u) => ({ ...u, third_party_internal_id: `${u.third_party_internal_id}-x` }));
    const fresh = fakeHeidi();
    const byRequest = proxyFor(fresh, { resolveUser: (r) => users[Number(r.headers.get('x-i'))] });
    const results = await Promise.all([0, 1, 0, 1].map((i) => must(byRequest(get('/heidi-token', { headers: { 'x-i': String(i) } })))));
    assert.equal(fresh.calls.length, 2);
    const tokens = await Promise.all(results.map(async (r) => ((await r.json()) as { token: string }).token));
    assert.equal(tokens[0], tokens[2]);
    assert.equal(tokens[1], tokens[3]);
    assert.notEqual(tokens[0], tokens[1]);
  });

  it('bounds the cache to maxCachedUsers, dropping the least recently used', async () => {
    const fake = fakeHeidi();
    let current: HeidiUser = ALICE;
    const proxy = proxyFor(fake, { resolveUser: () => current, maxCachedUsers: 2 });
    const ask = async (id: string) => {
      current = { email: `${id}@x.test`, third_party_internal_id: id };
      await must(proxy(get('/heidi-token')));
    };
    await ask('a');
    await ask('b');
    await ask('a'); // a is now most recent
    assert.equal(fake.calls.length, 2);
    await ask('c'); // evicts b
    assert.equal(fake.calls.length, 3);
    await ask('a');
    assert.equal(fake.calls.length, 3);
    await ask('b');
    assert.equal(fake.calls.length, 4);
  });
});

describe('token route errors', () => {
  it('resolveUser null or undefined → 401 NotAuthenticated, without calling Heidi', async () => {
    const fake = fakeHeidi();
    for (const value of [null, undefined]) {
      const response = await must(proxyFor(fake, { resolveUser: async () => value })(get('/heidi-token')));
      await assertHeidiError(response, 401, 'NotAuthenticated');
      assert.equal(response.headers.get('pragma'), 'no-cache');
    }
    assert.equal(fake.calls.length, 0);
  });

  it('resolveUser throwing → 500 UserResolutionFailed without leaking the error', async () => {
    const fake = fakeHeidi();
    const seen: unknown[] = [];
    const proxy = proxyFor(fake, {
      resolveUser: () => {
        throw new Error('db password hunter2 at 10.0.0.5');
      },
      onError: (event) => seen.push(event),
    });
    const response = await must(proxy(get('/heidi-token')));
    const detail = await assertHeidiError(response, 500, 'UserResolutionFailed');
    assert.ok(!detail.msg.includes('hunter2'));
    assert.ok(!detail.msg.includes('10.0.0.5'));
    assert.equal(fake.calls.length, 0);
    assert.equal(seen.length, 1, 'the server-side hook still gets the cause');
  });

  it('resolveUser returning a malformed user → 500 UserResolutionFailed', async () => {
    const fake = fakeHeidi();
    for (const bad of [
      { email: '', third_party_internal_id: 'x' },
      { email: 'a@b' },
      { email: 'a@b', third_party_internal_id: 7 },
      'alice',
    ]) {
      const proxy = proxyFor(fake, { resolveUser: () => bad as unknown as HeidiUser });
      await assertHeidiError(await must(proxy(get('/heidi-token'))), 500, 'UserResolutionFailed');
    }
    assert.equal(fake.calls.length, 0);
  });

  for (const status of [401, 403]) {
    it(`Heidi ${status} (API key rejected) → 502 UpstreamAuthFailed naming the key, never echoing it`, async () => {
      const fake = fakeHeidi(() => json(status, { detail: { msg: `Invalid API key ${API_KEY}`, type: 'AuthError' } }));
      const response = await must(proxyFor(fake)(get('/heidi-token')));
      assertNoKeyInHeaders(response);
      const detail = await assertHeidiError(response, 502, 'UpstreamAuthFailed');
      assert.match(detail.msg, /Heidi API key/);
      assert.match(detail.msg, /rejected/);
    });
  }

  it('Heidi 429 → 429 RateLimited passing Retry-After', async () => {
    const fake = fakeHeidi(() => json(429, { detail: 'Too Many Requests' }, { 'Retry-After': '17' }));
    const response = await must(proxyFor(fake)(get('/heidi-token')));
    assert.equal(response.headers.get('retry-after'), '17');
    await assertHeidiError(response, 429, 'RateLimited');
    const noHeader = await must(proxyFor(fakeHeidi(() => json(429, {})))(get('/heidi-token')));
    assert.equal(noHeader.headers.get('retry-after'), null);
    await assertHeidiError(noHeader, 429, 'RateLimited');
  });

  for (const status of [500, 502, 503, 504]) {
    it(`Heidi ${status} → 502 UpstreamUnavailable`, async () => {
      const fake = fakeHeidi(() => new Response('<html>oops</html>', { status, headers: { 'content-type': 'text/html' } }));
      await assertHeidiError(await must(proxyFor(fake)(get('/heidi-token'))), 502, 'UpstreamUnavailable');
    });
  }

  it('network error (fetch rejects, or Response.error()) → 502 UpstreamUnavailable', async () => {
    const rejecting = fakeHeidi(() => Promise.reject(new TypeError(`fetch failed: key ${API_KEY}`)));
    await assertHeidiError(await must(proxyFor(rejecting)(get('/heidi-token'))), 502, 'UpstreamUnavailable');
    const errorResponse = fakeHeidi(() => Response.error());
    await assertHeidiError(await must(proxyFor(errorResponse)(get('/heidi-token'))), 502, 'UpstreamUnavailable');
  });

  it('timeout → 504 UpstreamTimeout (option timeoutMs; the upstream signal is aborted)', async () => {
    let signal: AbortSignal | undefined;
    const fake = fakeHeidi((request) => {
      signal = request.signal;
      return new Promise<Response>(() => {}); // never answers, ignores the signal
    });
    const started = Date.now();
    const response = await must(proxyFor(fake, { timeoutMs: 50 })(get('/heidi-token')));
    await assertHeidiError(response, 504, 'UpstreamTimeout');
    assert.ok(Date.now() - started < 2000);
    assert.equal(signal?.aborted, true, 'the upstream request is aborted too');

    // a fetch that honours the signal (like real fetch) ends the same way
    const honouring = fakeHeidi(
      (request) => new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))),
    );
    await assertHeidiError(await must(proxyFor(honouring, { timeoutMs: 30 })(get('/heidi-token'))), 504, 'UpstreamTimeout');
  });

  const invalidBodies: [string, () => Response][] = [
    ['not JSON', () => new Response('<html>hi</html>', { status: 200 })],
    ['empty body', () => new Response(null, { status: 200 })],
    ['JSON null', () => json(200, null)],
    ['array', () => json(200, [{ token: 't', expiration_time: '2030-01-01T00:00:00Z' }])],
    ['missing token', () => json(200, { expiration_time: '2030-01-01T00:00:00Z' })],
    ['empty token', () => json(200, { token: '', expiration_time: '2030-01-01T00:00:00Z' })],
    ['numeric token', () => json(200, { token: 42, expiration_time: '2030-01-01T00:00:00Z' })],
    ['missing expiration_time', () => json(200, { token: 't' })],
    ['numeric expiration_time', () => json(200, { token: 't', expiration_time: 1893456000 })],
    ['unparseable expiration_time', () => json(200, { token: 't', expiration_time: 'next tuesday' })],
  ];
  for (const [name, body] of invalidBodies) {
    it(`Heidi 200 with an invalid body (${name}) → 502 UpstreamInvalidResponse`, async () => {
      const fake = fakeHeidi(body);
      await assertHeidiError(await must(proxyFor(fake)(get('/heidi-token'))), 502, 'UpstreamInvalidResponse');
    });
  }

  it('other Heidi 4xx → 502 UpstreamRejected carrying Heidi’s message, with the key redacted', async () => {
    const fake = fakeHeidi(() =>
      json(422, { detail: [{ loc: ['query', 'email'], msg: `bad email (key ${API_KEY})`, type: 'value_error' }] }),
    );
    const detail = await assertHeidiError(await must(proxyFor(fake)(get('/heidi-token'))), 502, 'UpstreamRejected');
    assert.match(detail.msg, /bad email/);
    assert.match(detail.msg, /\[redacted\]/);
  });

  it('never puts the API key in any response body or header, across every outcome', async () => {
    const outcomes: (() => Response | Promise<Response>)[] = [
      () => json(200, { token: 'ok', expiration_time: '2030-01-01T05:00:00Z' }),
      () => json(401, { detail: API_KEY }),
      () => json(403, { detail: { msg: API_KEY, type: API_KEY } }, { 'x-key': API_KEY }),
      () => json(429, { detail: API_KEY }, { 'retry-after': '1' }),
      () => json(400, { detail: `Heidi-Api-Key ${API_KEY} unknown` }),
      () => json(500, { detail: API_KEY }),
      () => json(200, { token: '', detail: API_KEY }),
      () => Promise.reject(new Error(API_KEY)),
      () => Response.error(),
    ];
    for (const outcome of outcomes) {
      for (const forward of [false, true]) {
        const fake = fakeHeidi(outcome);
        const proxy = proxyFor(fake, { forwardPrefix: '/heidi-api' });
        const response = await must(proxy(get(forward ? '/heidi-api/sessions/s1' : '/heidi-token')));
        assertNoKeyInHeaders(response);
        assert.ok(!(await response.text()).includes(API_KEY));
        for (const call of fake.calls) {
          if (new URL(call.url).pathname.endsWith('/jwt')) continue;
          assert.equal(call.headers.get('heidi-api-key'), null, 'the key goes only to /jwt');
          assert.ok(!call.url.includes(API_KEY));
        }
      }
    }
  });

  it('a throwing onError hook does not break the response', async () => {
    const proxy = proxyFor(fakeHeidi(), {
      resolveUser: () => null,
      onError: () => {
        throw new Error('logger down');
      },
    });
    await assertHeidiError(await must(proxy(get('/heidi-token'))), 401, 'NotAuthenticated');
  });
});

/** A fake Heidi answering /jwt with tokens and recording /sessions calls. */
function fakeHeidiWithSessions(sessions?: (request: Request) => Response | Promise<Response>) {
  const sessionCalls: Request[] = [];
  const fake = fakeHeidi(async (request, n) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith('/jwt')) {
      return json(200, {
        token: `tok-${url.searchParams.get('third_party_internal_id')}-${n}`,
        expiration_time: new Date(fake.clock.t + HOUR).toISOString(),
      });
    }
    sessionCalls.push(request);
    if (sessions) return sessions(request);
    return json(200, { session: { session_id: 's1' } });
  });
  return { ...fake, sessionCalls };
}

describe('forwarder', () => {
  const forwarding = (fake: Fake, options: Partial<HeidiProxyOptions> = {}) => proxyFor(fake, { forwardPrefix: '/heidi-api', ...options });

  it('forwards GET /sessions/{id} with the user’s bearer token, passing status, body and query through', async () => {
    const fake = fakeHeidiWithSessions(() =>
      json(200, { session: { session_id: 's1' } }, { etag: '"v1"', 'set-cookie': 'heidi=1', connection: 'close' }),
    );
    const proxy = forwarding(fake);
    const response = await must(
      proxy(
        get('/heidi-api/sessions/s1?page_size=10', {
          headers: {
            Cookie: 'ehr_session=secret',
            Authorization: 'Bearer browser-supplied',
            'Heidi-Api-Key': 'browser-key',
            Accept: 'application/json',
            'Accept-Language': 'es',
            'X-Forwarded-For': '1.2.3.4',
            'Proxy-Authorization': 'Basic x',
            'Keep-Alive': 'timeout=5',
            Origin: 'http://ehr.test',
          },
        }),
      ),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { session: { session_id: 's1' } });
    assert.equal(response.headers.get('etag'), '"v1"');
    assert.equal(response.headers.get('set-cookie'), null, 'Heidi cookies are not passed to the browser');
    assert.equal(response.headers.get('cache-control'), 'no-store');

    assert.equal(fake.sessionCalls.length, 1);
    const upstream = fake.sessionCalls[0]!;
    assert.equal(upstream.url, `${API_BASE}/sessions/s1?page_size=10`);
    assert.equal(upstream.method, 'GET');
    assert.equal(upstream.headers.get('authorization'), 'Bearer tok-u-1-1');
    assert.equal(upstream.headers.get('accept'), 'application/json');
    assert.equal(upstream.headers.get('accept-language'), 'es');
    for (const dropped of ['cookie', 'heidi-api-key', 'x-forwarded-for', 'proxy-authorization', 'keep-alive', 'origin']) {
      assert.equal(upstream.headers.get(dropped), null, dropped);
    }
  });

  it('forwards POST /sessions and PATCH /sessions/{id} bodies, reusing the cached token', async () => {
    const fake = fakeHeidiWithSessions(async (request) =>
      request.method === 'POST' ? json(201, { session_id: 'new' }) : json(200, { echo: await request.json() }),
    );
    const proxy = forwarding(fake);
    const created = await must(
      proxy(
        get('/heidi-api/sessions', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ehr_appointment_id: 'A1' }),
        }),
      ),
    );
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { session_id: 'new' });
    const patched = await must(
      proxy(
        get('/heidi-api/sessions/new', {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ clinician_notes: ['n1'] }),
        }),
      ),
    );
    assert.deepEqual(await patched.json(), { echo: { clinician_notes: ['n1'] } });
    assert.equal(fake.sessionCalls[0]!.headers.get('content-type'), 'application/json');
    assert.equal(fake.sessionCalls[1]!.method, 'PATCH');
    assert.equal(fake.calls.filter((c) => c.url.includes('/jwt')).length, 1, 'one token for both calls');
  });

  it('passes Heidi error statuses and bodies through (404, 429 with Retry-After, 204)', async () => {
    const answers: Response[] = [
      json(404, { detail: { msg: 'Session not found', type: 'SessionNotFoundError' } }),
      json(429, { detail: 'slow down' }, { 'retry-after': '3' }),
      new Response(null, { status: 204 }),
    ];
    const fake = fakeHeidiWithSessions(() => answers.shift()!);
    const proxy = forwarding(fake);
    const notFound = await must(proxy(get('/heidi-api/sessions/nope')));
    assert.equal(notFound.status, 404);
    assert.deepEqual(await notFound.json(), { detail: { msg: 'Session not found', type: 'SessionNotFoundError' } });
    const limited = await must(proxy(get('/heidi-api/sessions/x/clinical-codes')));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    const empty = await must(proxy(get('/heidi-api/sessions/x')));
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), '');
  });

  it('only forwards /sessions paths', async () => {
    const fake = fakeHeidiWithSessions();
    const proxy = forwarding(fake);
    for (const path of [
      '/heidi-api',
      '/heidi-api/',
      '/heidi-api/jwt',
      '/heidi-api/jwt?email=a',
      '/heidi-api/sessionsX',
      '/heidi-api/users/1',
    ]) {
      await assertHeidiError(await must(proxy(get(path))), 404, 'NotFound');
    }
    assert.equal(fake.calls.length, 0);
    assert.equal(await proxy(get('/heidi-apix/sessions')), undefined);
  });

  it('rejects path traversal, after URL normalization and in encoded forms', async () => {
    const fake = fakeHeidiWithSessions();
    const proxy = forwarding(fake, { tokenPath: '/ehr/heidi-token' });
    // The URL parser resolves dot segments (also %2e), so these leave the prefix entirely: not a proxy route.
    for (const path of [
      '/heidi-api/../jwt',
      '/heidi-api/sessions/../../jwt',
      '/heidi-api/sessions/%2e%2e/%2E%2E/jwt',
      '/heidi-api/sessions/.%2e/.%2e/jwt',
    ]) {
      const response = await proxy(get(path));
      assert.equal(response, undefined, path);
    }
    // Dot segments that stay inside the prefix still cannot leave /sessions.
    await assertHeidiError(await must(proxy(get('/heidi-api/sessions/../jwt'))), 404, 'NotFound');
    // Encoded separators a later server could decode into a traversal.
    for (const path of [
      '/heidi-api/sessions/..%2F..%2Fjwt',
      '/heidi-api/sessions/..%2f..%2fjwt',
      '/heidi-api/sessions/x%2F..%2F..%2Fjwt',
      '/heidi-api/sessions/..%5C..%5Cjwt',
      '/heidi-api/sessions/%252e%252e',
      '/heidi-api/sessions//jwt',
      '/heidi-api/sessions/%00',
      '/heidi-api/sessions/%E0%A4%A',
      '/heidi-api/sessions/a%20b',
      '/heidi-api/sessions/s1;jsessionid=x',
    ]) {
      const response = await must(proxy(get(path)));
      assert.ok(response.status === 400 || response.status === 404, `${path}: ${response.status}`);
      assert.equal(
        ((await response.json()) as { detail: { type: string } }).detail.type,
        response.status === 400 ? 'InvalidPath' : 'NotFound',
      );
    }
    assert.equal(fake.calls.length, 0, 'nothing reached Heidi');
  });

  it('allows only GET, POST and PATCH', async () => {
    const fake = fakeHeidiWithSessions();
    const proxy = forwarding(fake);
    for (const method of ['DELETE', 'PUT', 'OPTIONS']) {
      const response = await must(proxy(get('/heidi-api/sessions/s1', { method })));
      assert.equal(response.headers.get('allow'), 'GET, POST, PATCH');
      await assertHeidiError(response, 405, 'MethodNotAllowed');
    }
    assert.equal(fake.calls.length, 0);
  });

  it('needs a signed-in user, and maps token failures as the token route does', async () => {
    const anonymous = fakeHeidiWithSessions();
    await assertHeidiError(
      await must(forwarding(anonymous, { resolveUser: () => null })(get('/heidi-api/sessions/s1'))),
      401,
      'NotAuthenticated',
    );
    assert.equal(anonymous.calls.length, 0);
    const badKey = fakeHeidi(() => json(401, { detail: 'bad key' }));
    await assertHeidiError(await must(forwarding(badKey)(get('/heidi-api/sessions/s1'))), 502, 'UpstreamAuthFailed');
  });

  it('on a 401 from Heidi drops the cached token and retries once with a fresh one', async () => {
    let rejectNext = 1;
    const fake = fakeHeidiWithSessions((request) => {
      if (rejectNext > 0) {
        rejectNext -= 1;
        return json(401, { detail: 'Could not validate credentials' });
      }
      return json(200, { ok: request.headers.get('authorization') });
    });
    const proxy = forwarding(fake);
    const response = await must(proxy(get('/heidi-api/sessions/s1')));
    assert.equal(response.status, 200);
    // the fake numbers every call: 1 = first token, 2 = the rejected session call, 3 = the fresh token
    assert.deepEqual(await response.json(), { ok: 'Bearer tok-u-1-3' });
    assert.equal(fake.sessionCalls[0]!.headers.get('authorization'), 'Bearer tok-u-1-1');
    // within the minute after a forced refresh, a 401 is passed through without another one
    rejectNext = 1;
    assert.equal((await must(proxy(get('/heidi-api/sessions/s1')))).status, 401);
    assert.equal(fake.sessionCalls.length, 3);
    // a minute later: one retry again, and a second 401 in a row is passed through (no loop)
    fake.clock.t += 61_000;
    rejectNext = 2;
    const twice = await must(proxy(get('/heidi-api/sessions/s1')));
    assert.equal(twice.status, 401);
    assert.equal(fake.sessionCalls.length, 5);
  });

  it('maps Heidi network errors and timeouts on forwarded calls', async () => {
    const down = fakeHeidiWithSessions(() => Promise.reject(new TypeError('fetch failed')));
    await assertHeidiError(await must(forwarding(down)(get('/heidi-api/sessions/s1'))), 502, 'UpstreamUnavailable');
    const hang = fakeHeidiWithSessions(() => new Promise<Response>(() => {}));
    await assertHeidiError(await must(forwarding(hang, { timeoutMs: 40 })(get('/heidi-api/sessions/s1'))), 504, 'UpstreamTimeout');
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    const fake = fakeHeidiWithSessions();
    const proxy = forwarding(fake, { maxBodyBytes: 16 });
    const response = await must(
      proxy(
        get('/heidi-api/sessions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ehr_appointment_id: 'x'.repeat(64) }),
        }),
      ),
    );
    await assertHeidiError(response, 413, 'PayloadTooLarge');
    assert.equal(fake.sessionCalls.length, 0);
  });
});

async function withServer<T>(handler: http.RequestListener, run: (origin: string, port: number) => Promise<T>): Promise<T> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await run(`http://127.0.0.1:${port}`, port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A raw request, so the path reaches the server exactly as written (fetch would normalize `..`). */
function rawRequest(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('through toNodeMiddleware on node:http', () => {
  it('serves the token, the forwarder and 404s on a real server', async () => {
    const fake = fakeHeidiWithSessions(async (request) => json(200, { method: request.method, body: await request.text() }));
    const proxy = createHeidiProxy({
      apiKey: API_KEY,
      apiBase: API_BASE,
      fetch: fake.fetch,
      now: fake.now,
      forwardPrefix: '/heidi-api',
      resolveUser: (request) => (request.headers.get('cookie') === 'ehr_session=alice' ? ALICE : null),
    });
    await withServer(toNodeMiddleware(proxy), async (origin, port) => {
      const ok = await fetch(`${origin}/heidi-token?email=mallory@evil.test`, { headers: { cookie: 'ehr_session=alice' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('cache-control'), 'no-store');
      assert.equal(ok.headers.get('content-type'), 'application/json');
      const body = (await ok.json()) as { token: string };
      assert.equal(body.token, 'tok-u-1-1');
      assert.equal(new URL(fake.calls[0]!.url).searchParams.get('email'), ALICE.email);

      const anonymous = await fetch(`${origin}/heidi-token`);
      assert.equal(anonymous.status, 401);
      assert.equal(((await anonymous.json()) as { detail: { type: string } }).detail.type, 'NotAuthenticated');

      const posted = await fetch(`${origin}/heidi-api/sessions`, {
        method: 'POST',
        headers: { cookie: 'ehr_session=alice', 'content-type': 'application/json' },
        body: '{"patient_profile_id":"p1"}',
      });
      assert.equal(posted.status, 200);
      assert.deepEqual(await posted.json(), { method: 'POST', body: '{"patient_profile_id":"p1"}' });
      assert.equal(fake.sessionCalls[0]!.headers.get('authorization'), 'Bearer tok-u-1-1');
      assert.equal(fake.sessionCalls[0]!.headers.get('cookie'), null);

      const other = await fetch(`${origin}/somewhere-else`);
      assert.equal(other.status, 404);

      // Raw traversal attempts: normalized by the adapter to /jwt, which is not a proxy route.
      for (const path of ['/heidi-api/../jwt', '/heidi-api/sessions/../../jwt', '/heidi-api/sessions/..%2F..%2Fjwt']) {
        const res = await rawRequest(port, path);
        assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
        assert.ok(!res.body.includes('tok-'), path);
      }
      assert.equal(fake.sessionCalls.length, 1);
      assert.equal(fake.calls.filter((c) => c.url.includes('/jwt')).length, 1);
    });
  });

  it('passes non-proxy requests to next() in a connect-style stack', async () => {
    const proxy = proxyFor(fakeHeidi());
    const middleware = toNodeMiddleware(proxy);
    await withServer(
      (req, res) => {
        void middleware(req, res, () => {
          res.statusCode = 200;
          res.end('next handler');
        });
      },
      async (origin) => {
        assert.equal(await (await fetch(`${origin}/app`)).text(), 'next handler');
        assert.equal((await fetch(`${origin}/heidi-token`)).status, 200);
      },
    );
  });

  it('drops the connection for a Response.error() instead of writing a response', async () => {
    await withServer(
      toNodeMiddleware(async () => Response.error()),
      async (_origin, port) => {
        await assert.rejects(rawRequest(port, '/anything'), /socket hang up|ECONNRESET/);
      },
    );
  });
});

describe('end to end against the mock Heidi', () => {
  const MOCK_ORIGIN = 'http://mock-heidi.test';
  const MOCK_BASE = `${MOCK_ORIGIN}${MOCK_HEIDI_BASE_PATH}`;

  /** The mock's default sleep is not cancelled when a hang is abandoned; unref it so the test process can exit. */
  const unrefSleep = (ms: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms).unref();
    });

  function setup(options: Partial<HeidiProxyOptions> = {}) {
    const clock = { t: T0 };
    const mock = createMockHeidi({ now: () => clock.t, sleep: unrefSleep });
    const upstream = async (request: Request) => (await mock.handle(request)) ?? new Response(null, { status: 404 });
    let current: HeidiUser | null = ALICE;
    const proxy = createHeidiProxy({
      apiKey: MOCK_HEIDI_API_KEY,
      apiBase: MOCK_BASE,
      fetch: upstream,
      now: () => clock.t,
      forwardPrefix: '/heidi-api',
      resolveUser: () => current,
      ...options,
    });
    const control = async (path: string, init?: RequestInit) => (await mock.handle(new Request(`${MOCK_BASE}${path}`, init)))!;
    const scenario = (body: unknown) =>
      control('/__scenario', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const jwtCalls = async (user: string) =>
      ((await (await control(`/__log?user=${encodeURIComponent(user)}`)).json()) as { route: string }[]).filter((e) => e.route === 'jwt')
        .length;
    return {
      clock,
      mock,
      proxy,
      scenario,
      jwtCalls,
      as: (user: HeidiUser | null) => (current = user),
      token: async () => must(proxy(get('/heidi-token'))),
    };
  }

  function claimsOf(token: string): { sub: string; email: string; exp: number } {
    const payload = token.split('.')[1]!;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; email: string; exp: number };
  }

  it('issues a real mock token whose subject is the resolved user, and caches it until shortly before expiry', async () => {
    const env = setup();
    const response = await env.token();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as { token: string; expiration_time: string };
    assert.equal(claimsOf(body.token).sub, ALICE.third_party_internal_id);
    assert.equal(claimsOf(body.token).email, ALICE.email);
    assert.equal(Date.parse(body.expiration_time), T0 + HOUR);

    env.clock.t = T0 + HOUR - 61_000;
    assert.equal(((await (await env.token()).json()) as { token: string }).token, body.token);
    assert.equal(await env.jwtCalls(ALICE.third_party_internal_id), 1);
    env.clock.t = T0 + HOUR - 59_000;
    const refreshed = (await (await env.token()).json()) as { token: string };
    assert.notEqual(refreshed.token, body.token);
    assert.equal(await env.jwtCalls(ALICE.third_party_internal_id), 2);
  });

  it('single-flights concurrent token requests against the mock', async () => {
    const env = setup();
    await env.scenario({ user: ALICE.third_party_internal_id, latencyMs: 20 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => env.token()));
    const tokens = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { token: string }).token)));
    assert.equal(tokens.size, 1);
    assert.equal(await env.jwtCalls(ALICE.third_party_internal_id), 1);
  });

  it('forwards a whole session flow with server-side bearer tokens, kept per user', async () => {
    const env = setup();
    const created = await must(
      env.proxy(
        get('/heidi-api/sessions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: 'ehr=1' },
          body: JSON.stringify({ ehr_appointment_id: 'APPT-1' }),
        }),
      ),
    );
    assert.equal(created.status, 200);
    const { session_id } = (await created.json()) as { session_id: string };
    assert.ok(session_id);

    const patched = await must(
      env.proxy(
        get(`/heidi-api/sessions/${session_id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clinician_notes: ['allergic to penicillin'] }),
        }),
      ),
    );
    assert.equal(patched.status, 200);
    const session = ((await patched.json()) as { session: { session_id: string; clinician_notes: string[] } }).session;
    assert.equal(session.session_id, session_id);
    assert.deepEqual(session.clinician_notes, ['allergic to penicillin']);

    const listed = await must(env.proxy(get('/heidi-api/sessions/linked-user?page_size=100')));
    assert.equal(listed.status, 200);
    const ids = ((await listed.json()) as { sessions: { session_id: string }[] }).sessions.map((s) => s.session_id);
    assert.ok(ids.includes(session_id));

    const codes = await must(env.proxy(get('/heidi-api/sessions/generated-3/clinical-codes')));
    assert.equal(codes.status, 200);
    assert.ok(Array.isArray(((await codes.json()) as { clinical_entities: unknown[] }).clinical_entities));

    // Bob has his own mock state: Alice's session is not his.
    env.as(BOB);
    const other = await must(env.proxy(get(`/heidi-api/sessions/${session_id}`)));
    assert.equal(other.status, 404);
    assert.equal(((await other.json()) as { detail: { type: string } }).detail.type, 'SessionNotFoundError');

    // Only /sessions paths: the mock's own /jwt and control routes are out of reach.
    await assertHeidiError(await must(env.proxy(get('/heidi-api/jwt?email=a&third_party_internal_id=b'))), 404, 'NotFound');
    await assertHeidiError(await must(env.proxy(get('/heidi-api/__scenario?user=u-1'))), 404, 'NotFound');
    assert.equal(await env.proxy(get('/heidi-api/sessions/../../jwt')), undefined);
  });

  it('maps mock scenario failures on the jwt route, then recovers', async () => {
    const env = setup();
    const user = ALICE.third_party_internal_id;
    await env.scenario({
      user,
      failures: [
        { route: 'jwt', status: 503, count: 2 },
        { route: 'jwt', status: 429, retryAfter: 7 },
        { route: 'jwt', kind: 'network' },
        { route: 'jwt', kind: 'malformed' },
        { route: 'jwt', kind: 'wrong-types' },
        { route: 'jwt', kind: 'html', status: 502 },
        { route: 'jwt', kind: 'truncated' },
      ],
    });
    await assertHeidiError(await env.token(), 502, 'UpstreamUnavailable');
    await assertHeidiError(await env.token(), 502, 'UpstreamUnavailable');
    const limited = await env.token();
    assert.equal(limited.headers.get('retry-after'), '7');
    await assertHeidiError(limited, 429, 'RateLimited');
    await assertHeidiError(await env.token(), 502, 'UpstreamUnavailable'); // network
    await assertHeidiError(await env.token(), 502, 'UpstreamInvalidResponse'); // malformed
    await assertHeidiError(await env.token(), 502, 'UpstreamInvalidResponse'); // wrong types
    await assertHeidiError(await env.token(), 502, 'UpstreamUnavailable'); // HTML gateway page
    await assertHeidiError(await env.token(), 502, 'UpstreamInvalidResponse'); // truncated
    const recovered = await env.token();
    assert.equal(recovered.status, 200);
    assert.equal(claimsOf(((await recovered.json()) as { token: string }).token).sub, user);
  });

  it('times out a hanging jwt route with 504 UpstreamTimeout', async () => {
    const env = setup({ timeoutMs: 50 });
    await env.scenario({ user: ALICE.third_party_internal_id, failures: [{ route: 'jwt', kind: 'hang', hangMs: 2000 }] });
    const started = Date.now();
    await assertHeidiError(await env.token(), 504, 'UpstreamTimeout');
    assert.ok(Date.now() - started < 1500);
  });

  it('reports a wrong API key as 502 UpstreamAuthFailed without echoing either key', async () => {
    const env = setup({ apiKey: 'wrong-key-0123456789' });
    const response = await env.token();
    const text = await response.clone().text();
    assert.ok(!text.includes('wrong-key-0123456789'));
    assert.ok(!text.includes(MOCK_HEIDI_API_KEY));
    const detail = await assertHeidiError(response, 502, 'UpstreamAuthFailed');
    assert.match(detail.msg, /API key/);
  });

  it('runs over real HTTP: proxy and mock on one node:http server, with the default global fetch', async () => {
    const mock = createMockHeidi();
    let proxy: ((request: Request) => Promise<Response | undefined>) | undefined;
    const both = async (request: Request) => (await proxy!(request)) ?? mock.handle(request);
    await withServer(toNodeMiddleware(both), async (origin) => {
      proxy = createHeidiProxy({
        apiKey: MOCK_HEIDI_API_KEY,
        apiBase: `${origin}${MOCK_HEIDI_BASE_PATH}`,
        forwardPrefix: '/heidi-api',
        resolveUser: (request) => (request.headers.get('cookie') === 'ehr_session=bob' ? BOB : null),
      });
      const cookie = { cookie: 'ehr_session=bob' };
      const token = await fetch(`${origin}/heidi-token?third_party_internal_id=admin`, { headers: cookie });
      assert.equal(token.status, 200);
      assert.equal(token.headers.get('cache-control'), 'no-store');
      assert.equal(claimsOf(((await token.json()) as { token: string }).token).sub, BOB.third_party_internal_id);

      const created = await fetch(`${origin}/heidi-api/sessions`, {
        method: 'POST',
        headers: { ...cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(created.status, 200);
      const { session_id } = (await created.json()) as { session_id: string };
      const fetched = await fetch(`${origin}/heidi-api/sessions/${session_id}`, { headers: cookie });
      assert.equal(fetched.status, 200);
      assert.equal(((await fetched.json()) as { session: { session_id: string } }).session.session_id, session_id);

      assert.equal((await fetch(`${origin}/heidi-token`)).status, 401);
      assert.equal((await fetch(`${origin}/heidi-api/sessions/${session_id}`)).status, 401);
    });
  });
});
