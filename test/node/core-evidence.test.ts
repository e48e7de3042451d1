import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  findNearest,
  isLocated,
  locateNoteQuote,
  locateNoteSpan,
  locateTranscriptReference,
  prepareText,
  segmentText,
  snapToCodePoints,
  speakerAt,
} from '../../src/core/evidence.ts';
import { buildModel } from '../../src/core/model.ts';

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
    const ev = locateTranscriptReference(transcript, {
      transcript_text: text,
      location_in_transcript: { start: at(text), end: at(text) + text.length },
    });
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
    const ev = locateTranscriptReference(transcript, {
      transcript_text: 'swelling',
      location_in_transcript: { start: second - 4, end: second + 4 },
    });
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
    const ev = locateTranscriptReference(transcript, {
      transcript_text: '',
      location_in_transcript: { start: at('six months'), end: at('six months') + 10 },
    });
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
    assert.deepEqual(locateNoteSpan(note, { start: 12, end: 39 }), {
      location: 'exact',
      text: 'primary osteoarthritis of t',
      start: 12,
      end: 39,
    });
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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('evidence text survives small differences', () => {
  const spaced = (t: string) => t.replace(/\s+/g, ' ').trim();
  // The transcript as a Windows export, an HTML copy or a word processor writes it; the quote as Heidi gives it.
  const variants: [string, string, string][] = [
    ['CRLF line endings', '[doctor] any pain?\r\n[patient] my knee\r\nhurts on the stairs', 'my knee\nhurts on the stairs'],
    ['a non-breaking space', '[patient] my right\u00a0knee aches', 'my right knee aches'],
    ['a tab', '[patient] pain\tin the knee', 'pain in the knee'],
    ['a run of spaces', '[patient] pain    in the knee', 'pain in the knee'],
    ['a quote with CRLF where the transcript has LF', '[patient] my knee\nhurts', 'my knee\r\nhurts'],
    ['a narrow no-break space and a line separator', '[patient] 5\u202fmg twice\u2028daily', '5 mg twice daily'],
  ];
  for (const [name, transcript, quote] of variants) {
    const wanted = (() => {
      // Where the quote is, in the transcript's own coordinates (first and last non-space characters).
      const words = spaced(quote).split(' ');
      const start = transcript.indexOf(words[0]!);
      const last = words[words.length - 1]!;
      return { start, end: transcript.indexOf(last, start) + last.length };
    })();
    it(`${name}: valid offsets are exact`, () => {
      const ev = locateTranscriptReference(transcript, { transcript_text: quote, location_in_transcript: wanted });
      assert.equal(ev.location, 'exact');
      assert.ok(isLocated(ev));
      assert.equal(ev.text, transcript.slice(ev.start, ev.end), "a located text is the transcript's own");
      assert.equal(spaced(ev.text), spaced(quote));
    });
    it(`${name}: wrong or missing offsets still find it (moved)`, () => {
      for (const loc of [null, { start: 0, end: 3 }]) {
        const ev = locateTranscriptReference(transcript, { transcript_text: quote.toUpperCase(), location_in_transcript: loc });
        assert.equal(ev.location, 'moved', JSON.stringify(loc));
        assert.ok(isLocated(ev));
        assert.deepEqual([ev.start, ev.end], [wanted.start, wanted.end]);
        assert.equal(ev.text, transcript.slice(ev.start, ev.end));
      }
    });
  }

  it('findNearest ignores whitespace differences and picks the nearest', () => {
    const t = 'knee\r\npain ... knee pain ... knee\u00a0pain';
    // Nearest wins, whatever the whitespace or case: the CRLF one at 0, the plain one near its own offset.
    assert.equal(findNearest(t, 'knee pain', 0)?.start, 0);
    assert.equal(findNearest(t, 'knee pain', t.indexOf('knee pain') + 2)?.start, t.indexOf('knee pain'));
    assert.equal(findNearest(t, 'KNEE  PAIN', t.length)?.start, t.lastIndexOf('knee'));
    assert.equal(findNearest(t, 'knee\tpain', 0)?.start, 0);
    assert.equal(findNearest(t, 'elbow', 0), undefined);
    // The range is the text's own, not the needle's length: 'knee\r\npain' is 10 characters, 'knee pain' 9.
    assert.deepEqual(findNearest(t, 'knee pain', 0), { start: 0, end: 10 });
  });

  it('a moved note quote covers the note text it matched, even where the spacing differs from the quote', () => {
    const note = 'Plan: start metformin  500 mg 🩺 and review';
    // Sully's offsets disagree with the note; its quote has one space where the note has two.
    const ev = locateNoteQuote(note, 'metformin 500 mg 🩺', 0, 5);
    assert.equal(ev.location, 'moved');
    assert.ok(isLocated(ev));
    assert.equal(ev.text, 'metformin  500 mg 🩺');
    assert.equal(ev.text, note.slice(ev.start, ev.end));
    // The old rule (start + the quote's length) cut the emoji in half: no lone surrogate may remain.
    assert.doesNotMatch(ev.text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('text that is not in the transcript is never located, whatever its offsets', () => {
    const t = '[patient] my knee hurts';
    const ev = locateTranscriptReference(t, { transcript_text: 'my elbow hurts', location_in_transcript: { start: 10, end: 23 } });
    assert.equal(ev.location, 'unlocated');
    assert.equal(ev.text, 'my elbow hurts');
  });
});

describe('evidence never splits a code point', () => {
  const note = 'Pain 😀 score 7/10, 𝔸 grade.';
  const emoji = note.indexOf('😀');
  it('snapToCodePoints widens a span outward to whole code points', () => {
    assert.deepEqual(snapToCodePoints(note, emoji + 1, emoji + 2), { start: emoji, end: emoji + 2 });
    assert.deepEqual(snapToCodePoints(note, 0, emoji + 1), { start: 0, end: emoji + 2 });
    assert.deepEqual(snapToCodePoints(note, 2, 4), { start: 2, end: 4 });
  });
  for (const [name, span] of [
    ['a start inside a pair', { start: emoji + 1, end: emoji + 8 }],
    ['an end inside a pair', { start: 0, end: emoji + 1 }],
    ['both ends inside pairs', { start: emoji + 1, end: note.indexOf('𝔸') + 1 }],
  ] as const) {
    it(`a note span with ${name} shows whole characters`, () => {
      const ev = locateNoteSpan(note, span);
      assert.ok(isLocated(ev));
      assert.doesNotMatch(ev.text, LONE_SURROGATE);
      assert.equal(ev.text, note.slice(ev.start, ev.end));
      assert.ok(ev.start <= span.start && ev.end >= span.end);
    });
  }
  it('transcript offsets and context never cut a pair either', () => {
    const t = `[patient] ${'😀'.repeat(60)}knee pain${'😀'.repeat(60)}`;
    const at = t.indexOf('knee pain');
    for (const loc of [
      { start: at - 1, end: at + 9 },
      { start: 11, end: at },
    ]) {
      const ev = locateTranscriptReference(t, { transcript_text: '', location_in_transcript: loc });
      assert.ok(isLocated(ev));
      for (const part of [ev.text, ev.before, ev.after]) assert.doesNotMatch(part, LONE_SURROGATE);
    }
    const odd = locateTranscriptReference(t, { transcript_text: 'knee pain', location_in_transcript: { start: at, end: at + 9 } });
    for (const part of [odd.text, odd.before, odd.after]) assert.doesNotMatch(part, LONE_SURROGATE);
  });
  it('an unlocated quote with a lone surrogate is shown with U+FFFD', () => {
    const ev = locateTranscriptReference('[patient] hello', { transcript_text: 'pain \ud83d', location_in_transcript: null });
    assert.equal(ev.location, 'unlocated');
    assert.equal(ev.text, 'pain \ufffd');
  });
});

describe('finding quotes stays linear in the transcript', () => {
  it('a model build folds a large transcript once, not once per snippet', () => {
    const transcript = `[doctor] ${'and the patient reports nothing new today. '.repeat(25_000)}\r\n[patient] my KNEE\u00a0hurts`;
    const entities = Array.from({ length: 200 }, (_, i) => ({
      primary_code: { code: `C${i}`, code_name: 'c', code_system: 'icd_10_cm' },
      reference_in_transcript: [{ transcript_text: 'my knee hurts', location_in_transcript: { start: i, end: i + 13 } }],
    }));
    const original = String.prototype.toLowerCase;
    let bigLowerCases = 0;
    String.prototype.toLowerCase = function (this: string) {
      if (this.length > 100_000) bigLowerCases += 1;
      return original.call(this);
    };
    try {
      const model = buildModel({ session_id: 's', clinical_entities: entities }, transcript, undefined);
      assert.ok(model.entities.every((e) => e.transcript[0]?.location === 'moved'));
    } finally {
      String.prototype.toLowerCase = original;
    }
    assert.equal(bigLowerCases, 1);
  });
  it('a prepared text is reused across lookups', () => {
    const prepared = prepareText('[patient] my knee\r\nhurts');
    const first = prepared.folded();
    locateTranscriptReference(prepared, { transcript_text: 'KNEE HURTS', location_in_transcript: null });
    assert.equal(prepared.folded(), first);
  });
});
