/**
 * NegEx-style cues and the code's own name: "without", "not", "no" (and "mother", "resolved"…) inside the
 * title the evidence quotes are the title's wording, not a doubt about the code. A cue before or after the
 * quoted title still is one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildModel, type EntityView } from '../../src/core/model.ts';
import { checkEntity, evidenceQuality, type CheckKind } from '../../src/core/checks.ts';
import { DEFAULT_BATCH_FILTER, batchCandidates } from '../../src/core/filters.ts';
import { ReviewState } from '../../src/core/review.ts';
import { generateConsultation } from '../../demo/fixtures/index.ts';
import { FUZZ_SEED, whitespaceVariant } from './fuzz-arbitraries.ts';

const CUE_KINDS: readonly CheckKind[] = ['negated', 'historical', 'other-person'];

/** One ICD-10-CM entity named `name`, with `quote` in the note and/or the transcript (`said` is the whole turn). */
function entity(name: string, evidence: { note?: string; said?: string; quote?: string }, similar: string[] = []): EntityView {
  const transcript = evidence.said === undefined ? '' : `[doctor] What did they tell you?\n[patient] ${evidence.said}`;
  const quote = evidence.quote ?? evidence.said ?? '';
  const at = transcript.lastIndexOf(quote);
  const note = evidence.note ?? '';
  return buildModel(
    {
      session_id: 's1',
      clinical_entities: [
        {
          primary_code: { code: 'X00.0', code_name: name, code_system: 'icd_10_cm', score: 0.9 },
          similar_codes: similar.map((code_name, i) => ({ code: `X00.${i + 1}`, code_name, code_system: 'icd_10_cm', score: 0.5 })),
          reference_in_transcript:
            evidence.said === undefined ? [] : [{ transcript_text: quote, location_in_transcript: { start: at, end: at + quote.length } }],
          location_in_note: note ? [{ start: 0, end: note.length }] : [],
          reference_in_context: [],
          relevance: 'HIGH',
          relevance_score: 0.9,
          status: 'PENDING',
        },
      ],
    },
    transcript,
    { session_id: 's1', consult_note: { result: note } },
  ).entities[0]!;
}

const cues = (e: EntityView, code = e.primary) =>
  evidenceQuality(e, code).map((w) => [w.kind, w.cue?.source, w.cue?.part, w.cue?.cue, w.cue?.start] as const);

