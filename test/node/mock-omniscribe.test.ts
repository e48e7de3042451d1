/**
 * Mock Omniscribe: the bearer check, the 50 KB limit, the documented errors,
 * the slow and failing scenarios, and codes for the fixtures that overlap
 * with, add to and discard Heidi's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createMockOmniscribe,
  MAX_NOTE_BYTES,
  MOCK_OMNISCRIBE_TOKEN,
  OMNISCRIBE_QUICKSTART_NOTE,
} from '../../demo/mock-omniscribe/index.ts';
import { OmniscribeAssessment, OmniscribeResponse } from '../../src/core/engines/omniscribe-schemas.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';

const ORIGIN = 'http://mock.test';
const AUTH = { authorization: `Bearer ${MOCK_OMNISCRIBE_TOKEN}` };

function harness() {
  const sleeps: number[] = [];
  const mock = createMockOmniscribe({ sleep: async (ms) => void sleeps.push(ms) });
  const call = async (path: string, init: RequestInit = {}, headers: Record<string, string> = AUTH) => {
    const response = await mock.handle(new Request(`${ORIGIN}/mock-omniscribe${path}`, { ...init, headers }));
    assert.ok(response, `mock declined ${path}`);
    return response;
  };
  const codify = (body: unknown, headers: Record<string, string> = AUTH) =>
    call('/v1/codify', { method: 'POST', body: JSON.stringify(body) }, headers);
  const coded = async (note: string) => {
    const response = await codify({ medical_note: note });
    assert.equal(response.status, 200, await response.clone().text());
    const body = OmniscribeResponse.parse(await response.json());
    return {
      runId: body.run_id,
      finals: body.final_code_assessments.map((a) => OmniscribeAssessment.parse(a)),
      discarded: (body.discarded_code_assessments ?? []).map((a) => OmniscribeAssessment.parse(a)),
    };
  };
  const scenario = (body: unknown) => call('/__scenario', { method: 'POST', body: JSON.stringify(body) }, {});
  /** An error body in Omniscribe's documented shape, `{success: false, error, details}` (and `run_id` on a 500). */
  const error = async (response: Response) => {
    const { success, ...rest } = (await response.json()) as { success: unknown; error: string; details: unknown; run_id?: string };
    assert.equal(success, false);
    assert.equal(typeof rest.error, 'string');
    return { status: response.status, ...rest };
  };
  return { mock, call, codify, coded, scenario, error, sleeps };
}

describe('mock Omniscribe: requests', () => {
  it('answers 401 {success: false, error, details} without the bearer token, or with a wrong one', async () => {
    const h = harness();
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }];
    for (const headers of attempts) {
      const response = await h.codify({ medical_note: 'x' }, headers);
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { success: false, error: 'Unauthorized', details: 'Missing or invalid bearer token' });
    }
  });

  it('codes the quickstart note exactly as documented', async () => {
    const { finals, discarded, runId } = await harness().coded(OMNISCRIBE_QUICKSTART_NOTE);
    assert.deepEqual(
      finals.map((a) => [a.code, a.confidence_percent]),
      [
        ['E11.9', 92.4],
        ['Z79.84', 96.1],
      ],
    );
    assert.deepEqual(discarded, []);
    assert.match(runId!, /^run_/);
  });

  it('refuses a medical_note over 50 KB with 413, and takes one of exactly 50 KB', async () => {
    const h = harness();
    const tooBig = await h.codify({ medical_note: 'é'.repeat(MAX_NOTE_BYTES / 2 + 1) });
    assert.deepEqual(await h.error(tooBig), { status: 413, error: 'Payload Too Large', details: 'medical_note exceeds 50 KB' });
    const atLimit = await h.codify({ medical_note: 'a'.repeat(MAX_NOTE_BYTES) });
    assert.equal(atLimit.status, 200);
  });

  it('answers 400 for a missing or empty note, an unknown model or a body that is not JSON, and 422 for a PDF', async () => {
    const h = harness();
    assert.equal((await h.codify({})).status, 400);
    assert.equal((await h.codify({ medical_note: '   ' })).status, 400);
    const model = await h.error(await h.codify({ medical_note: 'x', model: 'turbo' }));
    assert.deepEqual(model, { status: 400, error: 'Bad Request', details: 'model must be one of fast, balanced, high-quality' });
    assert.equal((await h.call('/v1/codify', { method: 'POST', body: '{oops' })).status, 400);
    const pdf = { type: 'file', source_type: 'base64', data: 'JVBERi0=', mime_type: 'application/pdf', filename: 'a.pdf' };
    assert.equal((await h.codify({ pdf_file: pdf })).status, 422);
    for (const m of ['fast', 'balanced', 'high-quality']) assert.equal((await h.codify({ medical_note: 'x', model: m })).status, 200);
  });

  it('has the health route and nothing else', async () => {
    const h = harness();
    assert.deepEqual(await (await h.call('/v1/health')).json(), { status: 'ok' });
    assert.equal((await h.call('/v1/other')).status, 404);
    assert.equal((await h.call('/v1/codify')).status, 405);
    assert.equal(await h.mock.handle(new Request(`${ORIGIN}/mock-sully/v1/codings`)), undefined);
  });
});

