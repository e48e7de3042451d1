/**
 * The one-off costs of the first codes' render, paid while the first requests are on the wire
 * (`SessionLoadController` calls this a task after it sends them): measured on a cold page, a first
 * `Intl.NumberFormat` loads ICU data (about 15 ms), zod sets each schema up on its first parse, and
 * each inner element's style sheets are parsed when its first instance connects.
 */
import type { CSSResult, LitElement } from 'lit';
import { ClinicalCodesResponse, SessionResponse, TranscriptResponse } from '../core/schemas.ts';
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

/** Run each response schema once on a small valid body, so their one-off set-up is not paid when data arrives. */
function warmSchemas(): void {
  const code = { code: 'A', code_name: 'a', code_system: 'x', score: 1, metadata: { sex: null, children_code: [] } };
  const span = { start: 0, end: 1 };
  ClinicalCodesResponse.safeParse({
    session_id: 's',
    clinical_entities: [
      {
        primary_code: code,
        similar_codes: [code],
        location_in_note: [span],
        reference_in_transcript: [{ transcript_text: 'a', location_in_transcript: span }],
        reference_in_context: ['a', { text: 'a' }],
        relevance: 'HIGH',
      },
    ],
  });
  SessionResponse.safeParse({ session: { session_id: 's', patient: { name: 'a' }, consult_note: { result: 'a' } } });
  TranscriptResponse.safeParse({ transcript: 'a' });
}
