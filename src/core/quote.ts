/**
 * The quote a card shows without a click: its strongest piece of evidence,
 * clipped to about a line of context either side. Pure and memoised per
 * entity (an `EntityView` is built once per load and never mutated), so a
 * 500-card paint computes each quote once and re-renders reuse it.
 */
import { isLocated, type Location } from './evidence.ts';
import type { EntityView } from './model.ts';

export type QuoteSource = 'transcript' | 'note' | 'context';

export interface Quote {
  readonly source: QuoteSource;
  /** Index into `entity.transcript`, `entity.note` or `entity.context`. */
  readonly index: number;
  /** `unlocated` quotes cannot be pointed at in the view (they are still shown, marked as such). */
  readonly location: Location;
  /** Who said it (`doctor`, `patient`, ...), for a transcript snippet. */
  readonly speaker?: string;
  /** Context before the marked words, clipped at a word boundary (`…` where it was cut). */
  readonly before: string;
  /** The marked words: exactly the evidence's own text (for a located snippet, the transcript at `start..end`). */
  readonly text: string;
  readonly after: string;
  /** How many characters of the evidence's `before` were cut off the front (maps a cue offset into `before`). */
  readonly cut: number;
}

/** About one line of a 400 px card either side of the marked words. */
export const QUOTE_CONTEXT_CHARS = 40;

const ELLIPSIS = '…';

/**
 * The end of `before` kept to about `max` characters, starting at a word. `keepFrom` (an offset in
 * `before`, e.g. a warning's cue) is always kept. Returns the clipped text and how much was cut off.
 */
export function clipBefore(before: string, max = QUOTE_CONTEXT_CHARS, keepFrom = before.length): { text: string; cut: number } {
  let from = Math.min(Math.max(0, before.length - max), Math.max(0, keepFrom));
  // Start at a word, never half one: forward to the next word when that keeps `keepFrom`, else back.
  if (from > 0 && !/\s/.test(before[from - 1]!)) {
    const next = before.slice(from).search(/\s/);
    if (next >= 0 && from + next + 1 <= keepFrom) from += next + 1;
    else from = before.slice(0, from).search(/\S*$/);
  }
  if (from === 0) return { text: before, cut: 0 };
  return { text: `${ELLIPSIS}${before.slice(from)}`, cut: from };
}

/** The start of `after` kept to about `max` characters, ending at a word. */
export function clipAfter(after: string, max = QUOTE_CONTEXT_CHARS): string {
  if (after.length <= max) return after;
  const head = after.slice(0, max);
  const space = head.search(/\s\S*$/);
  return `${(space > 0 ? head.slice(0, space) : head).trimEnd()}${ELLIPSIS}`;
}

/** Evidence `index` of `source` as a quote; `keepFrom` keeps that offset of a snippet's `before` (a cue). */
export function quoteFor(entity: EntityView, source: QuoteSource, index: number, keepFrom?: number): Quote | undefined {
  if (source === 'transcript') {
    const snippet = entity.transcript[index];
    if (!snippet) return undefined;
    const before = clipBefore(snippet.before, QUOTE_CONTEXT_CHARS, keepFrom);
    return {
      source,
      index,
      location: snippet.location,
      ...(snippet.speaker ? { speaker: snippet.speaker } : {}),
      before: before.text,
      text: snippet.text,
      after: clipAfter(snippet.after),
      cut: before.cut,
    };
  }
  // A note passage or a context text is quoted alone (no before or after).
  const alone = source === 'note' ? entity.note[index] : { location: 'unlocated' as const, text: entity.context[index] };
  return alone?.text ? { source, index, location: alone.location, before: '', text: alone.text, after: '', cut: 0 } : undefined;
}

/** The first best-located transcript snippet, else a note passage (located first), else the context. */
function pick(entity: EntityView): Quote | undefined {
  for (const location of ['exact', 'moved', 'unlocated']) {
    const best = entity.transcript.findIndex((s) => s.text && s.location === location);
    if (best >= 0) return quoteFor(entity, 'transcript', best);
  }
  const note = entity.note.findIndex((n) => isLocated(n) && n.text);
  if (note >= 0) return quoteFor(entity, 'note', note);
  const quoted = entity.note.findIndex((n) => n.text);
  if (quoted >= 0) return quoteFor(entity, 'note', quoted);
  return entity.context.length ? quoteFor(entity, 'context', 0) : undefined;
}

const memo = new WeakMap<EntityView, Quote | null>();

/** The card's quote, computed once per entity. */
export function bestQuote(entity: EntityView): Quote | undefined {
  let quote = memo.get(entity);
  if (quote === undefined) memo.set(entity, (quote = pick(entity) ?? null));
  return quote ?? undefined;
}

/** Every piece of evidence the card's details list (the "n more" count is this minus the quote). */
export function evidenceCount(entity: EntityView): number {
  return entity.transcript.length + entity.note.length + entity.context.length;
}
