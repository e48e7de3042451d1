import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { TokenManager, jwtExpiry, type TokenSource } from '../../src/core/token.ts';
import { HeidiError } from '../../src/core/errors.ts';

function providerManager(now: { t: number }, lifetimeMs = 600_000) {
  let calls = 0;
  let source: TokenSource | undefined = {
    kind: 'provider',
    provide: async () => {
      calls += 1;
      await new Promise((r) => setImmediate(r));
      return { token: `t${calls}`, expiration_time: new Date(now.t + lifetimeMs).toISOString() };
    },
  };
  const manager = new TokenManager({ source: () => source, onHostTokenNeeded: () => {}, now: () => now.t, refreshMarginMs: 30_000 });
  return { manager, calls: () => calls, setSource: (s: TokenSource | undefined) => (source = s) };
}

describe('token manager', () => {
  it('reuses a token until shortly before expiration_time', async () => {
    const now = { t: Date.parse('2026-01-01T00:00:00Z') };
    const { manager, calls } = providerManager(now);
    assert.equal(await manager.get(), 't1');
    now.t += 500_000;
    assert.equal(await manager.get(), 't1');
    now.t += 80_000; // within the 30 s margin of expiry
    assert.equal(await manager.get(), 't2');
    assert.equal(calls(), 2);
  });
  it('reuses a short-lived token for half its lifetime rather than never', async () => {
    const now = { t: 0 };
    const { manager, calls } = providerManager(now, 20_000);
    await manager.get();
    now.t += 9_000;
    await manager.get();
    assert.equal(calls(), 1);
    now.t += 2_000;
    await manager.get();
    assert.equal(calls(), 2);
  });
  it('shares one request among concurrent callers', async () => {
    const { manager, calls } = providerManager({ t: 0 });
    const tokens = await Promise.all([manager.get(), manager.get(), manager.get()]);
    assert.deepEqual(tokens, ['t1', 't1', 't1']);
    assert.equal(calls(), 1);
  });
  it('invalidates only the token that failed', async () => {
    const { manager } = providerManager({ t: 0 });
    const first = await manager.get();
    manager.invalidate('some-older-token');
    assert.equal(await manager.get(), first);
    manager.invalidate(first);
    assert.equal(await manager.get(), 't2');
  });
  it('a missing source is a config error, not a hang', async () => {
    const { manager, setSource } = providerManager({ t: 0 });
    setSource(undefined);
    await assert.rejects(manager.get(), (e: unknown) => e instanceof HeidiError && e.code === 'config');
  });
  it('a provider answer that is not a JWT response is invalid-response; a throwing provider is auth', async () => {
    const bad = new TokenManager({
      source: () => ({ kind: 'provider', provide: async () => ({ token: 5 }) as never }),
      onHostTokenNeeded: () => {},
    });
    await assert.rejects(bad.get(), (e: unknown) => e instanceof HeidiError && e.code === 'invalid-response');
    const throwing = new TokenManager({
      source: () => ({ kind: 'provider', provide: () => Promise.reject(new Error('backend down')) }),
      onHostTokenNeeded: () => {},
    });
    await assert.rejects(throwing.get(), (e: unknown) => e instanceof HeidiError && e.code === 'auth' && /backend down/.test(e.message));
  });
  it('with only a host token: asks the host once and resumes every waiter when it sets one', async () => {
    let asked = 0;
    const manager = new TokenManager({ source: () => ({ kind: 'host' }), onHostTokenNeeded: () => (asked += 1) });
    const waiting = [manager.get(), manager.get()];
    await new Promise((r) => setImmediate(r));
    assert.equal(asked, 1);
    manager.setHostToken('fresh');
    assert.deepEqual(await Promise.all(waiting), ['fresh', 'fresh']);
  });
  it('an aborted caller stops waiting without cancelling the shared request', async () => {
    const { manager } = providerManager({ t: 0 });
    const controller = new AbortController();
    const aborted = manager.get(controller.signal);
    const other = manager.get();
    controller.abort();
    await assert.rejects(aborted);
    assert.equal(await other, 't1');
  });
  it('reads a JWT exp claim when there is one', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_700_000_000 })).toString('base64url');
    assert.equal(jwtExpiry(`h.${payload}.s`), 1_700_000_000_000);
    assert.equal(jwtExpiry('opaque-token'), undefined);
  });
});

