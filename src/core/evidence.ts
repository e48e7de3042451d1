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

function isIndex(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Widen `[start, end)` so it never cuts a surrogate pair: a span shows and sends whole code points only. */
export function snapToCodePoints(text: string, start: number, end: number): { start: number; end: number } {
  if (start > 0 && start < text.length && isLow(text.charCodeAt(start)) && isHigh(text.charCodeAt(start - 1))) start -= 1;
  if (end > 0 && end < text.length && isLow(text.charCodeAt(end)) && isHigh(text.charCodeAt(end - 1))) end += 1;
  return { start, end };
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
  let words: Vocabulary | undefined;
  const prepared: PreparedText = {
    text,
    folded: () => (folded ??= fold(text)),
    mayContain: (needle) => (words ??= vocabulary(new Set(prepared.folded().text.split(' ')))).mayContain(needle),
    async prepareInSlices(pause) {
      if (folded && words) return;
      const texts: string[] = [];
      const maps: Uint32Array[] = [];
      const starts: number[] = [];
      const seen = new Set<string>();
      let length = 0;
      for (let at = 0; at < text.length;) {
        const end = sliceEnd(text, at + SLICE_CHARS);
        // Cut after a run of whitespace, so each slice folds exactly as it would inside the whole text.
        const piece = fold(text.slice(at, end));
        texts.push(piece.text);
        maps.push(piece.toOriginal);
        starts.push(at);
        for (const word of piece.text.split(' ')) seen.add(word);
        length += piece.text.length;
        at = end;
        await pause();
      }
      const toOriginal = new Uint32Array(length + 1);
      let out = 0;
      for (let i = 0; i < maps.length; i++) {
        const map = maps[i]!;
        const start = starts[i]!;
        // Each slice's map ends with its own length: that entry is the next slice's first offset.
        for (let k = 0; k < map.length - 1; k++) toOriginal[out++] = map[k]! + start;
        if (i % 4 === 3) await pause();
      }
      toOriginal[out] = text.length;
      folded ??= { text: texts.join(''), toOriginal };
      words ??= vocabulary(seen);
    },
  };
  return prepared;
}

/** Characters folded per slice when preparing in slices (a few milliseconds of work each). */
const SLICE_CHARS = 65_536;

/** Where a slice that should end near `target` ends: after the run of whitespace at or after it (or the end). */
function sliceEnd(text: string, target: number): number {
  let end = Math.min(text.length, target);
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  while (end < text.length && isSpace(text.charCodeAt(end))) end++;
  return end;
}

interface Vocabulary {
  mayContain(needle: string): boolean;
}

/**
 * The distinct words of a folded text (split at its single spaces). A folded needle `w1 w2 … wn` can only
 * occur where `w2…wn-1` are whole words, `w1` ends a word and `wn` starts one (or, alone, `w1` is inside one):
 * a quote that is nowhere in a 5 MB transcript is refused by a few set lookups, not a pass over the text.
 */
function vocabulary(words: ReadonlySet<string>): Vocabulary {
  // Every word between NULs (which folding never produces as a separator), for the partial first and last words.
  const joined = `\0${[...words].join('\0')}\0`;
  return {
    mayContain(needle) {
      const parts = needle.split(' ');
      if (parts.length === 1) return joined.includes(parts[0]!);
      for (let i = 1; i < parts.length - 1; i++) if (!words.has(parts[i]!)) return false;
      return joined.includes(`${parts[0]}\0`) && joined.includes(`\0${parts[parts.length - 1]}`);
    },
  };
}

function fold(text: string): { text: string; toOriginal: Uint32Array } {
  const lower = text.toLowerCase();
  // Lower-casing that keeps the length maps unit for unit (nearly always); a rare `İ` takes the slow path.
  return lower.length === text.length ? foldSameLength(text, lower) : foldUnitByUnit(text);
}

function foldSameLength(text: string, lower: string): { text: string; toOriginal: Uint32Array } {
  const parts: string[] = [];
  const map = new Uint32Array(text.length + 1);
  let out = 0;
  let segment = 0;
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    if (isSpace(text.charCodeAt(i))) {
      if (!inSpace) {
        parts.push(lower.slice(segment, i), ' ');
        map[out++] = i;
        inSpace = true;
      }
      segment = i + 1;
    } else {
      inSpace = false;
      map[out++] = i;
    }
  }
  parts.push(lower.slice(segment));
  map[out] = text.length;
  return { text: parts.join(''), toOriginal: map.subarray(0, out + 1) };
}

