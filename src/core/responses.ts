/** The one step every API response takes before anyone reads it: JSON, then its zod schema. */
import type * as z from 'zod/mini';
import { HeidiError } from './errors.ts';
import { explainSchemaError } from './schemas.ts';
import { parseJsonBody } from './token.ts';

export function parseResponse<S extends z.ZodMiniType>(schema: S, text: string, what: string, service = 'Heidi'): z.infer<S> {
  const parsed = schema.safeParse(parseJsonBody(text, what));
  if (!parsed.success) {
    throw new HeidiError('invalid-response', `${service} sent ${what} in an unexpected shape (${explainSchemaError(parsed.error)}).`);
  }
  return parsed.data as z.infer<S>;
}
