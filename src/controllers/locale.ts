/**
 * The UI language: the host's own `lang`, else the nearest ancestor's, looking
 * through the shadow roots of the hosts it sits in, else the document's.
 * Watched: when an ancestor's `lang` changes after load the host re-renders in
 * the new language. Messages and the percent formatter are made once per locale.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messagesFor, type Messages } from '../i18n/index.ts';

export interface LocaleHost extends ReactiveControllerHost, HTMLElement {}

export interface Locale {
  /** The language the UI is written in (`en` when the requested one has no catalogue). */
  readonly lang: string;
  readonly messages: Messages;
  /** 0..1 as a whole percentage, in the requested locale's digits. */
  readonly percent: (score: number) => string;
}

export class LocaleController implements ReactiveController {
  private readonly _cache = new Map<string, Locale>();
  private _observer: MutationObserver | undefined;

  constructor(private readonly _host: LocaleHost) {
    _host.addController(this);
  }

  /** The requested language tag (before falling back to a catalogue). */
  get requested(): string {
    return [this._host, ...ancestors(this._host)].find((at) => at.lang)?.lang || document.documentElement.lang || 'en';
  }

  get current(): Locale {
    const requested = this.requested;
    let locale = this._cache.get(requested);
    if (!locale) this._cache.set(requested, (locale = { ...messagesFor(requested), percent: percentFormatter(requested) }));
    return locale;
  }

  get messages(): Messages {
    return this.current.messages;
  }

  /** Make the percent formatter now (see `percentFormatter`): called while the element waits for the network. */
  warmUp(): void {
    this.current.percent(0);
  }

  hostConnected(): void {
    this._observer ??= new MutationObserver(() => this._host.requestUpdate());
    // Every element between the host and the document: the language may come from any of them.
    for (const ancestor of ancestors(this._host)) this._observer.observe(ancestor, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this._observer?.disconnect();
  }

  /** The host was moved (see MoveGuard): watch its new ancestors, whose `lang` may differ, and render again. */
  moved(): void {
    this.hostDisconnected();
    this.hostConnected();
    this._host.requestUpdate();
  }
}

/** Every element above `node`, nearest first, stepping out of each shadow root to its host (`lang` is read as on HTML elements). */
function* ancestors(node: Element): Generator<HTMLElement> {
  for (let at = node.parentElement ?? hostOf(node); at; at = at.parentElement ?? hostOf(at)) yield at as HTMLElement;
}

function hostOf(node: Node): Element | null {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/**
 * Made on first use: a cold `new Intl.NumberFormat` loads ICU data (about 15 ms), which must not stand
 * between connect and the token request; `warmUp` makes it while the element waits for the network.
 */
function percentFormatter(lang: string): (score: number) => string {
  let formatter: Intl.NumberFormat | undefined;
  return (score) => (formatter ??= numberFormat(lang)).format(score);
}

function numberFormat(lang: string): Intl.NumberFormat {
  const options = { style: 'percent', maximumFractionDigits: 0 } as const;
  try {
    return new Intl.NumberFormat(lang, options);
  } catch {
    return new Intl.NumberFormat('en', options);
  }
}
