/**
 * The engine-neutral pipeline: engines run side by side with their own progress and failure,
 * the run fails only when all fail, aborting cancels all, and the merge makes one card per
 * FHIR system + code while an engine's own repeats stay separate.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeidiError } from '../../src/core/errors.ts';
import { buildModel, type EntityView } from '../../src/core/model.ts';
import { mergeEngineResults } from '../../src/core/engines/merge.ts';
import { runEngines } from '../../src/core/engines/pipeline.ts';
import type { CodingEngine, EngineName, EngineProgress, EngineResult } from '../../src/core/engines/types.ts';

const NOTE = 'Right knee osteoarthritis. Obesity, BMI 33.';
const INPUT = { note: NOTE, transcript: undefined };

/** An entity as an engine would make it: one suggestion of `engine`, note evidence at `quote`. */
function entity(engine: EngineName, id: string, code: string, quote: string, score = 0.9): EntityView {
  const start = NOTE.indexOf(quote);
  const note = [{ location: 'exact' as const, text: quote, start, end: start + quote.length }];
  return {
    id,
    primary: {
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code,
      display: code,
      codeSystem: 'icd_10_cm',
      systemLabel: 'ICD-10-CM',
      kind: 'diagnosis',
      score,
      metadata: undefined,
    },
    similar: [],
    relevance: 'HIGH',
    relevanceScore: undefined,
    apiStatus: undefined,
    transcript: [],
    note,
    context: [],
    engines: [{ engine, entityId: id, score, transcript: [], note, justification: undefined }],
  };
}

function result(engine: EngineName, entities: EntityView[]): EngineResult {
  return { engine, entities, discarded: [], runId: `${engine}-run` };
}

