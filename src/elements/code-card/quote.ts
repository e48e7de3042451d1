/**
 * The quotes a card shows without a click (issue 12): its best piece of evidence and any other piece a
 * negation / history / family check flagged, each with the cue word marked and the warning beside it.
 * Templates only: the quote itself comes from the core (`bestQuote`, memoised per entity).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CheckWarning, CueLocation } from '../../core/checks.ts';
import type { Location } from '../../core/evidence.ts';
import type { EntityView } from '../../core/model.ts';
import { bestQuote, quoteFor, type Quote } from '../../core/quote.ts';
import { speakerLabel, type Messages } from '../../i18n/index.ts';

type CueKind = 'negated' | 'historical' | 'other-person';

/** A warning that points at words in one piece of evidence. */
export type CueWarning = CheckWarning & { readonly kind: CueKind; readonly cue: CueLocation };

export function isCueWarning(w: CheckWarning): w is CueWarning {
  return w.cue !== undefined && (w.kind === 'negated' || w.kind === 'historical' || w.kind === 'other-person');
}

export interface QuoteContext {
  readonly messages: Messages;
  readonly transcriptAvailable: boolean;
  /** The reviewer pressed a quote. */
  readonly open: (quote: Quote) => void;
}

/** The quotes to show: the best one first, then each flagged piece of evidence that is not it (with its cue kept in view). */
export function visibleQuotes(entity: EntityView, warnings: readonly CheckWarning[]): { quote: Quote; warning?: CueWarning }[] {
  const best = bestQuote(entity);
  const cues = warnings.filter(isCueWarning);
  const shown: { quote: Quote; warning?: CueWarning }[] = [];
  const concerns = (q: Quote, w: CueWarning) => w.cue.source === q.source && w.cue.index === q.index;
  if (best) {
    const warning = cues.find((w) => concerns(best, w));
    // A cue further back than the clipped context: the quote is re-clipped to keep it.
    const keep =
      warning?.cue.part === 'before' && warning.cue.start < best.cut
        ? quoteFor(entity, best.source, best.index, warning.cue.start)
        : undefined;
    shown.push({ quote: keep ?? best, ...(warning ? { warning } : {}) });
  }
  for (const w of cues) {
    if (shown.some((s) => concerns(s.quote, w))) continue;
    const quote = quoteFor(entity, w.cue.source, w.cue.index, w.cue.part === 'before' ? w.cue.start : undefined);
    if (quote) shown.push({ quote, warning: w });
  }
  return shown;
}

/** Where a piece of evidence was found, when that is not simply where it says ("moved", "not found", ...). */
export function whereLabel(source: Quote['source'], location: Location, m: Messages, transcriptAvailable: boolean): string {
  if (source === 'context') return m.context;
  if (location === 'moved') return m.moved;
  if (location !== 'unlocated') return '';
  if (source === 'note') return m.badNoteSpan;
  return transcriptAvailable ? m.unlocated : m.noTranscript;
}

/** One quote: a button (select the code, show and focus its words in the view), the warning beside it. */
export function quoteTemplate(q: Quote, warning: CueWarning | undefined, c: QuoteContext): TemplateResult {
  const m = c.messages;
  const cue = warning?.cue;
  // The cue's offset in the clipped context: `cut` characters went, and a `…` came in front.
  const shift = q.cut ? q.cut - 1 : 0;
  const who = q.speaker ? speakerLabel(m, q.speaker) : q.source === 'note' ? m.note : '';
  const where = whereLabel(q.source, q.location, m, c.transcriptAvailable);
  // One inline flow (words, then where it was found and the warning), so a warning takes a line only when it must.
  return html`<div class="quote ${q.source}" part="quote">
    <button class="said" data-source=${q.source} data-index=${q.index} @click=${() => c.open(q)}>
      ${who ? html`<span class="who">${who}</span> ` : nothing}
      ${withCue(q.before, cue?.part === 'before' ? { start: cue.start - shift, end: cue.end - shift } : undefined)}<mark>${withCue(q.text, cue?.part === 'text' ? cue : undefined)}</mark>${q.after}
      ${where ? html` <span class="loc">${where}</span>` : nothing}
      ${warning ? html` <span class="warn">⚠ ${m.quoteChecks[warning.kind](warning.cue.cue)}</span>` : nothing}
    </button>
  </div>`;
}

/** Text with the check's cue words highlighted: as text nodes, never HTML. */
export function withCue(text: string, cue: Pick<CueLocation, 'start' | 'end'> | undefined): TemplateResult | string {
  if (!cue || cue.start < 0 || cue.end > text.length || cue.start >= cue.end) return text;
  return html`${text.slice(0, cue.start)}<mark class="cue">${text.slice(cue.start, cue.end)}</mark>${text.slice(cue.end)}`;
}
