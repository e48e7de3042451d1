/**
 * Mock Heidi: scenario controls (latency, generation time, token lifetime,
 * injected failures) and the request log.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClinicalCodesResponse,
  CreateSessionResponse,
  ErrorResponse,
  JwtResponse,
  LinkedSessionsResponse,
  SessionResponse,
  TranscriptResponse,
} from '../../src/core/schemas.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { DEFAULT_HANG_MS, type FailureSpec, type RouteName, type Scenario } from '../../demo/mock-heidi/index.ts';
import { createMockHarness } from '../../demo/mock-heidi/testing.ts';

const FX = FIXTURES[0]!.session.session_id;
const JSON_HEADERS = { 'content-type': 'application/json' };
const post = (body: unknown): RequestInit => ({ method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });

/** A harness with a token already issued to `user`, so `/jwt` does not consume the failures a test sets up. */
async function setup(user = 'u', scenario: Omit<Scenario, 'user'> = {}) {
  const h = createMockHarness();
  const call = h.as(user);
  await call(`/sessions/${FX}`);
  const response = await h.setScenario({ user, ...scenario });
  assert.equal(response.status, 200, await response.clone().text());
  await h.fetch(`/__log?user=${user}`, { method: 'DELETE' });
  h.sleeps.length = 0;
  return { h, call };
}

async function errorBody(response: Response) {
  return ErrorResponse.parse(await response.json());
}

