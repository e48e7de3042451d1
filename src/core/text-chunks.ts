/**
 * A long document drawn in pieces (issue 16: 5 MB transcripts). The source view renders one block per
 * chunk, so a selection re-renders only the chunks whose marks changed (every other chunk keeps the same
 * string, which Lit skips), and `content-visibility: auto` lets the browser lay out only the chunks near
 * the view.
 */
import { isLow, isRange, segmentText, type SourceRange, type TextSegment } from './evidence.ts';

/** About this many characters per chunk; a chunk ends just after a line break when there is one near. */
export const CHUNK_CHARS = 4096;

/** The document cut into consecutive pieces (their concatenation is the text), cached per text. */
export interface TextChunks {
  readonly text: string;
  /** `starts[i]` is where chunk `i` begins; chunk `i` ends where chunk `i + 1` begins (the last, at the end). */
  readonly starts: readonly number[];
  /** The plain text of each chunk (the same string every time, so an unchanged chunk costs Lit nothing). */
  readonly plain: readonly string[];
}

// The note's and the transcript's chunks (the view switches between the two).
const recent: (TextChunks & { readonly size: number })[] = [];

/** The chunks of `text` (the last two texts' chunks are kept: the view asks again on every render). */
export function chunkText(text: string, size = CHUNK_CHARS): TextChunks {
  const known = recent.find((c) => c.text === text && c.size === size);
  if (known) return known;
  const starts: number[] = [];
  const plain: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + size);
    if (end < text.length) {
      // Cut after a line break within the next half chunk, else at the target (never inside a surrogate pair).
      const lineEnd = text.indexOf('\n', end);
      if (lineEnd >= 0 && lineEnd - end < size / 2) end = lineEnd + 1;
      else end += +isLow(text.charCodeAt(end));
    }
    starts.push(at);
    plain.push(text.slice(at, end));
    at = end;
  }
  const chunks = { text, size, starts, plain };
  recent.unshift(chunks);
  recent.length = Math.min(recent.length, 2);
  return chunks;
}

/**
 * What each chunk shows: its plain string when no range touches it, else its segments (ranges clipped to
 * the chunk, so a mark that crosses a boundary is drawn in both chunks with the same id).
 */
export function chunkContents(chunks: TextChunks, ranges: readonly SourceRange[]): (string | TextSegment[])[] {
  const { starts, plain, text } = chunks;
  const out: (string | TextSegment[])[] = plain.slice();
  const valid = ranges.filter((r) => isRange(r.start, r.end, text.length));
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i]!;
    const to = from + plain[i]!.length;
    const inside = valid.filter((r) => r.start < to && r.end > from);
    if (inside.length === 0) continue;
    const clipped = inside.map((r) => ({ start: Math.max(r.start, from) - from, end: Math.min(r.end, to) - from, id: r.id }));
    out[i] = segmentText(plain[i]!, clipped);
  }
  return out;
}
