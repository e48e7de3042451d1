/**
 * Property-based fuzzing of the peer engines: whatever Sully or Omniscribe
 * answer (well-formed, half-right, hostile, not JSON, any status), `code()`
 * resolves with a result whose invariants hold or rejects with a HeidiError;
 * never anything else. Seeded (FUZZ_SEED), FUZZ_RUNS cases per property
 * (default 400 here).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HeidiError } from '../../src/core/errors.ts';
import { isLocated } from '../../src/core/evidence.ts';
import { createSullyEngine } from '../../src/core/engines/sully.ts';
import { createOmniscribeEngine } from '../../src/core/engines/omniscribe.ts';
import type { PeerEngineResult } from '../../src/core/engines/peer-http.ts';
import { FUZZ_SEED, finiteWeirdNumber, weirdString, type Json } from './fuzz-arbitraries.ts';
import { never, scripted } from './peer-testing.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : FUZZ_SEED;
const RUNS = process.env.FUZZ_RUNS ? Math.max(1, Math.floor(Number(process.env.FUZZ_RUNS) / 6)) : 400;

const SYSTEMS = [
  'http://hl7.org/fhir/sid/icd-10-cm',
  'http://snomed.info/sct',
  'http://www.ama-assn.org/go/cpt',
  'HTTPS://SNOMED.INFO/SCT/',
  'urn:x',
  '',
];
const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 5, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: json },
  );

const coding = fc.record(
  {
    system: maybe(fc.oneof(fc.constantFrom(...SYSTEMS), weirdString)),
    code: maybe(fc.oneof(weirdString, fc.constantFrom('G43.909', '99213'), finiteWeirdNumber)),
    display: maybe(weirdString),
  },
  { requiredKeys: [] },
);
const item = fc.record(
  {
    code: maybe(
      fc.record({ coding: maybe(fc.array(fc.oneof(coding, json), { maxLength: 3 })), text: maybe(weirdString) }, { requiredKeys: [] }),
    ),
    text_span: maybe(
      fc.record(
        { start_char: maybe(finiteWeirdNumber), end_char: maybe(finiteWeirdNumber), text: maybe(weirdString) },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const sullyBody = fc.record({
  data: maybe(
    fc.record(
      {
        id: maybe(weirdString),
        codingId: maybe(weirdString),
        status: maybe(fc.oneof(fc.constantFrom('pending', 'processing', 'completed', 'complete', 'failed'), weirdString)),
        result: maybe(
          fc.record(
            { diagnoses: maybe(fc.array(item, { maxLength: 4 })), procedures: maybe(fc.array(item, { maxLength: 3 })) },
            { requiredKeys: [] },
          ),
        ),
        error: maybe(weirdString),
      },
      { requiredKeys: [] },
    ),
  ),
});
const assessment = fc.record(
  {
    code: maybe(fc.oneof(weirdString, fc.constantFrom('E11.9', 'Z79.84'))),
    description: maybe(weirdString),
    justification: maybe(weirdString),
    confidence_percent: maybe(finiteWeirdNumber),
  },
  { requiredKeys: [] },
);
const omniscribeBody = fc.record(
  {
    final_code_assessments: maybe(fc.array(fc.oneof(assessment, json), { maxLength: 4 })),
    discarded_code_assessments: maybe(fc.array(fc.oneof(assessment, json), { maxLength: 3 })),
    run_id: maybe(weirdString),
    success: maybe(fc.boolean()),
    error: maybe(weirdString),
    details: maybe(json),
  },
  { requiredKeys: [] },
);

/** One answer: a status, and the body as JSON, as damaged text, or as any JSON at all. */
const answer = (body: fc.Arbitrary<unknown>) =>
  fc.record({
    status: fc.oneof(
      { weight: 6, arbitrary: fc.constant(200) },
      { weight: 2, arbitrary: fc.constantFrom(201, 400, 401, 404, 413, 422, 429, 500, 503, 504) },
    ),
    text: fc.oneof(
      { weight: 6, arbitrary: body.map((b) => JSON.stringify(b) ?? '') },
      { weight: 1, arbitrary: body.map((b) => (JSON.stringify(b) ?? '').slice(0, 17)) },
      { weight: 1, arbitrary: json.map((b) => JSON.stringify(b) ?? 'null') },
      { weight: 1, arbitrary: weirdString },
    ),
    retryAfter: fc.option(fc.constantFrom('0', '1', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT'), { nil: undefined }),
  });

/** Mostly the answers that get a coding going and done, so fuzzed items reach the entity builder. */
const created = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ status: 201, text: '{"data":{"id":"coding_1","status":"pending"}}', retryAfter: undefined }) },
  { weight: 1, arbitrary: answer(sullyBody) },
);
const completed = fc
  .record({
    diagnoses: fc.array(item, { maxLength: 4 }),
    procedures: fc.array(item, { maxLength: 3 }),
    status: fc.constantFrom('completed', 'complete'),
  })
  .map(({ status, ...result }) => ({ status: 200, text: JSON.stringify({ data: { status, result } }), retryAfter: undefined }));
