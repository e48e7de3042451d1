/**
 * The Sully engine: create, poll until done, entities per coding with their
 * note evidence located, and every way Sully or the network can let it down
 * as a HeidiError (or the caller's abort reason). Against the mock Sully
 * in-process, and a scripted server where exact bodies matter (the seed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeSystemMatches } from '../../src/core/code-systems.ts';
import { createSullyEngine, MAX_FAILURES, type SullyEngineOptions } from '../../src/core/engines/sully.ts';
import { createMockSully, MOCK_SULLY_ACCOUNT_ID, MOCK_SULLY_API_KEY } from '../../demo/mock-sully/index.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { fakeClock, forwarder, never, ORIGIN, progressLog, rejectsWith, scripted } from './peer-testing.ts';

const SULLY_CREDENTIALS = { 'x-api-key': MOCK_SULLY_API_KEY, 'x-account-id': MOCK_SULLY_ACCOUNT_ID };
const SEED_NOTE =
  'Patient presents with migraine headache, experiencing throbbing pain on the right side for 3 days. Photophobia and nausea present. Started on sumatriptan 50mg as needed. Follow-up visit scheduled in 2 weeks.';

/** The seed's "Full Response Example", offsets and all (they are wrong on purpose). */
const SEED_FULL_RESPONSE = {
  data: {
    codingId: 'cod_abc123def456',
    status: 'completed',
    created_at: '2024-01-24T15:30:00Z',
    updated_at: '2024-01-24T15:30:05Z',
    result: {
      diagnoses: [
        {
          id: 'diag_001',
          code: {
            coding: [
              { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G43.909', display: 'Migraine, unspecified, not intractable' },
              { system: 'http://snomed.info/sct', code: '37796009', display: 'Migraine' },
            ],
            text: 'Migraine headache',
          },
          text_span: { start_char: 22, end_char: 38, text: 'migraine headache' },
        },
        {
          id: 'diag_002',
          code: {
            coding: [
              { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'R11.0', display: 'Nausea' },
              { system: 'http://snomed.info/sct', code: '422587007', display: 'Nausea' },
            ],
            text: 'Nausea',
          },
          text_span: { start_char: 95, end_char: 101, text: 'nausea' },
        },
      ],
      procedures: [
        {
          id: 'proc_001',
          code: {
            coding: [
              { system: 'http://www.ama-assn.org/go/cpt', code: '99213', display: 'Office visit, established patient, low complexity' },
            ],
            text: 'Office visit',
          },
          text_span: { start_char: 156, end_char: 177, text: 'Follow-up visit' },
        },
      ],
    },
  },
};

const pending = (id = 'cod_abc123def456', status = 'pending') => ({ data: { codingId: id, status } });

function withMock(options: Partial<SullyEngineOptions> = {}, credentials: Record<string, string> = SULLY_CREDENTIALS) {
  const mock = createMockSully();
  const clock = fakeClock();
  const { fetch, sent } = forwarder(mock.handle, credentials);
  const engine = createSullyEngine({ base: `${ORIGIN}/mock-sully`, fetch, now: clock.now, sleep: clock.sleep, ...options });
  const scenario = async (body: unknown) => {
    const response = await mock.handle(new Request(`${ORIGIN}/mock-sully/__scenario`, { method: 'POST', body: JSON.stringify(body) }));
    assert.equal(response?.status, 200, await response?.clone().text());
  };
  return { engine, sent, clock: clock.clock, scenario };
}

function withScript(answers: unknown[], options: Partial<SullyEngineOptions> = {}) {
  const clock = fakeClock();
  const server = scripted(...answers);
  const engine = createSullyEngine({ base: `${ORIGIN}/ehr/sully`, fetch: server.fetch, now: clock.now, sleep: clock.sleep, ...options });
  return { engine, requests: server.requests, clock: clock.clock };
}

const input = (note: string) => ({ note, transcript: undefined });

describe('Sully engine: the seed full response example', () => {
  it('polls until completed and makes one entity per coding, each with its text located in the note', async () => {
    const { engine, requests, clock } = withScript([pending(), pending(undefined, 'processing'), SEED_FULL_RESPONSE]);
    const progress = progressLog();
    const result = await engine.code(input(SEED_NOTE), never, progress.onProgress);

    assert.deepEqual(
      requests.map((r) => `${r.method} ${new URL(r.url).pathname}`),
      ['POST /ehr/sully/v1/codings', 'GET /ehr/sully/v1/codings/cod_abc123def456', 'GET /ehr/sully/v1/codings/cod_abc123def456'],
    );
    assert.deepEqual(await requests[0]!.json(), { text: SEED_NOTE });
    assert.deepEqual(clock.sleeps, [2000, 2000], 'the documented 2 s between polls');
    assert.deepEqual(progress.seen, [{ phase: 'processing', startedAt: 0 }]);
    assert.equal(result.engine, 'sully');
    assert.equal(result.runId, 'cod_abc123def456');
    assert.equal(result.dropped, 0);
    assert.deepEqual(result.discarded, []);

    const summary = result.entities.map((e) => [e.id, e.primary.systemLabel, e.primary.kind, e.primary.code, e.primary.display]);
    assert.deepEqual(summary, [
      ['sully:ICD-10-CM:G43.909', 'ICD-10-CM', 'diagnosis', 'G43.909', 'Migraine, unspecified, not intractable'],
      ['sully:SNOMED CT:37796009', 'SNOMED CT', 'clinical-term', '37796009', 'Migraine'],
      ['sully:ICD-10-CM:R11.0', 'ICD-10-CM', 'diagnosis', 'R11.0', 'Nausea'],
      ['sully:SNOMED CT:422587007', 'SNOMED CT', 'clinical-term', '422587007', 'Nausea'],
      ['sully:CPT:99213', 'CPT', 'procedure', '99213', 'Office visit, established patient, low complexity'],
    ]);
    const [g43, snomed, nausea, , visit] = result.entities;
    assert.equal(g43!.primary.system, 'http://hl7.org/fhir/sid/icd-10-cm');
    assert.equal(g43!.primary.codeSystem, 'ICD-10-CM');
    assert.ok(codeSystemMatches('icd_10_cm', g43!.primary.codeSystem), 'the code-systems filter selects it like a Heidi code');
    assert.ok(!codeSystemMatches('SNOMED CT', g43!.primary.codeSystem));
    assert.equal(snomed!.primary.system, 'http://snomed.info/sct');
    assert.equal(visit!.primary.system, 'http://www.ama-assn.org/go/cpt');
    // The seed's offsets do not slice its quotes; each quote is found nearest to them instead.
    assert.deepEqual(g43!.note, [{ location: 'moved', text: 'migraine headache', start: 22, end: 39 }]);
    assert.deepEqual(snomed!.note, g43!.note, 'both codings of one diagnosis share its evidence');
    assert.deepEqual(nausea!.note, [{ location: 'moved', text: 'nausea', start: 115, end: 121 }]);
    assert.deepEqual(visit!.note, [{ location: 'moved', text: 'Follow-up visit', start: 170, end: 185 }]);
    for (const e of result.entities) {
      assert.equal(e.primary.score, undefined, 'Sully gives no score');
      assert.deepEqual(e.transcript, []);
      assert.equal(e.justification, undefined);
    }
  });

  it('accepts the `complete` spelling, an id under `codingId`, and a CPT code sent as a JSON number', async () => {
    const done = structuredClone(SEED_FULL_RESPONSE);
    done.data.status = 'complete';
    (done.data.result.procedures[0]!.code.coding[0] as { code: unknown }).code = 99213;
    const { engine, requests } = withScript([{ data: { codingId: 'cod_x', status: 'pending' } }, done]);
    const result = await engine.code(input(SEED_NOTE), never, () => {});
    assert.equal(new URL(requests[1]!.url).pathname, '/ehr/sully/v1/codings/cod_x');
    assert.equal(result.entities.at(-1)!.primary.code, '99213');
    assert.equal(result.entities.at(-1)!.id, 'sully:CPT:99213');
  });

  it('keeps the leading zeros a numeric CPT code lost, and makes ids unique when a code repeats', async () => {
    const done = structuredClone(SEED_FULL_RESPONSE);
    const procedure = done.data.result.procedures[0]!;
    (procedure.code.coding[0] as { code: unknown }).code = 100;
    done.data.result.procedures.push(structuredClone(procedure));
    const { engine } = withScript([done]);
    const result = await engine.code(input(SEED_NOTE), never, () => {});
    assert.deepEqual(
      result.entities.slice(-2).map((e) => [e.id, e.primary.code]),
      [
        ['sully:CPT:00100', '00100'],
        ['sully:CPT:00100#2', '00100'],
      ],
    );
  });
});

describe('Sully engine: against the mock', () => {
  it('codes a fixture note: pending, processing, then completed, with exact evidence and no secret sent', async () => {
    const note = FIXTURES.find((f) => f.id === 'fx-t2dm-review')!.session.consult_note!.result!;
    const { engine, sent, clock } = withMock();
    const result = await engine.code(input(note), never, () => {});

    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET', 'GET'],
      'polled twice before completed',
    );
    assert.deepEqual(clock.sleeps, [2000, 2000]);
    for (const s of sent) {
      assert.equal(s.credentials, 'same-origin');
      for (const secret of ['x-api-key', 'x-account-id', 'authorization'])
        assert.equal(s.headers.get(secret), null, `${secret} is the forwarder's to add`);
    }
    const codes = result.entities.map((e) => `${e.primary.systemLabel} ${e.primary.code}`);
    assert.ok(codes.includes('ICD-10-CM E11.65') && codes.includes('SNOMED CT 44054006') && codes.includes('CPT 83036'), codes.join(', '));
    for (const e of result.entities) {
      const [evidence] = e.note;
      assert.ok(evidence && evidence.location === 'exact', `${e.id} is located exactly`);
      assert.equal(note.slice(evidence.start, evidence.end), evidence.text);
    }
    assert.ok(result.runId?.startsWith('coding_'));
  });

  it('honours Retry-After on an in-progress poll instead of the 2 s interval', async () => {
    const { engine, scenario, clock } = withMock();
    await scenario({ pollsToComplete: 3, retryAfterSeconds: 5 });
    await engine.code(input('Known asthma, well controlled.'), never, () => {});
    assert.deepEqual(clock.sleeps, [2000, 5000, 5000]);
  });

  it('waits out a 429 on a poll for its Retry-After, then carries on', async () => {
    const { engine, scenario, clock, sent } = withMock();
    await scenario({ failures: [{ kind: 'status', status: 429, route: 'poll', retryAfter: 7 }] });
    const result = await engine.code(input('Type 2 diabetes.'), never, () => {});
    assert.deepEqual(clock.sleeps, [2000, 7000, 2000]);
    assert.equal(sent.length, 4);
    assert.equal(result.entities[0]!.primary.code, 'E11.9');
  });

  it(`gives up after ${MAX_FAILURES} failed polls in a row`, async () => {
    const { engine, scenario, sent } = withMock();
    await scenario({ failures: [{ kind: 'status', status: 503, route: 'poll', count: MAX_FAILURES }] });
    const error = await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'server',
    );
    assert.equal(error.status, 503);
    assert.equal(sent.length, 1 + MAX_FAILURES);
  });

  it('retries creating only on 429 and 503, which say nothing was created', async () => {
    const retried = withMock();
    await retried.scenario({ failures: [{ kind: 'status', status: 503, route: 'create' }] });
    await retried.engine.code(input('Asthma.'), never, () => {});
    assert.deepEqual(
      retried.sent.map((s) => s.method),
      ['POST', 'POST', 'GET', 'GET'],
    );

    const notRetried = withMock();
    await notRetried.scenario({ failures: [{ kind: 'status', status: 500, route: 'create' }] });
    const error = await rejectsWith(
      notRetried.engine.code(input('Asthma.'), never, () => {}),
      'server',
    );
    assert.match(error.message, /Sully had a problem answering \(the coding request, HTTP 500\): Internal server error/);
    assert.equal(notRetried.sent.length, 1);
  });

  it('reports a failed coding as a server error', async () => {
    const { engine, scenario } = withMock();
    await scenario({ failures: [{ kind: 'failed' }] });
    const error = await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'server',
    );
    assert.match(error.message, /Sully could not code the note: Coding extraction failed/);
  });

  it('times out after 10 minutes of polling on the clock it was given', async () => {
    const { engine, scenario, clock, sent } = withMock();
    await scenario({ pollsToComplete: 1_000_000 });
    const error = await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'timeout',
    );
    assert.match(error.message, /within 600 s/);
    assert.equal(clock.now, 600_000, 'the last wait stops at the deadline');
    assert.equal(sent.length, 1 + 300);
  });

  it('is an auth error when the forwarder adds no credentials', async () => {
    const { engine } = withMock({}, {});
    const error = await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'auth',
    );
    assert.equal(error.status, 401);
    assert.match(error.message, /Invalid or missing X-API-KEY or X-ACCOUNT-ID/);
    assert.equal(error.retryable, true);
  });
});

