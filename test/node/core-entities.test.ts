/**
 * One bad entity is not a bad response: the clinical-codes body is checked as a whole (an id, a list), then
 * each entity, similar code and evidence item on its own. The good ones are kept, the bad one is dropped (or
 * its bad optional field read as absent) and counted in `model.dropped`; only a body wrong as a whole is
 * `invalid-response`. Scores outside 0..1 are clamped and flagged, and never batch-accepted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClinicalCodesResponse, explainSchemaError } from '../../src/core/schemas.ts';
import { buildModel, type CodingModel } from '../../src/core/model.ts';
import { checkEntity } from '../../src/core/checks.ts';
import { DEFAULT_BATCH_FILTER, batchCandidates, visibleEntities } from '../../src/core/filters.ts';
import { ReviewState } from '../../src/core/review.ts';
import { droppedNotices } from '../../src/i18n/index.ts';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';

const TRANSCRIPT = '[doctor] Any knee pain?\n[patient] Yes, my right knee hurts when I walk.';

function goodEntity(i: number): Record<string, unknown> {
  return {
    id: `e${i}`,
    primary_code: {
      code: `M17.${i}`,
      code_name: `Osteoarthritis ${i}`,
      code_system: 'icd_10_cm',
      score: 0.9,
      metadata: { sex: null, children_code: [`M17.${i}1`] },
    },
    similar_codes: [{ code: `M16.${i}`, code_name: `Hip ${i}`, code_system: 'icd_10_cm', score: 0.4 }],
    reference_in_transcript: [{ transcript_text: 'my right knee hurts', location_in_transcript: { start: 39, end: 58 } }],
    location_in_note: [],
    relevance: 'HIGH',
  };
}

/** Fifty good entities with entity `at` replaced (deep-merged) by `bad`. */
function fiftyWith(at: number, bad: (e: Record<string, unknown>) => Record<string, unknown> | unknown): unknown {
  const entities: unknown[] = Array.from({ length: 50 }, (_, i) => goodEntity(i));
  entities[at] = bad(goodEntity(at));
  return { session_id: 's1', clinical_entities: entities };
}

function model(body: unknown): CodingModel {
  const parsed = ClinicalCodesResponse.safeParse(body);
  assert.ok(parsed.success, parsed.success ? '' : explainSchemaError(parsed.error));
  return buildModel(parsed.data, TRANSCRIPT, undefined);
}

const code = (e: Record<string, unknown>) => e.primary_code as Record<string, unknown>;

