/**
 * The embedded <heidi-clinical-codes>: the main instance in the codes panel,
 * configured from the demo's state exactly as the embed snippet says.
 */
import type { HeidiClinicalCodes } from '../../src/index.ts';
import { setAttr } from './dom.ts';
import {
  DEFAULT_OMNISCRIBE_MODEL,
  OMNISCRIBE_BASE,
  REVIEWER,
  SULLY_BASE,
  asParam,
  chart,
  elementInput,
  tokenUrlFor,
  usesHeidi,
} from './state.ts';
import { ui } from './ui.ts';

/**
 * Properties the element is gaining (PRODUCT.md "Coding engines" and "Hand-off"). Today's element
 * ignores them; set as plain properties they are harmless, and the same code works once they land.
 */
interface ComingProperties {
  note?: string;
}

export type CodesElement = HeidiClinicalCodes & ComingProperties;

let main: CodesElement | undefined;

export function mainElement(): CodesElement | undefined {
  return main;
}

export function createCodesElement(): CodesElement {
  return document.createElement('heidi-clinical-codes');
}

/** Attributes and properties of the main element for the current settings. */
export function configureMain(target: CodesElement): void {
  const input = elementInput();
  const engines = input.engines.join(',');
  setAttr(target, 'token-url', tokenUrlFor(asParam));
  setAttr(target, 'api-base', input.apiBase);
  setAttr(target, 'session-id', input.sessionId);
  setAttr(target, 'ehr-appointment-id', input.appointmentId);
  setAttr(target, 'ehr-patient-id', input.ehrPatientId);
  setAttr(target, 'code-systems', input.codeSystems);
  setAttr(target, 'readonly', input.readonly);
  setAttr(target, 'lang', input.lang);
  setAttr(target, 'theme', input.theme);
  setAttr(target, 'density', input.density);
  setAttr(target, 'engines', engines === 'heidi' ? undefined : engines);
  setAttr(target, 'sully-base', SULLY_BASE);
  setAttr(target, 'omniscribe-base', OMNISCRIBE_BASE);
  setAttr(
    target,
    'omniscribe-model',
    input.engines.includes('omniscribe') && input.omniscribeModel !== DEFAULT_OMNISCRIBE_MODEL ? input.omniscribeModel : undefined,
  );
  if (input.patient) target.patient = input.patient;
  target.reviewer = REVIEWER;
  // With Heidi among the engines the peers code Heidi's note; without it, the chart's own note.
  target.note = usesHeidi() ? '' : (chart.note ?? '');
}

/** A fresh main element (e.g. so it fetches a token under a new scenario's lifetime). */
export function mountMain(): CodesElement {
  main = createCodesElement();
  main.id = 'codes-main';
  configureMain(main);
  ui.codesSlot.replaceChildren(main);
  return main;
}

/** Reconfigure the main element, creating it the first time. */
export function syncMain(): void {
  if (main) configureMain(main);
  else mountMain();
}
