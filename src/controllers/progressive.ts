/**
 * Progressive rendering of a long list: only the first `limit` cards are
 * rendered; the limit grows when the sentinel (`.more`) comes near the view,
 * when "Show more" is pressed, and towards an index the keyboard jumps to
 * (`growTo`, a chunk at a time).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Cards rendered at first, and added each time the end of the list comes near the view. */
export const FIRST_CARDS = 40;
export const MORE_CARDS = 25;

export interface ProgressiveHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class ProgressiveRenderController implements ReactiveController {
  /** How many cards of the visible list are rendered. */
  limit = FIRST_CARDS;
  private _observer: IntersectionObserver | undefined;

  constructor(
    private readonly _host: ProgressiveHost,
    private readonly _sentinel = '.more',
  ) {
    _host.addController(this);
  }

  /** Back to the first chunk (a new load). */
  reset(): void {
    this._grow(FIRST_CARDS - this.limit);
  }

  /** Render `count` more cards. */
  showMore(count: number): void {
    this._grow(Math.max(count, 0));
  }

  /** Render one more chunk towards `index` (at most up to it). Returns whether `index` is rendered already. */
  growTo(index: number): boolean {
    if (index < this.limit) return true;
    this._grow(Math.min(index + 1, this.limit + MORE_CARDS) - this.limit);
    return false;
  }

  hostUpdated(): void {
    // Re-observing makes the observer report the sentinel's current position, so a short
    // first chunk keeps growing until the list fills the view.
    const sentinel = (this._host.renderRoot as ParentNode).querySelector(this._sentinel);
    if (!sentinel) return;
    this._observer ??= new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) this._grow(MORE_CARDS);
      },
      { rootMargin: '400px' },
    );
    this._observer.disconnect();
    this._observer.observe(sentinel);
  }

  hostDisconnected(): void {
    // No observer outlives the element.
    this._observer?.disconnect();
    this._observer = undefined;
  }

  private _grow(by: number): void {
    if (by === 0) return;
    this.limit += by;
    this._host.requestUpdate();
  }
}
