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

const nullishString = z.nullish(z.string());
const nullishNumber = z.nullish(z.number());

/** `GET /jwt` */
export const JwtResponse = z.object({
  token: z.string().check(z.minLength(1)),
  expiration_time: z.string().check(z.minLength(1)),
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
  session_id: z.string().check(z.minLength(1)),
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
      session_id: z.string().check(z.minLength(1)),
      session_name: nullishString,
      created_at: nullishString,
      patient: z.nullish(Patient),
    }),
  ),
  count: nullishNumber,
  total_count: nullishNumber,
  next_page: z.nullish(z.union([z.string(), z.number()])),
  has_next_page: z.nullish(z.boolean()),
});
export type LinkedSessionsResponse = z.infer<typeof LinkedSessionsResponse>;

/** `GET /sessions/{id}/transcript` */
export const TranscriptResponse = z.object({ transcript: nullishString });

export const Span = z.object({ start: z.number(), end: z.number() });
export type Span = z.infer<typeof Span>;

const codeList = z.nullish(z.array(z.string()));
const age = z.nullish(z.union([z.number(), z.string()]));

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
  code: z.string().check(z.minLength(1)),
  code_name: z.string(),
  metadata: z.nullish(CodeMetadata),
  score: nullishNumber,
  code_system: z.string().check(z.minLength(1)),
});
export type Code = z.infer<typeof Code>;

export const TranscriptReference = z.object({
  transcript_text: z.string(),
  location_in_transcript: z.nullish(Span),
});
export type TranscriptReference = z.infer<typeof TranscriptReference>;

/** The seed shows `reference_in_context: []` without an element shape; accept text or an object carrying text. */
export const ContextReference = z.union([
  z.string(),
  z.looseObject({
    text: nullishString,
    context_text: nullishString,
    clinician_note: nullishString,
  }),
]);
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

/** `GET /sessions/{id}/clinical-codes` */
export const ClinicalCodesResponse = z.object({
  id: nullishString,
  session_id: z.string().check(z.minLength(1)),
  consult_note_id: nullishString,
  clinical_entities: z.array(ClinicalEntity),
  created_at: nullishString,
  updated_at: nullishString,
  feedback: z.nullish(z.unknown()),
});
export type ClinicalCodesResponse = z.infer<typeof ClinicalCodesResponse>;

/**
 * Heidi's error bodies: `{"detail": {"msg", "type"}}`, `{"detail": "..."}`,
 * and FastAPI's validation form `{"detail": [{"msg", "type", "loc"}]}`.
 */
export const ErrorResponse = z.object({
  detail: z.union([
    z.string(),
    z.looseObject({ msg: z.string(), type: nullishString }),
    z.array(z.looseObject({ msg: z.string(), type: nullishString })),
  ]),
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
export function explainSchemaError(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Run each response schema once on a small valid body, so their one-off set-up is not paid when data arrives. */
export function warmSchemas(): void {
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
