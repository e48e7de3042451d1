import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type EntityView } from '../../src/core/model.ts';
import { ageInYears, checkEntity, codeSexRestriction, isUnspecified, type CheckKind } from '../../src/core/checks.ts';
import { ReviewState, SAVE_AT_ONCE_UP_TO, SAVE_DELAY_MS, storageKey } from '../../src/core/review.ts';
import { DEFAULT_BATCH_FILTER, batchCandidates, groupByKind, visibleEntities } from '../../src/core/filters.ts';
import type { ClinicalEntity, CodeMetadata, Patient } from '../../src/core/schemas.ts';
import { MemoryStorage } from './memory-storage.ts';

const TRANSCRIPT = [
  '[doctor] any chest pain?',
  '[patient] no chest pain. my knee hurts when i climb stairs.',
  '[doctor] any history of diabetes?',
  '[patient] my mother had diabetes. i had a history of gout years ago.',
].join('\n');
const NOTE = 'Right knee osteoarthritis. Denies chest pain. Family history: mother with diabetes.';

function ref(text: string) {
  const start = TRANSCRIPT.indexOf(text);
  assert.ok(start >= 0, text);
  return { transcript_text: text, location_in_transcript: { start, end: start + text.length } };
}

function span(text: string) {
  const start = NOTE.indexOf(text);
  return { start, end: start + text.length };
}

function entity(
  partial: Partial<ClinicalEntity> & { code?: string; name?: string; system?: string; metadata?: CodeMetadata; score?: number },
): EntityView {
  const raw: ClinicalEntity = {
    primary_code: {
      code: partial.code ?? 'M17.11',
      code_name: partial.name ?? 'Unilateral primary osteoarthritis, right knee',
      code_system: partial.system ?? 'icd_10_cm',
      score: partial.score ?? 0.9,
      metadata: partial.metadata ?? null,
    },
    similar_codes: partial.similar_codes ?? [
      { code: 'M17.12', code_name: 'Unilateral primary osteoarthritis, left knee', code_system: 'icd_10_cm', score: 0.5 },
      { code: 'M17.9', code_name: 'Osteoarthritis of knee, unspecified', code_system: 'icd_10_cm', score: 0.4 },
    ],
    reference_in_transcript: partial.reference_in_transcript ?? [ref('my knee hurts')],
    location_in_note: partial.location_in_note ?? [span('Right knee osteoarthritis')],
    reference_in_context: partial.reference_in_context ?? [],
    relevance: partial.relevance ?? 'HIGH',
    relevance_score: 0.9,
    status: 'PENDING',
  };
  return buildModel({ session_id: 's1', clinical_entities: [raw] }, TRANSCRIPT, {
    session_id: 's1',
    consult_note: { result: NOTE },
  }).entities[0]!;
}

const kinds = (e: EntityView, patient: Patient | null = null, date = '2025-06-01T10:00:00') =>
  checkEntity(e, e.primary, { patient, sessionDate: date }).map((w) => w.kind);

const female: Patient = { name: 'A', gender: 'FEMALE', dob: '1990-06-02' };
const male: Patient = { name: 'B', gender: 'MALE', dob: '1958-01-01' };

