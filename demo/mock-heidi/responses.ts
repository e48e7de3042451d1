/**
 * Response builders in the shapes Heidi (a FastAPI service) documents:
 * `{"detail": {"msg", "type"}}` for its own errors, `{"detail": "..."}` for
 * framework errors, and `{"detail": [{loc, msg, type}]}` for validation.
 */

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** A raw body labelled as JSON (used by failures that must send broken JSON). */
export function rawJson(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Heidi's object form: `{"detail": {"msg": ..., "type": ...}}`. */
export function heidiError(status: number, msg: string, type: string, headers: Record<string, string> = {}): Response {
  return json(status, { detail: { msg, type } }, headers);
}

/** The plain string form: `{"detail": "..."}`. */
export function detailError(status: number, detail: string, headers: Record<string, string> = {}): Response {
  return json(status, { detail }, headers);
}

/** One entry of a FastAPI/pydantic validation error. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

export function validationError(issues: ValidationIssue[]): Response {
  return json(422, { detail: issues });
}

export const notFound = (): Response => detailError(404, 'Not Found');

export const methodNotAllowed = (allow: readonly string[]): Response => detailError(405, 'Method Not Allowed', { allow: allow.join(', ') });

export const sessionNotFound = (): Response => heidiError(404, 'Session not found', 'SessionNotFoundError');

/** Missing, malformed, forged or unknown bearer token. */
export const invalidCredentials = (): Response => detailError(401, 'Could not validate credentials', { 'www-authenticate': 'Bearer' });

export const tokenExpired = (headers: Record<string, string> = {}): Response =>
  heidiError(401, 'Token has expired', 'TokenExpiredError', { 'www-authenticate': 'Bearer', ...headers });

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** `'Too Many Requests'` → `'TooManyRequestsError'`: a plausible Heidi error `type` for any status. */
export function errorTypeFor(status: number): string {
  return `${statusText(status).replace(/[^A-Za-z]/g, '')}Error`;
}

/** What a load balancer or gateway in front of an API sends: HTML, not JSON. */
export function htmlPage(status: number, headers: Record<string, string> = {}): Response {
  const title = `${status} ${statusText(status)}`;
  const body = `<!DOCTYPE html>
<html>
<head><title>${title}</title></head>
<body>
<center><h1>${title}</h1></center>
<hr><center>mock-heidi gateway</center>
</body>
</html>
`;
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
}
