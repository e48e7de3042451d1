/**
 * Mock Heidi: token issue (`GET /jwt`) and the bearer check on every route.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorResponse, JwtResponse } from '../../src/core/schemas.ts';
import { MOCK_HEIDI_API_KEY } from '../../demo/mock-heidi/index.ts';
import { createMockHarness } from '../../demo/mock-heidi/testing.ts';

const JWT_QUERY = '/jwt?email=test%40heidihealth.com&third_party_internal_id=123';
const KEY = { 'Heidi-Api-Key': MOCK_HEIDI_API_KEY };

/** One request per authenticated route, against a session every user has. */
const PROTECTED: { name: string; path: string; init?: RequestInit }[] = [
  { name: 'create-session', path: '/sessions', init: { method: 'POST', body: '{}' } },
  { name: 'get-session', path: '/sessions/fx-knee-oa' },
  { name: 'patch-session', path: '/sessions/fx-knee-oa', init: { method: 'PATCH', body: '{"duration": 5}' } },
  { name: 'linked-user', path: '/sessions/linked-user' },
  { name: 'transcript', path: '/sessions/fx-knee-oa/transcript' },
  { name: 'clinical-codes', path: '/sessions/fx-knee-oa/clinical-codes' },
];

async function errorBody(response: Response) {
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return ErrorResponse.parse(await response.json());
}

function withBearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { authorization: `Bearer ${token}` } };
}

describe('mock Heidi: GET /jwt', () => {
  it('issues a JWT-shaped token and an ISO expiration time one lifetime ahead', async () => {
    const h = createMockHarness();
    const response = await h.fetch(JWT_QUERY, { headers: KEY });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = JwtResponse.parse(await response.json());
    assert.match(body.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString('utf8'));
    assert.equal(payload.sub, '123');
    assert.equal(payload.email, 'test@heidihealth.com');
    assert.equal(body.expiration_time, new Date(h.clock.now + 3600_000).toISOString());
    assert.equal(payload.exp * 1000, h.clock.now + 3600_000);
  });

  it('answers 401 without the Heidi-Api-Key header', async () => {
    const response = await createMockHarness().fetch(JWT_QUERY);
    assert.equal(response.status, 401);
    await errorBody(response);
  });

  it('answers 403 with a wrong API key', async () => {
    const response = await createMockHarness().fetch(JWT_QUERY, { headers: { 'Heidi-Api-Key': 'nope' } });
    assert.equal(response.status, 403);
    await errorBody(response);
  });

  it('accepts the API key given in the options', async () => {
    const h = createMockHarness({ apiKey: 'custom' });
    assert.equal((await h.fetch(JWT_QUERY, { headers: KEY })).status, 403);
    assert.equal((await h.fetch(JWT_QUERY, { headers: { 'Heidi-Api-Key': 'custom' } })).status, 200);
  });

  it('answers 422 in FastAPI form naming each missing query parameter', async () => {
    const h = createMockHarness();
    const none = await h.fetch('/jwt', { headers: KEY });
    assert.equal(none.status, 422);
    const body = await errorBody(none);
    assert.ok(Array.isArray(body.detail));
    assert.deepEqual(
      body.detail.map((d) => [d.loc, d.type]),
      [
        [['query', 'email'], 'missing'],
        [['query', 'third_party_internal_id'], 'missing'],
      ],
    );
    const noId = await h.fetch('/jwt?email=a%40b.c', { headers: KEY });
    assert.equal(noId.status, 422);
    const noEmail = await h.fetch('/jwt?third_party_internal_id=1', { headers: KEY });
    assert.equal(noEmail.status, 422);
  });

  it('uses the lifetime from the options, and a user scenario overrides it', async () => {
    const h = createMockHarness({ tokenLifetimeSeconds: 60 });
    const a = JwtResponse.parse(await (await h.fetch(JWT_QUERY, { headers: KEY })).json());
    assert.equal(a.expiration_time, new Date(h.clock.now + 60_000).toISOString());
    await h.setScenario({ user: '123', tokenLifetimeSeconds: 5 });
    const b = JwtResponse.parse(await (await h.fetch(JWT_QUERY, { headers: KEY })).json());
    assert.equal(b.expiration_time, new Date(h.clock.now + 5_000).toISOString());
  });
});

describe('mock Heidi: bearer tokens', () => {
  for (const route of PROTECTED) {
    it(`${route.name} answers 401 "Could not validate credentials" without a token`, async () => {
      const response = await createMockHarness().fetch(route.path, route.init);
      assert.equal(response.status, 401);
      assert.deepEqual(await errorBody(response), { detail: 'Could not validate credentials' });
    });

    it(`${route.name} answers 401 for a garbage token and 2xx for a real one`, async () => {
      const h = createMockHarness();
      const bad = await h.fetch(route.path, withBearer('not-a-token', route.init));
      assert.equal(bad.status, 401);
      assert.deepEqual(await errorBody(bad), { detail: 'Could not validate credentials' });
      const good = await h.fetch(route.path, withBearer(await h.token('u'), route.init));
      assert.equal(good.status, 200, await good.clone().text());
    });
  }

  it('rejects a token whose payload was edited (another user, later expiry)', async () => {
    const h = createMockHarness();
    const token = await h.token('alice');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    for (const forged of [
      { ...claims, sub: 'bob' },
      { ...claims, exp: claims.exp + 1e6 },
    ]) {
      const edited = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
      const response = await h.fetch('/sessions/fx-knee-oa', withBearer(edited));
      assert.equal(response.status, 401);
      assert.deepEqual(await errorBody(response), { detail: 'Could not validate credentials' });
    }
    // A token from another mock instance (another secret) is not accepted either.
    const foreign = await createMockHarness().token('alice');
    assert.equal((await h.fetch('/sessions/fx-knee-oa', withBearer(foreign))).status, 401);
    // The genuine token still works.
    assert.equal((await h.fetch('/sessions/fx-knee-oa', withBearer(token))).status, 200);
  });

  it("expires tokens on the injected clock with Heidi's TokenExpiredError form", async () => {
    const h = createMockHarness({ tokenLifetimeSeconds: 10 });
    const token = await h.token('u');
    h.clock.now += 9_999;
    assert.equal((await h.fetch('/sessions/fx-knee-oa', withBearer(token))).status, 200);
    h.clock.now += 1;
    const expired = await h.fetch('/sessions/fx-knee-oa', withBearer(token));
    assert.equal(expired.status, 401);
    assert.deepEqual(await errorBody(expired), { detail: { msg: 'Token has expired', type: 'TokenExpiredError' } });
    // A new token works again.
    assert.equal((await h.fetch('/sessions/fx-knee-oa', withBearer(await h.token('u')))).status, 200);
  });

  it('takes the scheme case-insensitively but requires "Bearer"', async () => {
    const h = createMockHarness();
    const token = await h.token('u');
    assert.equal((await h.fetch('/sessions/fx-knee-oa', { headers: { authorization: `bearer ${token}` } })).status, 200);
    assert.equal((await h.fetch('/sessions/fx-knee-oa', { headers: { authorization: `Basic ${token}` } })).status, 401);
    assert.equal((await h.fetch('/sessions/fx-knee-oa', { headers: { authorization: token } })).status, 401);
  });
});