describe('checks: a cue inside the code’s own quoted name is not a negation of it', () => {
  it('the reviewer’s generated-40 codes: the note quotes the title, and no cue warning follows', () => {
    const fx = generateConsultation(40);
    const model = buildModel(fx.clinicalCodes, fx.transcript, fx.session);
    const context = { patient: fx.session.patient, sessionDate: fx.session.created_at };
    const byCode = new Map(model.entities.map((e) => [e.primary.code, e]));
    for (const [code, cue] of [
      ['K21.9', 'without'],
      ['G43.909', 'not'],
      ['N40.0', 'without'],
    ] as const) {
      const e = byCode.get(code);
      assert.ok(e, code);
      assert.ok(new RegExp(`\\b${cue}\\b`).test(e.note[0]!.text), `${code}'s note quote has “${cue}”`);
      assert.deepEqual(
        checkEntity(e, e.primary, context).filter((w) => CUE_KINDS.includes(w.kind)),
        [],
        code,
      );
    }
    // No quote in this consultation is negated, historical or about someone else: every code is judged on the rest.
    assert.deepEqual(
      model.entities.flatMap((e) => evidenceQuality(e).map((w) => `${e.primary.code} ${w.kind} ${w.params.cue}`)),
      [],
    );
    const review = new ReviewState('g40', { storage: null });
    const passing = batchCandidates(model.entities, review, (e) => checkEntity(e, e.primary, context), DEFAULT_BATCH_FILTER);
    assert.ok(
      passing.some((e) => e.primary.code === 'G43.909'),
      'G43.909 (high relevance) passes the default filter again',
    );
  });

  it('a real negation before the title, or of the condition in other words, is still flagged', () => {
    const e11 = 'Type 2 diabetes mellitus without complications';
    assert.deepEqual(cues(entity(e11, { note: e11 })), []);
    assert.deepEqual(cues(entity(e11, { note: `No type 2 diabetes mellitus without complications.` })), [
      ['negated', 'note', 'text', 'No', 0],
    ]);
    assert.deepEqual(cues(entity('Gastro-esophageal reflux disease without esophagitis', { note: 'Denies reflux.' })), [
      ['negated', 'note', 'text', 'Denies', 0],
    ]);
    // In the transcript the cue may sit in the words just before the snippet.
    assert.deepEqual(cues(entity(e11, { said: `Denies ${e11}`, quote: e11 })), [['negated', 'transcript', 'before', 'Denies', 0]]);
    assert.deepEqual(cues(entity(e11, { said: `I was told ${e11}`, quote: e11 })), []);
  });

  it('the name is matched as quotes are found: any case, any whitespace, and across the snippet’s edge', () => {
    const k21 = 'Gastro-esophageal reflux disease without esophagitis';
    assert.deepEqual(cues(entity(k21, { note: 'GASTRO-ESOPHAGEAL reflux\r\ndisease  without\u00a0esophagitis' })), []);
    // The snippet is the end of the title; its "without" is in the words before it, and still the title's.
    assert.deepEqual(cues(entity(k21, { said: `It is ${k21}`, quote: 'esophagitis' })), []);
    // Only the whole name counts: part of it is not the code's name as quoted.
    assert.deepEqual(cues(entity(k21, { note: 'Reflux without esophagitis' })), [['negated', 'note', 'text', 'without', 7]]);
  });

  it('only the chosen code’s name: after a swap, the primary’s “without” may contradict the new code', () => {
    const e = entity(
      'Gastro-esophageal reflux disease without esophagitis',
      { note: 'Gastro-esophageal reflux disease without esophagitis' },
      ['Gastro-esophageal reflux disease with esophagitis, without bleeding'],
    );
    assert.deepEqual(cues(e), []);
    assert.deepEqual(cues(e, e.similar[0]), [['negated', 'note', 'text', 'without', 33]]);
  });

  it('a negation by contraction, with either apostrophe, is a cue too; the complaint said in a negative is not', () => {
    const eog = 'Electro-oculography';
    assert.deepEqual(
      cues(entity(eog, { said: "We won't need any of the special electrical tests of the eye", quote: 'special electrical tests' })),
      [['negated', 'transcript', 'before', "won't need", 3]],
    );
    const chestPain = 'Chest pain, unspecified';
    for (const [said, cue] of [
      ['I don’t have chest pain', 'don’t have'],
      ["He doesn't have chest pain", "doesn't have"],
      ["She hasn't had chest pain", "hasn't had"],
      ['There isn’t any chest pain now', 'isn’t'],
      ['I have never had chest pain', 'never had'],
    ]) {
      assert.deepEqual(
        cues(entity(chestPain, { said, quote: 'chest pain' })).map(([kind, , , found]) => [kind, found]),
        [['negated', cue]],
        said,
      );
    }
    // Insomnia and constipation are what "can't" and "haven't" say here: no doubt about the code. "Never" alone
    // says how often, not that it is absent.
    assert.deepEqual(cues(entity('Insomnia, unspecified', { said: 'I never sleep through the night' })), []);
    assert.deepEqual(cues(entity('Low back pain, unspecified', { said: 'The back pain never goes away' })), []);
    assert.deepEqual(cues(entity('Insomnia, unspecified', { said: "I can't get to sleep at night" })), []);
    assert.deepEqual(cues(entity('Constipation, unspecified', { said: 'I haven’t opened my bowels properly for a week' })), []);
    // The same possessive with a curly apostrophe: about someone else.
    assert.deepEqual(cues(entity(chestPain, { note: 'The patient’s wife has chest pain' })), [
      ['other-person', 'note', 'text', 'The patient’s wife', 0],
    ]);
  });

  it("a pseudo-negation says the problem goes on: 'not controlled', 'no better', 'isn't improving' are no cue", () => {
    const t2dm = 'Type 2 diabetes mellitus with hyperglycemia';
    for (const said of [
      'Your diabetes is not controlled at the moment',
      'The diabetes is not well controlled',
      'My diabetes is no better since the last visit',
      "The diabetes isn't improving",
      'The diabetes is not only high in the morning',
    ]) {
      assert.deepEqual(cues(entity(t2dm, { said })), [], said);
    }
    // A plain negation still is one.
    assert.deepEqual(
      cues(entity(t2dm, { said: 'There is no diabetes in this family', quote: 'diabetes' })).map(([kind, , , found]) => [kind, found]),
      [['negated', 'no']],
    );
  });

  // Names of this shape: a historical or a family word as part of what the code is.
  it('the same for the other cue kinds: a historical or family word that is part of the title', () => {
    const resolved = 'Acute kidney injury, resolved';
    assert.deepEqual(cues(entity(resolved, { note: resolved })), []);
    assert.deepEqual(cues(entity(resolved, { note: `Previously ${resolved}` })), [['historical', 'note', 'text', 'Previously', 0]]);
    const maternal = 'Newborn affected by complications of mother';
    assert.deepEqual(cues(entity(maternal, { note: maternal })), []);
    assert.deepEqual(cues(entity(maternal, { note: `Her sister: ${maternal}` })), [['other-person', 'note', 'text', 'Her sister', 0]]);
  });
});

