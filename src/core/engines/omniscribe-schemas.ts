/**
 * zod schemas for Omniscribe Codify (seeds/omniscribe-codify.txt, PEERS.md).
 * The envelope is checked strictly; each assessment on its own
 * (`OmniscribeAssessment`), so one bad assessment is dropped, not the answer.
 */
import * as z from 'zod/mini';

// As in ../schemas.ts: no `new Function` code generation under a strict CSP.
z.config({ jitless: true });

const nullishString = z.nullish(z.string());

/** `POST /v1/codify` */
export const OmniscribeResponse = z.object({
  final_code_assessments: z.array(z.unknown()),
  discarded_code_assessments: z.nullish(z.array(z.unknown())),
  run_id: nullishString,
});

/** One code assessment; `confidence_percent` is 0..100. */
export const OmniscribeAssessment = z.object({
  code: z.string().check(z.minLength(1)),
  description: nullishString,
  justification: nullishString,
  confidence_percent: z.nullish(z.number()),
});
