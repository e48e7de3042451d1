/**
 * Focus never falls to the page: when a render takes away the control that
 * had focus (a Cancel, Retry or Load codes replaced by what it started, a
 * status line replaced by the codes), focus goes to the natural next place
 * (`nextFocus`). The one rule for the status line and the engines' header;
 * the list's own rules (roving focus: the card now in its place) and the
 * footer's Retry focus first, and this does nothing when they did.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface FocusKeeperHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly isConnected: boolean;
}

/**
 * Where focus goes when `from` (the element that had it, then its ancestors in the render root) went away:
 * an engine's row, when the button was in one (it says where that engine is now: cancelled, coding again);
 * the footer's Send or Retry; the status line's Retry or Load codes, else the line itself (never its Cancel, which a
 * second Enter would press);
 * once the codes are shown, the list's tab stop (the card the keys act on); else Send.
 */
export function nextFocus(root: ParentNode, from: readonly Element[]): HTMLElement | null {
  const kept = from.find((at) => at.isConnected);
  const row = kept?.closest<HTMLElement>('li[data-engine]');
  if (row) return row;
  const footer = kept?.closest('.footer');
  const status = root.querySelector<HTMLElement>('[part="status"]');
  return (
    footer?.querySelector<HTMLElement>('.send:not(:disabled), .retry') ??
    status?.querySelector<HTMLElement>('button.primary') ??
    status ??
    root.querySelector<HTMLElement>('heidi-code-card[tabindex="0"], .send:not(:disabled)')
  );
}

export class FocusKeeper implements ReactiveController {
  /** The element that had focus as this update began, and its ancestors in the render root. */
  private _from: readonly Element[] = [];
  /** A check is waiting for the frame: later updates before it keep `_from`. */
  private _waiting = false;

  constructor(private readonly _host: FocusKeeperHost) {
    _host.addController(this);
  }

  hostUpdate(): void {
    if (this._waiting) return;
    const path: Element[] = [];
    for (let at = this._root.activeElement; at; at = at.parentElement) path.push(at);
    this._from = path;
  }

  hostUpdated(): void {
    if (this._waiting || !this._from.length || !this._lost()) return;
    this._waiting = true;
    // After the frame: the cards render after the host, and the list's own rules (roving focus) go first.
    void this._host.updateComplete.then(() =>
      requestAnimationFrame(() => {
        this._waiting = false;
        if (this._host.isConnected && this._lost()) nextFocus(this._root, this._from)?.focus();
        this._from = [];
      }),
    );
  }

  private get _root(): ShadowRoot {
    return this._host.renderRoot as ShadowRoot;
  }

  /** Nothing in the render root has focus, and nothing else on the page took it (the reviewer did not go elsewhere). */
  private _lost(): boolean {
    const active = document.activeElement;
    return !this._root.activeElement && (!active || active === document.body || active === document.documentElement);
  }
}
