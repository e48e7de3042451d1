/**
 * Offsets from the API are checked, not trusted. A transcript snippet is
 * "exact" when the offsets slice out its text, "moved" when the text was
 * found elsewhere (nearest to the given offset), and "unlocated" when it
 * cannot be found or there is no transcript: its text is still shown.
 */
import type { Span, TranscriptReference } from './schemas.ts';
import { wellFormed } from './text.ts';

export type Location = 'exact' | 'moved' | 'unlocated';

interface TranscriptQuote {
  /** The snippet as Heidi quoted it (or the sliced text when the quote was empty). */
  readonly text: string;
  /** A little of the transcript around it, for reading the snippet in context. */
  readonly before: string;
  readonly after: string;
  /** Who said it (`doctor`, `patient`, ...), from the nearest `[speaker]` tag before it. */
  readonly speaker?: string;
}

/** A transcript snippet: located (where it is, `end` exclusive) or unlocated (its text is still shown). */
export type TranscriptEvidence =
  | (TranscriptQuote & { readonly location: 'exact' | 'moved'; readonly start: number; readonly end: number })
  | (TranscriptQuote & { readonly location: 'unlocated' });

/** A passage of the note: located (sliced from the note) or unlocated (offsets outside it; `text` is what was quoted, if anything). */
export type NoteEvidence =
  | { readonly location: 'exact' | 'moved'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly location: 'unlocated'; readonly text: string };

export type LocatedEvidence<T extends { readonly location: Location }> = Exclude<T, { readonly location: 'unlocated' }>;

/** The one test for "this evidence can be pointed at". */
export function isLocated<T extends { readonly location: Location }>(evidence: T): evidence is LocatedEvidence<T> {
  return evidence.location !== 'unlocated';
}

/** A highlight in the note or transcript: `id` is the evidence's index in its entity's list. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
  readonly id: number;
}

/** The located pieces of one evidence list as highlight ranges (ids keep their list index). */
export function locatedRanges(evidence: readonly (TranscriptEvidence | NoteEvidence)[]): SourceRange[] {
  return evidence.flatMap((e, id) => (isLocated(e) ? [{ start: e.start, end: e.end, id }] : []));
}

const CONTEXT_CHARS = 90;