function foldUnitByUnit(text: string): { text: string; toOriginal: Uint32Array } {
  const units: string[] = [];
  const map: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isSpace(unit)) {
      if (!inSpace) {
        units.push(' ');
        map.push(i);
      }
      inSpace = true;
      continue;
    }
    inSpace = false;
    const pair = isHigh(unit) && isLow(text.charCodeAt(i + 1));
    // One original character may lower-case to several units: each maps back to where the character starts.
    const lowered = text.slice(i, pair ? i + 2 : i + 1).toLowerCase();
    for (let k = 0; k < lowered.length; k++) {
      units.push(lowered[k]!);
      map.push(i);
    }
    if (pair) i += 1;
  }
  map.push(text.length);
  return { text: units.join(''), toOriginal: Uint32Array.from(map) };
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
  const loc = ref.location_in_transcript ?? undefined;
  if (!prepared || !text) return unlocated(quoted);

  const exact = exactSpan(text, ref);
  if (exact) return withContext(text, exact.start, exact.end, 'exact');
  const found = findInPrepared(prepared, quoted, loc?.start);
  return found ? withContext(text, found.start, found.end, 'moved') : unlocated(quoted);
}

/** The reference's own offsets (whole code points) when they slice out its quote (whitespace aside), else undefined. */
function exactSpan(text: string, ref: TranscriptReference): { start: number; end: number } | undefined {
  const quoted = ref.transcript_text;
  const loc = ref.location_in_transcript ?? undefined;
  if (!loc || !isIndex(loc.start, text.length) || !isIndex(loc.end, text.length) || loc.start >= loc.end) return undefined;
  const snapped = snapToCodePoints(text, loc.start, loc.end);
  const sliced = text.slice(loc.start, loc.end);
  const same =
    quoted === '' ||
    sliced === quoted ||
    spaced(sliced) === spaced(quoted) ||
    spaced(text.slice(snapped.start, snapped.end)) === spaced(quoted);
  return same ? snapped : undefined;
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
  const target = typeof hint === 'number' && Number.isFinite(hint) ? hint : 0;
  const needle = spaced(quoted).toLowerCase();
  if (!needle) return undefined;
  if (!prepared.mayContain(needle)) return undefined;
  const folded = prepared.folded();
  const f = nearestOccurrence(folded.text, needle, toFolded(folded.toOriginal, target));
  if (f < 0) return undefined;
  const start = folded.toOriginal[f]!;
  const end = folded.toOriginal[f + needle.length - 1]! + 1;
  return snapToCodePoints(prepared.text, start, end);
}

/** The occurrence of `needle` nearest to `hint`, ignoring case and whitespace differences; -1 when there is none. */
export function findNearest(haystack: string, needle: string, hint: number | undefined): number {
  return findInPrepared(prepareText(haystack), needle, hint)?.start ?? -1;
}

/** The occurrence of `needle` nearest `target` (the earlier one on a tie), looking both ways from it. */
function nearestOccurrence(haystack: string, needle: string, target: number): number {
  const at = Math.min(Math.max(0, target), haystack.length);
  const after = haystack.indexOf(needle, at);
  const before = at > 0 ? haystack.lastIndexOf(needle, at - 1) : -1;
  if (after < 0 || before < 0) return after < 0 ? before : after;
  return at - before <= after - at ? before : after;
}

function withContext(transcript: string, start: number, end: number, location: Location): TranscriptEvidence {
  const text = transcript.slice(start, end);
  // The context's outer ends are whole code points too.
  const outer = snapToCodePoints(transcript, Math.max(0, start - CONTEXT_CHARS), Math.min(transcript.length, end + CONTEXT_CHARS));
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
  const length = note?.length ?? 0;
  const valid = note !== undefined && isIndex(span.start, length) && isIndex(span.end, length) && span.start < span.end;
  if (!valid) return { location: 'unlocated', text: '' };
  const { start, end } = snapToCodePoints(note, span.start, span.end);
  return { location: 'exact', text: note.slice(start, end), start, end };
}

/**
 * A quoted passage of the note with offsets that may disagree with it (Sully's `text_span`, `end`
 * exclusive): exact when the offsets slice out the quote, else the quote nearest the offset, else
 * unlocated (the quote is still shown).
 */
export function locateNoteQuote(note: string, quote: string, start: number | undefined, end: number | undefined): NoteEvidence {
  const valid = start !== undefined && end !== undefined && isIndex(start, note.length) && isIndex(end, note.length) && start < end;
  if (valid && (quote === '' || note.slice(start, end) === quote)) return { location: 'exact', text: note.slice(start, end), start, end };
  const needle = quote.trim();
  const found = needle ? findNearest(note, needle, start) : -1;
  if (found >= 0) return { location: 'moved', text: note.slice(found, found + needle.length), start: found, end: found + needle.length };
  return { location: 'unlocated', text: quote };
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
  const sorted = ranges
    .filter((r) => isIndex(r.start, text.length) && isIndex(r.end, text.length) && r.start < r.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
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
