/**
 * Review rv5a items 3 and 4, on the reference proxy:
 * - a Sully coding is readable only by the user who started it: every user shares the server's Sully account,
 *   so the proxy remembers who started each coding (bounded, expiring) and answers anyone else 404 without
 *   asking Sully. Heidi sessions are read with the user's own JWT (Heidi scopes them); Omniscribe keeps nothing.
 * - a request another site made the browser send (Sec-Fetch-Site cross-site/same-site, a foreign Origin) is
 *   refused with 403, and a body that is not declared JSON with 415, before the user is resolved or any
 *   upstream is called.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHeidiProxy, toNodeMiddleware } from '../../src/proxy/index.ts';
import type { HeidiProxyOptions, HeidiUser } from '../../src/proxy/index.ts';
import { createDevBackend } from '../../demo/server/dev-backend.ts';

const ALICE: HeidiUser = { email: 'alice@clinic.test', third_party_internal_id: 'dr-alice-1' };
const MALLORY: HeidiUser = { email: 'mallory@clinic.test', third_party_internal_id: 'dr-mallory-2' };
const JWT_BODY = { token: 'jwt-for-user', expiration_time: '2099-01-01T00:00:00Z' };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Fake Heidi, Sully and Omniscribe: sequential coding ids (as the mock's), every call recorded. */
function fakeUpstreams(createAnswer: (n: number) => unknown = (n) => ({ data: { id: `coding_${n}`, status: 'pending' } })) {
  const calls: string[] = [];
  let codings = 0;
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    calls.push(`${request.method} ${url.pathname}`);
    if (url.pathname.endsWith('/jwt')) return json(200, JWT_BODY);
    if (url.pathname === '/v1/codings') return json(201, createAnswer(++codings));
    if (url.pathname.startsWith('/v1/codings/')) {
      const id = url.pathname.slice('/v1/codings/'.length);
      return json(200, { data: { codingId: id, status: 'completed', result: { diagnoses: [{ text_span: { text: 'HIV' } }] } } });
    }
    if (url.pathname === '/v1/codify') return json(200, { final_code_assessments: [], discarded_code_assessments: [] });
    if (url.pathname.includes('/sessions')) return json(200, { session_id: 's1' });
    return json(404, { detail: 'no route' });
  };
  return { calls, fetch };
}

/** The signed-in user is whoever the `user` cookie names (the server's session, never the query). */
function proxyFor(fake: ReturnType<typeof fakeUpstreams>, options: Partial<HeidiProxyOptions> = {}) {
  let resolved = 0;
  const proxy = createHeidiProxy({
    apiKey: 'heidi-key-Zr8Qm2Lx7Vb4',
    resolveUser: (request) => {
      resolved += 1;
      const who = request.headers.get('cookie');
      return who === 'user=alice' ? ALICE : who === 'user=mallory' ? MALLORY : null;
    },
    fetch: fake.fetch,
    forwardPrefix: '/heidi-api',
    sully: { apiKey: 'sully-key-Pq3Wn6Yt9Hc1Jd5', accountId: 'acct-7f3e9b21-5c4d' },
    omniscribe: { token: 'omni-tok-Gk4Rs8Uv2Xz6Ba0', apiBase: 'https://codify.customer-a.omniscribe.test' },
    ...options,
  });
  return Object.assign(proxy, { resolved: () => resolved });
}

const as = (who: string, headers: Record<string, string> = {}) => ({ cookie: `user=${who}`, ...headers });
const at = (path: string, init: RequestInit = {}) => new Request(`http://ehr.test${path}`, init);
const postJson = (path: string, who: string, body: unknown, headers: Record<string, string> = {}) =>
  at(path, { method: 'POST', headers: as(who, { 'content-type': 'application/json', ...headers }), body: JSON.stringify(body) });

async function answer(response: Promise<Response | undefined>): Promise<{ status: number; type?: string; body: unknown }> {
  const r = await response;
  assert.ok(r, 'the proxy answers');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const body = (await r.json()) as { detail?: { type?: string } };
  return { status: r.status, type: body.detail?.type, body };
}

