/**
 * A windowed list (issue 16: 10,000 codes): only the cards `start..limit` of the visible list are in the
 * DOM, at most `MAX_CARDS` of them. The rest of the list is drawn as spacers (`.spacer`, `data-from` /
 * `data-to` the list indices they stand for) as tall as that many cards of the measured average height,
 * so the scrollbar and the page's height tell the truth. When a spacer comes near the view the window
 * moves to the cards it stands for: a step at a time next to the window, a jump when it is far (a fast
 * scroll, End). The keyboard moves the window with `growTo` before it focuses a card.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Cards rendered at first, and added each time the end of the window comes near the view. */
export const FIRST_CARDS = 40;
export const MORE_CARDS = 25;
/** The most cards in the DOM at once: the window drops cards at its far end beyond this. */
export const MAX_CARDS = 120;
/** A jump to a far card renders this many cards before it and after it. */
const JUMP_BEFORE = 20;
const JUMP_AFTER = 20;
/** A card's height (px, with the gap) before any card was measured. */
const FIRST_ESTIMATE = 160;

export interface ProgressiveHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class ProgressiveRenderController implements ReactiveController {
  /** The first rendered card's index in the visible list. */
  start = 0;
  /** One past the last rendered card's index (may pass the list's end: the template clamps it). */
  limit = FIRST_CARDS;
  /** The measured average height of a rendered card, px: what a spacer gives each card it stands for. */
  private _cardHeight = FIRST_ESTIMATE;
  private _observer: IntersectionObserver | undefined;
  /** The spacers (and card height) the observer watches, as text: re-observed only when it changes. */
  private _observed = '';

  constructor(private readonly _host: ProgressiveHost) {
    _host.addController(this);
  }

  /** Back to the first chunk (a new load). */
  reset(): void {
    this._setWindow(0, FIRST_CARDS);
  }

  /** Render `count` (> 0) more cards at the end of the window. */
  showMore(count: number): void {
    this._extendTo(this.limit + count - 1);
  }

  /** Move the window to `index` (a step when it is near, a jump when far). Returns whether `index` is rendered already. */
  growTo(index: number): boolean {
    if (index >= this.start && index < this.limit) return true;
    if (index >= this.limit - 1 + MORE_CARDS || index < this.start - MORE_CARDS) this._setWindow(index - JUMP_BEFORE, index + JUMP_AFTER);
    else this._extendTo(index);
    return false;
  }

  /** The window for a list of `length` cards (clamped into it: a filter may have shortened the list). */
  windowFor(length: number): { readonly start: number; readonly limit: number } {
    if (this.start >= length) {
      const size = this.limit - this.start;
      this.start = Math.max(0, length - size);
      this.limit = this.start + size;
    }
    return { start: this.start, limit: Math.min(this.limit, length) };
  }

  hostUpdated(): void {
    const root = this._host.renderRoot as ParentNode;
    const spacers = [...root.querySelectorAll<HTMLElement>('.spacer, .more')];
    if (spacers.length === 0) return;
    // Heights through the CSSOM (never a style attribute: the host page's CSP may forbid inline styles).
    for (const spacer of spacers) if (spacer.dataset.to) this._sizeSpacer(spacer);
    // A decision re-renders the element but moves nothing: the observer is left as it is (no new
    // intersection pass per keypress).
    const layout = `${this._cardHeight} ${spacers.map((s) => `${s.dataset.from}-${s.dataset.to}`).join()}`;
    if (this._observer && layout === this._observed) return;
    this._observed = layout;
    this._observer ??= new IntersectionObserver((entries) => this._onNearView(entries), { rootMargin: '400px' });
    // Re-observing makes the observer report the spacers' current positions, so a window that does not
    // fill the view keeps growing, and one that a fast scroll left behind catches up.
    this._observer.disconnect();
    for (const spacer of spacers) this._observer.observe(spacer);
  }

  hostDisconnected(): void {
    // No observer outlives the element.
    this._observer?.disconnect();
    this._observer = undefined;
  }

  private _onNearView(entries: readonly IntersectionObserverEntry[]): void {
    const near = entries.filter((e) => e.isIntersecting);
    if (near.length === 0) return;
    this._measure();
    // A spacer next to the window first (it grows the window a step), then any other, then "Show more".
    const adjacent = (e: IntersectionObserverEntry) => {
      const d = (e.target as HTMLElement).dataset;
      return d.to ? (Number(d.from) === this.limit || Number(d.to) === this.start ? 0 : 1) : 2;
    };
    const sorted = near.sort((a, b) => adjacent(a) - adjacent(b));
    // Both ends near the view with the window full: its cards are shorter than the view, and sliding would
    // only chase itself.
    if (this.limit - this.start >= MAX_CARDS && sorted.filter((e) => adjacent(e) === 0).length > 1) return;
    const entry = sorted[0]!;
    const target = entry.target as HTMLElement;
    if (!target.dataset.to) {
      this.showMore(MORE_CARDS); // the "Show more" line
      return;
    }
    const from = Number(target.dataset.from);
    const to = Number(target.dataset.to);
    // The card the spacer stands for at the middle of its part in (or near) the view.
    const rect = entry.boundingClientRect;
    const view = entry.rootBounds ?? { top: 0, bottom: innerHeight };
    const middle = (Math.max(rect.top, view.top) + Math.min(rect.bottom, view.bottom)) / 2;
    const share = rect.height > 0 ? Math.min(1, Math.max(0, (middle - rect.top) / rect.height)) : 0;
    const index = Math.min(to - 1, from + Math.floor(share * (to - from)));
    // A spacer next to the window grows it from that side; any other brings the window to its card.
    if (from === this.limit) this._extendTo(Math.max(index, this.limit + MORE_CARDS - 1));
    else if (to === this.start) this._extendTo(Math.min(index, this.start - MORE_CARDS));
    else this.growTo(index);
  }

  /** The average rendered card height, from the rendered lists (read when layout is fresh: in the observer's callback). */
  private _measure(): void {
    const root = this._host.renderRoot as ParentNode;
    let height = 0;
    let count = 0;
    for (const list of root.querySelectorAll<HTMLElement>('ul.list')) {
      const cards = list.children.length;
      if (cards === 0) continue;
      height += list.getBoundingClientRect().height + (parseFloat(getComputedStyle(list).rowGap) || 0);
      count += cards;
    }
    if (!(height > 0)) return; // nothing rendered, or not laid out
    this._cardHeight = height / count;
    for (const spacer of root.querySelectorAll<HTMLElement>('.spacer')) this._sizeSpacer(spacer);
  }

  private _sizeSpacer(spacer: HTMLElement): void {
    const cards = Number(spacer.dataset.to) - Number(spacer.dataset.from);
    const height = `${Math.round(cards * this._cardHeight)}px`;
    if (spacer.style.height !== height) spacer.style.height = height;
  }

  /** Widen the window to take in `index`, dropping cards at the far end beyond `MAX_CARDS`. */
  private _extendTo(index: number): void {
    if (index >= this.limit) this._setWindow(Math.max(this.start, index + 1 - MAX_CARDS), index + 1);
    else if (index < this.start) this._setWindow(index, Math.min(this.limit, index + MAX_CARDS));
  }

  private _setWindow(start: number, limit: number): void {
    const from = Math.max(0, start);
    const to = Math.max(from + 1, limit);
    if (from === this.start && to === this.limit) return;
    this.start = from;
    this.limit = to;
    this._host.requestUpdate();
  }
}
