/**
 * The proxy's hardening (issue 15, items 13-16): bodies bounded as they stream,
 * the rejected-token header is no lever, the key never appears however
 * malformed, and every failure has Heidi's error shape, also on node:http.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHeidiProxy, REJECTED_TOKEN_HEADER, toNodeMiddleware } from '../../src/proxy/index.ts';
import type { HeidiProxyErrorEvent, HeidiProxyOptions, HeidiUser } from '../../src/proxy/index.ts';

const API_KEY = 'sk-live-7Hq2ZpW9xK4mN8vB3cR6tY1u';
const API_BASE = 'https://heidi.example.test/api/v2/ml-scribe/open-api';
const ALICE: HeidiUser = { email: 'alice@clinic.test', third_party_internal_id: 'u-1' };
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3600_000;
const MIB = 1024 * 1024;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A fake Heidi: /jwt issues `tok-<n>`; other paths go to `sessions` (default 200 JSON). */
function fakeHeidi(sessions?: (request: Request) => Response | Promise<Response>) {
  const clock = { t: T0 };
  const jwtCalls: Request[] = [];
  const sessionCalls: Request[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    if (new URL(request.url).pathname.endsWith('/jwt')) {
      jwtCalls.push(request);
      return json(200, { token: `tok-${jwtCalls.length}`, expiration_time: new Date(clock.t + HOUR).toISOString() });
    }
    sessionCalls.push(request);
    return sessions ? sessions(request) : json(200, { ok: true });
  };
  return { clock, jwtCalls, sessionCalls, fetch, now: () => clock.t };
}

function proxyFor(fake: ReturnType<typeof fakeHeidi>, options: Partial<HeidiProxyOptions> = {}) {
  return createHeidiProxy({
    apiKey: API_KEY,
    apiBase: API_BASE,
    resolveUser: () => ALICE,
    fetch: fake.fetch,
    now: fake.now,
    forwardPrefix: '/heidi-api',
    ...options,
  });
}

const req = (path: string, init?: RequestInit) => new Request(`http://ehr.test${path}`, init);

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
  const body = JSON.parse(text) as { detail: { msg: string; type: string } };
  assert.equal(body.detail.type, type);
  assert.ok(body.detail.msg.length > 0);
  return text;
}

/** A body stream that counts what was pulled from it: `total` bytes in `chunk`-sized pieces (or forever). */
function countingBody(total: number, chunk = 64 * 1024) {
  const state = { pulled: 0, cancelled: false };
  const piece = new Uint8Array(chunk).fill(120);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) return controller.close();
        state.pulled += piece.byteLength;
        controller.enqueue(piece.slice());
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** A body that sends one byte per `everyMs` and never ends. */
function tricklingBody(everyMs: number) {
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull: (controller) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (!state.cancelled) controller.enqueue(new Uint8Array([120]));
            resolve();
          }, everyMs),
        ),
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const post = (path: string, body: ReadableStream<Uint8Array>) =>
  req(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);

/** Every case-insensitive 8-character piece of the key. */
function leaksKey(text: string, key = API_KEY): boolean {
  const lower = text.toLowerCase();
  const k = key.toLowerCase();
  for (let i = 0; i + 8 <= k.length; i++) if (lower.includes(k.slice(i, i + 8))) return true;
  return false;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    return [error.name, error.message, error.stack ?? '', describeError((error as { cause?: unknown }).cause)].join('\n');
  }
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

