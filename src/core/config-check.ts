/**
 * The element's properties checked at the door. A host that sets
 * `el.clinicianNotes = "Follow-up"` gets a `config` error naming the property,
 * never a string spread into `["F", "o", …]` and sent to Heidi, and never an
 * exception thrown from deep inside a load.
 *
 * One table, keyed by property name, so a property added to the element is
 * checked as soon as its entry is here. `null` and `undefined` always pass:
 * they mean "not set" (Lit sets an attribute-backed property to `null` when
 * the attribute is removed).
 */
import { patientSex } from './checks.ts';
import { isCalendarDate } from './dates.ts';
import { HeidiError } from './errors.ts';
import { isRecord } from './schemas.ts';
import { isUsableId, NOT_USABLE } from './url.ts';

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
/** An object whose listed fields are each absent, nullish or pass their check. */
const fields =
  (check: Check, ...names: string[]): Check =>
  (value) =>
    isRecord(value) && names.every((key) => value[key] == null || check(value[key]));
const isPositive: Check = (value) => typeof value === 'number' && value > 0 && value < Infinity;

/** property name → [check, what it must be (for the message)]. */
const PROPERTY_TYPES = new Map<string, readonly [Check, string]>([
  ['readonly', [(value) => typeof value === 'boolean', 'a boolean']],
  ['tokenProvider', [(value) => typeof value === 'function', 'a function']],
  ['patient', [fields(isString, 'name', 'gender', 'dob'), 'an object of strings']],
  ['clinicianNotes', [(value) => Array.isArray(value) && value.every(isString), 'an array of strings']],
  ['timeouts', [fields(isPositive, 'request', 'codes', 'hostToken', 'poll'), 'an object of positive ms']],
  [
    'reviewer',
    [
      (value) => fields(isString, 'display')(value) && isString((value as { reference?: unknown }).reference),
      'an object {reference, display?}',
    ],
  ],
  ['reviewState', [isRecord, 'an object']],
]);
for (const name of 'tokenUrl apiBase sessionId patientProfileId ehrAppointmentId codeSystems ehrPatientId lang theme density token note engines sullyBase omniscribeBase omniscribeModel'.split(
  ' ',
)) {
  PROPERTY_TYPES.set(name, [isString, 'a string']);
}

type PatientField = 'gender' | 'dob';

/**
 * The patient fields Heidi restricts (seed `PATCH /sessions/{id}`): each one read as Heidi takes it, or
 * undefined when it cannot be, and what it must be. `gender`: the sex the checks read (`F`, `female`, `M`…,
 * core/checks) or `other`, in any case; `dob`: a real day as YYYY-MM-DD (an ISO time is cut to its date, as
 * the age check reads it).
 */
const PATIENT_FIELDS: Readonly<Record<PatientField, readonly [(value: string) => string | undefined, string]>> = {
  gender: [
    (gender) => (patientSex(gender) ?? (/^\s*other\s*$/i.test(gender) ? 'other' : undefined))?.toUpperCase(),
    'male, female or other (any case, or M or F)',
  ],
  dob: [
    (dob) => {
      const day = /^\s*(\d{4}-\d\d-\d\d)(T\S*)?\s*$/.exec(dob)?.[1];
      return day && isCalendarDate(day) ? day : undefined;
    },
    'a date as YYYY-MM-DD',
  ],
};

/** The host's `patient` as Heidi takes it: `gender` MALE, FEMALE or OTHER, `dob` YYYY-MM-DD; a blank field is left out. */
export function heidiPatient(patient: { name?: string; gender?: string; dob?: string }): { name?: string; gender?: string; dob?: string } {
  const read = (field: PatientField) => {
    const value = patient[field];
    return typeof value === 'string' && value.trim() ? PATIENT_FIELDS[field][0](value) : undefined;
  };
  return { name: patient.name, gender: read('gender'), dob: read('dob') };
}

/**
 * A `config` error when `value` is of the wrong type for the property `name`, else undefined. Properties
 * without an entry pass (the element's own internal state is not the host's door). The message names the
 * value's type, never its content (it may be a token or patient data).
 */
export function checkProperty(name: string, value: unknown): HeidiError | undefined {
  const entry = PROPERTY_TYPES.get(name);
  if (!entry || value == null) return undefined;
  if (!entry[0](value))
    return new HeidiError('config', `${name} must be ${entry[1]}, not ${Array.isArray(value) ? 'an array' : typeof value}.`);
  // The host set it (unset is null/undefined): an empty one is a mistake (`session-id={id ?? ''}`), not "create one".
  if (name === 'sessionId' && !isUsableId(value as string))
    return new HeidiError('config', `sessionId (the session-id attribute) ${NOT_USABLE}`);
  // A patient Heidi would refuse (422) is the host's to fix: said here, naming the field, instead of sent.
  if (name !== 'patient') return undefined;
  const sent = heidiPatient(value as Record<PatientField, string>);
  const bad = (Object.keys(PATIENT_FIELDS) as PatientField[]).find(
    (field) => sent[field] === undefined && (value as Record<string, string>)[field]?.trim(),
  );
  return bad && new HeidiError('config', `patient.${bad} must be ${PATIENT_FIELDS[bad][1]}.`);
}

/** The property names the table knows (for tests and documentation). */
export const checkedProperties = (): string[] => [...PROPERTY_TYPES.keys()];