describe('one bad entity is not a bad response', () => {
  const cases: [
    string,
    (e: Record<string, unknown>) => unknown,
    { shown: number; entities?: number; similarCodes?: number; evidence?: number; fields?: number },
  ][] = [
    ['a score given as a string', (e) => ({ ...e, primary_code: { ...code(e), score: '0.9' } }), { shown: 50, fields: 1 }],
    ['a score of Infinity (1e999 in JSON)', (e) => ({ ...e, primary_code: { ...code(e), score: Infinity } }), { shown: 50, fields: 1 }],
    ['a score of NaN', (e) => ({ ...e, primary_code: { ...code(e), score: NaN } }), { shown: 50, fields: 1 }],
    [
      'children_code as a string',
      (e) => ({ ...e, primary_code: { ...code(e), metadata: { children_code: 'M17.11', sex: 'Male' } } }),
      { shown: 50, fields: 1 },
    ],
    ['metadata as a string', (e) => ({ ...e, primary_code: { ...code(e), metadata: 'none' } }), { shown: 50, fields: 1 }],
    ['a code_name that is missing', (e) => ({ ...e, primary_code: { ...code(e), code_name: undefined } }), { shown: 50, fields: 1 }],
    [
      'a similar code with code ""',
      (e) => ({
        ...e,
        similar_codes: [
          { code: '', code_name: 'x', code_system: 'icd_10_cm' },
          { code: 'B1', code_name: 'b', code_system: 'icd_10_cm' },
        ],
      }),
      { shown: 50, similarCodes: 1 },
    ],
    ['similar_codes as an object', (e) => ({ ...e, similar_codes: { code: 'B1' } }), { shown: 50, fields: 1 }],
    [
      'an offset given as a string',
      (e) => ({
        ...e,
        location_in_note: [
          { start: '1', end: 2 },
          { start: 0, end: 1 },
        ],
      }),
      { shown: 50, evidence: 1 },
    ],
    [
      'a transcript reference without text',
      (e) => ({ ...e, reference_in_transcript: [{ location_in_transcript: { start: 0, end: 4 } }] }),
      { shown: 50, evidence: 1 },
    ],
    ['relevance as a number', (e) => ({ ...e, relevance: 3 }), { shown: 50, fields: 1 }],
    ['an id as a number', (e) => ({ ...e, id: 7 }), { shown: 50, fields: 1 }],
    ['a primary code with code ""', (e) => ({ ...e, primary_code: { ...code(e), code: '' } }), { shown: 49, entities: 1 }],
    [
      'a primary code without code_system',
      (e) => ({ ...e, primary_code: { ...code(e), code_system: undefined } }),
      { shown: 49, entities: 1 },
    ],
    ['an entity that is a string', () => 'oops', { shown: 49, entities: 1 }],
    ['an entity that is null', () => null, { shown: 49, entities: 1 }],
  ];
  for (const [name, bad, expected] of cases) {
    it(`${name}: the other codes are kept and the loss is counted`, () => {
      const m = model(fiftyWith(7, bad));
      assert.equal(m.entities.length, expected.shown);
      const { shown: _shown, ...counts } = expected;
      assert.deepEqual(m.dropped, { entities: 0, similarCodes: 0, evidence: 0, fields: 0, ...counts });
      // The good neighbours are intact.
      const neighbour = m.entities.find((e) => e.id === 'e8')!;
      assert.equal(neighbour.primary.score, 0.9);
      assert.equal(neighbour.similar.length, 1);
      assert.equal(neighbour.transcript[0]?.location, 'exact');
    });
  }

  it('the repaired entity keeps what was readable', () => {
    const m = model(
      fiftyWith(7, (e) => ({ ...e, primary_code: { ...code(e), score: '0.9', metadata: { children_code: 'x', sex: 'Male' } } })),
    );
    const e = m.entities.find((x) => x.id === 'e7')!;
    assert.equal(e.primary.code, 'M17.7');
    assert.equal(e.primary.score, undefined);
    assert.equal(e.primary.metadata?.sex, 'Male');
    assert.equal(e.primary.metadata?.children_code, undefined);
    assert.equal(e.similar.length, 1);
    assert.deepEqual(m.dropped, { entities: 0, similarCodes: 0, evidence: 0, fields: 2 });
  });

  it('a good body drops nothing', () => {
    const m = model(fiftyWith(0, (e) => e));
    assert.deepEqual(m.dropped, { entities: 0, similarCodes: 0, evidence: 0, fields: 0 });
    assert.equal(m.scoresOutOfRange, 0);
    assert.deepEqual(
      droppedNotices(m.dropped).map((n) => n(en)),
      [],
    );
  });

  it('the notice says what was left out, in English and Spanish', () => {
    const m = model({
      session_id: 's',
      clinical_entities: [goodEntity(1), 'x', { ...goodEntity(2), similar_codes: [{ code: '' }], location_in_note: [{}] }],
    });
    assert.deepEqual(
      droppedNotices(m.dropped).map((n) => n(en)),
      [
        '1 suggested code could not be read and is not shown.',
        '2 details (similar codes, evidence or scores) could not be read and are left out.',
      ],
    );
    assert.equal(droppedNotices(m.dropped).length, 2);
    assert.match(droppedNotices(m.dropped)[0]!(es), /No se pudo leer 1 código/);
  });

  const wholeBodyWrong: [string, unknown][] = [
    ['entities as a string', { session_id: 's', clinical_entities: 'none' }],
    ['no session id', { clinical_entities: [goodEntity(1)] }],
    ['an array body', [goodEntity(1)]],
    [
      'every entity unreadable (a renamed field)',
      { session_id: 's', clinical_entities: [{ code: goodEntity(1).primary_code }, { code: goodEntity(2).primary_code }] },
    ],
  ];
  for (const [name, body] of wholeBodyWrong) {
    it(`a body wrong as a whole is still refused: ${name}`, () => {
      const parsed = ClinicalCodesResponse.safeParse(body);
      assert.equal(parsed.success, false);
      assert.ok(explainSchemaError(parsed.error!).length > 0);
    });
  }
  it('an empty list is a valid answer (no codes), not a wrong shape', () => {
    assert.equal(model({ session_id: 's', clinical_entities: [] }).entities.length, 0);
  });
});

