/** Turn whatever ky or fetch threw into the one `HeidiError`, with a plain-language message. */
import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import * as z from 'zod/mini';
import { HeidiError, type HeidiErrorCode } from './errors.ts';
import { describeErrorBody, oneOf } from './schemas.ts';

/** What every JSON call asks for: JSON, never from the HTTP cache. */
export const JSON_API = { headers: { accept: 'application/json' }, cache: 'no-store' } as const;

/**
 * The bounded retries of an idempotent call: twice on 429 and the gateway errors (`statusCodes`), honouring
 * `Retry-After` on 429/503 up to `maxDelay`.
 */
export const retryPolicy = (maxDelay: number, methods?: string[], statusCodes = [429, 502, 503, 504]) => ({
  limit: 2,
  methods,
  statusCodes,
  afterStatusCodes: [429, 503],
  maxRetryAfter: maxDelay,
  backoffLimit: Math.min(maxDelay, 5_000),
});

/** Both peers' error bodies: Sully's `{"error": <int>, "message"}`, Omniscribe's `{"success": false, "error", "details", "run_id"?}`. */
const PeerErrorBody = z.object({
  error: oneOf(z.number(), z.string()),
  message: z.nullish(z.string()),
  details: z.nullish(z.unknown()),
  run_id: z.nullish(z.string()),
});

/** The readable part of a peer's error body (Omniscribe asks that a 500's `run_id` be quoted). */
function describePeerError(body: unknown): { message: string; type?: undefined } | undefined {
  const parsed = PeerErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { error, message, details, run_id: runId } = parsed.data;
  const parts = [message ?? (typeof error === 'string' ? error : ''), typeof details === 'string' ? details : '', runId && `run ${runId}`];
  const text = parts.filter(Boolean).join(' · ');
  return text ? { message: text } : undefined;
}

/** The code for an HTTP status that was not retried away. What a peer refuses as too large or malformed is `invalid-request`. */
function codeForStatus(status: number, peer?: boolean): HeidiErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate-limited';
  if (peer && (status === 400 || status === 413 || status === 422)) return 'invalid-request';
  if (status === 400 || status === 409 || status === 422) return 'invalid-response';
  return 'server';
}

// Each follows the service's name.
const STATUS_MESSAGES: { readonly [code: string]: string } = {
  auth: 'did not accept the sign-in',
  'not-found': 'could not find this',
  'rate-limited': 'is receiving too many requests; try again shortly',
  timeout: 'took too long to answer',
  'invalid-response': 'rejected the request',
  'invalid-request': 'refused what was sent',
  server: 'had a problem answering',
};

/** An error body's message is for a person reading a detail line: a megabyte of it is noise (and slow to redact). */
const MAX_BODY_MESSAGE = 16_000;

/**
 * `error` as a `HeidiError` naming `service`. A peer engine (Sully, Omniscribe) has its own error body, and
 * what it refuses as too large or malformed (400, 413, 422) is `invalid-request`, not a bad answer.
 */
export function describeKyError(error: unknown, what: string, service = 'Heidi', peer?: boolean): HeidiError {
  // `service` may start lower case ("the EHR's token URL"): a sentence does not.
  const Service = service[0]!.toUpperCase() + service.slice(1);
  if (isHTTPError(error)) {
    const status = error.response.status;
    const code = codeForStatus(status, peer);
    const fromBody = (peer ? describePeerError : describeErrorBody)(error.data);
    const text = fromBody?.message;
    const base = `${Service} ${STATUS_MESSAGES[code]} (${what}, HTTP ${status})`;
    return new HeidiError(
      code,
      fromBody ? `${base}: ${text!.length > MAX_BODY_MESSAGE ? `${text!.slice(0, MAX_BODY_MESSAGE)}…` : text}` : `${base}.`,
      { status, type: fromBody?.type, cause: error },
    );
  }
  if (isTimeoutError(error)) {
    return new HeidiError('timeout', `${Service} took too long to answer (${what}).`, { cause: error });
  }
  if (isNetworkError(error) || error instanceof TypeError) {
    return new HeidiError('network', `Could not reach ${service} (${what}). Check the connection.`, { cause: error });
  }
  return new HeidiError('server', `Unexpected failure (${what}).`, { cause: error });
}
