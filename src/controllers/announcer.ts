/**
 * The live region: what a screen reader hears. Written straight into the DOM,
 * so an announcement costs no render; one made before the first render waits
 * for the region and is said as soon as it exists.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface AnnouncerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class AnnouncerController implements ReactiveController {
  private _pending: string | undefined;

  constructor(
    private readonly _host: AnnouncerHost,
    /** Selector of the live region inside the host's render root. */
    private readonly _selector = '#live',
  ) {
    _host.addController(this);
  }

  /** Say `message`. A repeat gets a trailing no-break space so screen readers hear it again. */
  announce(message: string): void {
    const region = this._region();
    if (!region) {
      this._pending = message;
      return;
    }
    region.textContent = region.textContent === message ? `${message}\u00a0` : message;
  }

  hostUpdated(): void {
    if (this._pending === undefined || !this._region()) return;
    const message = this._pending;
    this._pending = undefined;
    this.announce(message);
  }

  hostDisconnected(): void {
    this._pending = undefined;
  }

  private _region(): HTMLElement | null {
    return (this._host.renderRoot as ParentNode | undefined)?.querySelector<HTMLElement>(this._selector) ?? null;
  }
}
