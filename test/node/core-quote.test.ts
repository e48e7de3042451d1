/**
 * The card's quote (issue 12): the strongest evidence, clipped to about a line either side, the marked words
 * exactly the located span, computed once per entity.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ClinicalCodesResponse } from '../../src/core/schemas.ts';
import { buildModel, type EntityView } from '../../src/core/model.ts';
import { bestQuote, clipAfter, clipBefore, evidenceCount, quoteFor, QUOTE_CONTEXT_CHARS } from '../../src/core/quote.ts';

const LONG_TURN =
  '[patient] Well it started a long time ago when I was still working on the farm every single day, and now my right knee hurts on the stairs, mostly in the morning when it is cold and damp outside, and it eases by lunch.';
const TRANSCRIPT = `[doctor] Any knee pain?\n${LONG_TURN}\n[doctor] No swelling?\n[patient] No.`;
const KNEE = 'my right knee hurts on the stairs';

function entities(list: unknown[], note = 'Assessment: right knee osteoarthritis.'): EntityView[] {
  const parsed = ClinicalCodesResponse.parse({ session_id: 's', clinical_entities: list });
  return [...buildModel(parsed, TRANSCRIPT, { session_id: 's', consult_note: { result: note } } as never).entities];
}

const code = { code: 'M17.11', code_name: 'Primary osteoarthritis, right knee', code_system: 'icd_10_cm', score: 0.9 };

describe('bestQuote', () => {
  it('is the located transcript snippet: marked words are the span, context clipped to about a line at word boundaries', () => {
    const start = TRANSCRIPT.indexOf(KNEE);
    const [e] = entities([
      {
        primary_code: code,
        reference_in_transcript: [{ transcript_text: KNEE, location_in_transcript: { start, end: start + KNEE.length } }],
      },
    ]);
    const q = bestQuote(e!)!;
    assert.equal(q.source, 'transcript');
    assert.equal(q.text, TRANSCRIPT.slice(start, start + KNEE.length));
    assert.equal(q.speaker, 'patient');
    assert.equal(q.location, 'exact');
    assert.ok(q.before.startsWith('…') && q.before.length <= QUOTE_CONTEXT_CHARS + 1, q.before);
    assert.ok(q.after.endsWith('…') && q.after.length <= QUOTE_CONTEXT_CHARS + 1, q.after);
    // Whole words only: the clipped context is a suffix / prefix of the transcript around the span, cut at spaces.
    assert.ok(TRANSCRIPT.slice(0, start).endsWith(q.before.slice(1)));
    assert.match(q.before.slice(1), /^\S/);
    assert.ok(TRANSCRIPT.slice(start + KNEE.length).startsWith(q.after.slice(0, -1)));
    assert.equal(bestQuote(e!), q, 'memoised: the same object on every render');
  });

  it('prefers a located snippet over an unlocated one, then a located note passage, then the context', () => {
    const start = TRANSCRIPT.indexOf(KNEE);
    const [a, b, c, d] = entities([
      {
        primary_code: code,
        reference_in_transcript: [
          { transcript_text: 'words nowhere in the transcript' },
          { transcript_text: KNEE, location_in_transcript: { start, end: start + KNEE.length } },
        ],
      },
      {
        primary_code: code,
        location_in_note: [
          { start: 999, end: 1000 },
          { start: 12, end: 38 },
        ],
      },
      { primary_code: code, reference_in_context: ['clinician says: knee'] },
      { primary_code: code, reference_in_transcript: [{ transcript_text: 'said but not found' }] },
    ]);
    assert.equal(bestQuote(a!)!.index, 1);
    assert.deepEqual([bestQuote(b!)!.source, bestQuote(b!)!.index, bestQuote(b!)!.text], ['note', 1, 'right knee osteoarthritis.']);
    assert.deepEqual([bestQuote(c!)!.source, bestQuote(c!)!.text], ['context', 'clinician says: knee']);
    // An unlocated snippet is still the quote (marked as such by the card), never dropped.
    assert.deepEqual([bestQuote(d!)!.location, bestQuote(d!)!.text], ['unlocated', 'said but not found']);
    assert.equal(evidenceCount(a!), 2);
  });

  it('no evidence: no quote', () => {
    const [e] = entities([{ primary_code: code }]);
    assert.equal(bestQuote(e!), undefined);
  });
});

describe('clipping', () => {
  it('keeps a cue offset in the context before the words even when it is further back than a line', () => {
    const before = 'the patient said that she has never had any of that trouble with the knee before today and ';
    const cue = before.indexOf('never');
    const kept = clipBefore(before, 20, cue);
    assert.equal(kept.text, `…${before.slice(cue)}`);
    assert.equal(kept.cut, cue);
    assert.equal(clipBefore('short', 20).text, 'short');
  });

  it('quoteFor maps a snippet with its cue kept; clipAfter ends at a word', () => {
    const start = TRANSCRIPT.indexOf(KNEE);
    const [e] = entities([
      {
        primary_code: code,
        reference_in_transcript: [{ transcript_text: KNEE, location_in_transcript: { start, end: start + KNEE.length } }],
      },
    ]);
    const snippet = e!.transcript[0]!;
    const at = snippet.before.indexOf('long');
    const q = quoteFor(e!, 'transcript', 0, at)!;
    assert.ok(q.cut <= at && snippet.before.slice(q.cut).startsWith(q.before.replace(/^…/, '')));
    assert.equal(clipAfter('one two three four', 9), 'one two…');
  });

  it('the seed example: 11200-00 has a quote (unlocated without a transcript), with its speaker-less text', () => {
    const seed = ClinicalCodesResponse.parse(
      JSON.parse(readFileSync(new URL('../data/seed-clinical-codes.json', import.meta.url), 'utf8')),
    );
    const model = buildModel(seed, undefined, undefined);
    const glaucoma = model.entities.find((x) => x.primary.code === '11200-00')!;
    const q = bestQuote(glaucoma)!;
    assert.equal(q.source, 'transcript');
    assert.equal(q.location, 'unlocated');
    assert.ok(q.text.length > 0);
  });
});
