/**
 * The live region: what a screen reader hears. Written straight into the DOM,
 * so an announcement costs no render; one made before the first render waits
 * for the region (`#live` in the host's render root) and is said as soon as it exists.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface AnnouncerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class AnnouncerController implements ReactiveController {
  private _pending: string | undefined;
  /** What was said in this task: a notice raised in the same task joins it rather than replacing it. */
  private _thisTask: string | undefined;

  constructor(private readonly _host: AnnouncerHost) {
    _host.addController(this);
  }

  /**
   * Say `message` (kept until the live region is rendered); `''` empties the region. A repeat gets a trailing
   * no-break space so screen readers hear it again.
   */
  announce(message: string): void {
    const region = (this._host.renderRoot as ParentNode | undefined)?.querySelector('#live');
    this._pending = region ? undefined : message;
    if (region) region.textContent = message && region.textContent === message ? `${message}\u00a0` : message;
    if (this._thisTask === undefined) setTimeout(() => (this._thisTask = undefined));
    this._thisTask = message;
  }

  /**
   * Say `notice` after what this task says (a key press: the decision, then the notice its save raised), in one
   * announcement, so neither replaces the other.
   */
  announceNotice(notice: string): void {
    queueMicrotask(() => this.announce(this._thisTask ? `${this._thisTask} ${notice}` : notice));
  }

  hostUpdated(): void {
    if (this._pending !== undefined) this.announce(this._pending);
  }

  hostDisconnected(): void {
    this._pending = undefined;
  }
}
