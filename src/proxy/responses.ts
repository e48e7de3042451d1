/**
 * The proxy's own answers: private headers on every one, and failures as JSON
 * in Heidi's error shape `{"detail": {"msg", "type"}}`, reported to `onError`
 * with every secret redacted.
 */
import type { HeidiProxyErrorEvent } from './options.ts';
import { sanitizeForLog, type Redactor } from './redact.ts';

/** A failure, described once and turned into a fresh `Response` per waiter (a body can be read only once). */
export interface Failure {
  status: number;
  type: string;
  msg: string;
  headers?: Record<string, string>;
  error?: unknown;
}

export function isFailure(value: object): value is Failure {
  return 'status' in value && 'type' in value && 'msg' in value;
}

/**
 * Headers on every answer: personal, short-lived data, never cached by browsers
 * or shared caches, and never rendered as a document on the EHR's origin.
 */
export function privateHeaders(extra?: Record<string, string>): Headers {
  const headers = new Headers({
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    Vary: 'Cookie, Authorization',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
  });
  if (extra) for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

export type FailureResponder = (failure: Failure) => Response;

export function createFailureResponder(onError: ((event: HeidiProxyErrorEvent) => void) | undefined, redact: Redactor): FailureResponder {
  return (failure) => {
    if (onError) {
      try {
        onError({ type: failure.type, status: failure.status, error: sanitizeForLog(failure.error, redact) });
      } catch {
        // a logging hook must not break the route
      }
    }
    const body = JSON.stringify({ detail: { msg: redact(failure.msg), type: failure.type } });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    for (const [name, value] of Object.entries(failure.headers ?? {})) headers[name] = redact(value);
    return new Response(body, { status: failure.status, headers: privateHeaders(headers) });
  };
}

export function methodNotAllowed(allowed: readonly string[]): Failure {
  return {
    status: 405,
    type: 'MethodNotAllowed',
    msg: `Only ${allowed.join(', ')} ${allowed.length > 1 ? 'are' : 'is'} allowed here.`,
    headers: { Allow: allowed.join(', ') },
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: privateHeaders({ 'Content-Type': 'application/json' }) });
}
