/**
 * Keyboard review of the list: one card is the list's tab stop (roving
 * tabindex), arrows / j k / Home / End move it, and single-key shortcuts act on
 * the card the key was pressed on (a, r, u, 1-9, Enter; all keys: SHORTCUTS); n / p jump to the
 * next / previous card still to review. After an accept or reject the focus
 * goes on to the next card to review (`autoAdvance`, a per-browser setting).
 * Keys typed into form controls are left alone. `?` and Escape (the shortcut
 * sheet) work anywhere in the element: the toolbar panels answer them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CodeView, EntityView } from '../core/model.ts';
import type { ReviewStatus } from '../core/review.ts';
import type { Messages } from '../i18n/en.ts';
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
  /** Still to review (what n / p and the advance after a decision look for); without it they do nothing. */
  readonly pending?: (entity: EntityView) => boolean;
}

/**
 * Every key the element answers, a line of the shortcut sheet each: the handlers and the sheet read this one table.
 * `sheet` and `close` work anywhere in the element (ToolbarPanelsController.onKeydown); the rest on the list.
 * A key's place says which way (up, down; first, last; next, previous; the n-th similar code).
 */
export const SHORTCUTS: readonly (readonly [what: Shortcut, keys: readonly string[]])[] = [
  ['move', ['ArrowUp', 'ArrowDown', 'k', 'j']],
  ['ends', ['Home', 'End']],
  ['accept', ['a']],
  ['reject', ['r']],
  ['undo', ['u']],
  ['pending', ['n', 'p']],
  ['swap', [...'123456789']],
  ['open', ['Enter']],
  ['sheet', ['?']],
  ['close', ['Escape']],
];

/** A row's words in the sheet: `messages.shortcutList[what]`. */
export type Shortcut = keyof Messages['shortcutList'];

const DECISIONS = { accept: 'ACCEPTED', reject: 'REJECTED', undo: 'PENDING' } as const;

/** The one thing stored for the review flow: whether focus advances after a decision (never codes or ids). */
export const ADVANCE_STORAGE_KEY = 'heidi-clinical-codes:advance';

function readAdvance(): boolean {
  try {
    return globalThis.localStorage?.getItem(ADVANCE_STORAGE_KEY) !== 'false';
  } catch {
    return true; // storage blocked (sandboxed frame, privacy mode): the default
  }
}

/**
 * A key typed into a form control (never stolen from it; a checkbox types nothing), or a chord with Alt / Ctrl /
 * Meta (the browser's, the page's).
 */
export function typedOrChord(event: KeyboardEvent): boolean {
  const origin = event.composedPath()[0];
  return (
    (origin instanceof HTMLElement && (origin.matches('input:not([type="checkbox"]), select, textarea') || origin.isContentEditable)) ||
    event.altKey ||
    event.ctrlKey ||
    event.metaKey
  );
}

/** After the host's next render, focus what `selector` finds in its render root (so focus never falls to the page). */
export function focusAfterUpdate(host: RovingFocusHost, selector: string): void {
  void host.updateComplete.then(() => (host.renderRoot as ParentNode).querySelector<HTMLElement>(selector)?.focus());
}

export class RovingFocusController implements ReactiveController {
  /** The card the shortcuts act on, and the list's tab stop. */
  focusedId: string | undefined;
  /** After an accept or reject, focus moves to the next card to review. On by default; remembered per browser. */
  autoAdvance = readAdvance();
  private _frame: number | undefined;

  constructor(
    private readonly _host: RovingFocusHost,
    private readonly _actions: RovingFocusActions,
    /** The tag of the items, each with `data-id`. */
    private readonly _item = 'heidi-code-card',
  ) {
    _host.addController(this);
  }

  /** The tab stop among the rendered `list[start..end)`: the focused card if it is one of them, else the first. */
  tabStop(list: readonly EntityView[], start = 0, end = list.length): string | undefined {
    const at = indexOf(list, this.focusedId);
    return at >= start && at < end ? this.focusedId : list[start]?.id;
  }

  /** Make `id` the focused card without moving DOM focus (a click, a selection). */
  setFocused(id: string | undefined): void {
    if (id === this.focusedId) return;
    this.focusedId = id;
    this._host.requestUpdate();
  }

  /** Give DOM focus back to the focused card after the next render (a closed drawer returns focus to it). */
  refocus(): void {
    if (this.focusedId !== undefined) this._focusItem(this.focusedId);
  }

  setAutoAdvance(on: boolean): void {
    this.autoAdvance = on;
    try {
      globalThis.localStorage?.setItem(ADVANCE_STORAGE_KEY, String(on));
    } catch {
      // Not remembered where storage is blocked; the setting still holds for this page.
    }
    this._host.requestUpdate();
  }