describe('a Sully coding is readable only by the user who started it', () => {
  it("another user's poll of Alice's coding is 404, never forwarded; Alice reads it", async () => {
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake);
    const created = await answer(proxy(postJson('/ehr/sully/v1/codings', 'alice', { text: 'Alice Smith has HIV.' })));
    assert.equal(created.status, 201);
    const polls = fake.calls.length;
    const mallory = await answer(proxy(at('/ehr/sully/v1/codings/coding_1', { headers: as('mallory') })));
    assert.deepEqual([mallory.status, mallory.type], [404, 'CodingNotFound']);
    assert.doesNotMatch(JSON.stringify(mallory.body), /HIV/);
    // An id nobody started here (the mock's ids are sequential, so the next one is guessable) looks the same.
    const guessed = await answer(proxy(at('/ehr/sully/v1/codings/coding_2', { headers: as('alice') })));
    assert.deepEqual([guessed.status, guessed.type], [404, 'CodingNotFound']);
    assert.equal(fake.calls.length, polls, 'Sully was not asked');
    const alice = await answer(proxy(at('/ehr/sully/v1/codings/coding_1', { headers: as('alice') })));
    assert.equal(alice.status, 200);
    assert.match(JSON.stringify(alice.body), /HIV/);
  });

  it("takes the SDK's codingId as well as id, and a same-email user with another internal id is someone else", async () => {
    const fake = fakeUpstreams((n) => ({ data: { codingId: `cod_${n}`, status: 'pending' } }));
    const twin: HeidiUser = { email: ALICE.email, third_party_internal_id: 'another-id' };
    const proxy = proxyFor(fake, {
      resolveUser: (request) => (request.headers.get('cookie') === 'user=alice' ? ALICE : twin),
    });
    await answer(proxy(postJson('/ehr/sully/v1/codings', 'alice', { text: 'note' })));
    assert.equal((await answer(proxy(at('/ehr/sully/v1/codings/cod_1', { headers: as('alice') })))).status, 200);
    assert.equal((await answer(proxy(at('/ehr/sully/v1/codings/cod_1', { headers: as('twin') })))).status, 404);
  });

  it('forgets an owner after sully.codingTtlSeconds, and keeps at most sully.maxCodings', async () => {
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake, {
      now: () => clock.t,
      sully: { apiKey: 'sully-key-Pq3Wn6Yt9Hc1Jd5', accountId: 'acct-7f3e9b21-5c4d', maxCodings: 2, codingTtlSeconds: 600 },
    });
    const poll = async (id: string) => (await answer(proxy(at(`/ehr/sully/v1/codings/${id}`, { headers: as('alice') })))).status;
    for (let i = 0; i < 3; i++) await answer(proxy(postJson('/ehr/sully/v1/codings', 'alice', { text: `note ${i}` })));
    assert.deepEqual([await poll('coding_1'), await poll('coding_2'), await poll('coding_3')], [404, 200, 200]);
    clock.t += 599_000;
    assert.equal(await poll('coding_3'), 200);
    clock.t += 1_000;
    assert.equal(await poll('coding_3'), 404, 'expired after 600 s');
    for (const [name, sully] of [
      ['sully.maxCodings', { maxCodings: 0.5 }],
      ['sully.codingTtlSeconds', { codingTtlSeconds: -1 }],
    ] as const) {
      assert.throws(
        () => proxyFor(fake, { sully: { apiKey: 'k-123456789', accountId: 'a-123456789', ...sully } }),
        (error: Error) => error.message.includes(name),
      );
    }
  });

  it('through the dev backend (the reviewer’s repro): mallory cannot read alice’s coding; Heidi sessions were already per user', async () => {
    const backend = createDevBackend({ heidiApiKey: '' });
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await backend.handle(new Request(`http://localhost:5173${path}`, init));
      assert.ok(response);
      return { status: response.status, text: await response.text() };
    };
    const post = (body: unknown): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const created = await call('/ehr/sully/v1/codings?as=alice-rv5', post({ text: 'Patient Alice Smith has type 2 diabetes and HIV.' }));
    assert.equal(created.status, 201, created.text);
    const { data } = JSON.parse(created.text) as { data: { id?: string; codingId?: string } };
    const id = data.id ?? data.codingId;
    assert.equal((await call(`/ehr/sully/v1/codings/${id}?as=mallory-rv5`)).status, 404);
    assert.equal((await call(`/ehr/sully/v1/codings/${id}?as=alice-rv5`)).status, 200);
    // Heidi: the forwarder calls with each user's own JWT, and Heidi (here its mock) keeps sessions per user.
    const session = await call('/ehr/heidi-api/sessions?as=alice-rv5', post({ ehr_appointment_id: 'APPT-rv5' }));
    assert.equal(session.status, 200, session.text);
    const sessionId = (JSON.parse(session.text) as { session_id: string }).session_id;
    assert.equal((await call(`/ehr/heidi-api/sessions/${sessionId}?as=alice-rv5`)).status, 200);
    assert.equal((await call(`/ehr/heidi-api/sessions/${sessionId}?as=mallory-rv5`)).status, 404);
  });
});

