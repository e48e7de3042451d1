import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLocated, locateNoteSpan, locateTranscriptReference, segmentText, speakerAt } from '../../src/core/evidence.ts';

const transcript = [
  '[doctor] good morning, what brings you in today?',
  '[patient] my right knee has been aching for about six months, worse on the stairs.',
  '[doctor] any swelling or locking?',
  '[patient] some swelling in the evenings. my knee pain is the main thing.',
].join('\n');

const at = (text: string, from = 0) => transcript.indexOf(text, from);

describe('transcript evidence: offsets are checked, not trusted', () => {
  it('uses exact offsets when they slice out the quoted text, with context and speaker', () => {
    const text = 'my right knee has been aching';
    const ev = locateTranscriptReference(transcript, { transcript_text: text, location_in_transcript: { start: at(text), end: at(text) + text.length } });
    assert.equal(ev.location, 'exact');
    assert.equal(ev.text, text);
    assert.equal(ev.speaker, 'patient');
    assert.equal(ev.before, '');
    assert.match(ev.after, /^ for about six months/);
  });
  it('finds the text nearby when the offsets are off', () => {
    const text = 'knee pain';
    const ev = locateTranscriptReference(transcript, { transcript_text: text, location_in_transcript: { start: 3, end: 12 } });
    assert.equal(ev.location, 'moved');
    assert.equal(ev.start, at(text));
    assert.equal(transcript.slice(ev.start, ev.end), text);
  });
  it('prefers the occurrence nearest to the given offset', () => {
    const second = at('swelling', at('swelling') + 1);
    const ev = locateTranscriptReference(transcript, { transcript_text: 'swelling', location_in_transcript: { start: second - 4, end: second + 4 } });
    assert.ok(isLocated(ev));
    assert.equal(ev.start, second);
  });
  it('finds text that differs only in case', () => {
    const ev = locateTranscriptReference(transcript, { transcript_text: 'Knee Pain', location_in_transcript: null });
    assert.equal(ev.location, 'moved');
    assert.equal(ev.text, 'knee pain');
  });
  const bad: [string, { start: number; end: number }][] = [
    ['negative', { start: -5, end: 3 }],
    ['reversed', { start: 40, end: 10 }],
    ['huge', { start: 1e12, end: 1e12 + 5 }],
    ['fractional', { start: 1.5, end: 7.25 }],
    ['NaN', { start: Number.NaN, end: Number.NaN }],
    ['infinite', { start: 0, end: Number.POSITIVE_INFINITY }],
  ];
  for (const [name, loc] of bad) {
    it(`never crashes on ${name} offsets; unfindable text stays visible, marked unlocated`, () => {
      const ev = locateTranscriptReference(transcript, { transcript_text: 'chest pain radiating to the jaw', location_in_transcript: loc });
      assert.equal(ev.location, 'unlocated');
      assert.equal(ev.text, 'chest pain radiating to the jaw');
      assert.equal('start' in ev, false);
    });
  }
  it('marks every snippet unlocated when there is no transcript, keeping its text', () => {
    const ev = locateTranscriptReference(undefined, { transcript_text: 'knee', location_in_transcript: { start: 0, end: 4 } });
    assert.deepEqual([ev.location, ev.text], ['unlocated', 'knee']);
  });
  it('uses the sliced text when Heidi quoted nothing but gave valid offsets', () => {
    const ev = locateTranscriptReference(transcript, { transcript_text: '', location_in_transcript: { start: at('six months'), end: at('six months') + 10 } });
    assert.deepEqual([ev.location, ev.text], ['exact', 'six months']);
  });
  it('trims context at turn boundaries and words', () => {
    const long = `[doctor] ${'word '.repeat(60)}target phrase ${'tail '.repeat(60)}`;
    const start = long.indexOf('target phrase');
    const ev = locateTranscriptReference(long, { transcript_text: 'target phrase', location_in_transcript: { start, end: start + 13 } });
    assert.match(ev.before, /^…word /);
    assert.match(ev.after, / tail…$/);
  });
  it('reads the speaker of the turn', () => {
    assert.equal(speakerAt(transcript, at('any swelling')), 'doctor');
    assert.equal(speakerAt('no tags here', 3), undefined);
  });
});

describe('note evidence', () => {
  const note = 'Assessment: primary osteoarthritis of the right knee.';
  it('slices valid spans', () => {
    assert.deepEqual(locateNoteSpan(note, { start: 12, end: 39 }), { location: 'exact', text: 'primary osteoarthritis of t', start: 12, end: 39 });
  });
  it('marks out-of-range, reversed and missing-note spans invalid', () => {
    assert.equal(locateNoteSpan(note, { start: 0, end: 9999 }).location, 'unlocated');
    assert.equal(locateNoteSpan(note, { start: 20, end: 10 }).location, 'unlocated');
    assert.equal(locateNoteSpan(undefined, { start: 0, end: 3 }).location, 'unlocated');
  });
});

describe('segmentText splits text for highlighting', () => {
  it('marks ranges and merges overlaps, ignoring invalid ones', () => {
    const segments = segmentText('abcdefghij', [
      { start: 2, end: 5, id: 0 },
      { start: 4, end: 7, id: 1 },
      { start: -1, end: 3, id: 2 },
      { start: 8, end: 99, id: 3 },
    ]);
    assert.deepEqual(segments, [
      { text: 'ab', mark: -1 },
      { text: 'cde', mark: 0 },
      { text: 'fg', mark: 1 },
      { text: 'hij', mark: -1 },
    ]);
    assert.equal(segments.map((s) => s.text).join(''), 'abcdefghij');
  });
});
