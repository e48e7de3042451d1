/**
 * Keyboard review of the list: one card is the list's tab stop (roving
 * tabindex), arrows / j k / Home / End move it, and single-key shortcuts act on
 * the card the key was pressed on (a, r, u, 1-9, Enter, ?). Keys typed into
 * form controls are left alone.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CodeView, EntityView } from '../core/model.ts';
import type { ReviewStatus } from '../core/review.ts';
import type { ProgressiveRenderController } from './progressive.ts';

export interface RovingFocusHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly isConnected: boolean;
}

export interface RovingFocusActions {
  /** `view.list`: the list in display order. */
  readonly list: { readonly view: { readonly list: readonly EntityView[] } };
  readonly progressive: Pick<ProgressiveRenderController, 'growTo'>;
  /** What a, r, u and 1-9 do. */
  readonly review: { setStatus(entity: EntityView, status: ReviewStatus): void; swap(entity: EntityView, code: CodeView): void };
  /** Enter on an item. */
  readonly expand: (entity: EntityView) => void;
  /** `?` */
  readonly toggleShortcuts: () => void;
}

export class RovingFocusController implements ReactiveController {
  /** The card the shortcuts act on, and the list's tab stop. */
  focusedId: string | undefined;
  private _frame: number | undefined;

  constructor(
    private readonly _host: RovingFocusHost,
    private readonly _actions: RovingFocusActions,
    /** The tag of the items, each with `data-id`. */
    private readonly _item = 'heidi-code-card',
  ) {
    _host.addController(this);
  }

  /** The tab stop among `list`: the focused card if it is listed, else the first. */
  tabStop(list: readonly EntityView[]): string | undefined {
    return list.some((e) => e.id === this.focusedId) ? this.focusedId : list[0]?.id;
  }

  /** Make `id` the focused card without moving DOM focus (a click, a selection). */
  setFocused(id: string | undefined): void {
    if (id === this.focusedId) return;
    this.focusedId = id;
    this._host.requestUpdate();
  }

  readonly onKeydown = (event: KeyboardEvent): void => {
    const origin = event.composedPath()[0];
    if (
      origin instanceof HTMLElement &&
      (origin.matches('input, select, textarea, [contenteditable=""], [contenteditable="true"]') || origin.isContentEditable)
    )
      return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // The card the key came from (a key pressed on a card's own button acts on that card), else the list's focus.
    const fromCard = this._itemIn(event);
    if (fromCard?.dataset.id) this.setFocused(fromCard.dataset.id);
    const list = this._actions.list.view.list;
    const index = list.findIndex((e) => e.id === this.focusedId);
    const entity = list[index];
    const { review, expand, toggleShortcuts } = this._actions;
    const key = event.key;
    let handled = true;
    if (key === 'ArrowDown' || key === 'j') this._move(list, index + 1);
    else if (key === 'ArrowUp' || key === 'k') this._move(list, index - 1);
    else if (key === 'Home') this._move(list, 0);
    else if (key === 'End') this._move(list, list.length - 1);
    else if (key === '?') toggleShortcuts();
    else if (!entity) handled = false;
    else if (key === 'a') review.setStatus(entity, 'ACCEPTED');
    else if (key === 'r') review.setStatus(entity, 'REJECTED');
    else if (key === 'u') review.setStatus(entity, 'PENDING');
    else if (/^[1-9]$/.test(key)) {
      const code = entity.similar[Number(key) - 1];
      if (code) review.swap(entity, code);
    } else if (key === 'Enter' && origin === fromCard) expand(entity);
    else handled = false;
    if (handled) event.preventDefault();
  };

  /** A click or Tab into a card makes it the card the shortcuts act on (and the list's tab stop). */
  readonly onFocusin = (event: FocusEvent): void => {
    const id = this._itemIn(event)?.dataset.id;
    if (id) this.setFocused(id);
  };

  private _move(list: readonly EntityView[], index: number): void {
    const at = Math.max(0, Math.min(list.length - 1, index));
    const target = list[at];
    if (!target) return;
    this.setFocused(target.id);
    this._focusWhenRendered(target.id, at);
  }

  hostDisconnected(): void {
    if (this._frame !== undefined) cancelAnimationFrame(this._frame);
    this._frame = undefined;
  }

  /**
   * Focus a card, rendering up to it first. A far jump (End in 2,000 codes) grows the
   * list a chunk per frame, so the page stays responsive while it catches up.
   */
  private _focusWhenRendered(id: string, index: number): void {
    const host = this._host;
    const step = (): void => {
      this._frame = undefined;
      if (!host.isConnected || this.focusedId !== id) return; // the user moved on, or the element left
      if (!this._actions.progressive.growTo(index)) {
        void host.updateComplete.then(() => {
          if (host.isConnected) this._frame = requestAnimationFrame(step);
        });
        return;
      }
      void host.updateComplete.then(() =>
        (host.renderRoot as ParentNode).querySelector<HTMLElement>(`${this._item}[data-id="${CSS.escape(id)}"]`)?.focus(),
      );
    };
    step();
  }

  private _itemIn(event: Event): HTMLElement | undefined {
    return event.composedPath().find((node): node is HTMLElement => node instanceof HTMLElement && node.localName === this._item);
  }
}
