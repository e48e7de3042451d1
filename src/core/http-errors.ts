/** Turn whatever ky or fetch threw into the one `HeidiError`, with a plain-language message. */
import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import { HeidiError, codeForStatus, type HeidiErrorCode } from './errors.ts';
import { describeErrorBody } from './schemas.ts';

const STATUS_MESSAGES: Partial<Record<HeidiErrorCode, string>> = {
  auth: 'Heidi did not accept the sign-in',
  'not-found': 'Heidi could not find this',
  'rate-limited': 'Heidi is receiving too many requests; try again shortly',
  timeout: 'Heidi took too long to answer',
  'invalid-response': 'Heidi rejected the request',
  server: 'Heidi had a problem answering',
};

/** An error body's message is for a person reading a detail line: a megabyte of it is noise (and slow to redact). */
const MAX_BODY_MESSAGE = 16_000;

function shorten(text: string): string {
  return text.length > MAX_BODY_MESSAGE ? `${text.slice(0, MAX_BODY_MESSAGE)}…` : text;
}

export function describeKyError(error: unknown, what: string): HeidiError {
  if (isHTTPError(error)) {
    const status = error.response.status;
    const code = codeForStatus(status);
    const fromBody = describeErrorBody(error.data);
    const base = `${STATUS_MESSAGES[code] ?? 'Request failed'} (${what}, HTTP ${status})`;
    return new HeidiError(code, fromBody ? `${base}: ${shorten(fromBody.message)}` : `${base}.`, {
      status,
      type: fromBody?.type,
      cause: error,
    });
  }
  if (isTimeoutError(error)) {
    return new HeidiError('timeout', `Heidi took too long to answer (${what}).`, { cause: error });
  }
  if (isNetworkError(error) || error instanceof TypeError) {
    return new HeidiError('network', `Could not reach Heidi (${what}). Check the connection.`, { cause: error });
  }
  return new HeidiError('server', `Unexpected failure (${what}).`, { cause: error });
}
