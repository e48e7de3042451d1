/**
 * The one-off costs of the first codes' render, paid while the first requests are on the wire
 * (`SessionLoadController` calls this a task after it sends them): measured on a cold page, a first
 * `Intl.NumberFormat` loads ICU data (about 15 ms), zod sets each schema up on its first parse, and
 * each inner element's style sheets are parsed when its first instance connects.
 */
import type { CSSResult, LitElement } from 'lit';
import { warmSchemas } from '../core/schemas.ts';
import type { LocaleController } from './locale.ts';

/** The inner elements whose first instance renders with the first codes. */
const INNER_TAGS = ['heidi-code-card', 'heidi-source-view'];

export function warmUp(locale: Pick<LocaleController, 'warmUp'>): void {
  locale.warmUp();
  warmSchemas();
  for (const tag of INNER_TAGS) {
    const element = customElements.get(tag) as typeof LitElement | undefined;
    // Lit makes a CSSResult's CSSStyleSheet once, on first read, and adopts that same sheet later.
    for (const style of element?.elementStyles ?? []) void (style as CSSResult).styleSheet;
  }
}
