/**
 * The dev backend (npm start, the test runner) puts the reference proxy's peer forwarders in front of the peer
 * mocks: the browser calls `/ehr/sully/...` and `/ehr/omniscribe/...` with no secret, and the mocks see the
 * credentials the proxy added server-side.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDevBackend } from '../../demo/server/dev-backend.ts';
import { MOCK_SULLY_ACCOUNT_ID, MOCK_SULLY_API_KEY } from '../../demo/mock-sully/index.ts';
import { MOCK_OMNISCRIBE_TOKEN, OMNISCRIBE_QUICKSTART_NOTE } from '../../demo/mock-omniscribe/index.ts';

const ORIGIN = 'http://localhost:5173';
const backend = createDevBackend({ heidiApiKey: '' });

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; text: string }> {
  const response = await backend.handle(new Request(`${ORIGIN}${path}`, init));
  assert.ok(response, `the dev backend answers ${path}`);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('dev backend: peer forwarders in front of the mocks', () => {
  it('codes a note through /ehr/sully: create, then poll the coding until it completes', async () => {
    const created = await call('/ehr/sully/v1/codings', json({ text: 'Patient with migraine headache and nausea.' }));
    assert.equal(created.status, 201, created.text);
    const data = (created.body as { data: { id?: string; codingId?: string } }).data;
    const id = data.id ?? data.codingId;
    assert.ok(id);
    let status = '';
    for (let poll = 0; poll < 10 && status !== 'completed' && status !== 'complete'; poll++) {
      const read = await call(`/ehr/sully/v1/codings/${id}`);
      assert.equal(read.status, 200, read.text);
      status = (read.body as { data: { status: string } }).data.status;
    }
    assert.match(status, /^complete/);
  });

  it('codes the Omniscribe quickstart note through /ehr/omniscribe', async () => {
    const answer = await call('/ehr/omniscribe/v1/codify', json({ medical_note: OMNISCRIBE_QUICKSTART_NOTE, model: 'balanced' }));
    assert.equal(answer.status, 200, answer.text);
    const codes = (answer.body as { final_code_assessments: { code: string }[] }).final_code_assessments.map((c) => c.code);
    assert.deepEqual(codes.sort(), ['E11.9', 'Z79.84']);
  });

  it('never answers with a peer secret, and the mocks refuse a call that did not come through the forwarder', async () => {
    const direct = await call('/mock-sully/v1/codings', json({ text: 'x' }));
    assert.equal(direct.status, 401);
    const directOmniscribe = await call('/mock-omniscribe/v1/codify', json({ medical_note: 'x' }));
    assert.equal(directOmniscribe.status, 401);
    const forwarded = await call('/ehr/omniscribe/v1/codify', json({ medical_note: OMNISCRIBE_QUICKSTART_NOTE }));
    for (const secret of [MOCK_SULLY_API_KEY, MOCK_SULLY_ACCOUNT_ID, MOCK_OMNISCRIBE_TOKEN]) {
      assert.ok(!forwarded.text.includes(secret) && !direct.text.includes(secret));
    }
  });

  it('refuses an Omniscribe note over 50 KB before it reaches the mock', async () => {
    const answer = await call('/ehr/omniscribe/v1/codify', json({ medical_note: 'a'.repeat(60_000) }));
    assert.equal(answer.status, 413);
  });
});
