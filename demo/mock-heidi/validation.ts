/**
 * Request-body validation in FastAPI/pydantic's error shape, so clients see
 * the same 422 bodies they would get from Heidi. Validation is strict (no
 * `"60"` → 60 coercion): the mock exists to catch a client sending wrong types.
 */
import type { ValidationIssue } from './responses.ts';
import type { JsonObject } from './types.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Parse a JSON object body. An empty body counts as `{}` (every documented field is optional). */
export async function readJsonObject(request: Request): Promise<Parsed<JsonObject>> {
  const text = await request.text();
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, issues: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid', input: {} }] };
  }
  if (!isObject(value)) {
    return {
      ok: false,
      issues: [
        {
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          type: 'model_attributes_type',
          input: value,
        },
      ],
    };
  }
  return { ok: true, value };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Check = (value: unknown, loc: (string | number)[]) => ValidationIssue[];

const string: Check = (value, loc) =>
  typeof value === 'string' ? [] : [{ loc, msg: 'Input should be a valid string', type: 'string_type', input: value }];

const number: Check = (value, loc) =>
  typeof value === 'number' && Number.isFinite(value)
    ? []
    : [{ loc, msg: 'Input should be a valid number', type: 'float_type', input: value }];

const boolean: Check = (value, loc) =>
  typeof value === 'boolean' ? [] : [{ loc, msg: 'Input should be a valid boolean', type: 'bool_type', input: value }];

const stringArray: Check = (value, loc) => {
  if (!Array.isArray(value)) return [{ loc, msg: 'Input should be a valid list', type: 'list_type', input: value }];
  return value.flatMap((item, i) => string(item, [...loc, i]));
};

const GENDERS = ['MALE', 'FEMALE', 'OTHER'];
const gender: Check = (value, loc) =>
  typeof value === 'string' && GENDERS.includes(value)
    ? []
    : [{ loc, msg: "Input should be 'MALE', 'FEMALE' or 'OTHER'", type: 'enum', input: value }];

const date: Check = (value, loc) => {
  const issue = [{ loc, msg: 'Input should be a valid date in the format YYYY-MM-DD', type: 'date_from_datetime_parsing', input: value }];
  if (typeof value !== 'string') return issue;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return issue;
  // Round-trip through Date to reject 2024-02-30 and friends.
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value ? [] : issue;
};

/** Every field the seed's `PATCH /sessions/{id}` lists, except `patient` (merged field-wise, below). */
const SESSION_FIELDS: Record<string, Check> = {
  duration: number,
  language_code: string,
  output_language_code: string,
  transcribe_mode: string,
  clinician_notes: stringArray,
  ehr_patient_id: string,
  ehr_appt_id: string,
  generate_output_without_recording: boolean,
  recording_status: string,
  session_status: string,
  is_consent: boolean,
  created_time_local: string,
  linked_sessions_for_context: stringArray,
};

const PATIENT_FIELDS: Record<string, Check> = {
  name: string,
  gender,
  dob: date,
  demographic_details: string,
};

/** The validated, known fields of a PATCH body. `null` is accepted for every field (pydantic `Optional`) and stored as is. */
export interface SessionPatch {
  fields: JsonObject;
  /** `undefined`: leave the patient alone; `null`: clear it; object: merge these fields. */
  patient?: JsonObject | null;
}

export function validateSessionPatch(body: JsonObject): Parsed<SessionPatch> {
  const issues: ValidationIssue[] = [];
  const fields: JsonObject = {};
  for (const [name, check] of Object.entries(SESSION_FIELDS)) {
    if (!(name in body)) continue;
    const value = body[name];
    if (value !== null) issues.push(...check(value, ['body', name]));
    fields[name] = value;
  }
  let patient: JsonObject | null | undefined;
  if ('patient' in body) {
    const value = body.patient;
    if (value === null) patient = null;
    else if (!isObject(value)) {
      issues.push({
        loc: ['body', 'patient'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        type: 'model_attributes_type',
        input: value,
      });
    } else {
      patient = {};
      for (const [name, check] of Object.entries(PATIENT_FIELDS)) {
        if (!(name in value)) continue;
        const v = value[name];
        if (v !== null) issues.push(...check(v, ['body', 'patient', name]));
        patient[name] = v;
      }
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: { fields, patient } };
}

/** `POST /sessions`: both documented fields are optional strings. */
export function validateCreateSession(body: JsonObject): Parsed<{ patientProfileId?: string | null; ehrAppointmentId?: string | null }> {
  const issues: ValidationIssue[] = [];
  for (const name of ['patient_profile_id', 'ehr_appointment_id']) {
    const value = body[name];
    if (value !== undefined && value !== null) issues.push(...string(value, ['body', name]));
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      patientProfileId: body.patient_profile_id as string | null | undefined,
      ehrAppointmentId: body.ehr_appointment_id as string | null | undefined,
    },
  };
}

/** A query parameter that must be a positive integer (optional, with a default). */
export function positiveIntQuery(url: URL, name: string, fallback: number, max: number): Parsed<number> {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return { ok: true, value: fallback };
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    return {
      ok: false,
      issues: [
        {
          loc: ['query', name],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          type: 'int_parsing',
          input: raw,
        },
      ],
    };
  }
  if (n < 1)
    return {
      ok: false,
      issues: [{ loc: ['query', name], msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal', input: raw }],
    };
  if (n > max)
    return {
      ok: false,
      issues: [{ loc: ['query', name], msg: `Input should be less than or equal to ${max}`, type: 'less_than_equal', input: raw }],
    };
  return { ok: true, value: n };
}
