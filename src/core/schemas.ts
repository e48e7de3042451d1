/**
 * zod schemas for every Heidi API body the widget reads. This is the only place
 * network data is checked: everything past `parse*` trusts its types.
 *
 * Unknown extra fields are accepted (zod objects strip them). The nulls the
 * seed documents are allowed. What the widget needs to work (ids, codes, code
 * systems, offsets) is required and typed.
 */
import * as z from 'zod/mini';
import { isUsableId } from './url.ts';

// No `new Function` code generation: the element must run under a strict CSP without 'unsafe-eval', where even
// zod's probe for eval support is reported as a violation. (The bundle has its own zod; the host's is untouched.)
z.config({ jitless: true });

// `z.nullish` stays zod's own: a stand-in built from a check (one schema kind fewer, ~80 B) parsed a
// 500-code answer 65 % slower, because every optional field then ran a nested safeParse.
export const nullishString = z.nullish(z.string());
const nullishNumber = z.nullish(z.number());
/**
 * A string that is not empty. A refinement rather than `z.minLength(1)`: the issue reads the same ("Invalid
 * input"), and the bundle carries one kind of check fewer.
 */
export const nonEmptyString = z.string().check(z.refine((text) => text !== ''));
/**
 * A code system's name or URI (Heidi's `code_system`, a peer's `system`), trimmed here, once: padding never reaches
 * a URN, a label, a stored decision or a comparison. Blank is as empty as ''.
 */
export const codeSystemName = z.string().check(
  z.trim(),
  z.refine((text) => text !== ''),
);
/**
 * The value as the first of `options` that it passes: what `z.union` does, with the same issue ("Invalid
 * input", at the value's path), built from a check for the same reason.
 */
export function oneOf<const T extends readonly z.ZodMiniType[]>(...options: T): z.ZodMiniType<z.infer<T[number]>> {
  return z.unknown().check((ctx) => {
    for (const option of options) {
      const parsed = option.safeParse(ctx.value);
      if (parsed.success) {
        ctx.value = parsed.data;
        return;
      }
    }
    ctx.issues.push({ code: 'custom', input: ctx.value });
  }) as z.ZodMiniType<z.infer<T[number]>>;
}
/** A boolean, as a refinement for the same reason (`z.boolean` would be one more schema kind in the bundle). */
const boolean = z.unknown().check(z.refine((value) => typeof value === 'boolean')) as z.ZodMiniType<boolean>;

/** `GET /jwt` */
export const JwtResponse = z.object({
  token: nonEmptyString,
  expiration_time: nonEmptyString,
});
export type JwtResponse = z.infer<typeof JwtResponse>;

/** `POST /sessions`: the new id goes into every later URL, so `..` or `.` is refused here, at the edge. */
export const CreateSessionResponse = z.object({
  session_id: z.string().check(z.refine(isUsableId, { message: 'not a usable session id (empty, ".", "..")' })),
});

export const Patient = z.object({
  name: nullishString,
  gender: nullishString,
  dob: nullishString,
  demographic_details: nullishString,
});
export type Patient = z.infer<typeof Patient>;

export const ConsultNote = z.object({
  status: nullishString,
  result: nullishString,
  heading: nullishString,
});

export const Session = z.object({
  session_id: nonEmptyString,
  session_name: nullishString,
  patient: z.nullish(Patient),
  clinician_notes: z.nullish(z.array(z.string())),
  consult_note: z.nullish(ConsultNote),
  duration: nullishNumber,
  created_at: nullishString,
  updated_at: nullishString,
  language_code: nullishString,
  output_language_code: nullishString,
  ehr_appt_id: nullishString,
  ehr_provider: nullishString,
  ehr_patient_id: nullishString,
});
export type Session = z.infer<typeof Session>;

/** `GET /sessions/{id}` and `PATCH /sessions/{id}` */
export const SessionResponse = z.object({ session: Session });

