/**
 * The Omniscribe engine: one codify call, final assessments as ICD-10-CM
 * entities with their confidence and justification, discarded ones as
 * DiscardedCodes, and every failure as the HeidiError the contract names.
 * Against the mock Omniscribe in-process, and scripted bodies for the odd ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOmniscribeEngine, type OmniscribeEngineOptions } from '../../src/core/engines/omniscribe.ts';
import { createMockOmniscribe, MOCK_OMNISCRIBE_TOKEN, OMNISCRIBE_QUICKSTART_NOTE } from '../../demo/mock-omniscribe/index.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { toFhirBundle } from '../../src/core/fhir.ts';
import { codeRef } from '../../src/core/model.ts';
import { forwarder, never, ORIGIN, progressLog, rejectsWith, scripted } from './peer-testing.ts';

const BEARER = { authorization: `Bearer ${MOCK_OMNISCRIBE_TOKEN}`, 'x-doctor': 'omni-test' };
const input = (note: string) => ({ note, transcript: undefined });

function withMock(options: Partial<OmniscribeEngineOptions> = {}, credentials: Record<string, string> = BEARER) {
  const mock = createMockOmniscribe({ sleep: async () => {} });
  const { fetch, sent } = forwarder(mock.handle, credentials);
  // No real waiting between retries in tests.
  const engine = createOmniscribeEngine({ base: `${ORIGIN}/mock-omniscribe`, fetch, maxRetryDelayMs: 0, ...options });
  const scenario = async (body: Record<string, unknown>) => {
    const response = await mock.handle(
      new Request(`${ORIGIN}/mock-omniscribe/__scenario`, { method: 'POST', body: JSON.stringify({ user: 'omni-test', ...body }) }),
    );
    assert.equal(response?.status, 200, await response?.clone().text());
  };
  return { engine, sent, scenario };
}

function withScript(answers: unknown[], options: Partial<OmniscribeEngineOptions> = {}) {
  const server = scripted(...answers);
  const engine = createOmniscribeEngine({ base: `${ORIGIN}/ehr/omniscribe`, fetch: server.fetch, maxRetryDelayMs: 0, ...options });
  return { engine, requests: server.requests };
}

describe('Omniscribe engine: the quickstart example', () => {
  it('gives E11.9 at 92.4 % and Z79.84 at 96.1 % with their justifications, nothing discarded', async () => {
    const { engine, sent } = withMock({ patientId: 'EHR-PT-1002' });
    const progress = progressLog();
    const result = await engine.code(input(OMNISCRIBE_QUICKSTART_NOTE), never, progress.onProgress);

    assert.equal(sent.length, 1);
    const [request] = sent;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.path, '/mock-omniscribe/v1/codify');
    assert.deepEqual(request!.body, { medical_note: OMNISCRIBE_QUICKSTART_NOTE, model: 'balanced' });
    assert.equal(request!.headers.get('x-patient'), 'EHR-PT-1002');
    assert.equal(request!.headers.get('authorization'), null, 'the bearer token is the forwarder’s to add');
    assert.equal(request!.credentials, 'same-origin');
    assert.equal(progress.seen.length, 1);
    assert.equal(progress.seen[0]!.phase, 'processing');

    assert.equal(result.engine, 'omniscribe');
    assert.match(result.runId ?? '', /^run_/);
    assert.deepEqual(result.discarded, []);
    assert.equal(result.dropped, 0);
    assert.deepEqual(
      result.entities.map((e) => [
        e.id,
        e.primary.system,
        e.primary.systemLabel,
        e.primary.codeSystem,
        e.primary.kind,
        e.primary.code,
        e.primary.score,
      ]),
      [
        ['omniscribe:ICD-10-CM:E11.9', 'http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM', 'ICD-10-CM', 'diagnosis', 'E11.9', 0.924],
        ['omniscribe:ICD-10-CM:Z79.84', 'http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM', 'ICD-10-CM', 'diagnosis', 'Z79.84', 0.961],
      ],
    );
    for (const e of result.entities) {
      assert.ok(e.justification && e.justification.length > 10, 'the justification is carried as evidence text');
      assert.deepEqual(e.note, [], 'a justification is not a location');
      assert.deepEqual(e.transcript, []);
    }
  });

  it('sends the chosen model and no x-patient when there is no patient id', async () => {
    const { engine, sent } = withMock({ model: 'high-quality' });
    await engine.code(input(OMNISCRIBE_QUICKSTART_NOTE), never, () => {});
    assert.equal((sent[0]!.body as { model: string }).model, 'high-quality');
    assert.equal(sent[0]!.headers.get('x-patient'), null);
  });

  it('refuses, before sending anything, a patient id that cannot be a header', async () => {
    const { engine, sent } = withMock({ patientId: 'PT-1\r\nx-evil: 1' });
    await rejectsWith(
      engine.code(input(OMNISCRIBE_QUICKSTART_NOTE), never, () => {}),
      'config',
    );
    assert.equal(sent.length, 0);
  });
});

describe('Omniscribe engine: discarded codes', () => {
  it('lists what Omniscribe considered and threw away, with its reason, never as a suggestion', async () => {
    const note = FIXTURES.find((f) => f.id === 'fx-t2dm-review')!.session.consult_note!.result!;
    const { engine } = withMock();
    const result = await engine.code(input(note), never, () => {});
    const insulin = result.discarded.find((d) => d.code === 'Z79.4');
    assert.deepEqual(insulin, {
      engine: 'omniscribe',
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'Z79.4',
      display: 'Long term (current) use of insulin',
      justification: 'The note states the patient is not on insulin.',
      score: 0.03,
    });
    const suggested = new Set(result.entities.map((e) => e.primary.code));
    for (const d of result.discarded) assert.ok(!suggested.has(d.code), `${d.code} is not also a suggestion`);
    assert.ok(suggested.has('E11.65'));
  });

  it('a confidence of 96.2 % is the score 0.962, with no floating-point noise, on the entity, the discarded code and the FHIR Device', async () => {
    const percents = [96.2, 57.99, 0.1, 33.3, 70, 100];
    const { engine } = withScript([
      {
        final_code_assessments: percents.map((p, i) => ({ code: `R${i}`, description: 'x', justification: 'j', confidence_percent: p })),
        discarded_code_assessments: [{ code: 'R07.9', description: 'Chest pain', justification: 'denied', confidence_percent: 96.2 }],
        run_id: 'run_1',
      },
    ]);
    const result = await engine.code(input('note'), never, () => {});
    assert.deepEqual(
      result.entities.map((e) => e.primary.score),
      [0.962, 0.5799, 0.001, 0.333, 0.7, 1],
    );
    assert.equal(96.2 / 100 === 0.962, false, 'plain division is the noise this guards against');
    assert.equal(result.discarded[0]!.score, 0.962);
    const [first] = result.entities;
    const bundle = toFhirBundle(
      [
        {
          ...codeRef(first!.primary),
          entityId: first!.id,
          engines: first!.engines.map(({ engine: name, score }) => ({ engine: name, score })),
        },
      ],
      { sessionId: 's' },
    );
    assert.match(JSON.stringify(bundle), /"valueQuantity":\[\{"value":0\.962\}\]/);
    assert.doesNotMatch(JSON.stringify(bundle), /0\.96200000/);
  });

  it('a description or justification with bidi controls is shown as it will be filed: the controls removed', async () => {
    const { engine } = withScript([
      {
        final_code_assessments: [{ code: 'R06.02', description: 'Dyspnea \u202Egnorw\u202C', justification: '\u2067Not\u2069 denied' }],
        discarded_code_assessments: [{ code: 'R07.9', description: '\u202Dx\u202C', justification: 'a\u200Fb' }],
      },
    ]);
    const result = await engine.code(input('note'), never, () => {});
    const [e] = result.entities;
    assert.deepEqual([e!.primary.display, e!.justification, e!.engines[0]!.justification], ['Dyspnea gnorw', 'Not denied', 'Not denied']);
    assert.deepEqual([result.discarded[0]!.display, result.discarded[0]!.justification], ['x', 'ab']);
  });

  it('keeps one engine’s scores in 0..1 whatever it sends, and drops only the bad assessments', async () => {
    const { engine } = withScript([
      {
        final_code_assessments: [
          { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications', justification: 'x', confidence_percent: 150 },
          { code: 'I10', description: 'Essential (primary) hypertension', justification: 'y', confidence_percent: -5 },
          { code: 'E78.5', description: null, justification: null, confidence_percent: null },
          { code: '', description: 'empty code' },
          { code: '   ', description: 'blank code' },
          { description: 'no code at all' },
          'not an object',
        ],
        discarded_code_assessments: [
          { code: 42 },
          { code: 'R07.9', description: 'Chest pain, unspecified', justification: 'denied', confidence_percent: 4 },
        ],
        run_id: null,
      },
    ]);
    const result = await engine.code(input('note'), never, () => {});
    assert.deepEqual(
      result.entities.map((e) => [e.primary.code, e.primary.score, e.primary.display, e.justification]),
      [
        ['E11.9', 1, 'Type 2 diabetes mellitus without complications', 'x'],
        ['I10', 0, 'Essential (primary) hypertension', 'y'],
        ['E78.5', undefined, 'E78.5', undefined],
      ],
    );
    assert.deepEqual(
      result.discarded.map((d) => d.code),
      ['R07.9'],
    );
    assert.equal(result.dropped, 5);
    assert.equal(result.runId, undefined);
  });
});

describe('Omniscribe engine: errors as the contract names them', () => {
  it('413 for a note over 50 KB is invalid-request, not retried', async () => {
    const { engine, sent } = withMock();
    const error = await rejectsWith(
      engine.code(input('Type 2 diabetes. '.repeat(4000)), never, () => {}),
      'invalid-request',
    );
    assert.equal(error.status, 413);
    assert.equal(error.retryable, false);
    assert.match(
      error.message,
      /Omniscribe refused what was sent \(coding the note, HTTP 413\): Payload Too Large · medical_note exceeds 50 KB/,
    );
    assert.equal(sent.length, 1);
  });

  for (const status of [400, 422]) {
    it(`${status} is invalid-request`, async () => {
      const { engine, scenario, sent } = withMock();
      await scenario({ failures: [{ status }] });
      await rejectsWith(
        engine.code(input('Asthma.'), never, () => {}),
        'invalid-request',
      );
      assert.equal(sent.length, 1);
    });
  }

  it('401 (the forwarder added no token) is auth', async () => {
    const { engine } = withMock({}, {});
    const error = await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'auth',
    );
    assert.match(error.message, /Missing or invalid bearer token/);
  });

  it('retries a 429 and then answers', async () => {
    const { engine, scenario, sent } = withMock();
    await scenario({ failures: [{ status: 429, retryAfter: 1 }] });
    const result = await engine.code(input(OMNISCRIBE_QUICKSTART_NOTE), never, () => {});
    assert.equal(sent.length, 2);
    assert.equal(result.entities.length, 2);
  });

  it('a 429 that persists is rate-limited (retryable) after three tries', async () => {
    const { engine, scenario, sent } = withMock();
    await scenario({ failures: [{ status: 429, count: 5 }] });
    const error = await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'rate-limited',
    );
    assert.equal(error.retryable, true);
    assert.equal(sent.length, 3);
  });

  for (const [status, code] of [
    [500, 'server'],
    [503, 'server'],
    [504, 'server'],
  ] as const) {
    it(`${status} is retried, then ${code} (retryable)`, async () => {
      const { engine, scenario, sent } = withMock();
      await scenario({ failures: [{ status, count: 3 }] });
      const error = await rejectsWith(
        engine.code(input('Asthma.'), never, () => {}),
        code,
      );
      assert.equal(error.retryable, true);
      assert.equal(sent.length, 3);
      if (status === 500) assert.match(error.message, /run run_/, 'a 500 quotes its run id');
    });
  }

  it('a body that is not JSON is invalid-response, not retried', async () => {
    const { engine, scenario, sent } = withMock();
    await scenario({ failures: [{ kind: 'malformed' }] });
    await rejectsWith(
      engine.code(input('Asthma.'), never, () => {}),
      'invalid-response',
    );
    assert.equal(sent.length, 1);
  });

  for (const [name, body] of [
    ['no final_code_assessments', { discarded_code_assessments: [] }],
    ['final_code_assessments not a list', { final_code_assessments: 'E11.9' }],
    ['a JSON array', [1, 2]],
    ['null', null],
  ] as const) {
    it(`a body with ${name} is invalid-response`, async () => {
      const { engine } = withScript([new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })]);
      const error = await rejectsWith(
        engine.code(input('x'), never, () => {}),
        'invalid-response',
      );
      assert.match(error.message, /Omniscribe sent coding the note in an unexpected shape/);
    });
  }

  it('an HTML error page is still its status’s error', async () => {
    const { engine } = withScript([new Response('<html>Bad gateway</html>', { status: 401, headers: { 'content-type': 'text/html' } })]);
    const error = await rejectsWith(
      engine.code(input('x'), never, () => {}),
      'auth',
    );
    assert.doesNotMatch(error.message, /html/i);
  });
});

describe('Omniscribe engine: cancelling', () => {
  it('stops a slow answer with the signal’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the reviewer');
    const server = scripted(
      (request: Request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
          controller.abort(reason);
        }),
    );
    const engine = createOmniscribeEngine({ base: `${ORIGIN}/ehr/omniscribe`, fetch: server.fetch });
    await assert.rejects(
      engine.code(input('x'), controller.signal, () => {}),
      (e) => e === reason,
    );
    assert.equal(server.requests.length, 1);
  });

  it('sends nothing when already aborted', async () => {
    const { engine, requests } = withScript([{}]);
    const controller = new AbortController();
    controller.abort(new Error('no'));
    await assert.rejects(
      engine.code(input('x'), controller.signal, () => {}),
      /no/,
    );
    assert.equal(requests.length, 0);
  });
});