describe('mock Omniscribe: scenarios', () => {
  it('is slow when told to, per user', async () => {
    const h = harness();
    assert.equal((await h.scenario({ user: 'dr-slow', latencyMs: 90_000 })).status, 200);
    await h.codify({ medical_note: 'Asthma.' }, { ...AUTH, 'x-doctor': 'dr-slow' });
    await h.codify({ medical_note: 'Asthma.' }, { ...AUTH, 'x-doctor': 'dr-fast' });
    assert.deepEqual(h.sleeps, [90_000]);
  });

  it('fails the next calls with the statuses asked for, a run id on a 500, Retry-After when given', async () => {
    const h = harness();
    await h.scenario({ failures: [{ status: 429, retryAfter: 2 }, { status: 500 }, { status: 503, count: 1 }] });
    const limited = await h.codify({ medical_note: 'x' });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    const server = await h.error(await h.codify({ medical_note: 'x' }));
    assert.equal(server.status, 500);
    assert.match(server.run_id!, /^run_/);
    assert.equal((await h.codify({ medical_note: 'x' })).status, 503);
    assert.equal((await h.codify({ medical_note: 'x' })).status, 200);
  });

  it('can answer a body that is not JSON', async () => {
    const h = harness();
    await h.scenario({ failures: [{ kind: 'malformed' }] });
    const response = await h.codify({ medical_note: 'x' });
    const text = await response.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  it('reads a user’s scenario back', async () => {
    const h = harness();
    await h.scenario({ user: 'dr-a', latencyMs: 500, failures: [{ status: 503, count: 2 }] });
    assert.deepEqual(await (await h.call('/__scenario?user=dr-a', {}, {})).json(), {
      user: 'dr-a',
      latencyMs: 500,
      failures: [{ count: 2, status: 503, kind: 'status' }],
    });
    assert.deepEqual(await (await h.call('/__scenario', {}, {})).json(), { user: 'default', failures: [] });
  });

  it('rejects a bad scenario with 422', async () => {
    const h = harness();
    const response = await h.scenario({ latencyMs: -1, failures: [{ status: 99 }] });
    const body = await h.error(response);
    assert.equal(body.status, 422);
    assert.match(String(body.details), /latencyMs.*failures\[0\]\.status/);
  });
});

describe('mock Omniscribe: codes against Heidi’s', () => {
  const ICD_10_CM = 'icd_10_cm';

  for (const fixture of FIXTURES) {
    it(`${fixture.id}: only ICD-10-CM codes with a confidence and a justification; none both final and discarded`, async () => {
      const { finals, discarded } = await harness().coded(fixture.session.consult_note!.result!);
      assert.ok(finals.length >= 3);
      for (const a of [...finals, ...discarded]) {
        assert.match(a.code, /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'an ICD-10-CM code');
        assert.ok(a.confidence_percent! >= 0 && a.confidence_percent! <= 100);
        assert.ok(a.justification && a.description);
      }
      const finalCodes = new Set(finals.map((a) => a.code));
      for (const d of discarded) assert.ok(!finalCodes.has(d.code));
    });
  }

  it('agrees with Heidi on some codes, adds others, and discards some that Heidi suggests', async () => {
    let agreed = 0;
    let added = 0;
    let discardedHeidi = 0;
    for (const fixture of FIXTURES) {
      const heidi = new Set(
        fixture.clinicalCodes.clinical_entities.filter((e) => e.primary_code.code_system === ICD_10_CM).map((e) => e.primary_code.code),
      );
      const { finals, discarded } = await harness().coded(fixture.session.consult_note!.result!);
      agreed += finals.filter((a) => heidi.has(a.code)).length;
      added += finals.filter((a) => !heidi.has(a.code)).length;
      discardedHeidi += discarded.filter((a) => heidi.has(a.code)).length;
    }
    assert.ok(agreed >= 5, `agreed on ${agreed}`);
    assert.ok(added >= 5, `added ${added}`);
    assert.ok(discardedHeidi >= 5, `discarded ${discardedHeidi} of Heidi's`);
  });

  it('codes free text by keyword and discards what the note negates', async () => {
    const { finals, discarded } = await harness().coded(
      'Chest tightness. Denies diabetes. Asthma since childhood; uses a salbutamol inhaler.',
    );
    assert.deepEqual(
      finals.map((a) => a.code),
      ['J45.909'],
    );
    assert.deepEqual(
      discarded.map((a) => a.code),
      ['E11.9'],
    );
    assert.match(discarded[0]!.justification!, /negates/);
  });
});
