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
    if (this._host.lang) return this._host.lang;
    for (const scope of this._ancestors()) {
      const ancestor = scope.closest<HTMLElement>('[lang]');
      if (ancestor?.lang) return ancestor.lang;
    }
    return document.documentElement.lang || 'en';
  }

  get current(): Locale {
    const requested = this.requested;
    let locale = this._cache.get(requested);
    if (!locale) {
      const { lang, messages } = messagesFor(requested);
      locale = { lang, messages, percent: percentFormatter(requested) };
      this._cache.set(requested, locale);
    }
    return locale;
  }

  get messages(): Messages {
    return this.current.messages;
  }

  hostConnected(): void {
    this._observer ??= new MutationObserver(() => this._host.requestUpdate());
    // Every element between the host and the document: `closest('[lang]')` may stop at any of them.
    for (let scope: Element | null = this._host.parentElement ?? hostOf(this._host); scope; scope = scope.parentElement ?? hostOf(scope)) {
      this._observer.observe(scope, { attributes: true, attributeFilter: ['lang'] });
    }
  }

  hostDisconnected(): void {
    this._observer?.disconnect();
  }

  /** The scopes `closest` searches from: the parent, then each enclosing shadow host. */
  private *_ancestors(): Generator<Element> {
    for (let scope = this._host.parentElement ?? hostOf(this._host); scope; scope = hostOf(scope)) yield scope;
  }
}

function hostOf(node: Node): Element | null {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

function percentFormatter(lang: string): (score: number) => string {
  let formatter: Intl.NumberFormat;
  try {
    formatter = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  } catch {
    formatter = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });
  }
  return (score) => formatter.format(score);
}