describe('13. bodies are bounded as they stream', () => {
  it('resolves the user before reading the body; no user, no read', async () => {
    const fake = fakeHeidi();
    let bodyUsedAtResolve: boolean | undefined;
    const body = countingBody(8 * MIB);
    const proxy = proxyFor(fake, {
      resolveUser: (request) => {
        bodyUsedAtResolve = request.bodyUsed;
        return null;
      },
    });
    await heidiError(await must(proxy(post('/heidi-api/sessions', body.stream))), 401, 'NotAuthenticated');
    assert.equal(bodyUsedAtResolve, false, 'resolveUser ran before the body was read');
    assert.ok(body.state.pulled <= 64 * 1024, `read ${body.state.pulled} bytes for an anonymous request`);
  });

  it('stops reading a chunked body at maxBodyBytes (413) and cancels the rest', async () => {
    const fake = fakeHeidi();
    const body = countingBody(8 * MIB);
    const proxy = proxyFor(fake, { maxBodyBytes: 100_000 });
    await heidiError(await must(proxy(post('/heidi-api/sessions', body.stream))), 413, 'PayloadTooLarge');
    assert.ok(body.state.pulled <= 100_000 + 64 * 1024, `read ${body.state.pulled} bytes`);
    assert.equal(body.state.cancelled, true);
    assert.equal(fake.sessionCalls.length, 0);
  });

  it('a body that trickles 1 byte at a time is answered 408 at bodyTimeoutMs', { timeout: 5000 }, async () => {
    const fake = fakeHeidi();
    const body = tricklingBody(10);
    const proxy = proxyFor(fake, { bodyTimeoutMs: 150 });
    await heidiError(await must(proxy(post('/heidi-api/sessions', body.stream))), 408, 'RequestTimeout');
    assert.equal(body.state.cancelled, true, 'the trickle is cancelled');
    assert.equal(fake.sessionCalls.length, 0);
  });

  it('caps upstream responses at maxResponseBytes, on the forwarder and the token route', async () => {
    const huge = countingBody(8 * MIB);
    const fake = fakeHeidi(() => new Response(huge.stream, { headers: { 'content-type': 'application/json' } }));
    const proxy = proxyFor(fake, { maxResponseBytes: MIB });
    await heidiError(await must(proxy(req('/heidi-api/sessions/s1'))), 502, 'UpstreamResponseTooLarge');
    assert.ok(huge.state.pulled <= MIB + 64 * 1024, `read ${huge.state.pulled} bytes of the upstream answer`);
    assert.equal(huge.state.cancelled, true);

    const hugeJwt = countingBody(8 * MIB);
    const tokenProxy = createHeidiProxy({
      apiKey: API_KEY,
      apiBase: API_BASE,
      resolveUser: () => ALICE,
      maxResponseBytes: MIB,
      fetch: async () => new Response(hugeJwt.stream, { headers: { 'content-type': 'application/json' } }),
    });
    await heidiError(await must(tokenProxy(req('/heidi-token'))), 502, 'UpstreamResponseTooLarge');
    assert.ok(hugeJwt.state.pulled <= MIB + 64 * 1024);
  });
});

async function withServer<T>(handler: http.RequestListener, run: (port: number) => Promise<T>): Promise<T> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await run(port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * POST a chunked body (no Content-Length) of `total` bytes, written as fast as the
 * socket accepts it, one reused buffer, stopping as soon as the server answers.
 */
function streamingPost(
  port: number,
  path: string,
  total: number,
  onChunk: () => void,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 120);
    let sent = 0;
    let answered = false;
    const request = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } });
    request.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.byteLength;
        onChunk();
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!answered) request.end();
    };
    pump();
  });
}