/** `GET /sessions/linked-user` (each session as in `GET /sessions/{id}`, possibly truncated to its id) */
export const LinkedSessionsResponse = z.object({
  sessions: z.array(
    z.object({
      session_id: nonEmptyString,
      session_name: nullishString,
      created_at: nullishString,
      patient: z.nullish(Patient),
    }),
  ),
  count: nullishNumber,
  total_count: nullishNumber,
  next_page: z.nullish(oneOf(z.string(), z.number())),
  has_next_page: z.nullish(boolean),
});
export type LinkedSessionsResponse = z.infer<typeof LinkedSessionsResponse>;

/** `GET /sessions/{id}/transcript` */
export const TranscriptResponse = z.object({ transcript: nullishString });

export const Span = z.object({ start: z.number(), end: z.number() });
export type Span = z.infer<typeof Span>;

const codeList = z.nullish(z.array(z.string()));
const age = z.nullish(oneOf(z.number(), z.string()));

/** Code metadata varies by code system; the fields the review checks read are typed, the rest pass. */
export const CodeMetadata = z.looseObject({
  short_description: nullishString,
  sex: nullishString,
  min_age: age,
  max_age: age,
  age_edit_type: nullishString,
  rare_use_flag: nullishString,
  valid_status: nullishString,
  parent_code: nullishString,
  children_code: codeList,
  sibling_code: codeList,
});
export type CodeMetadata = z.infer<typeof CodeMetadata>;

export const Code = z.object({
  code: nonEmptyString,
  code_name: z.string(),
  metadata: z.nullish(CodeMetadata),
  score: nullishNumber,
  code_system: codeSystemName,
});
export type Code = z.infer<typeof Code>;

export const TranscriptReference = z.object({
  transcript_text: z.string(),
  location_in_transcript: z.nullish(Span),
});
export type TranscriptReference = z.infer<typeof TranscriptReference>;

/** The seed shows `reference_in_context: []` without an element shape; accept text or an object carrying text. */
export const ContextReference = oneOf(
  z.string(),
  z.looseObject({
    text: nullishString,
    context_text: nullishString,
    clinician_note: nullishString,
  }),
);
export type ContextReference = z.infer<typeof ContextReference>;

export const ClinicalEntity = z.object({
  id: nullishString,
  location_in_note: z.nullish(z.array(Span)),
  reference_in_transcript: z.nullish(z.array(TranscriptReference)),
  reference_in_context: z.nullish(z.array(ContextReference)),
  primary_code: Code,
  similar_codes: z.nullish(z.array(Code)),
  status: nullishString,
  relevance_score: nullishNumber,
  relevance: nullishString,
});
export type ClinicalEntity = z.infer<typeof ClinicalEntity>;

/** What the clinical-codes body is as a whole: an id and a list. Each entity is then read on its own (below). */
export const ClinicalCodesBody = z.object({
  id: nullishString,
  session_id: nonEmptyString,
  consult_note_id: nullishString,
  clinical_entities: z.array(z.unknown()),
  created_at: nullishString,
  updated_at: nullishString,
  feedback: z.nullish(z.unknown()),
});
export type ClinicalCodesBody = z.infer<typeof ClinicalCodesBody>;

/**
 * What was left out of a clinical-codes body because it could not be read, so the UI can say so. One bad
 * entity is not a bad response: it is dropped and counted here, and its neighbours are shown.
 */
export interface DroppedData {
  /** Entities without a readable primary code (a code, a code system): not shown at all. */
  readonly entities: number;
  /** Similar codes without a readable code: that alternative is not offered. */
  readonly similarCodes: number;
  /** Note spans, transcript references or context items that could not be read. */
  readonly evidence: number;
  /** Optional fields of the wrong type (a score as a string, `children_code` as a string): read as absent. */
  readonly fields: number;
}

export const NOTHING_DROPPED: DroppedData = Object.freeze({ entities: 0, similarCodes: 0, evidence: 0, fields: 0 });

