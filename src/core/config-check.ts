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
import { HeidiError } from './errors.ts';

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Every listed field is absent, nullish or passes its check. */
const fields =
  (checks: Record<string, Check>): Check =>
  (value) =>
    isObject(value) && Object.entries(checks).every(([key, check]) => value[key] == null || check(value[key]));
const isPositive: Check = (value) => typeof value === 'number' && value > 0 && value < Infinity;

const STRING = [isString, 'a string'] as const;

/** property name → [check, what it must be (for the message)]. */
const PROPERTY_TYPES = new Map<string, readonly [Check, string]>([
  ['tokenUrl', STRING],
  ['apiBase', STRING],
  ['sessionId', STRING],
  ['patientProfileId', STRING],
  ['ehrAppointmentId', STRING],
  ['codeSystems', STRING],
  ['ehrPatientId', STRING],
  ['lang', STRING],
  ['theme', STRING],
  ['density', STRING],
  ['token', STRING],
  ['note', STRING],
  ['engines', STRING],
  ['readonly', [(value) => typeof value === 'boolean', 'true or false']],
  ['tokenProvider', [(value) => typeof value === 'function', 'a function returning a promise of {token, expiration_time}']],
  ['patient', [fields({ name: isString, gender: isString, dob: isString }), 'an object {name?, gender?, dob?} of strings']],
  ['clinicianNotes', [(value) => Array.isArray(value) && value.every(isString), 'an array of strings']],
  [
    'timeouts',
    [
      fields({ request: isPositive, codes: isPositive, hostToken: isPositive }),
      'an object {request?, codes?, hostToken?} of positive numbers (ms)',
    ],
  ],
  [
    'reviewer',
    [
      (value) => fields({ display: isString })(value) && isString((value as { reference?: unknown }).reference),
      'an object {reference, display?} of strings',
    ],
  ],
  ['reviewState', [isObject, 'an object (a review state read from reviewState)']],
]);

/** How a wrong value is described: its kind, never its content (it may be a token or patient data). */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const type = typeof value;
  return type === 'object' ? 'an object of another shape' : `a ${type}`;
}

/**
 * A `config` error when `value` is of the wrong type for the property `name`, else undefined. Properties
 * without an entry pass (the element's own internal state is not the host's door).
 */
export function checkProperty(name: string, value: unknown): HeidiError | undefined {
  const entry = PROPERTY_TYPES.get(name);
  if (!entry || value == null || entry[0](value)) return undefined;
  return new HeidiError('config', `The ${name} property must be ${entry[1]}, not ${kindOf(value)}.`, { retryable: false });
}

/** The property names the table knows (for tests and documentation). */
export const checkedProperties = (): string[] => [...PROPERTY_TYPES.keys()];