describe('13. on a real node:http server', () => {
  it('refuses a 100 MiB chunked body with 413 while its memory stays under 64 MiB', { timeout: 20_000 }, async (t) => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake);
    await withServer(toNodeMiddleware(proxy), async (port) => {
      globalThis.gc?.();
      const base = process.memoryUsage();
      let peak = 0;
      const sample = () => {
        const now = process.memoryUsage();
        peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers, now.rss - base.rss);
      };
      const timer = setInterval(sample, 5);
      try {
        const answer = await streamingPost(port, '/heidi-api/sessions', 100 * MIB, sample);
        sample();
        assert.equal(answer.status, 413);
        assert.equal((JSON.parse(answer.body) as { detail: { type: string } }).detail.type, 'PayloadTooLarge');
        t.diagnostic(`peak memory growth ${(peak / MIB).toFixed(1)} MiB; client sent ${(answer.sent / MIB).toFixed(1)} MiB`);
        assert.ok(peak < 64 * MIB, `memory grew by ${(peak / MIB).toFixed(1)} MiB`);
        assert.ok(answer.sent < 100 * MIB, 'the client was stopped before sending everything');
      } finally {
        clearInterval(timer);
      }
      assert.equal(fake.sessionCalls.length, 0);
    });
  });

  it('answers a client trickling 1 byte at a time with 408 and closes the connection', { timeout: 5000 }, async () => {
    const proxy = proxyFor(fakeHeidi(), { bodyTimeoutMs: 200 });
    await withServer(toNodeMiddleware(proxy), async (port) => {
      const result = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
        const request = http.request({
          host: '127.0.0.1',
          port,
          path: '/heidi-api/sessions',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        });
        const timer = setInterval(() => request.write('x'), 20);
        request.on('response', (res) => {
          res.resume();
          res.on('close', () => {
            clearInterval(timer);
            resolve({ status: res.statusCode ?? 0, closed: true });
          });
        });
        request.on('error', (error) => {
          clearInterval(timer);
          reject(error);
        });
      });
      assert.equal(result.status, 408);
    });
  });
});

describe('14. the rejected-token header is not a lever', () => {
  it('21 token requests naming the current token cause at most one forced refresh', async () => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake);
    let current = ((await (await must(proxy(req('/heidi-token')))).json()) as { token: string }).token;
    for (let i = 0; i < 21; i++) {
      const response = await must(proxy(req('/heidi-token', { headers: { [REJECTED_TOKEN_HEADER]: current } })));
      current = ((await response.json()) as { token: string }).token;
    }
    assert.equal(fake.jwtCalls.length, 2, 'one initial token and one forced refresh');
    // A minute later a genuinely revoked token can be replaced again.
    fake.clock.t += 61_000;
    await must(proxy(req('/heidi-token', { headers: { [REJECTED_TOKEN_HEADER]: current } })));
    assert.equal(fake.jwtCalls.length, 3);
  });

  it('concurrent requests naming the token share one refresh', async () => {
    const fake = fakeHeidi();
    const proxy = proxyFor(fake);
    const first = ((await (await must(proxy(req('/heidi-token')))).json()) as { token: string }).token;
    await Promise.all(Array.from({ length: 21 }, () => must(proxy(req('/heidi-token', { headers: { [REJECTED_TOKEN_HEADER]: first } })))));
    assert.equal(fake.jwtCalls.length, 2);
  });

  it('upstream 401s on forwarded calls are the same lever: at most one forced refresh a minute', async () => {
    const fake = fakeHeidi(() => json(401, { detail: 'Could not validate credentials' }));
    const proxy = proxyFor(fake);
    for (let i = 0; i < 21; i++) assert.equal((await must(proxy(req('/heidi-api/sessions/s1')))).status, 401);
    assert.equal(fake.jwtCalls.length, 2);
  });
});

