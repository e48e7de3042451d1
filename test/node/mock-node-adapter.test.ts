/**
 * Mock Heidi served by `toNodeMiddleware` on a real `node:http` server
 * (loopback only): the path the dev server, test runner and scripts use.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClinicalCodesResponse, ErrorResponse, JwtResponse, SessionResponse } from '../../src/core/schemas.ts';
import { toNodeMiddleware } from '../../src/proxy/node.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { createMockHeidi, MOCK_HEIDI_API_KEY } from '../../demo/mock-heidi/index.ts';

const FX = FIXTURES[0]!.session.session_id;

describe('mock Heidi through toNodeMiddleware on node:http', () => {
  const mock = createMockHeidi({ sleep: async () => {} });
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer(toNodeMiddleware((request) => mock.handle(request)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function token(user: string): Promise<string> {
    const response = await fetch(`${base}/mock-heidi/jwt?email=a%40b.c&third_party_internal_id=${user}`, {
      headers: { 'Heidi-Api-Key': MOCK_HEIDI_API_KEY },
    });
    assert.equal(response.status, 200);
    return JwtResponse.parse(await response.json()).token;
  }

  it('issues a token, reads, patches (request body) and gets clinical codes over HTTP', async () => {
    const auth = { authorization: `Bearer ${await token('node-user')}` };
    const session = await fetch(`${base}/mock-heidi/sessions/${FX}`, { headers: auth });
    assert.equal(session.status, 200);
    assert.match(session.headers.get('content-type') ?? '', /^application\/json/);
    SessionResponse.parse(await session.json());

    const patched = await fetch(`${base}/mock-heidi/sessions/${FX}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ clinician_notes: ['over the wire'] }),
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(SessionResponse.parse(await patched.json()).session.clinician_notes, ['over the wire']);

    const codes = await fetch(`${base}/mock-heidi/sessions/generated-50/clinical-codes`, { headers: auth });
    assert.equal(ClinicalCodesResponse.parse(await codes.json()).clinical_entities.length, 50);
  });

  it('passes Heidi errors, headers and HTML pages through', async () => {
    const unauthenticated = await fetch(`${base}/mock-heidi/sessions/${FX}`);
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(ErrorResponse.parse(await unauthenticated.json()), { detail: 'Could not validate credentials' });

    const auth = { authorization: `Bearer ${await token('node-failures')}` };
    await fetch(`${base}/mock-heidi/__scenario`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'node-failures', failures: [{ status: 429, retryAfter: 7 }, { kind: 'html' }] }),
    });
    const limited = await fetch(`${base}/mock-heidi/sessions/${FX}`, { headers: auth });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    const html = await fetch(`${base}/mock-heidi/sessions/${FX}`, { headers: auth });
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
  });

  it('leaves paths outside /mock-heidi to the next handler (404 when there is none)', async () => {
    const response = await fetch(`${base}/elsewhere`);
    assert.equal(response.status, 404);
    await response.arrayBuffer();
  });

  it('turns a network failure into a dropped connection', async () => {
    const auth = { authorization: `Bearer ${await token('node-network')}` };
    await fetch(`${base}/mock-heidi/__scenario`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'node-network', failures: [{ kind: 'network' }] }),
    });
    await assert.rejects(fetch(`${base}/mock-heidi/sessions/${FX}`, { headers: auth }), TypeError);
  });
});
