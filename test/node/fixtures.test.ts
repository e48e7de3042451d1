/**
 * Demo fixtures: schema validity, exact offsets, realism constraints, the
 * metadata/evidence cases the review checks need, and the generator.
 * Run: node --import tsx --test test/node/fixtures.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClinicalCodesResponse, Session, type ClinicalEntity, type Code } from '../../src/core/schemas.ts';
import { FIXTURES, findFixture, generateConsultation, type Fixture } from '../../demo/fixtures/index.ts';
import { locate } from '../../demo/fixtures/build.ts';

const SYSTEMS = new Set(['icd_10_cm', 'snomed_ct', 'cpt_2025', 'achi_13_au', 'opcs_410', 'icd_10']);
const META_KEYS = [
  'clean_code',
  'short_description',
  'effective_from',
  'sex',
  'min_age',
  'max_age',
  'age_edit_type',
  'rare_use_flag',
  'valid_status',
  'parent_code',
  'children_code',
  'sibling_code',
];

const noteOf = (f: Fixture): string => {
  const note = (f.session.consult_note as { result?: unknown } | undefined)?.result;
  assert.equal(typeof note, 'string', `${f.id}: consult_note.result`);
  return note as string;
};
const codesOf = (e: ClinicalEntity): Code[] => [e.primary_code, ...(e.similar_codes ?? [])];
const allEntities = (fs: readonly Fixture[]) => fs.flatMap((f) => f.clinicalCodes.clinical_entities.map((e) => ({ f, e })));

/** Age in whole years at the session date. */
function ageAt(dob: string, when: string): number {
  const b = new Date(`${dob}T00:00:00Z`);
  const w = new Date(`${when.slice(0, 10)}T00:00:00Z`);
  let age = w.getUTCFullYear() - b.getUTCFullYear();
  if (w.getUTCMonth() < b.getUTCMonth() || (w.getUTCMonth() === b.getUTCMonth() && w.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

function checkBody(f: Fixture): void {
  const s = Session.safeParse(f.session);
  assert.ok(s.success, `${f.id}: Session schema: ${s.success ? '' : JSON.stringify(s.error.issues.slice(0, 3))}`);
  const c = ClinicalCodesResponse.safeParse(f.clinicalCodes);
  assert.ok(c.success, `${f.id}: ClinicalCodesResponse schema: ${c.success ? '' : JSON.stringify(c.error.issues.slice(0, 3))}`);
  assert.equal(f.clinicalCodes.session_id, f.session.session_id);
  assert.equal(f.clinicalCodes.feedback, null);
  for (const key of ['id', 'consult_note_id', 'created_at', 'updated_at'] as const) assert.ok(f.clinicalCodes[key], `${f.id}: ${key}`);

  const note = noteOf(f);
  for (const [i, e] of f.clinicalCodes.clinical_entities.entries()) {
    const where = `${f.id} entity ${i} (${e.primary_code.code})`;
    for (const r of e.reference_in_transcript ?? []) {
      const loc = r.location_in_transcript;
      assert.ok(loc, `${where}: location_in_transcript`);
      assert.ok(loc.start >= 0 && loc.start < loc.end && loc.end <= f.transcript.length, `${where}: transcript span in range`);
      assert.equal(f.transcript.slice(loc.start, loc.end), r.transcript_text, `${where}: transcript_text equals slice`);
    }
    for (const span of e.location_in_note ?? []) {
      assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${where}: integer note span`);
      assert.ok(span.start >= 0 && span.start < span.end && span.end <= note.length, `${where}: note span inside note`);
    }
    assert.equal(e.status, 'PENDING', `${where}: status`);
    assert.ok(['HIGH', 'MEDIUM', 'LOW'].includes(e.relevance ?? ''), `${where}: relevance`);
    assert.ok(typeof e.relevance_score === 'number' && e.relevance_score >= 0 && e.relevance_score <= 1, `${where}: relevance_score`);
    for (const code of codesOf(e)) {
      assert.ok(SYSTEMS.has(code.code_system), `${where}: code_system ${code.code_system}`);
      assert.ok(typeof code.score === 'number' && code.score >= 0 && code.score <= 1, `${where}: score of ${code.code}`);
      assert.ok(code.code_name.length > 0, `${where}: code_name`);
      for (const k of META_KEYS) assert.ok(code.metadata && k in code.metadata, `${where}: ${code.code} metadata.${k}`);
    }
  }
}

function checkTranscriptTurns(f: Fixture): void {
  const lines = f.transcript.split('\n');
  assert.ok(lines.length >= 10, `${f.id}: enough turns`);
  for (const line of lines) assert.match(line, /^\[(doctor|patient)\] \S/, `${f.id}: turn format: ${line.slice(0, 40)}`);
  assert.ok(lines.some((l) => l.startsWith('[doctor]')) && lines.some((l) => l.startsWith('[patient]')), `${f.id}: both speakers`);
}

test('there are at least four hand-written fixtures with unique ids', () => {
  assert.ok(FIXTURES.length >= 4);
  const ids = FIXTURES.map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length, 'fixture ids unique');
  const sessionIds = FIXTURES.map((f) => f.session.session_id);
  assert.equal(new Set(sessionIds).size, sessionIds.length, 'session ids unique');
  const responseIds = FIXTURES.map((f) => f.clinicalCodes.id);
  assert.equal(new Set(responseIds).size, responseIds.length, 'response ids unique');
  const ehr = FIXTURES.map((f) => f.session.ehr_patient_id);
  assert.equal(new Set(ehr).size, ehr.length, 'ehr_patient_id unique');
  for (const f of FIXTURES) assert.equal(findFixture(f.id), f);
  assert.equal(findFixture('no-such-fixture'), undefined);
});

for (const f of FIXTURES) {
  test(`fixture ${f.id}: schemas, exact offsets, realism`, () => {
    checkBody(f);
    checkTranscriptTurns(f);
    assert.ok(f.transcript.length >= 2000 && f.transcript.length <= 5000, `${f.id}: transcript length ${f.transcript.length}`);
    assert.ok(noteOf(f).length >= 800, `${f.id}: note length`);
    assert.ok(f.title && f.specialty, `${f.id}: title/specialty`);

    const s = f.session;
    assert.equal(s.session_id, f.id);
    assert.match(String(s.ehr_patient_id), /^EHR-PT-\d{4}$/);
    assert.ok(['MALE', 'FEMALE', 'OTHER'].includes(String(s.patient?.gender)));
    assert.match(String(s.patient?.dob), /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(s.patient?.name);
    assert.match(String(s.created_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    for (const k of ['audio', 'documents', 'ehr_appt_id', 'ehr_provider', 'language_code', 'output_language_code', 'duration'])
      assert.ok(k in s, `${f.id}: session.${k}`);
    const cn = s.consult_note as Record<string, unknown>;
    assert.equal(cn.status, 'CREATED');
    assert.equal(cn.generation_method, 'TEMPLATE');
    for (const k of [
      'heading',
      'brain',
      'voice_style',
      'template_id',
      'ai_command_id',
      'ai_command_text',
      'feedback',
      'dictation_cleanup_mode',
    ])
      assert.ok(k in cn, `${f.id}: consult_note.${k}`);

    const entities = f.clinicalCodes.clinical_entities;
    assert.ok(entities.length >= 4 && entities.length <= 8, `${f.id}: 4-8 entities`);
    for (const e of entities) {
      const n = e.similar_codes?.length ?? 0;
      assert.ok(n >= 2 && n <= 5, `${f.id} ${e.primary_code.code}: 2-5 similar codes`);
      const refs = e.reference_in_transcript ?? [];
      const spans = e.location_in_note ?? [];
      assert.ok(refs.length <= 3 && spans.length <= 2, `${f.id} ${e.primary_code.code}: evidence counts`);
      if (refs.length > 0) assert.ok(spans.length >= 1, `${f.id} ${e.primary_code.code}: note location when evidenced`);
      const codes = codesOf(e).map((c) => c.code);
      assert.equal(new Set(codes).size, codes.length, `${f.id} ${e.primary_code.code}: distinct codes`);
    }
    const primaries = entities.map((e) => `${e.primary_code.code_system}:${e.primary_code.code}`);
    assert.equal(new Set(primaries).size, primaries.length, `${f.id}: distinct primary codes`);
  });
}

test('codes span at least four code systems, primary care and procedures', () => {
  const systems = new Set(allEntities(FIXTURES).flatMap(({ e }) => codesOf(e).map((c) => c.code_system)));
  assert.ok(systems.size >= 4, `systems: ${[...systems].join(', ')}`);
  const procedureSystems = ['cpt_2025', 'achi_13_au', 'opcs_410'].filter((s) => systems.has(s));
  assert.ok(procedureSystems.length >= 2, 'procedure systems present');
});

test('metadata cases for the review checks exist', () => {
  const rows = allEntities(FIXTURES).map(({ f, e }) => ({ f, e, m: e.primary_code.metadata ?? {} }));

  const sexMismatch = rows.filter(({ f, m }) => {
    const g = f.session.patient?.gender;
    return (m.sex === 'Female' && g === 'MALE') || (m.sex === 'Male' && g === 'FEMALE');
  });
  assert.ok(sexMismatch.length >= 1, 'a sex-restricted code that does not match the patient');
  const sexMatch = rows.filter(({ f, m }) => m.sex === 'Female' && f.session.patient?.gender === 'FEMALE');
  assert.ok(sexMatch.length >= 1, 'a sex-restricted code that matches the patient');

  const ageViolation = rows.filter(({ f, m }) => {
    const age = ageAt(String(f.session.patient?.dob), String(f.session.created_at));
    return (typeof m.min_age === 'number' && age < m.min_age) || (typeof m.max_age === 'number' && age > m.max_age);
  });
  assert.ok(ageViolation.length >= 1, 'an age edit the patient violates');

  assert.ok(
    rows.some(({ m }) => m.valid_status && m.valid_status !== 'Valid'),
    'a non-valid status',
  );
  assert.ok(
    rows.some(({ m }) => m.rare_use_flag === 'Rare use'),
    'a rare-use code',
  );
  assert.ok(
    rows.some(({ e, m }) => /unspecified/i.test(e.primary_code.code_name) && (m.children_code?.length ?? 0) > 0),
    'an unspecified code with more specific children',
  );
  assert.ok(rows.some(({ m }) => m.parent_code) && rows.some(({ m }) => (m.sibling_code?.length ?? 0) > 0), 'parent and sibling codes');
});

test('evidence-quality material exists (negated, historical, family, context, none)', () => {
  const entities = allEntities(FIXTURES).map(({ e }) => e);
  const texts = entities.flatMap((e) => (e.reference_in_transcript ?? []).map((r) => r.transcript_text));
  assert.ok(
    texts.some((t) => /\b(no|denies|haven't|not|won't)\b/i.test(t)),
    'a negated snippet',
  );
  assert.ok(
    texts.some((t) => /\bhistory of\b|\bback in \d{4}\b|\byears ago\b/i.test(t)),
    'a historical snippet',
  );
  assert.ok(
    texts.some((t) => /\b(mother|father|mum|wife|sister|brother)\b/i.test(t)),
    'a snippet about someone else',
  );
  assert.ok(
    entities.some((e) => (e.reference_in_context ?? []).length > 0),
    'a context reference',
  );
  assert.ok(
    entities.some(
      (e) =>
        (e.reference_in_transcript ?? []).length === 0 &&
        (e.location_in_note ?? []).length === 0 &&
        (e.reference_in_context ?? []).length === 0,
    ),
    'an entity without evidence',
  );
});

test('quoted evidence is located exactly (builder throws when absent)', () => {
  assert.deepEqual(locate('abc abc', 'abc', 1), { start: 4, end: 7 });
  assert.throws(() => locate('abc', 'xyz'), /not found/);
  assert.throws(() => locate('abc', 'abc', 1), /not found/);
});

test('generateConsultation(300): schemas, offsets, shape', () => {
  const g = generateConsultation(300);
  checkBody(g);
  checkTranscriptTurns(g);
  assert.equal(g.session.session_id, 'generated-300');
  assert.equal(g.clinicalCodes.clinical_entities.length, 300);
  for (const e of g.clinicalCodes.clinical_entities) {
    assert.equal(e.similar_codes?.length, 5);
    assert.equal(e.reference_in_transcript?.length, 2);
    assert.equal(e.location_in_note?.length, 1);
  }
  const primaries = g.clinicalCodes.clinical_entities.map((e) => e.primary_code.code);
  assert.equal(new Set(primaries).size, primaries.length, 'primary codes differ');
  const systems = new Set(g.clinicalCodes.clinical_entities.map((e) => e.primary_code.code_system));
  assert.ok(systems.size >= 4, 'mix of systems');
  const rel = new Set(g.clinicalCodes.clinical_entities.map((e) => e.relevance));
  assert.equal(rel.size, 3, 'mix of relevance');
});

test('generateConsultation: options, edge sizes', () => {
  const g = generateConsultation(40, { seed: 9, similar: 2, snippets: 3, sessionId: 'custom-id' });
  checkBody(g);
  assert.equal(g.session.session_id, 'custom-id');
  for (const e of g.clinicalCodes.clinical_entities) {
    assert.equal(e.similar_codes?.length, 2);
    assert.equal(e.reference_in_transcript?.length, 3);
  }
  const zero = generateConsultation(0);
  checkBody(zero);
  assert.equal(zero.clinicalCodes.clinical_entities.length, 0);
  const noEvidence = generateConsultation(5, { snippets: 0, similar: 0 });
  checkBody(noEvidence);
  assert.ok(generateConsultation(2000).transcript.length > generateConsultation(200).transcript.length, 'transcript grows');
});

test('generateConsultation is deterministic', () => {
  assert.deepEqual(generateConsultation(300, { seed: 42 }), generateConsultation(300, { seed: 42 }));
  assert.deepEqual(generateConsultation(300), generateConsultation(300, { seed: 1 }));
  assert.notDeepEqual(generateConsultation(300, { seed: 1 }), generateConsultation(300, { seed: 2 }));
});

// Its speed is a bench figure (npm run bench builds the same sessions), never a timed assertion here.
test('generateConsultation builds large consultations whose offsets stay exact (2000 and 5000 codes)', () => {
  const g = generateConsultation(2000);
  assert.equal(g.clinicalCodes.clinical_entities.length, 2000);
  const big = generateConsultation(5000);
  assert.equal(big.clinicalCodes.clinical_entities.length, 5000);
  const last = big.clinicalCodes.clinical_entities[4999]?.reference_in_transcript?.[1];
  assert.ok(last?.location_in_transcript);
  assert.equal(big.transcript.slice(last.location_in_transcript.start, last.location_in_transcript.end), last.transcript_text);
});