describe('15. the key never appears, however malformed', () => {
  const malformedKeys = [
    `${API_KEY}\n`,
    `${API_KEY}\0`,
    `${API_KEY.slice(0, 10)}\r\n${API_KEY.slice(10)}`,
    ` ${API_KEY}`,
    `${API_KEY}é`,
    `${API_KEY}\t`,
  ];
  for (const apiKey of malformedKeys) {
    it(`an apiKey with ${JSON.stringify(apiKey.replace(API_KEY.slice(0, 10), '').replace(API_KEY.slice(10), '…'))} fails at creation without echoing it`, async () => {
      const errors: HeidiProxyErrorEvent[] = [];
      let thrown: unknown;
      try {
        const proxy = createHeidiProxy({ apiKey, resolveUser: () => ALICE, fetch: fakeHeidi().fetch, onError: (e) => errors.push(e) });
        await proxy(req('/heidi-token'));
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof TypeError, 'creation fails fast');
      assert.match(thrown.message, /apiKey/);
      assert.ok(!leaksKey(describeError(thrown)), thrown.message);
      assert.equal(errors.length, 0);
    });
  }

  it('validates the other options at creation, naming the option but not its value', () => {
    const base = { apiKey: API_KEY, resolveUser: () => ALICE };
    const bad: [string, Partial<HeidiProxyOptions>][] = [
      ['apiKey', { apiKey: 42 as unknown as string }],
      ['tokenPath', { tokenPath: 'heidi-token' }],
      ['tokenPath', { tokenPath: '/a b' }],
      ['timeoutMs', { timeoutMs: -1 }],
      ['timeoutMs', { timeoutMs: Number.NaN }],
      ['bodyTimeoutMs', { bodyTimeoutMs: 0 }],
      ['maxBodyBytes', { maxBodyBytes: Number.POSITIVE_INFINITY }],
      ['maxResponseBytes', { maxResponseBytes: 0 }],
      ['refreshMarginSeconds', { refreshMarginSeconds: -5 }],
      ['maxCachedUsers', { maxCachedUsers: 1.5 }],
      ['fetch', { fetch: 'yes' as unknown as HeidiProxyOptions['fetch'] }],
      ['onError', { onError: {} as unknown as HeidiProxyOptions['onError'] }],
      ['forwardPrefix', { forwardPrefix: '/heidi-token' }],
      ['apiBase', { apiBase: `https://user:${API_KEY}@heidi.test/` }],
    ];
    for (const [name, options] of bad) {
      assert.throws(
        () => createHeidiProxy({ ...base, ...options }),
        (error: Error) => error instanceof TypeError && error.message.includes(name) && !leaksKey(error.message),
        name,
      );
    }
  });

  it('redacts the key in any case and in part from answers and from onError', async () => {
    const fragments = [API_KEY, API_KEY.toUpperCase(), API_KEY.toLowerCase(), API_KEY.slice(0, 12), API_KEY.slice(-10)];
    for (const fragment of fragments) {
      const errors: HeidiProxyErrorEvent[] = [];
      const rejected = createHeidiProxy({
        apiKey: API_KEY,
        apiBase: API_BASE,
        resolveUser: () => ALICE,
        onError: (e) => errors.push(e),
        fetch: async () => json(422, { detail: `key ${fragment} is not valid here` }),
      });
      const text = await heidiError(await must(rejected(req('/heidi-token'))), 502, 'UpstreamRejected');
      assert.ok(!leaksKey(text), text);

      const failing = createHeidiProxy({
        apiKey: API_KEY,
        apiBase: API_BASE,
        resolveUser: () => ALICE,
        onError: (e) => errors.push(e),
        fetch: async () => {
          throw new TypeError(`Headers.append: "${fragment}" is an invalid header value`, { cause: new Error(fragment) });
        },
      });
      await heidiError(await must(failing(req('/heidi-token'))), 502, 'UpstreamUnavailable');
      assert.equal(errors.length, 2);
      for (const event of errors) assert.ok(!leaksKey(describeError(event.error)), describeError(event.error));
    }
  });

  it('redacts the key from forwarded bodies too', async () => {
    const fake = fakeHeidi(() => json(400, { detail: `bad header ${API_KEY.toUpperCase()}` }));
    const text = await (await must(proxyFor(fake)(req('/heidi-api/sessions/s1')))).text();
    assert.ok(!leaksKey(text), text);
  });
});

