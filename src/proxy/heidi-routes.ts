/**
 * The Heidi routes: `GET {tokenPath}` (the user's JWT) and the optional
 * `{forwardPrefix}/sessions...` forwarder with the bearer token added server-side.
 */
import { invalidPath, isPlainSegment, relay, userOf, type Routing } from './relay.ts';
import { readJsonBody } from './request-guards.ts';
import { isFailure, jsonResponse, methodNotAllowed, type Failure } from './responses.ts';
import type { TokenService } from './tokens.ts';
import type { UpstreamOutcome } from './upstream.ts';

/** Sent by the widget with a token request after Heidi answered 401 for the token it names. */
export const REJECTED_TOKEN_HEADER = 'Heidi-Rejected-Token';

export const TOKEN_METHODS = ['GET'] as const;
export const FORWARD_METHODS = ['GET', 'POST', 'PATCH'] as const;
/** Request headers the forwarder passes on; everything else (cookies, auth, hop-by-hop, proxy, encoding) is dropped. */
const FORWARD_REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'if-none-match', 'if-modified-since'];
/** Response headers passed back from Heidi (no set-cookie, no hop-by-hop, no encoding/length: the body is re-sent whole). */
const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-language', 'etag', 'last-modified', 'retry-after'];

export async function handleToken<Context>(
  routing: Routing<Context>,
  tokens: TokenService,
  request: Request,
  context: Context | undefined,
): Promise<Response> {
  if (request.method !== 'GET') return routing.fail(methodNotAllowed(TOKEN_METHODS));
  const user = await userOf(routing.config, request, context);
  if (isFailure(user)) return routing.fail(user);
  // The widget says Heidi rejected this token (revoked before its expiry): drop it if it is the
  // cached one, at most once a minute per user, so the header cannot force upstream calls.
  const rejected = request.headers.get(REJECTED_TOKEN_HEADER);
  if (rejected) tokens.forceRefresh(user, rejected);
  const outcome = await tokens.tokenFor(user);
  if (!outcome.ok) return routing.fail(outcome.failure);
  const { token, expiration_time } = outcome.value;
  return jsonResponse({ token, expiration_time });
}

/**
 * The `/sessions...` path to forward, or a failure. The request URL is already
 * normalized (`..` and `%2e%2e` resolved); on top of that every segment must
 * be plain unreserved characters, so no encoded separator, dot segment or
 * double encoding reaches a server that might decode it into a traversal.
 */
function forwardPath(rest: string): string | Failure {
  if (rest !== '/sessions' && !rest.startsWith('/sessions/')) {
    return { status: 404, type: 'NotFound', msg: 'Only Heidi /sessions paths are forwarded.' };
  }
  const segments = rest.split('/').slice(1);
  for (const [index, segment] of segments.entries()) {
    const trailingSlash = segment === '' && index === segments.length - 1;
    if (!trailingSlash && !isPlainSegment(segment)) return invalidPath;
  }
  return rest;
}

export async function handleSessionsForward<Context>(
  routing: Routing<Context>,
  tokens: TokenService,
  request: Request,
  url: URL,
  rest: string,
  context: Context | undefined,
): Promise<Response> {
  const { config, fail } = routing;
  const heidi = config.heidi;
  const path = forwardPath(rest);
  if (typeof path !== 'string') return fail(path);
  if (!(FORWARD_METHODS as readonly string[]).includes(request.method)) return fail(methodNotAllowed(FORWARD_METHODS));
  const target = new URL(`${heidi.base}${path}${url.search}`);
  const basePath = heidi.url.pathname.replace(/\/+$/, '');
  if (target.origin !== heidi.url.origin || !target.pathname.startsWith(`${basePath}/sessions`)) return fail(invalidPath);

  // Who asks comes first: an anonymous request is answered before a byte of its body is read.
  const user = await userOf(config, request, context);
  if (isFailure(user)) return fail(user);
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (request.method !== 'GET') {
    const read = await readJsonBody(request, config.maxBodyBytes, config.bodyTimeoutMs);
    if (!read.ok) return fail(read.failure);
    body = read.bytes;
  }

  const headers = new Headers();
  for (const name of FORWARD_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let outcome: UpstreamOutcome | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await tokens.tokenFor(user);
    if (!token.ok) return fail(token.failure);
    headers.set('Authorization', `Bearer ${token.value.token}`);
    outcome = await routing.call(heidi, target, { method: request.method, headers, ...(body ? { body } : {}) });
    // A token Heidi no longer accepts (revoked, clock skew): try once with a fresh one, if the
    // per-user forced-refresh limit allows (a 401 is no more a lever than the rejected-token header).
    if (attempt === 0 && outcome.ok && outcome.response.status === 401 && tokens.forceRefresh(user, token.value.token)) {
      continue;
    }
    break;
  }
  if (!outcome) throw new Error('unreachable: the forward loop runs at least once');
  return relay(routing, heidi, outcome, FORWARD_RESPONSE_HEADERS);
}
