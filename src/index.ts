/**
 * Registers <heidi-clinical-codes> (and its internal parts). Loading this
 * module twice, or next to another copy, never throws: the first definition wins.
 */
import { HeidiClinicalCodes } from './heidi-clinical-codes.ts';
import { HeidiCodeCard } from './elements/code-card/code-card.ts';
import { HeidiSourceView } from './elements/source-view/source-view.ts';

function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}

define('heidi-code-card', HeidiCodeCard);
define('heidi-source-view', HeidiSourceView);
define('heidi-clinical-codes', HeidiClinicalCodes);

declare global {
  interface HTMLElementTagNameMap {
    'heidi-clinical-codes': HeidiClinicalCodes;
    'heidi-code-card': HeidiCodeCard;
    'heidi-source-view': HeidiSourceView;
  }
}

export { HeidiClinicalCodes } from './heidi-clinical-codes.ts';
export type { PatientInfo } from './controllers/session-context.ts';
export * from './events.ts';
export { HeidiError, type HeidiErrorCode } from './core/errors.ts';
export type { CodeRef } from './core/model.ts';
export type { ReviewStatus } from './core/review.ts';
export type { CheckKind } from './core/checks.ts';
export { codeSystemInfo } from './core/code-systems.ts';
export {
  toFhirBundle,
  type FhirBundle,
  type FhirCodeInput,
  type FhirContext,
  type FhirEngineSuggestion,
  type FhirResource,
} from './core/fhir.ts';
export type { AuditEntry, Reviewer } from './core/audit.ts';
export type { ReviewSnapshot, SnapshotDecision } from './core/review-snapshot.ts';