describe('16. every failure has Heidi’s error shape', () => {
  it('a resolveUser result that throws when read → 500 UserResolutionFailed JSON, reported to onError', async () => {
    const fake = fakeHeidi();
    const errors: HeidiProxyErrorEvent[] = [];
    const hostile = {
      get email(): string {
        throw new Error('getter blew up');
      },
      third_party_internal_id: 'u-1',
    };
    const proxy = proxyFor(fake, { resolveUser: () => hostile as HeidiUser, onError: (e) => errors.push(e) });
    await heidiError(await must(proxy(req('/heidi-token'))), 500, 'UserResolutionFailed');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const proxy2 = proxyFor(fake, { resolveUser: () => revoked.proxy as HeidiUser, onError: (e) => errors.push(e) });
    await heidiError(await must(proxy2(req('/heidi-api/sessions/s1'))), 500, 'UserResolutionFailed');
    assert.equal(errors.length, 2);
    assert.equal(fake.jwtCalls.length, 0);
  });

  it('any unexpected exception inside the handler is a 500 JSON answer, never a throw', async () => {
    const fake = fakeHeidi();
    const errors: HeidiProxyErrorEvent[] = [];
    const proxy = proxyFor(fake, {
      now: () => {
        throw new Error('clock broke');
      },
      onError: (e) => errors.push(e),
    });
    await heidiError(await must(proxy(req('/heidi-token'))), 500, 'InternalError');
    assert.equal(errors.length, 1);
  });

  it('maps an upstream HTML error page to JSON, keeping its status', async () => {
    const page = '<html><body><script>alert(document.cookie)</script>Bad gateway</body></html>';
    for (const status of [400, 404, 500, 502, 503]) {
      const fake = fakeHeidi(() => new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8' } }));
      const text = await heidiError(await must(proxyFor(fake)(req('/heidi-api/sessions/s1'))), status, 'UpstreamError');
      assert.ok(!text.includes('<script'), text);
    }
    const ok = fakeHeidi(() => new Response(page, { status: 200, headers: { 'content-type': 'text/html' } }));
    await heidiError(await must(proxyFor(ok)(req('/heidi-api/sessions/s1'))), 502, 'UpstreamInvalidResponse');
    const untyped = fakeHeidi(() => new Response(page, { status: 500 }));
    await heidiError(await must(proxyFor(untyped)(req('/heidi-api/sessions/s1'))), 500, 'UpstreamError');
  });

  it('toNodeMiddleware: other paths reach next() untouched whatever their method; own paths answer 405', async () => {
    const proxy = proxyFor(fakeHeidi());
    const middleware = toNodeMiddleware(proxy);
    const nextCalls: { method: string; url: string; error: unknown; body: string }[] = [];
    await withServer(
      (request, res) => {
        void middleware(request, res, (error?: unknown) => {
          let body = '';
          request.setEncoding('utf8');
          request.on('data', (c: string) => (body += c));
          request.on('end', () => {
            nextCalls.push({ method: request.method ?? '', url: request.url ?? '', error, body });
            res.statusCode = 299;
            res.end('app');
          });
        });
      },
      async (port) => {
        const send = (method: string, path: string, body?: string) =>
          new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
            const headers = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
            const r = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (text += c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
            });
            r.on('error', reject);
            r.end(body);
          });
        const big = 'b'.repeat(200_000);
        for (const method of ['TRACE', 'PROPFIND', 'POST', 'DELETE']) {
          const body = method === 'TRACE' ? undefined : big;
          const answer = await send(method, '/unrelated/page', body);
          assert.equal(answer.status, 299, method);
          const call = nextCalls.at(-1)!;
          assert.equal(call.error, undefined, `${method} reached next() without an error`);
          assert.equal(call.body, body ?? '', `${method} body reached next() untouched`);
        }
        for (const [method, path, allow] of [
          ['TRACE', '/heidi-token', 'GET'],
          ['PROPFIND', '/heidi-token', 'GET'],
          ['TRACE', '/heidi-api/sessions/s1', 'GET, POST, PATCH'],
        ] as const) {
          const answer = await send(method, path);
          assert.equal(answer.status, 405, `${method} ${path}`);
          assert.equal(answer.headers.allow, allow);
          assert.equal(answer.headers['content-type'], 'application/json');
          assert.equal((JSON.parse(answer.body) as { detail: { type: string } }).detail.type, 'MethodNotAllowed');
        }
        assert.equal(nextCalls.length, 4);
      },
    );
  });
});
