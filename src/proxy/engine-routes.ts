/**
 * The peer coding engines' routes, each forwarding only its documented paths
 * and methods with the vendor's credentials added server-side:
 * - Sully: `POST {prefix}/v1/codings`, `GET {prefix}/v1/codings/{id}` (`X-API-KEY`, `X-ACCOUNT-ID`).
 * - Omniscribe: `POST {prefix}/v1/codify` (`Authorization: Bearer`, `x-doctor` from the
 *   resolved user, the browser's `x-patient` passed on), bodies of at most 50 KB.
 * Every call needs a signed-in user, and uses the same body and answer caps,
 * timeouts, redaction and error shape as the Heidi routes.
 *
 * Sully knows one account (the server's `X-ACCOUNT-ID`), not the EHR's users: any coding id is readable
 * with the server's key. So the proxy remembers who started each coding and answers another user's poll
 * (or an id it never created) 404 without asking Sully. Omniscribe answers in the same call and keeps
 * nothing to read back; Heidi's sessions are read with the user's own JWT, so Heidi scopes them per user.
 */
import type { LruMap } from './bounded.ts';
import { OMNISCRIBE_MAX_BODY_BYTES, type OmniscribeConfig, type SullyConfig } from './options.ts';
import { invalidPath, isPlainSegment, relay, userKey, userOf, type Routing } from './relay.ts';
import { readJsonBody } from './request-guards.ts';
import { isFailure, methodNotAllowed, type Failure } from './responses.ts';
import type { UpstreamOutcome } from './upstream.ts';

const PASS_RESPONSE_HEADERS = ['content-type', 'retry-after'];
const notFound = (name: string): Failure => ({
  status: 404,
  type: 'NotFound',
  msg: `This path is not a ${name} route the EHR forwards.`,
});

/** A Sully route: the upstream path and the one method it allows, or why the path is refused. */
function sullyRoute(rest: string): { path: string; method: 'POST' } | { path: string; method: 'GET'; id: string } | Failure {
  if (rest === '/v1/codings') return { path: '/v1/codings', method: 'POST' };
  if (rest.startsWith('/v1/codings/')) {
    const id = rest.slice('/v1/codings/'.length);
    return isPlainSegment(id) ? { path: `/v1/codings/${id}`, method: 'GET', id } : invalidPath;
  }
  return notFound('Sully');
}

/** The methods a path under an engine prefix answers (for 405s on methods the Fetch API cannot carry). */
export function engineMethods(engine: 'sully' | 'omniscribe', rest: string): readonly string[] {
  if (engine === 'omniscribe') return ['POST'];
  const route = sullyRoute(rest);
  return isFailure(route) ? ['GET', 'POST'] : [route.method];
}

/** Printable ASCII for an audit header, or the value percent-encoded so it cannot break the header. */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]+$/.test(value) ? value : encodeURIComponent(value);
}

/** Who started which coding: coding id → `userKey`, bounded in count and time (`sully.maxCodings`, `sully.codingTtlSeconds`). */
export type CodingOwners = LruMap<string>;

const codingNotFound: Failure = {
  status: 404,
  type: 'CodingNotFound',
  msg: 'No Sully coding with this id was started by the signed-in user through this EHR server (or it has expired).',
};

/** The coding ids a successful `POST /v1/codings` answered (`data.id`, or the SDK's `data.codingId`). */
function createdCodingIds(outcome: UpstreamOutcome): string[] {
  if (!outcome.ok || outcome.response.status < 200 || outcome.response.status > 299) return [];
  try {
    const parsed = JSON.parse(new TextDecoder().decode(outcome.body)) as { data?: { id?: unknown; codingId?: unknown } } | null;
    const data = parsed?.data;
    if (typeof data !== 'object' || data === null) return [];
    return [data.id, data.codingId].filter((id): id is string => typeof id === 'string' && isPlainSegment(id));
  } catch {
    return [];
  }
}

export async function handleSully<Context>(
  routing: Routing<Context>,
  sully: SullyConfig,
  owners: CodingOwners,
  request: Request,
  rest: string,
  context: Context | undefined,
): Promise<Response> {
  const { config, fail } = routing;
  const route = sullyRoute(rest);
  if (isFailure(route)) return fail(route);
  if (request.method !== route.method) return fail(methodNotAllowed([route.method]));
  const user = await userOf(config, request, context);
  if (isFailure(user)) return fail(user);
  const owner = userKey(user);
  const headers = new Headers({ Accept: 'application/json', 'X-API-KEY': sully.apiKey, 'X-ACCOUNT-ID': sully.accountId });
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (route.method === 'POST') {
    const read = await readJsonBody(request, config.maxBodyBytes, config.bodyTimeoutMs);
    if (!read.ok) return fail(read.failure);
    body = read.bytes;
    headers.set('Content-Type', 'application/json');
  } else if (owners.get(route.id) !== owner) {
    return fail(codingNotFound);
  }
  const target = new URL(`${sully.base}${route.path}`);
  const outcome = await routing.call(sully, target, { method: route.method, headers, ...(body ? { body } : {}) });
  if (route.method === 'POST') for (const id of createdCodingIds(outcome)) owners.set(id, owner);
  return relay(routing, sully, outcome, PASS_RESPONSE_HEADERS);
}

export async function handleOmniscribe<Context>(
  routing: Routing<Context>,
  omniscribe: OmniscribeConfig,
  request: Request,
  rest: string,
  context: Context | undefined,
): Promise<Response> {
  const { config, fail } = routing;
  if (rest !== '/v1/codify') return fail(notFound('Omniscribe'));
  if (request.method !== 'POST') return fail(methodNotAllowed(['POST']));
  const user = await userOf(config, request, context);
  if (isFailure(user)) return fail(user);
  const patient = request.headers.get('x-patient');
  if (patient !== null && !/^[\x20-\x7e]{1,256}$/.test(patient)) {
    return fail({ status: 400, type: 'InvalidHeader', msg: 'x-patient must be 1-256 printable ASCII characters.' });
  }
  const read = await readJsonBody(request, Math.min(config.maxBodyBytes, OMNISCRIBE_MAX_BODY_BYTES), config.bodyTimeoutMs);
  if (!read.ok) return fail(read.failure);
  const headers = new Headers({
    Accept: 'application/json',
    'Content-Type': 'application/json',
    Authorization: `Bearer ${omniscribe.token}`,
    'x-doctor': headerSafe(user.third_party_internal_id),
  });
  if (patient !== null) headers.set('x-patient', patient);
  const target = new URL(`${omniscribe.base}/v1/codify`);
  const outcome = await routing.call(omniscribe, target, { method: 'POST', headers, body: read.bytes });
  return relay(routing, omniscribe, outcome, PASS_RESPONSE_HEADERS);
}