// Words for titles: cue words of every kind among ordinary ones ("history" left out, so no cue is expected
// by the code's own name: that has its own rule).
const WORDS = [
  'without',
  'not',
  'no',
  "won't",
  'isn’t',
  'never',
  'need',
  'resolved',
  'previously',
  'mother',
  'uncle',
  'diabetes',
  'reflux',
  'esophagitis',
  'complications',
  'intractable',
  'migraine',
  'status',
  'acute',
  'of',
  'with',
  'knee',
];
const title = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
/** The title as a note or transcript might write it: each word's case changed, its spacing changed. */
const quoted = (name: string) =>
  fc
    .tuple(
      fc.array(
        fc.constantFrom<(w: string) => string>(
          (w) => w,
          (w) => w.toUpperCase(),
          (w) => w[0]!.toUpperCase() + w.slice(1),
        ),
        { minLength: 8, maxLength: 8 },
      ),
      fc.array(fc.nat(20), { minLength: 1, maxLength: 8 }),
    )
    .map(([cases, spaces]) =>
      whitespaceVariant(
        name
          .split(' ')
          .map((w, i) => cases[i]!(w))
          .join(' '),
        spaces,
      ),
    );
/** Words before the title, the kind of cue in them and the cue itself. */
const LEADS: readonly (readonly [CheckKind, string, string])[] = [
  ['negated', 'no', 'no'],
  ['negated', 'Denies', 'Denies'],
  ['negated', 'negative for', 'negative for'],
  ['negated', "Don't have", "Don't have"],
  ['negated', 'won’t need', 'won’t need'],
  ['negated', "wasn't", "wasn't"],
  ['other-person', 'the patient’s son has', 'the patient’s son'],
  ['historical', 'history of', 'history of'],
  ['historical', 'Previously', 'Previously'],
  ['other-person', 'his father has', 'his father'],
];

describe('checks: property (fast-check, fixed seed)', () => {
  const params = { seed: FUZZ_SEED, numRuns: 300 };
  it('the title quoted in any case and spacing, in the note or the transcript, has no cue warning', () => {
    fc.assert(
      fc.property(
        title.chain((name) => fc.tuple(fc.constant(name), quoted(name))),
        ([name, quote]) => {
          assert.deepEqual(cues(entity(name, { note: quote })), []);
          assert.deepEqual(cues(entity(name, { said: `I was told ${quote}`, quote })), []);
        },
      ),
      params,
    );
  });
  it('a cue before the quoted title is flagged, with its own kind, where it is', () => {
    fc.assert(
      fc.property(
        title.chain((name) => fc.tuple(fc.constant(name), quoted(name), fc.constantFrom(...LEADS))),
        ([name, quote, [kind, lead, cue]]) => {
          // "Previously previously": when the words before are the title's own first words, they are the title.
          fc.pre(!`${lead} ${name}`.toLowerCase().startsWith(name));
          assert.deepEqual(cues(entity(name, { note: `${lead} ${quote}` })), [[kind, 'note', 'text', cue, 0]]);
          assert.deepEqual(cues(entity(name, { said: `${lead} ${quote}`, quote })), [[kind, 'transcript', 'before', cue, 0]]);
        },
      ),
      params,
    );
  });
});
