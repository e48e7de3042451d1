/**
 * The proxy's peer-engine forwarders (issue 13 item 7): Sully's coding API and
 * Omniscribe's Codify, with their credentials added server-side, only their
 * documented paths and methods, gated on the signed-in user, and the same caps,
 * timeouts, redaction and error shape as the Heidi routes. Upstreams are small
 * fakes reached through the `fetch` option; the last suite runs on node:http.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHeidiProxy, DEFAULT_SULLY_API_BASE, toNodeMiddleware } from '../../src/proxy/index.ts';
import type { HeidiProxyErrorEvent, HeidiProxyOptions, HeidiUser } from '../../src/proxy/index.ts';

const HEIDI_KEY = 'heidi-key-Zr8Qm2Lx7Vb4';
const SULLY_KEY = 'sully-key-Pq3Wn6Yt9Hc1Jd5';
const SULLY_ACCOUNT = 'acct-7f3e9b21-5c4d';
const OMNI_TOKEN = 'omni-tok-Gk4Rs8Uv2Xz6Ba0';
const OMNI_BASE = 'https://codify.customer-a.omniscribe.test';
const SECRETS = [HEIDI_KEY, SULLY_KEY, SULLY_ACCOUNT, OMNI_TOKEN];
const ALICE: HeidiUser = { email: 'alice@clinic.test', third_party_internal_id: 'dr-alice-1' };
const NOTE = 'Patient presents with Type 2 Diabetes Mellitus. Current medications: Metformin 500mg BID.';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const SEED_CODING = JSON.stringify({ text: 'seed coding' });

/** Fake Sully and Omniscribe: record every request (with its body text) and answer as documented. */
function fakeEngines(answer?: (request: Request, body: string) => Response | Promise<Response>) {
  const calls: { request: Request; body: string }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const body = await request.text();
    calls.push({ request, body });
    // A coding started for a poll to read (the proxy answers 404 to polls of codings it did not start).
    if (body === SEED_CODING) return json(200, { data: { id: 'c1', status: 'pending' } });
    if (answer) return answer(request, body);
    const url = new URL(request.url);
    if (url.pathname === '/v1/codings') return json(200, { data: { id: 'coding_1', status: 'pending' } });
    if (url.pathname.startsWith('/v1/codings/')) return json(200, { data: { id: url.pathname.slice(12), status: 'completed' } });
    if (url.pathname === '/v1/codify') {
      return json(200, {
        final_code_assessments: [{ code: 'E11.9', description: 'T2DM', justification: 'stated', confidence_percent: 92.4 }],
        discarded_code_assessments: [],
        run_id: 'run-1',
      });
    }
    return json(404, { error: 404, message: 'no route' });
  };
  return { calls, fetch };
}

function proxyFor(fake: ReturnType<typeof fakeEngines>, options: Partial<HeidiProxyOptions> = {}) {
  return createHeidiProxy({
    apiKey: HEIDI_KEY,
    resolveUser: () => ALICE,
    fetch: fake.fetch,
    sully: { apiKey: SULLY_KEY, accountId: SULLY_ACCOUNT },
    omniscribe: { token: OMNI_TOKEN, apiBase: OMNI_BASE },
    ...options,
  });
}

const req = (path: string, init?: RequestInit) => new Request(`http://ehr.test${path}`, init);
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  req(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function must(response: Promise<Response | undefined>): Promise<Response> {
  const r = await response;
  assert.ok(r, 'expected the proxy to answer');
  return r;
}

async function heidiError(response: Response, status: number, type: string): Promise<string> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const text = await response.text();
  assert.equal((JSON.parse(text) as { detail: { type: string } }).detail.type, type);
  return text;
}

/** Any case-insensitive 8-character piece of any secret. */
function leak(text: string): string | undefined {
  const lower = text.toLowerCase();
  for (const secret of SECRETS) {
    const s = secret.toLowerCase();
    for (let i = 0; i + 8 <= s.length; i++) if (lower.includes(s.slice(i, i + 8))) return secret;
  }
  return undefined;
}