describe('checks: each with a positive and a negative case', () => {
  it('a clean, well-evidenced code has no warnings', () => {
    assert.deepEqual(kinds(entity({}), male), []);
  });
  it('sex edit: a female-only code for a male patient, not for a female one', () => {
    const e = entity({ code: 'O24.410', name: 'Gestational diabetes mellitus in pregnancy, diet controlled', metadata: { sex: 'Female' } });
    assert.deepEqual(kinds(e, male), ['sex'] satisfies CheckKind[]);
    assert.deepEqual(kinds(e, female), []);
    assert.deepEqual(kinds(e, { gender: 'OTHER' }), []);
    assert.equal(codeSexRestriction('No biological sex'), undefined);
    assert.equal(codeSexRestriction('Male only'), 'male');
  });
  it('age edit: outside min/max at the session date, not inside', () => {
    const e = entity({ metadata: { min_age: 35, max_age: 99 } });
    // Born 1990-06-02: 34 on 2025-06-01, 35 on 2025-06-02.
    assert.deepEqual(kinds(e, female, '2025-06-01T10:00:00'), ['age']);
    assert.deepEqual(kinds(e, female, '2025-06-02T10:00:00'), []);
    assert.deepEqual(kinds(entity({ metadata: { max_age: '17' } }), male), ['age']);
    assert.deepEqual(kinds(e, { dob: null }), []);
    assert.equal(ageInYears('2000-02-29', '2021-02-28'), 20);
    assert.equal(ageInYears('not a date', '2021-02-28'), undefined);
  });
  it('validity: a non-valid status and a rare-use flag; "Valid" and "Not applicable" pass', () => {
    assert.deepEqual(kinds(entity({ metadata: { valid_status: 'Invalid - header code' } })), ['invalid']);
    assert.deepEqual(kinds(entity({ metadata: { rare_use_flag: 'Rare use' } })), ['rare']);
    assert.deepEqual(kinds(entity({ metadata: { valid_status: 'Valid', rare_use_flag: 'Not applicable' } })), []);
  });
  it('specificity: an unspecified code with more specific children suggests them', () => {
    const e = entity({ code: 'M17.9', name: 'Osteoarthritis of knee, unspecified', metadata: { children_code: ['M17.0', 'M17.11'] } });
    const [warning] = checkEntity(e, e.primary, { patient: null, sessionDate: null });
    assert.equal(warning?.kind, 'unspecified');
    assert.deepEqual(warning?.suggestions, ['M17.0', 'M17.11']);
    assert.deepEqual(kinds(entity({ code: 'M17.9', name: 'Osteoarthritis of knee, unspecified', metadata: { children_code: [] } })), []);
    assert.deepEqual(kinds(entity({ metadata: { children_code: ['M17.111'] } })), [], 'specific parent codes are fine');
    assert.ok(isUnspecified(e.primary));
  });
  it('evidence quality: negated, historical and someone else, with the cue located', () => {
    const negated = entity({ reference_in_transcript: [ref('chest pain. my knee')], location_in_note: [] });
    const [w] = checkEntity(negated, negated.primary, { patient: null, sessionDate: null });
    assert.equal(w?.kind, 'negated');
    assert.deepEqual([w?.cue?.part, w?.cue?.cue], ['before', 'no']);
    assert.deepEqual(kinds(entity({ reference_in_transcript: [ref('history of gout')], location_in_note: [] })), ['historical']);
    assert.deepEqual(kinds(entity({ reference_in_transcript: [ref('mother had diabetes')], location_in_note: [] })), ['other-person']);
    assert.deepEqual(kinds(entity({ reference_in_transcript: [], location_in_note: [span('Denies chest pain')] })), ['negated']);
  });
  it('evidence quality: the cue in the previous sentence does not count (NegEx scope)', () => {
    assert.deepEqual(kinds(entity({ reference_in_transcript: [ref('my knee hurts')], location_in_note: [] })), []);
  });
  it('evidence quality: a family-history code is supported by a relative, not flagged for it', () => {
    const e = entity({
      code: 'Z83.3',
      name: 'Family history of diabetes mellitus',
      reference_in_transcript: [ref('mother had diabetes')],
      location_in_note: [],
    });
    assert.deepEqual(kinds(e), []);
  });
  it('no evidence at all', () => {
    assert.deepEqual(kinds(entity({ reference_in_transcript: [], location_in_note: [] })), ['no-evidence']);
    assert.deepEqual(
      kinds(entity({ reference_in_transcript: [], location_in_note: [], reference_in_context: ['Clinician note: on metformin'] })),
      [],
    );
  });
});

describe('review state', () => {
  const a = entity({});
  const b = entity({ code: 'M25.561', name: 'Pain in right knee', similar_codes: [] });

  it('accept, reject, undo, swap report what changed', () => {
    const review = new ReviewState('s1', { storage: null });
    assert.deepEqual(review.setStatus(a, 'ACCEPTED'), {
      entityId: a.id,
      status: 'ACCEPTED',
      code: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M17.11', display: a.primary.display, codeSystem: 'icd_10_cm' },
    });
    assert.equal(review.setStatus(a, 'ACCEPTED'), undefined, 'no change, no event');
    assert.equal(review.setStatus(a, 'REJECTED')?.status, 'REJECTED');
    const swap = review.swap(a, a.similar[0]!);
    assert.deepEqual([swap?.status, swap?.code.code, swap?.previousCode?.code], ['ACCEPTED', 'M17.12', 'M17.11']);
    assert.equal(review.chosenCode(a).code, 'M17.12');
    const undo = review.setStatus(a, 'PENDING');
    assert.deepEqual([undo?.status, undo?.code.code, undo?.previousCode?.code], ['PENDING', 'M17.11', 'M17.12']);
    assert.equal(review.chosenCode(a), a.primary);
    assert.equal(review.swap(a, { ...a.primary, code: 'NOT-SIMILAR' }), undefined, 'only listed similar codes');
  });

  it('persists codes, statuses and swaps only, and restores them on a new instance in any order', () => {
    const storage = new MemoryStorage();
    const first = new ReviewState('s1', { storage });
    first.swap(a, a.similar[1]!);
    first.setStatus(b, 'REJECTED');
    first.markSent([{ entityId: a.id, codeSystem: 'icd_10_cm', code: 'M17.9' }]);
    first.flush();
    const raw = storage.getItem(storageKey('s1'))!;
    assert.doesNotMatch(raw, /osteoarthritis|knee|Pain|mother|TRANSCRIPT/i, 'no names, note or transcript text');
    const restored = new ReviewState('s1', { storage });
    assert.equal(restored.status(b.id), 'REJECTED');
    assert.equal(restored.chosenCode(a).code, 'M17.9');
    assert.equal(restored.isSent(a), true);
    assert.deepEqual(restored.counts([b, a]), { PENDING: 0, ACCEPTED: 1, REJECTED: 1 });
    assert.equal(new ReviewState('other', { storage }).status(b.id), 'PENDING', 'per session');
  });

  it('a review over SAVE_AT_ONCE_UP_TO is saved once per burst, SAVE_DELAY_MS after its first change; a small one at once', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const storage = new MemoryStorage();
    let writes = 0;
    const setItem = storage.setItem.bind(storage);
    storage.setItem = (key, value) => {
      writes += 1;
      setItem(key, value);
    };
    const review = new ReviewState('s1', { storage });
    review.setStatus(a, 'ACCEPTED');
    assert.equal(writes, 1, 'small: written as it is made');
    // Another tab's (or a restored) review of many codes: the review is now large.
    review.applyAll(Array.from({ length: SAVE_AT_ONCE_UP_TO }, (_, i) => [`far-${i}`, { status: 'REJECTED' }] as const));
    t.mock.timers.tick(SAVE_DELAY_MS);
    writes = 0;
    review.setStatus(b, 'REJECTED');
    review.swap(a, a.similar[0]!);
    assert.equal(writes, 0, 'large: nothing written during the burst');
    t.mock.timers.tick(SAVE_DELAY_MS);
    assert.equal(writes, 1, 'one write for the burst');
    assert.equal(new ReviewState('s1', { storage }).chosenCode(a).code, 'M17.12');
    review.setStatus(b, 'PENDING');
    review.flush();
    assert.equal(writes, 2);
    assert.equal(new ReviewState('s1', { storage }).status(b.id), 'PENDING', 'flushed: read back at once');
    review.flush();
    t.mock.timers.tick(SAVE_DELAY_MS);
    assert.equal(writes, 2, 'nothing pending, nothing written');
  });

  it('survives corrupt storage and storage that throws', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey('s1'), '{not json');
    assert.equal(new ReviewState('s1', { storage }).status(a.id), 'PENDING');
    const throwing = new MemoryStorage();
    throwing.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    const review = new ReviewState('s1', { storage: throwing });
    assert.equal(review.setStatus(a, 'ACCEPTED')?.status, 'ACCEPTED');
  });
});