type Tally = { -readonly [K in keyof DroppedData]: number };
type AnySchema = z.ZodMiniType;

const emptyTally = (): Tally => ({ entities: 0, similarCodes: 0, evidence: 0, fields: 0 });

/** Count what a kept item lost; what a dropped item lost is not counted twice (the item itself is). */
function keep<T>(value: T | undefined, local: Tally, tally: Tally): T | undefined {
  if (value !== undefined) for (const key of Object.keys(local) as (keyof Tally)[]) tally[key] += local[key];
  return value;
}

/** A plain JSON object (not null, not a list). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `raw` without the keys (of those `shape` types) whose values fail their schema: each one counted as a field. */
function withoutBadFields(
  raw: Record<string, unknown>,
  shape: Readonly<Record<string, AnySchema>>,
  keys: readonly string[],
  tally: Tally,
): Record<string, unknown> {
  const out = { ...raw };
  for (const key of keys) {
    const schema = shape[key];
    if (schema && Object.hasOwn(raw, key) && !schema.safeParse(raw[key]).success) {
      delete out[key];
      tally.fields += 1;
    }
  }
  return out;
}

/** The readable items of an optional list; a non-list counts as one bad field. */
function readList<T>(
  raw: unknown,
  read: (item: unknown) => T | undefined,
  tally: Tally,
  kind: 'similarCodes' | 'evidence',
): T[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    tally.fields += 1;
    return undefined;
  }
  const items: T[] = [];
  for (const item of raw) {
    const value = read(item);
    if (value === undefined) tally[kind] += 1;
    else items.push(value);
  }
  return items;
}

const parsed =
  <T>(schema: z.ZodMiniType<T>) =>
  (value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };

function readMetadata(raw: unknown, tally: Tally): CodeMetadata | null | undefined {
  if (raw === undefined || raw === null) return raw;
  if (!isRecord(raw)) {
    tally.fields += 1;
    return undefined;
  }
  return parsed(CodeMetadata)(withoutBadFields(raw, CodeMetadata.shape, Object.keys(CodeMetadata.shape), tally));
}

const CODE_OPTIONAL_FIELDS = ['score'] as const;

/** A code with its bad optional parts left out, or undefined when its code or code system is unreadable. */
function readCode(raw: unknown, tally: Tally): Code | undefined {
  const strict = Code.safeParse(raw);
  if (strict.success) return strict.data;
  if (!isRecord(raw)) return undefined;
  const local = emptyTally();
  const repaired = withoutBadFields(raw, Code.shape, CODE_OPTIONAL_FIELDS, local);
  if (Object.hasOwn(raw, 'metadata')) repaired.metadata = readMetadata(raw.metadata, local);
  // A missing name is shown as the code (see toCodeView): not a reason to lose the code.
  if (typeof raw.code_name !== 'string') {
    repaired.code_name = '';
    local.fields += 1;
  }
  return keep(parsed(Code)(repaired), local, tally);
}

const ENTITY_OPTIONAL_FIELDS = ['id', 'status', 'relevance_score', 'relevance'] as const;
const readSpan = parsed(Span);
const readTranscriptReference = parsed(TranscriptReference);
const readContextReference = parsed(ContextReference);

/** One entity, its unreadable parts dropped and counted; undefined when its primary code is unreadable. */
function readEntity(raw: unknown, tally: Tally): ClinicalEntity | undefined {
  const strict = ClinicalEntity.safeParse(raw);
  if (strict.success) return strict.data;
  if (!isRecord(raw)) return undefined;
  const local = emptyTally();
  const primary = readCode(raw.primary_code, local);
  if (!primary) return undefined;
  const entity = parsed(ClinicalEntity)({
    ...withoutBadFields(raw, ClinicalEntity.shape, ENTITY_OPTIONAL_FIELDS, local),
    primary_code: primary,
    similar_codes: readList(raw.similar_codes, (c) => readCode(c, local), local, 'similarCodes'),
    location_in_note: readList(raw.location_in_note, readSpan, local, 'evidence'),
    reference_in_transcript: readList(raw.reference_in_transcript, readTranscriptReference, local, 'evidence'),
    reference_in_context: readList(raw.reference_in_context, readContextReference, local, 'evidence'),
  });
  return keep(entity, local, tally);
}