describe('every token wait ends (issue 15 item 10)', () => {
  it('a host that never answers heidi-token-expired: an auth error with Retry after 30 s, not a spinner forever', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const manager = new TokenManager({ source: () => ({ kind: 'host' }), onHostTokenNeeded: () => {} });
      let outcome = 'pending' as unknown;
      const waiting = manager.get().then(
        (token) => (outcome = token),
        (error: unknown) => (outcome = error),
      );
      mock.timers.tick(29_999);
      await new Promise((r) => setImmediate(r));
      assert.equal(outcome, 'pending');
      mock.timers.tick(1);
      await waiting;
      const error: unknown = outcome;
      assert.ok(error instanceof HeidiError, String(error));
      assert.equal(error.code, 'auth');
      assert.equal(error.retryable, true);
      assert.match(error.message, /heidi-token-expired/);
      // A token set later still serves the next attempt (Retry).
      manager.setHostToken('late');
      assert.equal(await manager.get(), 'late');
    } finally {
      mock.timers.reset();
    }
  });
  it('the limit is configurable, read at each wait, and a token in time clears the timer', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let limit = 5_000;
      const manager = new TokenManager({ source: () => ({ kind: 'host' }), onHostTokenNeeded: () => {}, hostTimeoutMs: () => limit });
      const first = manager.get();
      mock.timers.tick(5_000);
      await assert.rejects(first, (e: unknown) => e instanceof HeidiError && e.code === 'auth' && /5 s/.test(e.message));
      limit = 60_000;
      const second = manager.get();
      mock.timers.tick(59_000);
      manager.setHostToken('in-time');
      assert.equal(await second, 'in-time');
      mock.timers.tick(10_000); // the cleared timer never fires a rejection
    } finally {
      mock.timers.reset();
    }
  });

  it('a tokenProvider that never settles: auth error after the host limit, not loading for ever', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const manager = new TokenManager({
        source: () => ({ kind: 'provider', provide: () => new Promise(() => {}) }),
        onHostTokenNeeded: () => {},
      });
      const waiting = manager.get();
      await new Promise((r) => setImmediate(r));
      mock.timers.tick(30_000);
      await assert.rejects(
        waiting,
        (e: unknown) => e instanceof HeidiError && e.code === 'auth' && e.retryable && /tokenProvider\(\) within 30 s/.test(e.message),
      );
    } finally {
      mock.timers.reset();
    }
  });

  for (const [what, response] of [
    [
      'redirects to an HTML sign-in page',
      () => new Response('<!doctype html><title>Sign in</title>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
    ],
    [
      'answers HTML labelled as JSON',
      () => new Response('  <html><body>Please log in</body></html>', { headers: { 'content-type': 'application/json' } }),
    ],
  ] as const) {
    it(`a token-url that ${what}: auth (the EHR session may have ended), with Retry, not invalid-response`, async () => {
      const original = globalThis.fetch;
      globalThis.fetch = async () => response();
      try {
        const manager = new TokenManager({
          source: () => ({ kind: 'url', url: 'http://ehr.test/heidi-token' }),
          onHostTokenNeeded: () => {},
        });
        await assert.rejects(manager.get(), (e: unknown) => {
          assert.ok(e instanceof HeidiError);
          assert.equal(e.code, 'auth');
          assert.equal(e.retryable, true);
          assert.match(e.message, /EHR session may have ended/);
          assert.doesNotMatch(e.message, /Heidi/);
          return true;
        });
      } finally {
        globalThis.fetch = original;
      }
    });
  }
  it("the token URL is the EHR's own route: 404/405 a config error naming it, 401/403 auth, 5xx and network retryable, never not-found", async () => {
    const original = globalThis.fetch;
    const cases: [Response | 'network', string, boolean, number | undefined][] = [
      [new Response('Not Found', { status: 404 }), 'config', false, 404],
      [new Response(null, { status: 405, headers: { allow: 'POST' } }), 'config', false, 405],
      [Response.json({ detail: { msg: 'no user', type: 'Unauthorized' } }, { status: 401 }), 'auth', true, 401],
      [new Response('', { status: 403 }), 'auth', true, 403],
      [new Response('', { status: 500 }), 'server', true, 500],
      ['network', 'network', true, undefined],
    ];
    try {
      for (const [answer, code, retryable, status] of cases) {
        globalThis.fetch = async () => {
          if (answer === 'network') throw new TypeError('Failed to fetch');
          return answer.clone();
        };
        const manager = new TokenManager({
          source: () => ({ kind: 'url', url: 'http://ehr.test/nope-token' }),
          onHostTokenNeeded: () => {},
          timeoutMs: () => 1000,
        });
        await assert.rejects(manager.get(), (e: unknown) => {
          assert.ok(e instanceof HeidiError);
          assert.deepEqual([e.code, e.retryable, e.status], [code, retryable, status], String(status ?? answer));
          if (code === 'config') assert.match(e.message, /token URL http:\/\/ehr.test\/nope-token .*token-url/);
          return true;
        });
      }
    } finally {
      globalThis.fetch = original;
    }
  });
  it('a token-url answering bad JSON is still invalid-response', async () => {
    const original = globalThis.fetch;
    globalThis.fetch = async () => new Response('{"token": ', { headers: { 'content-type': 'application/json' } });
    try {
      const manager = new TokenManager({
        source: () => ({ kind: 'url', url: 'http://ehr.test/heidi-token' }),
        onHostTokenNeeded: () => {},
      });
      await assert.rejects(manager.get(), (e: unknown) => e instanceof HeidiError && e.code === 'invalid-response');
    } finally {
      globalThis.fetch = original;
    }
  });
});
