/**
 * zod schemas for Omniscribe Codify (seeds/omniscribe-codify.txt, PEERS.md).
 * The envelope is checked strictly; each assessment on its own
 * (`OmniscribeAssessment`), so one bad assessment is dropped, not the answer.
 */
import * as z from 'zod/mini';
// ../schemas.ts (imported first) sets zod's `jitless` for a strict CSP.
import { nonEmptyString, nullishString } from '../schemas.ts';

/** `POST /v1/codify` */
export const OmniscribeResponse = z.object({
  final_code_assessments: z.array(z.unknown()),
  discarded_code_assessments: z.nullish(z.array(z.unknown())),
  run_id: nullishString,
});

/** One code assessment; `confidence_percent` is 0..100. */
export const OmniscribeAssessment = z.object({
  code: nonEmptyString,
  description: nullishString,
  justification: nullishString,
  confidence_percent: z.nullish(z.number()),
});
