/**
 * Review rv5a item 11 on the server side: the proxy's token cache counts a token's time left on Heidi's clock
 * (its response's Date header), so an EHR server whose clock is ahead of Heidi's by more than the token's
 * lifetime still caches tokens instead of calling Heidi on every token request.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHeidiProxy } from '../../src/proxy/index.ts';

const HOUR = 3_600_000;
const HEIDI_NOW = Date.parse('2026-03-01T09:00:00Z');

function proxyWithClock(localNow: { t: number }, sendDate = true) {
  let jwtCalls = 0;
  const proxy = createHeidiProxy({
    apiKey: 'heidi-key-Zr8Qm2Lx7Vb4',
    resolveUser: () => ({ email: 'alice@clinic.test', third_party_internal_id: 'dr-alice-1' }),
    now: () => localNow.t,
    fetch: async () => {
      jwtCalls += 1;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sendDate) headers.date = new Date(HEIDI_NOW).toUTCString();
      return Response.json({ token: `jwt-${jwtCalls}`, expiration_time: new Date(HEIDI_NOW + HOUR).toISOString() }, { headers });
    },
  });
  const token = async () => {
    const response = await proxy(new Request('http://ehr.test/heidi-token'));
    assert.equal(response?.status, 200);
    return ((await response.json()) as { token: string }).token;
  };
  return { token, jwtCalls: () => jwtCalls };
}

describe("the proxy's token cache and a server clock off Heidi's", () => {
  it('2 h ahead: one Heidi call for many token requests, refreshed a margin before Heidi says it expires', async () => {
    const local = { t: HEIDI_NOW + 2 * HOUR };
    const { token, jwtCalls } = proxyWithClock(local);
    for (let i = 0; i < 5; i++) assert.equal(await token(), 'jwt-1');
    local.t += HOUR - 61_000; // the default margin is 60 s
    assert.equal(await token(), 'jwt-1');
    local.t += 2_000;
    assert.equal(await token(), 'jwt-2');
    assert.equal(jwtCalls(), 2);
  });

  it('2 h behind: not handed out past the hour Heidi gave', async () => {
    const local = { t: HEIDI_NOW - 2 * HOUR };
    const { token, jwtCalls } = proxyWithClock(local);
    await token();
    local.t += HOUR - 59_000;
    assert.equal(await token(), 'jwt-2');
    assert.equal(jwtCalls(), 2);
  });

  it('without a Date header, the local clock as before', async () => {
    const local = { t: HEIDI_NOW };
    const { token, jwtCalls } = proxyWithClock(local, false);
    await token();
    local.t += HOUR - 61_000;
    await token();
    assert.equal(jwtCalls(), 1);
  });
});