  /**
   * Accept, reject or undo `entity` (a card's buttons and a / r / u). After an accept or reject, go on to the
   * next card still to review after it, when the reviewer wants that. The order is the list's before the
   * decision, so a "To review" filter that hides the decided card still moves on to the card that followed it.
   */
  setStatus(entity: EntityView, status: ReviewStatus): void {
    const before = this._list;
    const from = indexOf(before, entity.id);
    const hadFocus = !!(this._host.renderRoot as ShadowRoot).activeElement;
    this._actions.review.setStatus(entity, status);
    if (status !== 'PENDING' && this.autoAdvance) {
      const at = indexOf(this._list, this._nextPending(before, from, 1)?.id);
      if (at >= 0) return this._move(this._list, at);
    }
    // No advance: focus stays where it was, unless what had it went away (Undo once undone, a card a status
    // filter now hides): then the card, or the one now in its place, so focus never falls to the page.
    if (hadFocus) void this._host.updateComplete.then(() => requestAnimationFrame(() => this._keepFocus(entity.id, from)));
  }

  private _keepFocus(id: string, from: number): void {
    if (!this._host.isConnected || (this._host.renderRoot as ShadowRoot).activeElement) return;
    const list = this._list;
    const at = indexOf(list, id);
    if (list.length) this._move(list, at >= 0 ? at : Math.min(from, list.length - 1));
    else {
      // The status filter hides every card: Send, else that filter (it says why the list is empty).
      const root = this._host.renderRoot as ParentNode;
      (root.querySelector<HTMLElement>('.send:not(:disabled)') ?? root.querySelector<HTMLElement>('select.status'))?.focus();
    }
  }

  private get _list(): readonly EntityView[] {
    return this._actions.list.view.list;
  }

  /** The next (`step` 1) or previous (-1) card still to review after index `from` (-1: none), wrapping round. */
  private _nextPending(list: readonly EntityView[], from: number, step: 1 | -1): EntityView | undefined {
    const n = list.length;
    const start = from < 0 ? (step > 0 ? -1 : n) : from;
    const pending = this._actions.pending;
    if (pending)
      for (let k = 1; k < n + (from < 0 ? 1 : 0); k++) {
        const candidate = list[(((start + step * k) % n) + n) % n];
        if (candidate && pending(candidate)) return candidate;
      }
    return undefined;
  }

  private _jumpPending(list: readonly EntityView[], index: number, step: 1 | -1): void {
    const next = this._nextPending(list, index, step);
    if (next) this._move(list, list.indexOf(next));
  }

  readonly onKeydown = (event: KeyboardEvent): void => {
    if (typedOrChord(event)) return;
    const origin = event.composedPath()[0];
    // The card the key came from (a key pressed on a card's own button acts on that card), else the list's focus.
    const fromCard = this._itemIn(event);
    if (fromCard?.dataset.id) this.setFocused(fromCard.dataset.id);
    const list = this._list;
    const index = indexOf(list, this.focusedId);
    const entity = list[index];
    const { review, expand } = this._actions;
    const key = event.key;
    const [id, keys] = SHORTCUTS.find(([, keys]) => keys.includes(key)) ?? [];
    const at = keys?.indexOf(key) ?? -1;
    let handled = true;
    if (id === 'move') this._move(list, index + (at % 2 ? 1 : -1));
    else if (id === 'ends') this._move(list, at ? list.length - 1 : 0);
    else if (id === 'pending') this._jumpPending(list, index, at ? -1 : 1);
    else if (!entity) handled = false;
    else if (id === 'accept' || id === 'reject' || id === 'undo') this.setStatus(entity, DECISIONS[id]);
    else if (id === 'swap') {
      const code = entity.similar[at];
      if (code) review.swap(entity, code);
    } else if (id === 'open' && origin === fromCard) expand(entity);
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
      if (this._actions.progressive.growTo(index)) this._focusItem(id);
      else
        void host.updateComplete.then(() => {
          if (host.isConnected) this._frame = requestAnimationFrame(step);
        });
    };
    step();
  }

  private _focusItem(id: string): void {
    focusAfterUpdate(this._host, `${this._item}[data-id="${CSS.escape(id)}"]`);
  }

  private _itemIn(event: Event): HTMLElement | undefined {
    return event.composedPath().find((node): node is HTMLElement => node instanceof HTMLElement && node.localName === this._item);
  }
}

/** Where the entity `id` is in `list` (-1: not there). */
function indexOf(list: readonly EntityView[], id: string | undefined): number {
  return list.findIndex((e) => e.id === id);
}
