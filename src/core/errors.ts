import type { EngineName } from './engines/types.ts';
import type { ErrorDetail } from '../events.ts';

/** The machine-readable codes of the `heidi-error` event, as the public contract lists them. */
export type HeidiErrorCode =
  | 'auth'
  | 'network'
  | 'timeout'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'invalid-response'
  /** A coding engine refused what was sent (e.g. a note over its size limit, or malformed). */
  | 'invalid-request'
  | 'config';

/** The one error type the core throws. Anything else reaching the element is a bug, reported as `server`. */
export class HeidiError extends Error {
  override readonly name = 'HeidiError';
  readonly code: HeidiErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Heidi's own error type when the body had one, e.g. `SessionNotFoundError`. */
  readonly type: string | undefined;

  constructor(
    code: HeidiErrorCode,
    message: string,
    options: { status?: number | undefined; retryable?: boolean; type?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.type = options.type;
    // Sending the same note again would be refused again.
    this.retryable = options.retryable ?? !['config', 'invalid-response', 'invalid-request', 'not-found'].includes(code);
  }
}

/** What `heidi-error` tells the host of `error` (and of the engine that failed, when others' codes are shown). */
export function errorDetail({ code, message, status, retryable }: HeidiError, engine?: EngineName): ErrorDetail {
  return { code, message, retryable, ...(status !== undefined && { status }), ...(engine && { engine }) };
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * `promise`, or the signal's reason as soon as `signal` aborts (at once when it already has). The promise
 * itself goes on: a shared one (a token fetch, Heidi's codes request) is not cancelled for its other callers.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as unknown);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
