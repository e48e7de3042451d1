/**
 * Review rv5a items 8 and 11, on the TokenManager:
 * - a token URL that redirects (an SSO sign-in page on another origin) is an `auth` error naming the token
 *   URL after one request, not a `network` error blaming Heidi after three; failures of the token route name
 *   the EHR's token URL, not Heidi;
 * - a workstation clock hours off the server's does not make every token look expired: the time left is
 *   counted on the server's clock (the token response's `Date`, else the JWT's own `iat`..`exp`).
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenManager, type TokenSource } from '../../src/core/token.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';

const TOKEN_URL = 'http://ehr.test/ehr/heidi-token';
const HOUR = 3_600_000;
const SERVER_NOW = Date.parse('2026-03-01T09:00:00Z');
const originalFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = originalFetch;
});

/** Stand in for the browser's fetch; `answer` sees the Request ky built (its `redirect` mode included). */
function serveTokenUrl(answer: (request: Request) => Response | Promise<Response>): { requests: Request[] } {
  const requests: Request[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    return answer(request);
  };
  return { requests };
}

function jwt(claims: { exp: number; iat?: number }): string {
  return `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
}

async function failure(manager: TokenManager): Promise<HeidiError> {
  try {
    await manager.get();
  } catch (error) {
    assert.ok(error instanceof HeidiError, String(error));
    return error;
  }
  assert.fail('expected the token request to fail');
}

const urlManager = (now?: () => number) =>
  new TokenManager({
    source: () => ({ kind: 'url', url: TOKEN_URL }),
    onHostTokenNeeded: () => {},
    timeoutMs: () => 1000,
    ...(now ? { now } : {}),
  });

describe('a token URL that redirects to a sign-in page (item 8)', () => {
  it('a cross-origin SSO redirect: auth naming the token URL, after one request, not network after three', async () => {
    // A browser following the 302 to the SSO page (HTML, no CORS) rejects with a TypeError, as if offline.
    const served = serveTokenUrl((request) =>
      request.redirect === 'manual'
        ? new Response(null, { status: 302, headers: { location: 'https://sso.hospital.example/login' } })
        : Promise.reject(new TypeError('Failed to fetch')),
    );
    const error = await failure(urlManager());
    assert.deepEqual([error.code, error.retryable], ['auth', true]);
    assert.match(error.message, /EHR's token URL http:\/\/ehr\.test\/ehr\/heidi-token redirected/);
    assert.match(error.message, /EHR session may have ended/);
    assert.doesNotMatch(error.message, /Could not reach|Heidi /);
    assert.equal(served.requests.length, 1, 'not retried');
  });

  it("a browser's opaque redirect (status 0) is the same auth error", async () => {
    const served = serveTokenUrl(() => {
      const response = new Response(null, { status: 200 });
      Object.defineProperties(response, { type: { value: 'opaqueredirect' }, status: { value: 0 }, ok: { value: false } });
      return response;
    });
    const error = await failure(urlManager());
    assert.deepEqual([error.code, error.retryable], ['auth', true]);
    assert.match(error.message, /token URL http:\/\/ehr\.test\/ehr\/heidi-token redirected/);
    assert.equal(served.requests.length, 1);
  });

  it("the token route's own failures name the EHR's token URL, not Heidi", async () => {
    const cases: [() => Response | Promise<Response>, string, RegExp][] = [
      [
        () => Response.json({ detail: { msg: 'no user', type: 'NotAuthenticated' } }, { status: 401 }),
        'auth',
        /^The EHR's token URL did not accept the sign-in \(http:\/\/ehr\.test\/ehr\/heidi-token, HTTP 401\): no user/,
      ],
      [
        () => new Response('', { status: 500 }),
        'server',
        /^The EHR's token URL had a problem answering \(http:\/\/ehr\.test\/ehr\/heidi-token, HTTP 500\)/,
      ],
      [
        () => Promise.reject(new TypeError('Failed to fetch')),
        'network',
        /^Could not reach the EHR's token URL \(http:\/\/ehr\.test\/ehr\/heidi-token\)/,
      ],
    ];
    for (const [answer, code, message] of cases) {
      serveTokenUrl(answer);
      const error = await failure(urlManager());
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /^Heidi|Could not reach Heidi/);
    }
    // What the token URL answered that is not a token says so too.
    serveTokenUrl(() => Response.json(null));
    assert.match(
      (await failure(urlManager())).message,
      /^The EHR's token URL http:\/\/ehr\.test\/ehr\/heidi-token did not give a Heidi JWT response/,
    );
    serveTokenUrl(() => new Response('{"token": ', { headers: { 'content-type': 'application/json' } }));
    assert.match((await failure(urlManager())).message, /to the EHR's token URL http:\/\/ehr\.test\/ehr\/heidi-token is not valid JSON/);
    // The headline shown above that detail line no longer puts the token route's failure on Heidi alone.
    for (const messages of [en, es]) {
      for (const code of ['auth', 'network', 'invalid-response'] as const) assert.match(messages.errors[code], /EHR/, code);
    }
  });
});

describe('a workstation clock off the server’s (item 11)', () => {
  /** A token URL on the server's clock: a JWT living one hour from SERVER_NOW, with the response's Date header. */
  function serverTokens(options: { date?: boolean; iat?: boolean } = {}) {
    let issued = 0;
    const served = serveTokenUrl(() => {
      issued += 1;
      const exp = (SERVER_NOW + HOUR) / 1000;
      const token = jwt(options.iat === false ? { exp } : { exp, iat: SERVER_NOW / 1000 });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.date !== false) headers.date = new Date(SERVER_NOW).toUTCString();
      return Response.json({ token: `${token}-${issued}`, expiration_time: new Date(SERVER_NOW + HOUR).toISOString() }, { headers });
    });
    return served;
  }

  it('2 h ahead: one token for many calls, refreshed shortly before the server says it expires (Date header)', async () => {
    const served = serverTokens({ iat: false });
    const local = { t: SERVER_NOW + 2 * HOUR };
    const manager = urlManager(() => local.t);
    const first = await manager.get();
    for (let i = 0; i < 5; i++) assert.equal(await manager.get(), first);
    local.t += HOUR - 31_000;
    assert.equal(await manager.get(), first, 'still inside the lifetime less the 30 s margin');
    assert.equal(served.requests.length, 1);
    local.t += 2_000;
    assert.notEqual(await manager.get(), first, 'refreshed within the margin');
    assert.equal(served.requests.length, 2);
  });

  it('2 h behind: refreshed after the hour the server gave, not after three', async () => {
    const served = serverTokens();
    const local = { t: SERVER_NOW - 2 * HOUR };
    const manager = urlManager(() => local.t);
    const first = await manager.get();
    local.t += HOUR - 29_000;
    assert.notEqual(await manager.get(), first);
    assert.equal(served.requests.length, 2);
  });

  it('without a Date header, the JWT’s iat..exp is the lifetime when the local clock disagrees with it', async () => {
    for (const skew of [2 * HOUR, -2 * HOUR]) {
      const served = serverTokens({ date: false });
      const local = { t: SERVER_NOW + skew };
      const manager = urlManager(() => local.t);
      const first = await manager.get();
      for (let i = 0; i < 3; i++) assert.equal(await manager.get(), first);
      local.t += HOUR - 31_000;
      assert.equal(await manager.get(), first);
      local.t += 2_000;
      assert.notEqual(await manager.get(), first);
      assert.equal(served.requests.length, 2, `skew ${skew}`);
    }
  });

  it('a tokenProvider’s JWT, 2 h ahead: one provider call for many API calls', async () => {
    let calls = 0;
    const source: TokenSource = {
      kind: 'provider',
      provide: async () => {
        calls += 1;
        return {
          token: jwt({ exp: (SERVER_NOW + HOUR) / 1000, iat: SERVER_NOW / 1000 }),
          expiration_time: new Date(SERVER_NOW + HOUR).toISOString(),
        };
      },
    };
    const manager = new TokenManager({ source: () => source, onHostTokenNeeded: () => {}, now: () => SERVER_NOW + 2 * HOUR });
    for (let i = 0; i < 5; i++) await manager.get();
    assert.equal(calls, 1);
  });

  it('a host-set token only, 2 h ahead: heidi-token-expired is not asked on every call (with iat, or exp alone)', async () => {
    for (const claims of [{ exp: (SERVER_NOW + HOUR) / 1000, iat: SERVER_NOW / 1000 }, { exp: (SERVER_NOW + HOUR) / 1000 }]) {
      let asked = 0;
      const manager = new TokenManager({
        source: () => ({ kind: 'host' }),
        onHostTokenNeeded: () => (asked += 1),
        now: () => SERVER_NOW + 2 * HOUR,
      });
      const token = jwt(claims);
      manager.setHostToken(token);
      for (let i = 0; i < 5; i++) assert.equal(await manager.get(), token);
      assert.equal(asked, 0, JSON.stringify(claims));
      // Heidi's 401 is still the way out: the element invalidates, and the host is asked once.
      manager.invalidate(token);
      const next = manager.get();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(asked, 1);
      manager.setHostToken(jwt({ ...claims, exp: claims.exp + 3600 }));
      await next;
    }
  });

  it('the EHR server an hour off Heidi (its Date and the workstation agree, the JWT does not): the JWT’s iat..exp decides', async () => {
    const MIN = 60_000;
    for (const ehrOff of [HOUR, -HOUR]) {
      let issued = 0;
      const served = serveTokenUrl(() => {
        issued += 1;
        // A 10-minute token on Heidi's clock (SERVER_NOW), dated by an EHR server `ehrOff` away.
        const token = jwt({ exp: (SERVER_NOW + 10 * MIN) / 1000, iat: SERVER_NOW / 1000 });
        const headers = { 'content-type': 'application/json', date: new Date(SERVER_NOW + ehrOff).toUTCString() };
        return Response.json({ token: `${token}-${issued}`, expiration_time: new Date(SERVER_NOW + 10 * MIN).toISOString() }, { headers });
      });
      const local = { t: SERVER_NOW + ehrOff };
      const manager = urlManager(() => local.t);
      const first = await manager.get();
      for (let i = 0; i < 4; i++) assert.equal(await manager.get(), first, `one token for many calls (EHR ${ehrOff / HOUR} h)`);
      local.t += 10 * MIN - 31_000;
      assert.equal(await manager.get(), first);
      local.t += 2_000;
      assert.notEqual(await manager.get(), first, 'refreshed within the margin of its own lifetime');
      assert.equal(served.requests.length, 2);
    }
  });

  it('a right clock refreshes exactly as before (Date header equal to the local clock)', async () => {
    const served = serverTokens();
    const local = { t: SERVER_NOW };
    const manager = urlManager(() => local.t);
    const first = await manager.get();
    local.t += HOUR - 31_000;
    assert.equal(await manager.get(), first);
    local.t += 2_000;
    assert.notEqual(await manager.get(), first);
    assert.equal(served.requests.length, 2);
  });
});