/** Are `start..end` integer offsets of a non-empty range inside a text of `length` units? */
export function isRange(start: number | undefined, end: number | undefined, length: number): boolean {
  return Number.isInteger(start) && Number.isInteger(end) && 0 <= start! && start! < end! && end! <= length;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
export const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Widen `[start, end)` so it never cuts a surrogate pair: a span shows and sends whole code points only. */
export function snapToCodePoints(text: string, start: number, end: number): { start: number; end: number } {
  // Offsets outside the text read NaN, which is no surrogate.
  const insidePair = (at: number) => +(isLow(text.charCodeAt(at)) && isHigh(text.charCodeAt(at - 1)));
  return { start: start - insidePair(start), end: end + insidePair(end) };
}

/** The characters JavaScript's `\s` matches: line endings, tabs, NBSP, the Unicode spaces, BOM. */
function isSpace(unit: number): boolean {
  return (
    unit === 32 ||
    (unit >= 9 && unit <= 13) ||
    unit === 0xa0 ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000 ||
    unit === 0xfeff
  );
}

/** Text compared the forgiving way: every run of whitespace (CRLF, NBSP, tabs, spaces) is one space; ends trimmed. */
function spaced(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A transcript prepared once per model for finding quotes: `folded` is the text lower-cased with each run of
 * whitespace as one space, and `toOriginal[i]` the offset in `text` of `folded[i]`. Built lazily (only when
 * a quote is not found as written) and then shared by every snippet, so a 5 MB transcript is folded once,
 * never once per snippet.
 */
export interface PreparedText {
  readonly text: string;
  folded(): { readonly text: string; readonly toOriginal: Uint32Array };
  /** Could `needle` (folded) occur in the folded text? False means certainly not, without scanning the text. */
  mayContain(needle: string): boolean;
  /** Fold and index the text now, a slice at a time with `pause()` between slices, so no search later blocks. */
  prepareInSlices(pause: () => Promise<void>): Promise<void>;
}

export function prepareText(text: string): PreparedText {
  let folded: { text: string; toOriginal: Uint32Array } | undefined;
  let mayContain: ((needle: string) => boolean) | undefined;
  const prepared: PreparedText = {
    text,
    folded: () => (folded ??= fold(text)),
    mayContain: (needle) => (mayContain ??= vocabulary(new Set(prepared.folded().text.split(' '))))(needle),
    async prepareInSlices(pause) {
      if (folded && mayContain) return;
      const pieces: { text: string; toOriginal: Uint32Array; start: number }[] = [];
      const seen = new Set<string>();
      for (let start = 0, end; start < text.length; start = end) {
        end = sliceEnd(text, start + SLICE_CHARS);
        // Cut after a run of whitespace, so each slice folds exactly as it would inside the whole text.
        const piece = { ...fold(text.slice(start, end)), start };
        pieces.push(piece);
        for (const word of piece.text.split(' ')) seen.add(word);
        await pause();
      }
      const joined = pieces.map((piece) => piece.text).join('');
      const toOriginal = new Uint32Array(joined.length + 1);
      let out = 0;
      for (const [i, { toOriginal: map, start }] of pieces.entries()) {
        // A slice's map ends with its own end, which is the next slice's first offset: the next slice overwrites it.
        toOriginal.set(
          map.map((offset) => offset + start),
          out,
        );
        out += map.length - 1;
        if (i % 4 === 3) await pause();
      }
      folded ??= { text: joined, toOriginal };
      mayContain ??= vocabulary(seen);
    },
  };
  return prepared;
}

/** Characters folded per slice when preparing in slices (a few milliseconds of work each). */
const SLICE_CHARS = 65_536;

/** Where a slice that should end near `target` ends: after the run of whitespace at or after it (or past the end). */
function sliceEnd(text: string, target: number): number {
  let end = target;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  // Past the end `charCodeAt` reads NaN, which is no space.
  while (isSpace(text.charCodeAt(end))) end++;
  return end;
}

/**
 * The distinct words of a folded text (split at its single spaces). A folded needle `w1 w2 … wn` can only
 * occur where `w2…wn-1` are whole words, `w1` ends a word and `wn` starts one (or, alone, `w1` is inside one):
 * a quote that is nowhere in a 5 MB transcript is refused by a few set lookups, not a pass over the text.
 */
function vocabulary(words: ReadonlySet<string>): (needle: string) => boolean {
  // Every word between NULs (which folding never produces as a separator), for the partial first and last words.
  const joined = `\0${[...words].join('\0')}\0`;
  return (needle) => {
    const parts = needle.split(' ');
    if (parts.length === 1) return joined.includes(needle);
    return parts.slice(1, -1).every((word) => words.has(word)) && joined.includes(`${parts[0]}\0`) && joined.includes(`\0${parts.at(-1)}`);
  };
}

function fold(text: string): { text: string; toOriginal: Uint32Array } {
  const lower = text.toLowerCase();
  const parts: string[] = [];
  const map = new Uint32Array(lower.length + 1);
  let out = 0;
  // `lower[at]` is `text[i]` lower-cased: the two stay in step but for `İ`, the one character whose lower case is longer.
  let at = 0;
  let segment = 0;
  let inSpace = false;
  for (let i = 0; i < text.length; i++, at++) {
    const unit = text.charCodeAt(i);
    if (isSpace(unit)) {
      if (!inSpace) {
        parts.push(lower.slice(segment, at), ' ');
        map[out++] = i;
        inSpace = true;
      }
      segment = at + 1;
    } else {
      inSpace = false;
      map[out++] = i;
      // `İ` lower-cases to `i` and a combining dot: both map back to it.
      if (unit === 0x130) {
        map[out++] = i;
        at++;
      }
    }
  }
  parts.push(lower.slice(segment));
  map[out] = text.length;
  return { text: parts.join(''), toOriginal: map.subarray(0, out + 1) };
}

/** The folded index of original offset `offset` (the first folded unit at or after it). */
function toFolded(map: Uint32Array, offset: number): number {
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Shown as Heidi quoted it, but never with a lone surrogate (an API may cut a pair).
const unlocated = (quoted: string): TranscriptEvidence => ({ text: wellFormed(quoted), location: 'unlocated', before: '', after: '' });

/**
 * Where a quoted snippet is in the transcript. "exact" when the offsets slice out the quote (whitespace and
 * line endings aside), "moved" when the quote is found elsewhere (as written first, then ignoring case and
 * whitespace; nearest the given offset), else "unlocated" (the quote is still shown). A located snippet's
 * `text` is always the transcript's own text at `start..end`, whole code points.
 */
export function locateTranscriptReference(transcript: string | PreparedText | undefined, ref: TranscriptReference): TranscriptEvidence {
  const prepared = typeof transcript === 'string' ? prepareText(transcript) : transcript;
  const text = prepared?.text;
  const quoted = ref.transcript_text;
  if (!text) return unlocated(quoted);
  const exact = exactSpan(text, ref);
  const found = exact ?? findInPrepared(prepared, quoted, ref.location_in_transcript?.start);
  return found ? withContext(text, found.start, found.end, exact ? 'exact' : 'moved') : unlocated(quoted);
}

/** The reference's own offsets (whole code points) when they slice out its quote (whitespace aside), else undefined. */
function exactSpan(text: string, ref: TranscriptReference): { start: number; end: number } | undefined {
  const loc = ref.location_in_transcript;
  if (!loc || !isRange(loc.start, loc.end, text.length)) return undefined;
  const snapped = snapToCodePoints(text, loc.start, loc.end);
  const written = ref.transcript_text;
  const slice = text.slice(loc.start, loc.end);
  // The quote exactly as written first: the usual case, and no whitespace folding of either text (two regex
  // passes per snippet, at 500 codes a fifth of building the model).
  if (!written || slice === written) return snapped;
  const quoted = spaced(written);
  return spaced(slice) === quoted || spaced(text.slice(snapped.start, snapped.end)) === quoted ? snapped : undefined;
}

/** Would locating `ref` search the transcript (its offsets do not slice out its quote)? */
export function needsSearch(text: string, ref: TranscriptReference): boolean {
  return !exactSpan(text, ref) && spaced(ref.transcript_text) !== '';
}

/**
 * The quote's occurrence nearest the hint, ignoring case and whitespace differences; original offsets, whole
 * code points. Searched in the transcript folded once per model, from the hint outward, so each snippet
 * costs the distance to its nearest occurrence, not a pass over the whole transcript.
 */
function findInPrepared(prepared: PreparedText, quoted: string, hint: number | undefined): { start: number; end: number } | undefined {
  const needle = spaced(quoted).toLowerCase();
  if (!needle || !prepared.mayContain(needle)) return undefined;
  const folded = prepared.folded();
  const f = nearestOccurrence(folded.text, needle, toFolded(folded.toOriginal, Number.isFinite(hint) ? hint! : 0));
  if (f < 0) return undefined;
  const start = folded.toOriginal[f]!;
  const end = folded.toOriginal[f + needle.length - 1]! + 1;
  return snapToCodePoints(prepared.text, start, end);
}

/**
 * The occurrence of `needle` nearest to `hint`, ignoring case and whitespace differences, as the range it
 * covers in `haystack` (whole code points; its length may differ from the needle's), or undefined.
 */
export function findNearest(haystack: string, needle: string, hint: number | undefined): { start: number; end: number } | undefined {
  return findInPrepared(prepareText(haystack), needle, hint);
}

/** The occurrence of `needle` nearest `at` (an offset in the haystack; the earlier one on a tie), looking both ways from it. */
function nearestOccurrence(haystack: string, needle: string, at: number): number {
  const after = haystack.indexOf(needle, at);
  const before = at > 0 ? haystack.lastIndexOf(needle, at - 1) : -1;
  if (after < 0 || before < 0) return after < 0 ? before : after;
  return at - before <= after - at ? before : after;
}

function withContext(transcript: string, start: number, end: number, location: Location): TranscriptEvidence {
  const text = transcript.slice(start, end);
  // The context's outer ends are whole code points too.
  const outer = snapToCodePoints(transcript, Math.max(0, start - CONTEXT_CHARS), end + CONTEXT_CHARS);
  let before = transcript.slice(outer.start, start);
  let after = transcript.slice(end, outer.end);
  // Start and stop at a turn boundary or a word boundary, so context never shows half words.
  const turnStart = before.lastIndexOf('\n');
  if (turnStart >= 0) before = before.slice(turnStart + 1);
  else if (start - CONTEXT_CHARS > 0) before = `…${before.replace(/^\S*\s/, '')}`;
  const turnEnd = after.indexOf('\n');
  if (turnEnd >= 0) after = after.slice(0, turnEnd);
  else if (end + CONTEXT_CHARS < transcript.length) after = `${after.replace(/\s\S*$/, '')}…`;
  before = before.replace(/^\[(\w[\w\s-]*)\]\s*/, '');
  return { text, location, start, end, before, after, speaker: speakerAt(transcript, start) };
}

/** The speaker tag (`[doctor]`, `[patient]`, ...) of the turn that contains `offset`. */
export function speakerAt(transcript: string, offset: number): string | undefined {
  const turnStart = transcript.lastIndexOf('\n', offset - 1) + 1;
  const match = /^\[([\w\s-]{1,30})\]/.exec(transcript.slice(turnStart, turnStart + 32));
  return match?.[1]?.trim().toLowerCase();
}

/** A note passage: its offsets sliced from the note (widened to whole code points), or unlocated when outside it. */
export function locateNoteSpan(note: string | undefined, span: Span): NoteEvidence {
  if (note === undefined || !isRange(span.start, span.end, note.length)) return { location: 'unlocated', text: '' };
  const { start, end } = snapToCodePoints(note, span.start, span.end);
  return { location: 'exact', text: note.slice(start, end), start, end };
}

/**
 * A quoted passage of the note with offsets that may disagree with it (Sully's `text_span`, `end`
 * exclusive): exact when the offsets slice out the quote, else the quote nearest the offset, else
 * unlocated (the quote is still shown).
 */
export function locateNoteQuote(
  note: string | PreparedText,
  quote: string,
  start: number | undefined,
  end: number | undefined,
): NoteEvidence {
  // Prepared once for every quote of an answer (`prepareText`), as the transcript is for Heidi's snippets.
  const prepared = typeof note === 'string' ? prepareText(note) : note;
  const text = prepared.text;
  if (isRange(start, end, text.length) && (quote === '' || text.slice(start, end) === quote)) {
    return { location: 'exact', text: text.slice(start, end), start: start!, end: end! };
  }
  // The range found, not the quote's length: the note's spacing may differ from the quote's.
  const found = findInPrepared(prepared, quote, start);
  return found ? { location: 'moved', text: text.slice(found.start, found.end), ...found } : { location: 'unlocated', text: quote };
}

export interface TextSegment {
  readonly text: string;
  /** Index of the highlight this segment belongs to, or -1 for plain text. */
  readonly mark: number;
}

/**
 * Split `text` into plain and highlighted segments for the given ranges
 * (overlaps merged; the earliest range wins its characters). Used to draw a
 * note or transcript with its evidence marked, as text, never as HTML.
 */
export function segmentText(text: string, ranges: readonly { start: number; end: number; id: number }[]): TextSegment[] {
  const sorted = ranges.filter((r) => isRange(r.start, r.end, text.length)).sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const range of sorted) {
    if (range.end <= cursor) continue;
    const start = Math.max(range.start, cursor);
    if (start > cursor) segments.push({ text: text.slice(cursor, start), mark: -1 });
    segments.push({ text: text.slice(start, range.end), mark: range.id });
    cursor = range.end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), mark: -1 });
  return segments;
}