describe('mock Heidi: scenario controls', () => {
  it('POST /__scenario sets, GET reads back and a second POST replaces the scenario', async () => {
    const h = createMockHarness();
    const scenario: Scenario = {
      user: 'u',
      latencyMs: 100,
      generationMs: 2000,
      tokenLifetimeSeconds: 30,
      failures: [{ route: 'clinical-codes', kind: 'status', status: 503, count: 2, retryAfter: 1 }],
    };
    const set = await h.setScenario(scenario);
    assert.equal(set.status, 200);
    const read = await (await h.fetch('/__scenario?user=u')).json();
    assert.deepEqual(read, scenario);
    await h.setScenario({ user: 'u', latencyMs: 5 });
    assert.deepEqual(await (await h.fetch('/__scenario?user=u')).json(), { user: 'u', latencyMs: 5, failures: [] });
    // Another user's scenario is untouched by all this.
    assert.deepEqual(await (await h.fetch('/__scenario?user=other')).json(), { user: 'other', failures: [] });
  });

  it('fills failure defaults (route any, count 1, kind status)', async () => {
    const h = createMockHarness();
    await h.setScenario({ user: 'u', failures: [{}] });
    assert.deepEqual((await (await h.fetch('/__scenario?user=u')).json()).failures, [{ route: 'any', count: 1, kind: 'status' }]);
  });

  it('answers 422 for invalid scenarios and control requests', async () => {
    const h = createMockHarness();
    const bad: unknown[] = [
      {},
      { user: '' },
      { user: 'u', latencyMs: -1 },
      { user: 'u', generationMs: 'slow' },
      { user: 'u', failures: 'all' },
      { user: 'u', failures: [{ route: 'everything' }] },
      { user: 'u', failures: [{ kind: 'explode' }] },
      { user: 'u', failures: [{ count: 0 }] },
      { user: 'u', failures: [{ status: 200 }] },
      { user: 'u', failures: [{ retryAfter: -3 }] },
      { user: 'u', failures: [{ hangMs: 'forever' }] },
      [],
    ];
    for (const body of bad) {
      const response = await h.fetch('/__scenario', post(body));
      assert.equal(response.status, 422, JSON.stringify(body));
      ErrorResponse.parse(await response.json());
    }
    assert.equal((await h.fetch('/__scenario', { method: 'POST', body: '{no' })).status, 422);
    assert.equal((await h.fetch('/__scenario')).status, 422);
    assert.equal((await h.fetch('/__log')).status, 422);
    assert.equal((await h.fetch('/__reset', { method: 'GET' })).status, 405);
  });

  it('adds latencyMs before every response and generationMs before clinical codes', async () => {
    const { h, call } = await setup('u', { latencyMs: 250, generationMs: 4000 });
    await call(`/sessions/${FX}`);
    assert.deepEqual(h.sleeps, [250]);
    await call(`/sessions/${FX}/clinical-codes`);
    assert.deepEqual(h.sleeps, [250, 250, 4000]);
    const log = await h.log('u');
    assert.deepEqual(
      log.map((e) => [e.route, e.endedAt - e.startedAt]),
      [
        ['get-session', 250],
        ['clinical-codes', 4250],
      ],
    );
    // Another user is not slowed down.
    h.sleeps.length = 0;
    await h.as('fast')(`/sessions/${FX}`);
    assert.deepEqual(h.sleeps, []);
  });

  it('issues short-lived tokens with tokenLifetimeSeconds, which then really expire', async () => {
    const h = createMockHarness();
    await h.setScenario({ user: 'u', tokenLifetimeSeconds: 2 });
    const jwt = await h.fetch('/jwt?email=a%40b.c&third_party_internal_id=u', { headers: { 'Heidi-Api-Key': 'mock-heidi-api-key' } });
    const { token, expiration_time } = JwtResponse.parse(await jwt.json());
    assert.equal(Date.parse(expiration_time) - h.clock.now, 2000);
    h.clock.now += 2000;
    const expired = await h.fetch(`/sessions/${FX}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(expired.status, 401);
    assert.deepEqual(await errorBody(expired), { detail: { msg: 'Token has expired', type: 'TokenExpiredError' } });
    // The expired call is still the user's: it is logged.
    assert.deepEqual(
      (await h.log('u')).map((e) => [e.route, e.status]),
      [
        ['jwt', 200],
        ['get-session', 401],
      ],
    );
  });
});

describe('mock Heidi: failure kinds', () => {
  it('status 401 answers the TokenExpiredError form', async () => {
    const { call } = await setup('u', { failures: [{ route: 'get-session', status: 401 }] });
    const response = await call(`/sessions/${FX}`);
    assert.equal(response.status, 401);
    assert.deepEqual(await errorBody(response), { detail: { msg: 'Token has expired', type: 'TokenExpiredError' } });
  });

  it('status 429 carries Retry-After and a Heidi error body', async () => {
    const { call } = await setup('u', { failures: [{ route: 'clinical-codes', status: 429, retryAfter: 3 }] });
    const response = await call(`/sessions/${FX}/clinical-codes`);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '3');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await errorBody(response), { detail: { msg: 'Too Many Requests', type: 'TooManyRequestsError' } });
  });

  it('status 500 by default and 503 with a custom detail', async () => {
    const { call } = await setup('u', {
      failures: [{ route: 'transcript' }, { route: 'transcript', status: 503, detail: 'Coding is warming up' }],
    });
    const a = await call(`/sessions/${FX}/transcript`);
    assert.equal(a.status, 500);
    assert.deepEqual(await errorBody(a), { detail: { msg: 'Internal Server Error', type: 'InternalServerErrorError' } });
    const b = await call(`/sessions/${FX}/transcript`);
    assert.equal(b.status, 503);
    assert.equal(b.headers.get('retry-after'), null);
    assert.deepEqual(await errorBody(b), { detail: { msg: 'Coding is warming up', type: 'ServiceUnavailableError' } });
    assert.equal((await call(`/sessions/${FX}/transcript`)).status, 200);
  });

  it('malformed answers 200 with a body that is not JSON', async () => {
    const { call } = await setup('u', { failures: [{ route: 'get-session', kind: 'malformed' }] });
    const response = await call(`/sessions/${FX}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    await assert.rejects(response.json(), SyntaxError);
  });

  it('truncated answers 200 with the first half of the real body', async () => {
    const { call } = await setup('u', { failures: [{ route: 'clinical-codes', kind: 'truncated' }] });
    const cut = await (await call(`/sessions/${FX}/clinical-codes`)).text();
    const full = await (await call(`/sessions/${FX}/clinical-codes`)).text();
    assert.equal(cut, full.slice(0, Math.floor(full.length / 2)));
    assert.throws(() => JSON.parse(cut), SyntaxError);
  });

  it('html answers an HTML error page (502 by default, any status given)', async () => {
    const { call } = await setup('u', {
      failures: [
        { route: 'get-session', kind: 'html' },
        { route: 'get-session', kind: 'html', status: 503, retryAfter: 10 },
      ],
    });
    const a = await call(`/sessions/${FX}`);
    assert.equal(a.status, 502);
    assert.match(a.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await a.text(), /<html>[\s\S]*502 Bad Gateway/);
    const b = await call(`/sessions/${FX}`);
    assert.equal(b.status, 503);
    assert.equal(b.headers.get('retry-after'), '10');
  });

  it("wrong-types answers 200 JSON that every route's schema then rejects", async () => {
    const cases: [RouteName, string, RequestInit | undefined, { safeParse(v: unknown): { success: boolean } }][] = [
      ['create-session', '/sessions', post({}), CreateSessionResponse],
      ['get-session', `/sessions/${FX}`, undefined, SessionResponse],
      ['patch-session', `/sessions/${FX}`, { method: 'PATCH', body: '{"duration": 1}' }, SessionResponse],
      ['linked-user', '/sessions/linked-user', undefined, LinkedSessionsResponse],
      ['transcript', `/sessions/${FX}/transcript`, undefined, TranscriptResponse],
      ['clinical-codes', `/sessions/${FX}/clinical-codes`, undefined, ClinicalCodesResponse],
    ];
    for (const [route, path, init, schema] of cases) {
      const { call } = await setup('u', { failures: [{ route, kind: 'wrong-types' }] });
      const response = await call(path, init);
      assert.equal(response.status, 200, route);
      const body = await response.json();
      assert.equal(schema.safeParse(body).success, false, route);
      // The next call is served correctly again.
      assert.equal(schema.safeParse(await (await call(path, init)).json()).success, true, route);
    }
    const h = createMockHarness();
    await h.setScenario({ user: 'j', failures: [{ route: 'jwt', kind: 'wrong-types' }] });
    const jwt = await h.fetch('/jwt?email=a%40b.c&third_party_internal_id=j', { headers: { 'Heidi-Api-Key': 'mock-heidi-api-key' } });
    const body = await jwt.json();
    assert.equal(typeof body.token, 'number');
    assert.equal(JwtResponse.safeParse(body).success, false);
  });

  it('network answers Response.error()', async () => {
    const { h, call } = await setup('u', { failures: [{ route: 'get-session', kind: 'network' }] });
    const response = await call(`/sessions/${FX}`);
    assert.equal(response.type, 'error');
    assert.equal(response.status, 0);
    assert.deepEqual(
      (await h.log('u')).map((e) => e.status),
      [0],
    );
  });

  it('hang waits hangMs on the injected sleep, then answers 504', async () => {
    const { h, call } = await setup('u', {
      failures: [
        { route: 'clinical-codes', kind: 'hang' },
        { route: 'clinical-codes', kind: 'hang', hangMs: 1234 },
      ],
    });
    const a = await call(`/sessions/${FX}/clinical-codes`);
    assert.equal(a.status, 504);
    assert.deepEqual(await errorBody(a), { detail: { msg: 'Gateway Timeout', type: 'GatewayTimeoutError' } });
    assert.deepEqual(h.sleeps, [DEFAULT_HANG_MS]);
    assert.equal((await call(`/sessions/${FX}/clinical-codes`)).status, 504);
    assert.deepEqual(h.sleeps, [DEFAULT_HANG_MS, 1234]);
    const log = await h.log('u');
    assert.deepEqual(
      log.map((e) => e.endedAt - e.startedAt),
      [DEFAULT_HANG_MS, 1234],
    );
  });

  it('hang stops waiting when the request is aborted', async () => {
    const h = createMockHarness({ sleep: () => new Promise(() => {}) });
    const token = await h.token('u');
    await h.setScenario({ user: 'u', failures: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.fetch(`/sessions/${FX}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    controller.abort();
    assert.equal((await pending).status, 504);
  });
});

describe('mock Heidi: failure matching and consumption', () => {
  it('the next `count` matching calls fail, then the spec is used up', async () => {
    const { h, call } = await setup('u', { failures: [{ route: 'get-session', status: 500, count: 2 }] });
    assert.equal((await call(`/sessions/${FX}`)).status, 500);
    assert.equal((await (await h.fetch('/__scenario?user=u')).json()).failures[0].count, 1);
    assert.equal((await call(`/sessions/${FX}`)).status, 500);
    assert.deepEqual((await (await h.fetch('/__scenario?user=u')).json()).failures, []);
    assert.equal((await call(`/sessions/${FX}`)).status, 200);
  });

  it('only calls to the named route consume a spec; "any" matches every route', async () => {
    const { call } = await setup('u', { failures: [{ route: 'transcript', status: 502 }] });
    assert.equal((await call(`/sessions/${FX}`)).status, 200);
    assert.equal((await call(`/sessions/${FX}/clinical-codes`)).status, 200);
    assert.equal((await call(`/sessions/${FX}/transcript`)).status, 502);

    const routes: [RouteName, string, RequestInit?][] = [
      ['create-session', '/sessions', post({})],
      ['get-session', `/sessions/${FX}`],
      ['patch-session', `/sessions/${FX}`, { method: 'PATCH', body: '{}' }],
      ['linked-user', '/sessions/linked-user'],
      ['transcript', `/sessions/${FX}/transcript`],
      ['clinical-codes', `/sessions/${FX}/clinical-codes`],
    ];
    const { h, call: call2 } = await setup('v', { failures: [{ route: 'any', status: 500, count: routes.length }] });
    for (const [, path, init] of routes) assert.equal((await call2(path, init)).status, 500, path);
    assert.equal((await call2(`/sessions/${FX}`)).status, 200);
    assert.deepEqual(
      (await h.log('v')).map((e) => e.route),
      [...routes.map(([r]) => r), 'get-session'],
    );
  });

  it('specs are matched in order', async () => {
    const failures: FailureSpec[] = [
      { route: 'get-session', status: 503 },
      { route: 'any', status: 500 },
      { route: 'get-session', status: 429 },
    ];
    const { call } = await setup('u', { failures });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(`/sessions/${FX}`)).status);
    assert.deepEqual(statuses, [503, 500, 429, 200]);
  });

  it('the jwt route fails for the user named by third_party_internal_id, only once the key is right', async () => {
    const h = createMockHarness();
    await h.setScenario({ user: 'u', failures: [{ route: 'jwt', status: 503 }] });
    const url = '/jwt?email=a%40b.c&third_party_internal_id=u';
    assert.equal((await h.fetch(url, { headers: { 'Heidi-Api-Key': 'wrong' } })).status, 403);
    assert.equal(
      (await h.fetch('/jwt?email=a%40b.c&third_party_internal_id=other', { headers: { 'Heidi-Api-Key': 'mock-heidi-api-key' } })).status,
      200,
    );
    assert.equal((await h.fetch(url, { headers: { 'Heidi-Api-Key': 'mock-heidi-api-key' } })).status, 503);
    assert.equal((await h.fetch(url, { headers: { 'Heidi-Api-Key': 'mock-heidi-api-key' } })).status, 200);
  });

  it('unauthenticated calls do not consume failures', async () => {
    const { h, call } = await setup('u', { failures: [{ status: 500 }] });
    assert.equal((await h.fetch(`/sessions/${FX}`)).status, 401);
    assert.equal((await h.fetch(`/sessions/${FX}`, { headers: { authorization: 'Bearer forged.forged.forged' } })).status, 401);
    assert.equal((await call(`/sessions/${FX}`)).status, 500);
  });

  it('failures of one user never reach another', async () => {
    const { h } = await setup('u', { failures: [{ status: 500, count: 5 }] });
    assert.equal((await h.as('other')(`/sessions/${FX}`)).status, 200);
  });
});

describe('mock Heidi: request log', () => {
  it('records route, method, path, status and clock times per user, without the token', async () => {
    const { h, call } = await setup('u', { latencyMs: 10, failures: [{ route: 'transcript', status: 500 }] });
    const t0 = h.clock.now;
    await call('/sessions/linked-user?page_size=2&page=1');
    await call(`/sessions/${FX}/transcript`);
    await call(`/sessions/${FX}`, { method: 'PATCH', body: '{"duration": 3}' });
    const log = await h.log('u');
    assert.deepEqual(log, [
      {
        route: 'linked-user',
        method: 'GET',
        path: '/mock-heidi/sessions/linked-user?page_size=2&page=1',
        status: 200,
        startedAt: t0,
        endedAt: t0 + 10,
      },
      {
        route: 'transcript',
        method: 'GET',
        path: `/mock-heidi/sessions/${FX}/transcript`,
        status: 500,
        startedAt: t0 + 10,
        endedAt: t0 + 20,
      },
      { route: 'patch-session', method: 'PATCH', path: `/mock-heidi/sessions/${FX}`, status: 200, startedAt: t0 + 20, endedAt: t0 + 30 },
    ]);
    assert.deepEqual(await h.log('someone-else'), []);
    const token = await h.token('u');
    assert.ok(!JSON.stringify(await h.log('u')).includes(token.split('.')[2]!));
  });

  it('shows overlapping requests', async () => {
    // A sleep that waits for a manual release, so two requests are in flight at once.
    const waiting: (() => void)[] = [];
    const h = createMockHarness({ sleep: () => new Promise<void>((resolve) => waiting.push(resolve)) });
    const call = h.as('u');
    await call(`/sessions/${FX}`);
    await h.setScenario({ user: 'u', latencyMs: 1 });
    await h.fetch('/__log?user=u', { method: 'DELETE' });
    const a = call(`/sessions/${FX}/transcript`);
    const b = call(`/sessions/${FX}/clinical-codes`);
    while (waiting.length < 2) await new Promise((r) => setTimeout(r, 1));
    h.clock.now += 100;
    waiting.splice(0).forEach((release) => release());
    await Promise.all([a, b]);
    const log = await h.log('u');
    assert.equal(log.length, 2);
    const [x, y] = log as [(typeof log)[0], (typeof log)[0]];
    assert.ok(x.startedAt < y.endedAt && y.startedAt < x.endedAt, 'the two requests overlap');
  });

  it("DELETE /__log clears only that user's log", async () => {
    const h = createMockHarness();
    await h.as('a')(`/sessions/${FX}`);
    await h.as('b')(`/sessions/${FX}`);
    assert.equal((await h.fetch('/__log?user=a', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await h.log('a'), []);
    assert.deepEqual(
      (await h.log('b')).map((e) => e.route),
      ['jwt', 'get-session'],
    );
  });

  it('does not log control routes or unattributable requests', async () => {
    const h = createMockHarness();
    await h.fetch(`/sessions/${FX}`);
    await h.fetch('/nope');
    await h.setScenario({ user: 'u' });
    assert.deepEqual(await h.log('u'), []);
  });
});
