/**
 * Cold work moved out of the first codes' render: while the element waits for Heidi, an idle callback
 * makes what that render would otherwise make on the spot (measured on a cold page: a first
 * `Intl.NumberFormat` loads ICU data, and each inner element's style sheets are parsed when its first
 * instance connects).
 */
import type { CSSResult, LitElement } from 'lit';
import type { LocaleController } from './locale.ts';

/** The inner elements whose first instance renders with the first codes. */
const INNER_TAGS = ['heidi-code-card', 'heidi-source-view'];

export function warmUpWhenIdle(locale: LocaleController): void {
  whenIdle(() => {
    locale.warmUp();
    for (const tag of INNER_TAGS) {
      const element = customElements.get(tag) as typeof LitElement | undefined;
      // Lit makes a CSSResult's CSSStyleSheet once, on first read, and adopts that same sheet later.
      for (const style of element?.elementStyles ?? []) void (style as CSSResult).styleSheet;
    }
  });
}

/** `work` when the main thread is idle (a task later where there is no `requestIdleCallback`). */
function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 200 });
  else setTimeout(work);
}