describe('requests another site made the browser send are refused before anything else', () => {
  const forged = (path: string, body: string) =>
    at(path, {
      method: 'POST',
      headers: as('alice', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }),
      body,
    });

  it('the reviewer’s three simple POSTs: 403 with a JSON reason, the user not resolved, no upstream call', async () => {
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake);
    for (const request of [
      forged('/ehr/sully/v1/codings', '{"text":"attacker text"}'),
      forged('/ehr/omniscribe/v1/codify', '{"medical_note":"x has type 2 diabetes","model":"high-quality"}'),
      forged('/heidi-api/sessions', '{}'),
    ]) {
      const refused = await answer(proxy(request));
      assert.deepEqual([refused.status, refused.type], [403, 'CrossSiteRequestRefused'], request.url);
      assert.match((refused.body as { detail: { msg: string } }).detail.msg, /another site.*allowedOrigins/);
    }
    assert.equal(proxy.resolved(), 0);
    assert.deepEqual(fake.calls, []);
  });

  it('each signal alone: Sec-Fetch-Site cross-site or same-site, a foreign or null Origin; GETs too when the browser says cross-site', async () => {
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake);
    const refusedCases: [string, Request][] = [
      ['cross-site, JSON', postJson('/heidi-api/sessions', 'alice', {}, { 'sec-fetch-site': 'cross-site' })],
      ['same-site', postJson('/ehr/sully/v1/codings', 'alice', { text: 'x' }, { 'sec-fetch-site': 'same-site' })],
      [
        'foreign Origin, no Sec-Fetch-Site',
        postJson('/ehr/omniscribe/v1/codify', 'alice', { medical_note: 'x' }, { origin: 'https://evil.example' }),
      ],
      ['sibling subdomain Origin', postJson('/heidi-api/sessions', 'alice', {}, { origin: 'http://app.ehr.test' })],
      ['null Origin (sandboxed frame)', postJson('/heidi-api/sessions', 'alice', {}, { origin: 'null' })],
      ['other port', postJson('/heidi-api/sessions', 'alice', {}, { origin: 'http://ehr.test:8080' })],
      [
        'PATCH',
        at('/heidi-api/sessions/s1', {
          method: 'PATCH',
          headers: as('alice', { 'content-type': 'application/json', origin: 'https://evil.example' }),
          body: '{}',
        }),
      ],
      [
        'cross-site GET of clinical codes (Heidi generates them)',
        at('/heidi-api/sessions/s1/clinical-codes', { headers: as('alice', { 'sec-fetch-site': 'cross-site' }) }),
      ],
      ['cross-site GET of a coding', at('/ehr/sully/v1/codings/coding_1', { headers: as('alice', { 'sec-fetch-site': 'cross-site' }) })],
      ['cross-site GET of the token', at('/heidi-token', { headers: as('alice', { 'sec-fetch-site': 'cross-site' }) })],
    ];
    for (const [name, request] of refusedCases) {
      const refused = await answer(proxy(request));
      assert.deepEqual([refused.status, refused.type], [403, 'CrossSiteRequestRefused'], name);
    }
    assert.deepEqual(fake.calls, []);
    assert.equal(proxy.resolved(), 0);
  });

  it('passes the EHR’s own pages: same-origin, its own Origin (https behind a TLS-ending proxy too), no Origin at all (a server, curl)', async () => {
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake);
    const passing: [string, Request][] = [
      [
        'Sec-Fetch-Site same-origin',
        postJson('/heidi-api/sessions', 'alice', {}, { 'sec-fetch-site': 'same-origin', origin: 'http://ehr.test' }),
      ],
      ['own Origin, no Sec-Fetch-Site', postJson('/heidi-api/sessions', 'alice', {}, { origin: 'http://ehr.test' })],
      ['https page, http behind the TLS proxy', postJson('/heidi-api/sessions', 'alice', {}, { origin: 'https://ehr.test' })],
      ['no Origin, no Sec-Fetch-Site', postJson('/heidi-api/sessions', 'alice', {})],
      [
        'JSON with a charset',
        postJson('/ehr/sully/v1/codings', 'alice', { text: 'x' }, { 'content-type': 'application/json; charset=utf-8' }),
      ],
      [
        'merge-patch+json',
        at('/heidi-api/sessions/s1', {
          method: 'PATCH',
          headers: as('alice', { 'content-type': 'application/merge-patch+json' }),
          body: '{}',
        }),
      ],
      ['same-origin GET', at('/heidi-token', { headers: as('alice', { 'sec-fetch-site': 'same-origin' }) })],
      ['a navigation', at('/heidi-token', { headers: as('alice', { 'sec-fetch-site': 'none' }) })],
    ];
    for (const [name, request] of passing) assert.ok((await answer(proxy(request))).status < 300, name);
  });

  it('allowedOrigins admits the origins listed (same-site or cross-site), and is checked at creation', async () => {
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake, { allowedOrigins: ['https://app.ehr.test', 'https://portal.partner.test/'] });
    const from = (origin: string, site: string) => postJson('/heidi-api/sessions', 'alice', {}, { origin, 'sec-fetch-site': site });
    assert.equal((await answer(proxy(from('https://app.ehr.test', 'same-site')))).status, 200);
    assert.equal((await answer(proxy(from('https://portal.partner.test', 'cross-site')))).status, 200);
    assert.equal((await answer(proxy(from('https://evil.example', 'cross-site')))).status, 403);
    assert.equal((await answer(proxy(from('https://other.ehr.test', 'same-site')))).status, 403);
    for (const bad of [
      ['https://ehr.test/path'],
      ['ehr.test'],
      ['ftp://ehr.test'],
      [42],
      'https://ehr.test',
      ['https://user:pw@ehr.test'],
    ]) {
      assert.throws(
        () => proxyFor(fake, { allowedOrigins: bad as never }),
        (error: Error) => error instanceof TypeError && /allowedOrigins/.test(error.message) && !error.message.includes('pw@'),
        JSON.stringify(bad),
      );
    }
  });

  it('a same-origin body that is not declared JSON is 415 without reading it or calling upstream', async () => {
    const fake = fakeUpstreams();
    const proxy = proxyFor(fake);
    for (const [path, type] of [
      ['/ehr/sully/v1/codings', 'text/plain'],
      ['/ehr/omniscribe/v1/codify', 'application/x-www-form-urlencoded'],
      ['/heidi-api/sessions', 'multipart/form-data; boundary=x'],
      ['/heidi-api/sessions', undefined],
    ] as const) {
      const headers: Record<string, string> = as('alice', { 'sec-fetch-site': 'same-origin' });
      const init: RequestInit = { method: 'POST', headers, body: new Blob(['{}'], type ? { type } : {}) };
      const refused = await answer(proxy(at(path, init)));
      assert.deepEqual([refused.status, refused.type], [415, 'UnsupportedMediaType'], `${path} ${type}`);
    }
    assert.deepEqual(fake.calls, []);
  });

  it('on a real node:http server via toNodeMiddleware', async () => {
    const fake = fakeUpstreams();
    const server = http.createServer(toNodeMiddleware(proxyFor(fake)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const origin = `http://127.0.0.1:${port}`;
      const body = JSON.stringify({ text: 'note' });
      const evil = await fetch(`${origin}/ehr/sully/v1/codings`, {
        method: 'POST',
        headers: { cookie: 'user=alice', origin: 'https://evil.example', 'content-type': 'text/plain' },
        body,
      });
      assert.equal(evil.status, 403);
      const own = await fetch(`${origin}/ehr/sully/v1/codings`, {
        method: 'POST',
        headers: { cookie: 'user=alice', origin, 'content-type': 'application/json' },
        body,
      });
      assert.equal(own.status, 201);
      assert.deepEqual(fake.calls, ['POST /v1/codings']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