const polls = fc
  .tuple(
    fc.array(answer(sullyBody), { maxLength: 2 }),
    fc.oneof({ weight: 3, arbitrary: completed }, { weight: 1, arbitrary: answer(sullyBody) }),
  )
  .map(([before, last]) => [...before, last]);

type Answer = { status: number; text: string; retryAfter: string | undefined };
const respond = (a: Answer) => () =>
  new Response(a.text, {
    status: a.status,
    headers: { 'content-type': 'application/json', ...(a.retryAfter ? { 'retry-after': a.retryAfter } : {}) },
  });

/** What must hold of any result: located evidence slices the note, scores are 0..1, ids are unique. */
function checkResult(result: PeerEngineResult, note: string): void {
  assert.equal(new Set(result.entities.map((e) => e.id)).size, result.entities.length, 'unique ids');
  assert.ok(Number.isInteger(result.dropped) && result.dropped >= 0);
  for (const e of result.entities) {
    assert.equal(typeof e.primary.code, 'string');
    assert.ok(e.primary.code.length > 0);
    const score = e.primary.score;
    assert.ok(score === undefined || (score >= 0 && score <= 1), `score ${score}`);
    for (const ev of e.note) if (isLocated(ev)) assert.equal(note.slice(ev.start, ev.end), ev.text);
  }
  for (const d of result.discarded) assert.ok(d.score === undefined || (d.score >= 0 && d.score <= 1));
}

async function settle(run: () => Promise<PeerEngineResult>, note: string): Promise<'ok' | 'error'> {
  try {
    checkResult(await run(), note);
    return 'ok';
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.ok(error instanceof HeidiError, `only HeidiErrors escape, got ${String(error)}`);
    return 'error';
  }
}

describe('peer engines: fuzzed answers', () => {
  it('Sully: any create and status answers give a sound result or a HeidiError', async () => {
    const outcomes = { ok: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(weirdString, created, polls, async (note, create, statuses) => {
        const server = scripted(respond(create), ...statuses.map(respond));
        const engine = createSullyEngine({
          base: 'http://ehr.test/sully',
          fetch: server.fetch,
          maxWaitMs: 10_000,
          sleep: async () => {},
          now: () => server.requests.length * 2000,
        });
        outcomes[await settle(() => engine.code({ note, transcript: undefined }, never, () => {}), note)]++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.ok(outcomes.ok > RUNS / 20 && outcomes.error > RUNS / 20, JSON.stringify(outcomes));
  });

  it('Omniscribe: any answer gives a sound result or a HeidiError', async () => {
    const outcomes = { ok: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(weirdString, fc.array(answer(omniscribeBody), { minLength: 1, maxLength: 3 }), async (note, answers) => {
        const server = scripted(...answers.map(respond));
        const engine = createOmniscribeEngine({ base: 'http://ehr.test/omniscribe', fetch: server.fetch, maxRetryDelayMs: 0 });
        outcomes[await settle(() => engine.code({ note, transcript: undefined }, never, () => {}), note)]++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.ok(outcomes.ok > RUNS / 20 && outcomes.error > RUNS / 20, JSON.stringify(outcomes));
  });
});