describe('Sully engine: bad answers become HeidiErrors', () => {
  const bad = async (answers: unknown[], code: 'invalid-response' | 'invalid-request' | 'server', pattern: RegExp) => {
    const { engine } = withScript(answers);
    const error = await rejectsWith(
      engine.code(input(SEED_NOTE), never, () => {}),
      code,
    );
    assert.match(error.message, pattern);
  };

  it('a body that is not JSON', () => bad([new Response('<html>oops</html>', { status: 200 })], 'invalid-response', /not valid JSON/));
  it('a create answer without any id', () => bad([{ data: { status: 'pending' } }], 'invalid-response', /without a coding id/));
  it('a status body of the wrong shape', () =>
    bad([pending(), { data: 'done' }], 'invalid-response', /Sully sent the coding status in an unexpected shape \(data:/));
  it('a status Sully does not document', () =>
    bad([pending(), pending(undefined, 'exploded')], 'invalid-response', /unknown status .*exploded/));
  it('completed without a result', () =>
    bad([pending(), pending(undefined, 'completed')], 'invalid-response', /completed without a result/));
  it('an error body with its message', () =>
    bad(
      [Response.json({ error: 400, message: 'text must not be empty' }, { status: 400 })],
      'invalid-request',
      /Sully refused what was sent \(the coding request, HTTP 400\): text must not be empty/,
    ));

  it('drops one bad item or coding and keeps the rest, counting what it dropped', async () => {
    const done = structuredClone(SEED_FULL_RESPONSE) as {
      data: { result: { diagnoses: unknown[]; procedures: { code: { coding: unknown[] } }[] } };
    };
    done.data.result.diagnoses.push({ id: 'diag_bad', code: 'not an object' }, 42);
    const cpt = 'http://www.ama-assn.org/go/cpt';
    done.data.result.procedures[0]!.code.coding.push(
      { system: cpt, code: '' },
      { code: '99214' },
      { system: cpt, code: '  ' },
      { system: cpt, code: 992.5 },
      { system: cpt, code: -1 },
    );
    const { engine } = withScript([done]);
    const result = await engine.code(input(SEED_NOTE), never, () => {});
    assert.equal(result.entities.length, 5);
    assert.equal(result.dropped, 7);
  });

  it('keeps a quote it cannot find in the note, unlocated, and an unknown system raw', async () => {
    const { engine } = withScript([
      {
        data: {
          id: 'c1',
          status: 'completed',
          result: {
            diagnoses: [
              {
                code: { coding: [{ system: 'urn:example:local', code: 'X1' }], text: 'Local finding' },
                text_span: { start_char: 5, end_char: 9, text: 'not in the note' },
              },
              { code: { coding: [{ system: 'https://hl7.org/fhir/sid/icd-10-cm/', code: 'R51.9' }] } },
            ],
          },
        },
      },
    ]);
    const result = await engine.code(input(SEED_NOTE), never, () => {});
    const [local, headache] = result.entities;
    assert.deepEqual(local!.note, [{ location: 'unlocated', text: 'not in the note' }]);
    assert.deepEqual(
      [local!.primary.system, local!.primary.systemLabel, local!.primary.kind, local!.primary.display],
      ['urn:example:local', 'urn:example:local', 'diagnosis', 'Local finding'],
    );
    assert.equal(headache!.primary.system, 'http://hl7.org/fhir/sid/icd-10-cm', 'a URI spelled differently maps to the canonical one');
    assert.deepEqual(headache!.note, []);
  });
});

describe('Sully engine: cancelling', () => {
  it('rejects at once, sending nothing, when the signal is already aborted', async () => {
    const { engine, requests } = withScript([pending()]);
    const controller = new AbortController();
    const reason = new Error('cancelled by the reviewer');
    controller.abort(reason);
    await assert.rejects(
      engine.code(input(SEED_NOTE), controller.signal, () => {}),
      (e) => e === reason,
    );
    assert.equal(requests.length, 0);
  });

  it("stops polling with the signal's reason when aborted between polls (real timers, no wait)", async () => {
    const controller = new AbortController();
    const reason = new DOMException('Cancelled', 'AbortError');
    const server = scripted(() => {
      // Aborted as the answer leaves: the engine must not sleep its 60 s or poll again.
      controller.abort(reason);
      return Response.json(pending());
    });
    const engine = createSullyEngine({ base: `${ORIGIN}/ehr/sully`, fetch: server.fetch, pollIntervalMs: 60_000 });
    const started = Date.now();
    await assert.rejects(
      engine.code(input(SEED_NOTE), controller.signal, () => {}),
      (e) => e === reason,
    );
    assert.ok(Date.now() - started < 5_000);
    assert.equal(server.requests.length, 1);
  });

  it("stops a request in flight with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const server = scripted(
      (request: Request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
          controller.abort(reason);
        }),
    );
    const engine = createSullyEngine({ base: `${ORIGIN}/ehr/sully`, fetch: server.fetch });
    await assert.rejects(
      engine.code(input(SEED_NOTE), controller.signal, () => {}),
      (e) => e === reason,
    );
  });
});
