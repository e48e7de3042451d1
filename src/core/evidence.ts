/**
 * Offsets from the API are checked, not trusted. A transcript snippet is
 * "exact" when the offsets slice out its text, "moved" when the text was
 * found elsewhere (nearest to the given offset), and "unlocated" when it
 * cannot be found or there is no transcript: its text is still shown.
 */
import type { Span, TranscriptReference } from './schemas.ts';

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

export function locateTranscriptReference(transcript: string | undefined, ref: TranscriptReference): TranscriptEvidence {
  const quoted = ref.transcript_text;
  const loc = ref.location_in_transcript ?? undefined;
  if (!transcript) return { text: quoted, location: 'unlocated', before: '', after: '' };

  const validSpan = loc && isIndex(loc.start, transcript.length) && isIndex(loc.end, transcript.length) && loc.start < loc.end;
  if (validSpan && (quoted === '' || transcript.slice(loc.start, loc.end) === quoted)) {
    return withContext(transcript, loc.start, loc.end, 'exact');
  }
  const needle = quoted.trim();
  if (needle) {
    const found = findNearest(transcript, needle, loc?.start);
    if (found >= 0) return withContext(transcript, found, found + needle.length, 'moved');
  }
  return { text: quoted, location: 'unlocated', before: '', after: '' };
}

/** The occurrence of `needle` nearest to `hint` (exact case first, then ignoring case). */
export function findNearest(haystack: string, needle: string, hint: number | undefined): number {
  const target = typeof hint === 'number' && Number.isFinite(hint) ? hint : 0;
  let found = nearestOccurrence(haystack, needle, target);
  if (found < 0) found = nearestOccurrence(haystack.toLowerCase(), needle.toLowerCase(), target);
  return found;
}

function nearestOccurrence(haystack: string, needle: string, target: number): number {
  let best = -1;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return best;
    if (best < 0 || Math.abs(at - target) < Math.abs(best - target)) best = at;
    if (at > target) return best;
    from = at + 1;
  }
}

function withContext(transcript: string, start: number, end: number, location: Location): TranscriptEvidence {
  const text = transcript.slice(start, end);
  let before = transcript.slice(Math.max(0, start - CONTEXT_CHARS), start);
  let after = transcript.slice(end, end + CONTEXT_CHARS);
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

export function locateNoteSpan(note: string | undefined, span: Span): NoteEvidence {
  const length = note?.length ?? 0;
  const valid = note !== undefined && isIndex(span.start, length) && isIndex(span.end, length) && span.start < span.end;
  return valid ? { location: 'exact', text: note.slice(span.start, span.end), start: span.start, end: span.end } : { location: 'unlocated', text: '' };
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