/** An engine that resolves (or rejects) when told, reporting `processing` as it starts. */
function fakeEngine(name: EngineName) {
  let settle!: { resolve: (r: EngineResult) => void; reject: (e: unknown) => void };
  const started: AbortSignal[] = [];
  const engine: CodingEngine = {
    name,
    code(_input, signal, onProgress) {
      started.push(signal);
      onProgress({ phase: 'processing', startedAt: 1 });
      return new Promise<EngineResult>((resolve, reject) => {
        settle = { resolve, reject };
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
  return { engine, started, settle: () => settle };
}

function progressLog() {
  const log: [EngineName, EngineProgress['phase']][] = [];
  return { log, listener: (engine: EngineName, progress: EngineProgress) => log.push([engine, progress.phase]) };
}

describe('runEngines', () => {
  it('runs the engines in parallel and keeps their order in the results', async () => {
    const a = fakeEngine('heidi');
    const b = fakeEngine('sully');
    const { log, listener } = progressLog();
    const run = runEngines([a.engine, b.engine], INPUT, new AbortController().signal, listener);
    // Both started before either finished.
    assert.equal(a.started.length, 1);
    assert.equal(b.started.length, 1);
    b.settle().resolve(result('sully', [entity('sully', 's1', 'E66.9', 'Obesity')]));
    a.settle().resolve(result('heidi', [entity('heidi', 'h1', 'M17.11', 'Right knee osteoarthritis')]));
    const outcome = await run;
    assert.deepEqual(
      outcome.results.map((r) => r.engine),
      ['heidi', 'sully'],
    );
    assert.deepEqual(outcome.failures, []);
    assert.deepEqual(log, [
      ['heidi', 'processing'],
      ['sully', 'processing'],
      ['sully', 'done'],
      ['heidi', 'done'],
    ]);
  });

  it('one engine failing does not fail the others: its failure is reported with its progress', async () => {
    const a = fakeEngine('heidi');
    const b = fakeEngine('omniscribe');
    const { log, listener } = progressLog();
    const run = runEngines([a.engine, b.engine], INPUT, new AbortController().signal, listener);
    b.settle().reject(new HeidiError('rate-limited', 'slow down', { status: 429 }));
    a.settle().resolve(result('heidi', [entity('heidi', 'h1', 'M17.11', 'Right knee osteoarthritis')]));
    const outcome = await run;
    assert.deepEqual(
      outcome.results.map((r) => r.engine),
      ['heidi'],
    );
    assert.equal(outcome.failures.length, 1);
    assert.equal(outcome.failures[0]!.engine, 'omniscribe');
    assert.equal(outcome.failures[0]!.error.code, 'rate-limited');
    assert.deepEqual(
      log.filter(([engine]) => engine === 'omniscribe').map(([, phase]) => phase),
      ['processing', 'failed'],
    );
  });

  it("fails with the first engine's error when every engine failed; a non-HeidiError becomes `server`", async () => {
    const a = fakeEngine('heidi');
    const b = fakeEngine('sully');
    const run = runEngines([a.engine, b.engine], INPUT, new AbortController().signal, () => {});
    b.settle().reject(new TypeError('boom'));
    a.settle().reject(new HeidiError('auth', 'expired', { status: 401 }));
    await assert.rejects(run, (error: unknown) => error instanceof HeidiError && error.code === 'auth');

    const c = fakeEngine('sully');
    const only = runEngines([c.engine], INPUT, new AbortController().signal, () => {});
    c.settle().reject(new TypeError('boom'));
    await assert.rejects(only, (error: unknown) => error instanceof HeidiError && error.code === 'server' && error.message === 'boom');
  });

  it("aborting cancels every engine and rejects with the signal's reason", async () => {
    const a = fakeEngine('heidi');
    const b = fakeEngine('sully');
    const { log, listener } = progressLog();
    const controller = new AbortController();
    const run = runEngines([a.engine, b.engine], INPUT, controller.signal, listener);
    controller.abort();
    await assert.rejects(run, (error: unknown) => error instanceof DOMException && error.name === 'AbortError');
    assert.ok(a.started[0]!.aborted && b.started[0]!.aborted, 'each engine saw the abort');
    assert.deepEqual(
      log.filter(([, phase]) => phase === 'cancelled').map(([engine]) => engine),
      ['heidi', 'sully'],
    );
    await assert.rejects(
      runEngines([fakeEngine('heidi').engine], INPUT, controller.signal, () => {}),
      { name: 'AbortError' },
    );
  });

  it('skips an engine that needs a note when the note is empty, without failing the run', async () => {
    const a = fakeEngine('heidi');
    const b = fakeEngine('sully');
    const { log, listener } = progressLog();
    const run = runEngines(
      [{ ...a.engine, needsNote: false }, b.engine],
      { note: '  ', transcript: undefined },
      new AbortController().signal,
      listener,
    );
    a.settle().resolve(result('heidi', []));
    const outcome = await run;
    assert.equal(b.started.length, 0);
    assert.deepEqual(
      outcome.results.map((r) => r.engine),
      ['heidi'],
    );
    assert.deepEqual(log, [
      ['heidi', 'processing'],
      ['sully', 'skipped'],
      ['heidi', 'done'],
    ]);
  });
});

describe('mergeEngineResults', () => {
  it("one card per FHIR system + code: the first engine's card absorbs a later engine's suggestion and evidence", () => {
    const merged = mergeEngineResults([
      result('heidi', [entity('heidi', 'h1', 'M17.11', 'Right knee osteoarthritis', 0.8), entity('heidi', 'h2', 'E66.9', 'Obesity')]),
      result('sully', [entity('sully', 's1', 'M17.11', 'knee', 0.95), entity('sully', 's2', 'Z68.33', 'BMI 33')]),
    ]);
    assert.deepEqual(
      merged.map((e) => [e.id, e.primary.code]),
      [
        ['h1', 'M17.11'],
        ['h2', 'E66.9'],
        ['s2', 'Z68.33'],
      ],
    );
    const knee = merged[0]!;
    assert.deepEqual(
      knee.engines.map((s) => [s.engine, s.entityId, s.score]),
      [
        ['heidi', 'h1', 0.8],
        ['sully', 's1', 0.95],
      ],
    );
    assert.deepEqual(
      knee.note.map((n) => n.text),
      ['Right knee osteoarthritis', 'knee'],
    );
    assert.equal(knee.primary.score, 0.8, "the first engine's code is the card's code");
  });

  it('a SNOMED CT code Heidi gave as a clinical term is a procedure when a later engine lists it as one', () => {
    const snomed = (engine: EngineName, id: string, kind: 'clinical-term' | 'procedure'): EntityView => {
      const e = entity(engine, id, '80146002', 'knee');
      return { ...e, primary: { ...e.primary, system: 'http://snomed.info/sct', codeSystem: 'snomed_ct', systemLabel: 'SNOMED CT', kind } };
    };
    const [card] = mergeEngineResults([
      result('heidi', [snomed('heidi', 'h', 'clinical-term')]),
      result('sully', [snomed('sully', 's', 'procedure')]),
    ]);
    assert.equal(card!.primary.kind, 'procedure');
    assert.equal(card!.id, 'h', "still Heidi's card");
    // A fixed kind is never overridden: a diagnosis system stays a diagnosis.
    const [dx] = mergeEngineResults([
      result('heidi', [entity('heidi', 'h', 'M17.11', 'knee')]),
      result('sully', [
        { ...entity('sully', 's', 'M17.11', 'knee'), primary: { ...entity('sully', 's', 'M17.11', 'knee').primary, kind: 'procedure' } },
      ]),
    ]);
    assert.equal(dx!.primary.kind, 'diagnosis');
  });

  it("an engine's own repeats of a code stay separate cards, and ids stay unique across engines", () => {
    const merged = mergeEngineResults([
      result('heidi', [entity('heidi', 'x', 'M17.11', 'Right knee'), entity('heidi', 'x#2', 'M17.11', 'osteoarthritis')]),
      result('omniscribe', [entity('omniscribe', 'x', 'E66.9', 'Obesity')]),
    ]);
    assert.deepEqual(
      merged.map((e) => e.id),
      ['x', 'x#2', 'x#3'],
    );
    assert.deepEqual(
      merged.map((e) => e.engines.length),
      [1, 1, 1],
    );
  });

  it("Heidi alone: the entities are exactly buildModel's, each listing its one Heidi suggestion", () => {
    const model = buildModel(
      {
        session_id: 's',
        clinical_entities: [
          {
            id: 'a',
            primary_code: { code: 'M17.11', code_name: 'OA knee', code_system: 'icd_10_cm' },
            location_in_note: [{ start: 0, end: 25 }],
          },
          { id: 'a', primary_code: { code: 'M17.11', code_name: 'OA knee', code_system: 'icd_10_cm' } },
        ],
      } as never,
      undefined,
      { consult_note: { result: NOTE } } as never,
    );
    const merged = mergeEngineResults([result('heidi', [...model.entities])]);
    assert.deepEqual(merged, model.entities);
    assert.deepEqual(
      merged.map((e) => e.id),
      ['a', 'a#2'],
    );
    assert.deepEqual(merged[0]!.engines, [
      { engine: 'heidi', entityId: 'a', score: undefined, transcript: [], note: merged[0]!.note, justification: undefined },
    ]);
  });
});

describe('loadCodes (Heidi through the pipeline)', () => {
  const codes = {
    session_id: 'S1',
    clinical_entities: [
      {
        id: 'h1',
        primary_code: { code: 'M17.11', code_name: 'OA knee', code_system: 'icd_10_cm' },
        location_in_note: [{ start: 0, end: 25 }],
      },
    ],
  };
  function fakeClient(overrides: Record<string, (...args: never[]) => Promise<unknown>> = {}) {
    const calls: string[] = [];
    const client = {
      authenticate: async () => void calls.push('authenticate'),
      createSession: async () => (calls.push('create'), 'S1'),
      getSession: async () => (calls.push('session'), { session_id: 'S1', consult_note: { result: NOTE } }),
      updateSession: async () => (calls.push('patch'), { session_id: 'S1', consult_note: { result: NOTE } }),
      getTranscript: async () => (calls.push('transcript'), 'T'),
      getClinicalCodes: async () => (calls.push('codes'), codes),
      ...overrides,
    };
    return { client: client as never, calls };
  }
  const load = async (client: never, signal = new AbortController().signal) => {
    const { loadCodes } = await import('../../src/core/session-loader.ts');
    const events: string[] = [];
    const result = await loadCodes({
      client,
      sessionId: undefined,
      create: {},
      update: undefined,
      signal,
      onSessionStart: (id, created) => events.push(`start ${id} ${created}`),
      onProgress: (engine, progress) => events.push(`${engine} ${progress.phase}`),
    });
    return { result, events };
  };

  it("creates the session, asks for session, transcript and codes at once, and shows Heidi's entities located in the note", async () => {
    const { client, calls } = fakeClient();
    const { result, events } = await load(client);
    assert.deepEqual(calls, ['authenticate', 'create', 'session', 'transcript', 'codes']);
    assert.deepEqual(events, ['start S1 true', 'heidi processing', 'heidi done']);
    assert.equal(result.model.note, NOTE);
    assert.equal(result.model.entities[0]!.note[0]!.location, 'exact');
    assert.deepEqual(
      result.model.entities[0]!.engines.map((s) => s.engine),
      ['heidi'],
    );
  });

  it('a failed transcript degrades; failed codes fail the load with their error', async () => {
    const degraded = await load(
      fakeClient({ getTranscript: async () => Promise.reject(new HeidiError('server', 'x', { status: 500 })) }).client,
    );
    assert.equal(degraded.result.transcriptError?.code, 'server');
    assert.equal(degraded.result.model.transcript, undefined);
    assert.equal(degraded.result.model.entities.length, 1);
    await assert.rejects(
      load(fakeClient({ getClinicalCodes: async () => Promise.reject(new HeidiError('not-found', 'no codes', { status: 404 })) }).client),
      (error: unknown) => error instanceof HeidiError && error.code === 'not-found',
    );
  });

  it('an attached session starts once Heidi first answers for it: never for an id refused (config) or not found', async () => {
    const { loadCodes } = await import('../../src/core/session-loader.ts');
    const attach = async (overrides: Parameters<typeof fakeClient>[0]) => {
      const starts: string[] = [];
      const request = { sessionId: 'S1', create: {}, update: undefined, signal: new AbortController().signal };
      const onSessionStart = (id: string, created: boolean) => starts.push(`${id} ${created}`);
      const outcome = await loadCodes({ ...request, client: fakeClient(overrides).client, onSessionStart }).then(
        () => 'loaded',
        (error: HeidiError) => error.code,
      );
      return { outcome, starts };
    };
    const refuse = (code: 'not-found' | 'config' | 'server') => async () => Promise.reject(new HeidiError(code, 'x'));
    for (const code of ['not-found', 'config'] as const) {
      const all = { getSession: refuse(code), getTranscript: refuse(code), getClinicalCodes: refuse(code) };
      assert.deepEqual(await attach(all), { outcome: code, starts: [] }, code);
    }
    assert.deepEqual(await attach({}), { outcome: 'loaded', starts: ['S1 false'] });
    // The session could not be read, but Heidi answered for it (its transcript and codes): it exists.
    assert.deepEqual(await attach({ getSession: refuse('server') }), { outcome: 'loaded', starts: ['S1 false'] });
  });

  it('an abort after the session is created rejects with AbortError and reports nothing more', async () => {
    const controller = new AbortController();
    const { client } = fakeClient({ createSession: async () => (controller.abort(), 'S1') });
    await assert.rejects(load(client, controller.signal), { name: 'AbortError' });
  });
});
