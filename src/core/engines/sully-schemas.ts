/**
 * zod schemas for Sully's coding API (seeds/sully-coding.txt). The envelope is
 * checked strictly; diagnoses, procedures and codings are checked one by one
 * (`SullyItem`, `SullyCoding`), so one bad item is dropped, not the answer.
 */
import * as z from 'zod/mini';
// ../schemas.ts (imported first) sets zod's `jitless` for a strict CSP.
import { codeSystemName, nonEmptyString, nullishString, oneOf } from '../schemas.ts';

/** `POST /v1/codings` and `GET /v1/codings/{id}`. The SDK reads `codingId`, the REST docs `id`: either will do. */
export const SullyCodingResponse = z.object({
  data: z.object({
    id: nullishString,
    codingId: nullishString,
    status: nullishString,
    result: z.nullish(
      z.object({
        diagnoses: z.nullish(z.array(z.unknown())),
        procedures: z.nullish(z.array(z.unknown())),
      }),
    ),
    error: z.nullish(oneOf(z.string(), z.looseObject({ message: nullishString }))),
  }),
});
export type SullyCodingResponse = z.infer<typeof SullyCodingResponse>;

/** One FHIR coding. Published examples send a CPT `code` as a JSON number (the engine checks it is a whole one). */
export const SullyCoding = z.object({
  system: codeSystemName,
  code: oneOf(nonEmptyString, z.number()),
  display: nullishString,
});

/** One diagnosis or procedure. Its offsets are checked against the note, not trusted. */
export const SullyItem = z.object({
  code: z.object({
    coding: z.array(z.unknown()),
    text: nullishString,
  }),
  text_span: z.nullish(
    z.object({
      start_char: z.nullish(z.number()),
      end_char: z.nullish(z.number()),
      text: nullishString,
    }),
  ),
});
export type SullyItem = z.infer<typeof SullyItem>;
