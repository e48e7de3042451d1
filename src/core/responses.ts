/** The one step every API response takes before anyone reads it: JSON, then its zod schema. */
import type * as z from 'zod/mini';
import { HeidiError } from './errors.ts';
import { ClinicalCodesBody, explainSchemaError, readClinicalCodes, type ClinicalCodesResponse } from './schemas.ts';
import { inSlices } from './slices.ts';
import { parseJsonBody } from './token.ts';

export function parseResponse<S extends z.ZodMiniType>(schema: S, text: string, what: string, service = 'Heidi'): z.infer<S> {
  const parsed = schema.safeParse(parseJsonBody(text, what));
  if (!parsed.success) throw unexpectedShape(service, what, parsed.error);
  return parsed.data as z.infer<S>;
}

function unexpectedShape(service: string, what: string, error: Parameters<typeof explainSchemaError>[0]): HeidiError {
  return new HeidiError('invalid-response', `${service} sent ${what} in an unexpected shape (${explainSchemaError(error)}).`);
}

/**
 * `parseResponse(ClinicalCodesResponse, ...)` (the same result, the same errors) a slice at a time (`inSlices`):
 * 2,000 codes read in one go are a task of 50 ms and more. `JSON.parse` cannot be sliced: it is the first
 * step, with a pause after it when it was long; then the entities, read one by one. An abort stops the
 * reading at the next pause.
 */
export function parseClinicalCodes(text: string, what: string, signal?: AbortSignal): Promise<ClinicalCodesResponse> {
  return inSlices(
    (function* () {
      const body = parseResponse(ClinicalCodesBody, text, what);
      yield;
      const read = yield* readClinicalCodes(body);
      if ('message' in read) throw unexpectedShape('Heidi', what, { issues: [read] });
      return read;
    })(),
    signal,
  );
}
