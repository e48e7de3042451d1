/**
 * A move (a layout change, a React reorder, a portal) removes the element and inserts it again within one
 * script. The element's lifecycle callbacks ask this guard: a removal is torn down only once the script is
 * done (a microtask later) and the element was not inserted again by then. A move keeps the review, its
 * requests and its channel to other tabs; `onMoved` runs instead (the new ancestors may have another `lang`).
 */
export class MoveGuard {
  /** Removed, and the teardown not run yet. */
  private _leaving = false;

  constructor(private readonly _onMoved: () => void) {}

  /** From `connectedCallback`: true when this is the end of a move (so nothing is set up again). */
  arrived(): boolean {
    if (!this._leaving) return false;
    this._leaving = false;
    this._onMoved();
    return true;
  }

  /** From `disconnectedCallback`: `teardown` runs at the end of the script unless the element is back by then. */
  left(teardown: () => void): void {
    this._leaving = true;
    queueMicrotask(() => {
      if (!this._leaving) return;
      this._leaving = false;
      teardown();
    });
  }
}