describe('filters, batch accept, grouping', () => {
  const strong = entity({ code: 'M17.11', score: 0.92 });
  const weak = entity({ code: 'M25.561', name: 'Pain in right knee', score: 0.5 });
  const medium = entity({ code: 'E11.9', name: 'Type 2 diabetes mellitus without complications', relevance: 'MEDIUM', score: 0.95 });
  const warned = entity({
    code: 'Z86.39',
    name: 'Personal history of gout',
    reference_in_transcript: [ref('mother had diabetes')],
    location_in_note: [],
  });
  const noEvidence = entity({
    code: 'Z79.4',
    name: 'Long term (current) use of insulin',
    reference_in_transcript: [],
    location_in_note: [],
  });
  const procedure = entity({ code: '20610', name: 'Knee injection', system: 'cpt_2025', score: 0.95 });
  const all = [strong, weak, medium, warned, noEvidence, procedure];
  const warningsOf = (e: EntityView) => checkEntity(e, e.primary, { patient: null, sessionDate: null });

  it('the default batch filter takes high relevance, high score, evidenced, warning-free pending codes', () => {
    const review = new ReviewState('b', { storage: null });
    assert.deepEqual(
      batchCandidates(all, review, warningsOf, DEFAULT_BATCH_FILTER).map((e) => e.primary.code),
      ['M17.11', '20610'],
    );
    review.setStatus(strong, 'REJECTED');
    assert.deepEqual(
      batchCandidates(all, review, warningsOf, DEFAULT_BATCH_FILTER).map((e) => e.primary.code),
      ['20610'],
      'decided codes are left alone',
    );
    const loose = { minRelevance: 'LOW' as const, minScore: 0, requireEvidence: false, excludeWarnings: false };
    assert.equal(batchCandidates(all, review, warningsOf, loose).length, 5);
  });
  it('limits by code-systems, narrows by system and status, and sorts', () => {
    const review = new ReviewState('c', { storage: null });
    review.setStatus(weak, 'ACCEPTED');
    const base = { codeSystems: [] as string[], system: undefined, status: 'ALL' as const, sort: 'document' as const };
    assert.equal(visibleEntities(all, review, { ...base, codeSystems: ['CPT-2025'] }).length, 1);
    assert.deepEqual(
      visibleEntities(all, review, { ...base, status: 'ACCEPTED' }).map((e) => e.primary.code),
      ['M25.561'],
    );
    assert.deepEqual(
      visibleEntities(all, review, { ...base, system: 'CPT' }).map((e) => e.primary.code),
      ['20610'],
    );
    assert.equal(visibleEntities(all, review, { ...base, sort: 'score' })[0]?.primary.score, 0.95);
    assert.equal(visibleEntities(all, review, { ...base, sort: 'relevance' }).at(-1)?.primary.code, 'E11.9');
  });
  it('groups diagnoses before procedures', () => {
    assert.deepEqual(
      groupByKind(all).map((g) => [g.kind, g.entities.length]),
      [
        ['diagnosis', 5],
        ['procedure', 1],
      ],
    );
  });
});