/** Why a clinical-codes body is refused although its shape was right: not one of its entities could be read. */
export type ClinicalCodesIssue = { code: 'custom'; input: unknown; path: PropertyKey[]; message: string };

/**
 * The entities of a body that passed `ClinicalCodesBody`, each read on its own, keeping the good ones, with
 * `dropped` counting what was left out. One step per entity, so that a caller can give the main thread back
 * between them (`inSlices`); the steps end with the response, or with the issue when there were entities and
 * not one could be read (the body is then not what this widget understands).
 */
export function* readClinicalCodes(body: ClinicalCodesBody): Generator<void, ClinicalCodesResponse | ClinicalCodesIssue> {
  const tally = emptyTally();
  const entities: ClinicalEntity[] = [];
  for (const raw of body.clinical_entities) {
    const entity = readEntity(raw, tally);
    if (entity) entities.push(entity);
    else tally.entities += 1;
    yield;
  }
  if (entities.length === 0 && body.clinical_entities.length > 0) {
    const first = ClinicalEntity.safeParse(body.clinical_entities[0]);
    const issue = first.success ? undefined : first.error.issues[0];
    return {
      code: 'custom',
      input: body.clinical_entities,
      path: ['clinical_entities', 0, ...(issue?.path ?? [])],
      message: `no entity could be read${issue ? ` (${issue.message})` : ''}`,
    };
  }
  const dropped: DroppedData = tally.entities + tally.similarCodes + tally.evidence + tally.fields ? tally : NOTHING_DROPPED;
  return { ...body, clinical_entities: entities, dropped };
}

/**
 * `GET /sessions/{id}/clinical-codes` read in one go: the body must be right as a whole (a session id, a list
 * of entities), then `readClinicalCodes`. The client reads the same a slice at a time (`parseClinicalCodes`).
 */
export const ClinicalCodesResponse = ClinicalCodesBody.check((ctx) => {
  // A check that replaces the value, rather than `z.pipe` + `z.transform`: two schema kinds fewer in the bundle.
  const steps = readClinicalCodes(ctx.value);
  let step;
  while (!(step = steps.next()).done);
  if ('message' in step.value) ctx.issues.push(step.value);
  else ctx.value = step.value;
}) as z.ZodMiniType<ClinicalCodesResponse>;
export type ClinicalCodesResponse = Omit<z.infer<typeof ClinicalCodesBody>, 'clinical_entities'> & {
  clinical_entities: ClinicalEntity[];
  /** What could not be read and was left out (absent when a caller built the response itself). */
  dropped?: DroppedData;
};

/**
 * Heidi's error bodies: `{"detail": {"msg", "type"}}`, `{"detail": "..."}`,
 * and FastAPI's validation form `{"detail": [{"msg", "type", "loc"}]}`.
 */
export const ErrorResponse = z.object({
  detail: oneOf(
    z.string(),
    z.looseObject({ msg: z.string(), type: nullishString }),
    z.array(z.looseObject({ msg: z.string(), type: nullishString })),
  ),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** The readable message and machine type of an error body, when it has Heidi's shape. */
export function describeErrorBody(body: unknown): { message: string; type?: string } | undefined {
  const parsed = ErrorResponse.safeParse(body);
  if (!parsed.success) return undefined;
  const { detail } = parsed.data;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    return { message: detail.map((d) => d.msg).join('; '), type: detail[0]?.type ?? undefined };
  }
  return { message: detail.msg, type: detail.type ?? undefined };
}

/** A one-line, human-readable account of why a body failed its schema. */
export function explainSchemaError(error: { readonly issues: readonly Pick<z.core.$ZodIssue, 'path' | 'message'>[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}