describe('scores outside 0..1 are clamped and flagged', () => {
  const withScore = (score: number, similar = 0.4) =>
    model({
      session_id: 's',
      clinical_entities: [
        {
          ...goodEntity(1),
          primary_code: { ...(goodEntity(1).primary_code as object), score },
          similar_codes: [{ code: 'B', code_name: 'b', code_system: 'icd_10_cm', score: similar }],
        },
      ],
    });

  for (const [raw, clamped] of [
    [79, 1],
    [1.0001, 1],
    [-0.2, 0],
    [-5, 0],
  ] as const) {
    it(`a score of ${raw} is shown as ${clamped} and flagged`, () => {
      const m = withScore(raw);
      const e = m.entities[0]!;
      assert.equal(e.primary.score, clamped);
      assert.equal(e.primary.scoreOutOfRange, raw);
      assert.equal(m.scoresOutOfRange, 1);
      const warnings = checkEntity(e, e.primary, { patient: undefined, sessionDate: undefined });
      assert.deepEqual(warnings.find((w) => w.kind === 'score-range')?.params, { score: raw });
      assert.match(en.checks['score-range']({ score: raw }), new RegExp(String(raw).replace('.', '\\.')));
    });
  }

  it('a flagged score is never let through a batch accept, whatever the filter', () => {
    const m = withScore(79);
    const review = new ReviewState('s', { storage: null });
    const lenient = { ...DEFAULT_BATCH_FILTER, minScore: 0, minRelevance: 'LOW' as const, requireEvidence: false, excludeWarnings: false };
    assert.deepEqual(
      batchCandidates(m.entities, review, () => [], lenient),
      [],
    );
    // The same entity with an in-range score passes that filter: the flag is what stops it.
    assert.equal(batchCandidates(withScore(0.95).entities, review, () => [], lenient).length, 1);
  });

  it('a similar code with an out-of-range score is flagged too, and in range scores are untouched', () => {
    const m = withScore(0.5, 4200);
    assert.equal(m.entities[0]!.primary.scoreOutOfRange, undefined);
    assert.equal(m.entities[0]!.similar[0]!.score, 1);
    assert.equal(m.entities[0]!.similar[0]!.scoreOutOfRange, 4200);
    assert.equal(m.scoresOutOfRange, 1);
    for (const s of [0, 0.5, 1]) assert.equal(withScore(s).entities[0]!.primary.score, s);
  });

  it('sorting by score uses the clamped value', () => {
    const body = {
      session_id: 's',
      clinical_entities: [
        { ...goodEntity(1), primary_code: { ...(goodEntity(1).primary_code as object), score: 0.8 } },
        { ...goodEntity(2), primary_code: { ...(goodEntity(2).primary_code as object), score: -3 } },
        { ...goodEntity(3), primary_code: { ...(goodEntity(3).primary_code as object), score: 55 } },
      ],
    };
    const m = model(body);
    const sorted = visibleEntities(m.entities, new ReviewState('s', { storage: null }), {
      codeSystems: [],
      system: undefined,
      status: 'ALL',
      sort: 'score',
    });
    assert.deepEqual(
      sorted.map((e) => e.id),
      ['e3', 'e1', 'e2'],
    );
  });
});
