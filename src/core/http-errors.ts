/** Turn whatever ky or fetch threw into the one `HeidiError`, with a plain-language message. */
import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import { HeidiError, codeForStatus, type HeidiErrorCode } from './errors.ts';
import { describeErrorBody } from './schemas.ts';

/** How one API's failures read: its name in messages, its status-to-code rule and its error-body shape. */
export interface ApiErrorRules {
  readonly service: string;
  readonly codeForStatus: (status: number) => HeidiErrorCode;
  readonly describeBody: (body: unknown) => { message: string; type?: string | undefined } | undefined;
}

const HEIDI: ApiErrorRules = { service: 'Heidi', codeForStatus, describeBody: describeErrorBody };

// Each follows the service's name.
const STATUS_MESSAGES: Record<string, string> = {
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

function shorten(text: string): string {
  return text.length > MAX_BODY_MESSAGE ? `${text.slice(0, MAX_BODY_MESSAGE)}…` : text;
}

export function describeKyError(error: unknown, what: string, rules: ApiErrorRules = HEIDI): HeidiError {
  const { service } = rules;
  if (isHTTPError(error)) {
    const status = error.response.status;
    const code = rules.codeForStatus(status);
    const fromBody = rules.describeBody(error.data);
    const known = Object.hasOwn(STATUS_MESSAGES, code) ? `${service} ${STATUS_MESSAGES[code]}` : 'Request failed';
    const base = `${known} (${what}, HTTP ${status})`;
    return new HeidiError(code, fromBody ? `${base}: ${shorten(fromBody.message)}` : `${base}.`, {
      status,
      type: fromBody?.type,
      cause: error,
    });
  }
  if (isTimeoutError(error)) {
    return new HeidiError('timeout', `${service} took too long to answer (${what}).`, { cause: error });
  }
  if (isNetworkError(error) || error instanceof TypeError) {
    return new HeidiError('network', `Could not reach ${service} (${what}). Check the connection.`, { cause: error });
  }
  return new HeidiError('server', `Unexpected failure (${what}).`, { cause: error });
}
