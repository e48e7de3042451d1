/**
 * What every forwarding route shares: who the user is (asked first, before any
 * body is read), plain path segments, and the rule for passing an upstream
 * answer to the browser: JSON (or no body) only, private headers, secrets
 * redacted. Anything else (an HTML error page, say) is mapped to Heidi's error
 * shape, so no upstream document is ever served from the EHR's origin.
 */
import type { HeidiUser, ProxyConfig, Upstream } from './options.ts';
import type { Redactor } from './redact.ts';
import { isJsonContentType } from './request-guards.ts';
import { privateHeaders, type Failure, type FailureResponder } from './responses.ts';
import type { UpstreamCaller, UpstreamOutcome } from './upstream.ts';

/** Everything a route needs, built once per proxy. */
export interface Routing<Context> {
  config: ProxyConfig<Context>;
  call: UpstreamCaller;
  fail: FailureResponder;
  redact: Redactor;
}

const userResolutionFailed = (error: unknown): Failure => ({
  status: 500,
  type: 'UserResolutionFailed',
  msg: 'The server could not determine the signed-in user.',
  error,
});

/** The logged-in user (a copy of the two fields only), or the failure to answer. */
export async function userOf<Context>(
  config: ProxyConfig<Context>,
  request: Request,
  context: Context | undefined,
): Promise<HeidiUser | Failure> {
  try {
    const user: unknown = await config.resolveUser(request, context);
    if (user === null || user === undefined) {
      return { status: 401, type: 'NotAuthenticated', msg: 'Sign in to the EHR to use this service.' };
    }
    if (typeof user !== 'object') throw new TypeError('resolveUser must return an object');
    // Read each field once: a getter or proxy is not trusted to answer the same twice.
    const { email, third_party_internal_id } = user as Record<string, unknown>;
    if (
      typeof email !== 'string' ||
      email.trim() === '' ||
      typeof third_party_internal_id !== 'string' ||
      third_party_internal_id.trim() === ''
    ) {
      throw new TypeError('resolveUser must return { email, third_party_internal_id } as non-empty strings');
    }
    return { email, third_party_internal_id };
  } catch (error) {
    return userResolutionFailed(error);
  }
}

/** One key per signed-in user, for the state the proxy keeps per user (cached tokens, who started a Sully coding). */
export function userKey(user: HeidiUser): string {
  return JSON.stringify([user.third_party_internal_id, user.email]);
}

/** One path segment of plain unreserved characters: no dot segment, no encoded separator, no double encoding. */
export function isPlainSegment(segment: string): boolean {
  return /^[A-Za-z0-9._~-]+$/.test(segment) && segment !== '.' && segment !== '..';
}

export const invalidPath: Failure = { status: 400, type: 'InvalidPath', msg: 'The forwarded path is not valid.' };

/** Turn a completed upstream exchange into the browser's answer, or a failure answer. */
export function relay<Context>(
  routing: Routing<Context>,
  upstream: Upstream,
  outcome: UpstreamOutcome,
  passHeaders: readonly string[],
): Response {
  if (!outcome.ok) return routing.fail(outcome.failure);
  const { response, body } = outcome;
  const status = response.status;
  if (status < 200 || status > 599 || (status >= 300 && status < 400 && status !== 304)) {
    return routing.fail({
      status: 502,
      type: 'UpstreamInvalidResponse',
      msg: `${upstream.name} answered with an unexpected HTTP ${status}.`,
    });
  }
  const nullBody = status === 204 || status === 205 || status === 304;
  const contentType = response.headers.get('content-type');
  if (!nullBody && body.byteLength > 0 && !isJsonContentType(contentType)) {
    return status >= 400
      ? routing.fail({
          status,
          type: 'UpstreamError',
          msg: `${upstream.name} answered HTTP ${status} with a body that is not JSON.`,
          error: `upstream HTTP ${status} (${contentType ?? 'no content type'})`,
        })
      : routing.fail({
          status: 502,
          type: 'UpstreamInvalidResponse',
          msg: `${upstream.name} answered HTTP ${status} with a body that is not JSON.`,
        });
  }
  const out = privateHeaders();
  for (const name of passHeaders) {
    const value = response.headers.get(name);
    if (value !== null) out.set(name, routing.redact(value));
  }
  if (nullBody || body.byteLength === 0) {
    out.delete('content-type');
    return new Response(null, { status, headers: out });
  }
  // Upstream text is ours to answer: no secret we hold leaves in it, whatever the upstream echoed.
  const text = new TextDecoder().decode(body);
  const safe = routing.redact(text);
  return new Response(safe === text ? body : safe, { status, headers: out });
}