function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name} ${error.message} ${error.stack ?? ''} ${describeError((error as { cause?: unknown }).cause)}`;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? '');
}

async function assertNoSecret(response: Response): Promise<void> {
  response.headers.forEach((value, name) => assert.equal(leak(`${name}: ${value}`), undefined, `secret in header ${name}`));
  const text = await response.clone().text();
  assert.equal(leak(text), undefined, text);
}

describe('configuration', () => {
  it('validates engine options at creation without echoing their values', () => {
    const base = { apiKey: HEIDI_KEY, resolveUser: () => ALICE };
    const bad: [string, Partial<HeidiProxyOptions>][] = [
      ['sully.apiKey', { sully: { apiKey: '', accountId: SULLY_ACCOUNT } }],
      ['sully.apiKey', { sully: { apiKey: `${SULLY_KEY}\n`, accountId: SULLY_ACCOUNT } }],
      ['sully.accountId', { sully: { apiKey: SULLY_KEY, accountId: `${SULLY_ACCOUNT}\0` } }],
      ['sully.apiBase', { sully: { apiKey: SULLY_KEY, accountId: SULLY_ACCOUNT, apiBase: 'ftp://sully.test' } }],
      ['sully.prefix', { sully: { apiKey: SULLY_KEY, accountId: SULLY_ACCOUNT, prefix: 'ehr/sully' } }],
      ['omniscribe.apiBase', { omniscribe: { token: OMNI_TOKEN } as never }],
      ['omniscribe.token', { omniscribe: { token: ` ${OMNI_TOKEN}`, apiBase: OMNI_BASE } }],
      ['omniscribe.prefix', { omniscribe: { token: OMNI_TOKEN, apiBase: OMNI_BASE, prefix: '/heidi-token' } }],
    ];
    for (const [name, options] of bad) {
      assert.throws(
        () => createHeidiProxy({ ...base, ...options }),
        (error: Error) => error instanceof TypeError && error.message.includes(name) && leak(error.message) === undefined,
        name,
      );
    }
  });

  it('uses the default prefixes and Sully base, and leaves unconfigured engines to the host', async () => {
    const fake = fakeEngines();
    const proxy = proxyFor(fake);
    assert.equal((await must(proxy(postJson('/ehr/sully/v1/codings', { text: NOTE })))).status, 200);
    assert.equal(fake.calls[0]!.request.url, `${DEFAULT_SULLY_API_BASE}/v1/codings`);
    assert.equal(DEFAULT_SULLY_API_BASE, 'https://api.sully.ai');
    assert.equal((await must(proxy(postJson('/ehr/omniscribe/v1/codify', { medical_note: NOTE })))).status, 200);
    assert.equal(fake.calls[1]!.request.url, `${OMNI_BASE}/v1/codify`);

    const heidiOnly = createHeidiProxy({ apiKey: HEIDI_KEY, resolveUser: () => ALICE, fetch: fake.fetch });
    assert.equal(await heidiOnly(postJson('/ehr/sully/v1/codings', { text: NOTE })), undefined);
    assert.equal(await heidiOnly(postJson('/ehr/omniscribe/v1/codify', {})), undefined);
    const custom = proxyFor(fake, {
      sully: { apiKey: SULLY_KEY, accountId: SULLY_ACCOUNT, apiBase: 'https://sandbox.sully.test/', prefix: '/s' },
      omniscribe: { token: OMNI_TOKEN, apiBase: `${OMNI_BASE}/tenant-9/`, prefix: '/o' },
    });
    await must(custom(postJson('/s/v1/codings', { text: NOTE })));
    await must(custom(req('/s/v1/codings/coding_1')));
    await must(custom(postJson('/o/v1/codify', { medical_note: NOTE })));
    assert.equal(fake.calls[2]!.request.url, 'https://sandbox.sully.test/v1/codings');
    assert.equal(fake.calls[3]!.request.url, 'https://sandbox.sully.test/v1/codings/coding_1');
    assert.equal(fake.calls[4]!.request.url, `${OMNI_BASE}/tenant-9/v1/codify`);
    assert.equal(await custom(req('/ehr/sully/v1/codings/c1')), undefined);
  });
});

describe('Sully', () => {
  it('forwards POST /v1/codings with X-API-KEY and X-ACCOUNT-ID added server-side, and nothing the browser sent', async () => {
    const fake = fakeEngines();
    const response = await must(
      proxyFor(fake)(
        postJson(
          '/ehr/sully/v1/codings?account=evil',
          { text: NOTE },
          {
            cookie: 'ehr_session=secret',
            authorization: 'Bearer browser',
            'x-api-key': 'browser-key',
            'x-account-id': 'browser-account',
          },
        ),
      ),
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { data: { id: 'coding_1', status: 'pending' } });
    const { request, body } = fake.calls[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, 'https://api.sully.ai/v1/codings', 'no browser query string');
    assert.equal(request.headers.get('x-api-key'), SULLY_KEY);
    assert.equal(request.headers.get('x-account-id'), SULLY_ACCOUNT);
    assert.equal(request.headers.get('content-type'), 'application/json');
    assert.equal(request.headers.get('cookie'), null);
    assert.equal(request.headers.get('authorization'), null);
    assert.deepEqual(JSON.parse(body), { text: NOTE });
  });

  it('forwards GET /v1/codings/{id} of a coding the user started', async () => {
    const fake = fakeEngines();
    const proxy = proxyFor(fake);
    await must(proxy(postJson('/ehr/sully/v1/codings', { text: NOTE })));
    const response = await must(proxy(req('/ehr/sully/v1/codings/coding_1')));
    assert.deepEqual(await response.json(), { data: { id: 'coding_1', status: 'completed' } });
    assert.equal(fake.calls[1]!.request.method, 'GET');
    assert.equal(fake.calls[1]!.request.headers.get('x-api-key'), SULLY_KEY);
  });

  it('answers only the documented methods (405 with Allow) and paths (404), ids as single plain segments (400)', async () => {
    const fake = fakeEngines();
    const proxy = proxyFor(fake);
    for (const [method, path, allow] of [
      ['GET', '/ehr/sully/v1/codings', 'POST'],
      ['DELETE', '/ehr/sully/v1/codings', 'POST'],
      ['POST', '/ehr/sully/v1/codings/c1', 'GET'],
      ['PATCH', '/ehr/sully/v1/codings/c1', 'GET'],
    ] as const) {
      const response = await must(proxy(req(path, { method })));
      assert.equal(response.headers.get('allow'), allow, `${method} ${path}`);
      await heidiError(response, 405, 'MethodNotAllowed');
    }
    for (const path of [
      '/ehr/sully',
      '/ehr/sully/',
      '/ehr/sully/v1',
      '/ehr/sully/v1/notes',
      '/ehr/sully/v2/codings',
      '/ehr/sully/v1/../jwt',
    ]) {
      await heidiError(await must(proxy(req(path))), 404, 'NotFound');
    }
    for (const path of [
      '/ehr/sully/v1/codings/',
      '/ehr/sully/v1/codings/.',
      '/ehr/sully/v1/codings/%2e',
      '/ehr/sully/v1/codings/a/b',
      '/ehr/sully/v1/codings/a%2Fb',
      '/ehr/sully/v1/codings/a%2fb',
      '/ehr/sully/v1/codings/..%2F..%2Fv1%2Fnotes',
      '/ehr/sully/v1/codings/a%5Cb',
      '/ehr/sully/v1/codings/%252e%252e',
      '/ehr/sully/v1/codings//',
      '/ehr/sully/v1/codings/a%00',
    ]) {
      await heidiError(await must(proxy(req(path))), 400, 'InvalidPath');
    }
    assert.equal(fake.calls.length, 0, 'nothing reached Sully');
  });
});

describe('Omniscribe', () => {
  it('forwards POST /v1/codify with the bearer token, x-doctor from resolveUser and the browser’s x-patient', async () => {
    const fake = fakeEngines();
    const response = await must(
      proxyFor(fake)(
        postJson(
          '/ehr/omniscribe/v1/codify',
          { medical_note: NOTE, model: 'fast' },
          {
            'x-patient': 'patient-123',
            'x-doctor': 'mallory',
            authorization: 'Bearer browser',
            cookie: 'ehr_session=secret',
          },
        ),
      ),
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(((await response.json()) as { run_id: string }).run_id, 'run-1');
    const { request, body } = fake.calls[0]!;
    assert.equal(request.headers.get('authorization'), `Bearer ${OMNI_TOKEN}`);
    assert.equal(request.headers.get('x-doctor'), ALICE.third_party_internal_id, 'the doctor is who the server says');
    assert.equal(request.headers.get('x-patient'), 'patient-123');
    assert.equal(request.headers.get('cookie'), null);
    assert.deepEqual(JSON.parse(body), { medical_note: NOTE, model: 'fast' });
  });

  it('refuses bodies over 50 KB with 413 before forwarding, even with a larger maxBodyBytes', async () => {
    const fake = fakeEngines();
    const proxy = proxyFor(fake, { maxBodyBytes: 10 * 1024 * 1024 });
    const fits = JSON.stringify({ medical_note: 'x'.repeat(50 * 1024 - 20) });
    assert.ok(fits.length <= 50 * 1024);
    const asJson = { 'content-type': 'application/json' };
    assert.equal((await must(proxy(req('/ehr/omniscribe/v1/codify', { method: 'POST', headers: asJson, body: fits })))).status, 200);
    const over = JSON.stringify({ medical_note: 'x'.repeat(50 * 1024) });
    await heidiError(
      await must(proxy(req('/ehr/omniscribe/v1/codify', { method: 'POST', headers: asJson, body: over }))),
      413,
      'PayloadTooLarge',
    );
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(4096).fill(120));
        controller.close();
      },
    });
    const chunked = req('/ehr/omniscribe/v1/codify', { method: 'POST', headers: asJson, body: stream, duplex: 'half' } as RequestInit);
    await heidiError(await must(proxy(chunked)), 413, 'PayloadTooLarge');
    assert.equal(fake.calls.length, 1);
  });

  it('answers only POST /v1/codify, and refuses a malformed x-patient', async () => {
    const fake = fakeEngines();
    const proxy = proxyFor(fake);
    const get = await must(proxy(req('/ehr/omniscribe/v1/codify')));
    assert.equal(get.headers.get('allow'), 'POST');
    await heidiError(get, 405, 'MethodNotAllowed');
    for (const path of ['/ehr/omniscribe/v1/health', '/ehr/omniscribe/v1/codify/x', '/ehr/omniscribe']) {
      await heidiError(await must(proxy(postJson(path, {}))), 404, 'NotFound');
    }
    const long = postJson('/ehr/omniscribe/v1/codify', { medical_note: NOTE }, { 'x-patient': 'p'.repeat(300) });
    await heidiError(await must(proxy(long)), 400, 'InvalidHeader');
    assert.equal(fake.calls.length, 0);
  });
});

describe('both engines', () => {
  type Proxy = ReturnType<typeof proxyFor>;
  const routes: [string, (proxy: Proxy) => Promise<Response>][] = [
    ['Sully create', (proxy) => must(proxy(postJson('/ehr/sully/v1/codings', { text: NOTE })))],
    [
      'Sully result',
      async (proxy) => {
        await proxy(req('/ehr/sully/v1/codings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: SEED_CODING }));
        return must(proxy(req('/ehr/sully/v1/codings/c1')));
      },
    ],
    ['Omniscribe codify', (proxy) => must(proxy(postJson('/ehr/omniscribe/v1/codify', { medical_note: NOTE })))],
  ];

  it('need a signed-in user: 401 without calling the engine or reading the body', async () => {
    for (const [name, make] of routes) {
      const fake = fakeEngines();
      let bodyUsed: boolean | undefined;
      const proxy = proxyFor(fake, {
        resolveUser: (request) => {
          bodyUsed = request.bodyUsed;
          return null;
        },
      });
      await heidiError(await make(proxy), 401, 'NotAuthenticated');
      assert.equal(bodyUsed, false, name);
      assert.equal(fake.calls.length, 0, name);
    }
  });

  it('answer every failure as JSON: HTML pages, network errors, timeouts, oversized answers, trickling bodies', async () => {
    for (const [name, make] of routes) {
      const html = proxyFor(
        fakeEngines(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } })),
      );
      await heidiError(await make(html), 502, 'UpstreamError');
      const down = proxyFor(fakeEngines(() => Promise.reject(new TypeError('fetch failed'))));
      await heidiError(await make(down), 502, 'UpstreamUnavailable');
      const hang = proxyFor(
        fakeEngines(() => new Promise<Response>(() => {})),
        {
          timeoutMs: 40,
          omniscribe: { token: OMNI_TOKEN, apiBase: OMNI_BASE, timeoutMs: 40 },
        },
      );
      await heidiError(await make(hang), 504, 'UpstreamTimeout');
      const huge = proxyFor(
        fakeEngines(() => json(200, { pad: 'x'.repeat(4096) })),
        { maxResponseBytes: 1024 },
      );
      await heidiError(await make(huge), 502, 'UpstreamResponseTooLarge');
      // Vendor JSON errors pass through as JSON.
      const vendor = proxyFor(fakeEngines(() => json(429, { success: false, error: 'rate limited' }, { 'retry-after': '5' })));
      const limited = await make(vendor);
      assert.equal(limited.status, 429, name);
      assert.equal(limited.headers.get('retry-after'), '5');
      assert.deepEqual(await limited.json(), { success: false, error: 'rate limited' });
    }
    let cancelled = false;
    const trickle = new ReadableStream<Uint8Array>({
      pull: (controller) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (!cancelled) controller.enqueue(new Uint8Array([32]));
            resolve();
          }, 10),
        ),
      cancel: () => {
        cancelled = true;
      },
    });
    const slow = proxyFor(fakeEngines(), { bodyTimeoutMs: 100 });
    const trickling = req('/ehr/sully/v1/codings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: trickle,
      duplex: 'half',
    } as RequestInit);
    await heidiError(await must(slow(trickling)), 408, 'RequestTimeout');
  });

  it('never let a secret reach a response, a header or onError, whatever the engine echoes', async () => {
    const echoes = SECRETS.flatMap((s) => [s, s.toUpperCase(), s.slice(0, 10), s.slice(-9)]);
    for (const echo of echoes) {
      const outcomes: (() => Response | Promise<Response>)[] = [
        () => json(200, { data: { id: echo } }, { 'x-echo': echo, 'retry-after': echo }),
        () => json(401, { error: 401, message: `Invalid X-API-KEY ${echo}` }),
        () => new Response(`bad token ${echo}`, { status: 500, headers: { 'content-type': 'text/plain' } }),
        () => Promise.reject(new TypeError(`Headers.append: "${echo}" is an invalid header value`, { cause: new Error(echo) })),
      ];
      for (const outcome of outcomes) {
        for (const [, make] of routes) {
          const events: HeidiProxyErrorEvent[] = [];
          const proxy = proxyFor(fakeEngines(outcome), { onError: (e) => events.push(e) });
          await assertNoSecret(await make(proxy));
          for (const event of events) assert.equal(leak(describeError(event.error)), undefined, describeError(event.error));
        }
      }
    }
  });
});

async function withServer<T>(handler: http.RequestListener, run: (origin: string) => Promise<T>): Promise<T> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await run(`http://127.0.0.1:${port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('on a real node:http server via toNodeMiddleware', () => {
  it('serves both engines, gates them on the session cookie, and refuses what it must', async () => {
    const fake = fakeEngines();
    const proxy = proxyFor(fake, { resolveUser: (request) => (request.headers.get('cookie') === 'ehr=alice' ? ALICE : null) });
    const middleware = toNodeMiddleware(proxy);
    await withServer(
      (request, res) =>
        void middleware(request, res, () => {
          res.statusCode = 299;
          res.end('app');
        }),
      async (origin) => {
        const cookie = { cookie: 'ehr=alice', 'content-type': 'application/json' };
        const created = await fetch(`${origin}/ehr/sully/v1/codings`, {
          method: 'POST',
          headers: cookie,
          body: JSON.stringify({ text: NOTE }),
        });
        assert.equal(created.status, 200);
        assert.equal(created.headers.get('cache-control'), 'no-store');
        assert.deepEqual(await created.json(), { data: { id: 'coding_1', status: 'pending' } });
        const polled = await fetch(`${origin}/ehr/sully/v1/codings/coding_1`, { headers: cookie });
        assert.equal(((await polled.json()) as { data: { status: string } }).data.status, 'completed');
        const coded = await fetch(`${origin}/ehr/omniscribe/v1/codify`, {
          method: 'POST',
          headers: { ...cookie, 'x-patient': 'patient-9' },
          body: JSON.stringify({ medical_note: NOTE }),
        });
        assert.equal(coded.status, 200);
        assert.equal(fake.calls.at(-1)!.request.headers.get('x-patient'), 'patient-9');
        assert.equal(fake.calls.at(-1)!.request.headers.get('x-doctor'), ALICE.third_party_internal_id);

        const anonymous = await fetch(`${origin}/ehr/sully/v1/codings/coding_1`);
        assert.equal(anonymous.status, 401);
        const tooBig = await fetch(`${origin}/ehr/omniscribe/v1/codify`, {
          method: 'POST',
          headers: cookie,
          body: JSON.stringify({ medical_note: 'x'.repeat(60 * 1024) }),
        });
        assert.equal(tooBig.status, 413);
        assert.equal(((await tooBig.json()) as { detail: { type: string } }).detail.type, 'PayloadTooLarge');
        const wrongMethod = await fetch(`${origin}/ehr/omniscribe/v1/codify`, { method: 'PUT', headers: cookie, body: '{}' });
        assert.equal(wrongMethod.status, 405);
        assert.equal(wrongMethod.headers.get('allow'), 'POST');
        const elsewhere = await fetch(`${origin}/ehr/patients/1`, { headers: cookie });
        assert.equal(elsewhere.status, 299);
        assert.equal(fake.calls.length, 3, 'only the three good calls reached the engines');
        for (const call of fake.calls) assert.equal(call.request.headers.get('cookie'), null);
      },
    );
  });
});
