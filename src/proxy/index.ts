/**
 * `heidi-clinical-codes/proxy`: the reference EHR backend for `<heidi-clinical-codes>`.
 *
 * The widget never sees the Heidi API key. It asks the EHR's own backend for a
 * short-lived Heidi JWT (`token-url`); this module is that backend route, built
 * only on the Fetch API (`Request`/`Response`), so it runs unchanged on Node 18+,
 * Deno, Bun and edge runtimes and mounts in any framework in a few lines.
 *
 * What it does:
 * - `GET {tokenPath}` (default `/heidi-token`): asks `resolveUser` who is logged
 *   in, calls Heidi's `GET /jwt` with the server-held API key, caches the token
 *   per user until shortly before it expires (one upstream call per user at a
 *   time), and answers `{ token, expiration_time }` with `Cache-Control: no-store`.
 * - optionally, `{forwardPrefix}/sessions/...`: forwards the widget's session
 *   calls to Heidi with the user's bearer token added server-side, so the token
 *   need not reach the browser at all.
 *
 * Every failure is a JSON response in Heidi's error shape
 * `{"detail": {"msg", "type"}}`. The API key is never logged and never appears
 * in any response.
 *
 * This file deliberately imports nothing outside `src/proxy` (no zod): it is
 * shipped to servers on its own.
 *
 * @example Node's `http` module
 * ```js
 * import http from 'node:http';
 * import { createHeidiProxy, toNodeMiddleware } from 'heidi-clinical-codes/proxy';
 *
 * const heidi = createHeidiProxy({
 *   apiKey: process.env.HEIDI_API_KEY,
 *   // Identity comes from YOUR session, never from anything the browser sends.
 *   resolveUser: async (request) => {
 *     const user = await mySessions.userFromCookie(request.headers.get('cookie'));
 *     return user ? { email: user.email, third_party_internal_id: String(user.id) } : null;
 *   },
 *   forwardPrefix: '/heidi-api', // optional
 * });
 * http.createServer(toNodeMiddleware(heidi)).listen(3000);
 * ```
 *
 * @example Express (the second argument of the handler reaches `resolveUser`)
 * ```js
 * import { createHeidiProxy, toFetchRequest, sendFetchResponse } from 'heidi-clinical-codes/proxy';
 *
 * const heidi = createHeidiProxy({
 *   apiKey: process.env.HEIDI_API_KEY,
 *   resolveUser: (_request, req) =>
 *     req?.user ? { email: req.user.email, third_party_internal_id: String(req.user.id) } : null,
 * });
 * const mount = async (req, res, next) => {
 *   try {
 *     const response = await heidi(await toFetchRequest(req), req);
 *     if (response) await sendFetchResponse(res, response);
 *     else next();
 *   } catch (error) {
 *     next(error);
 *   }
 * };
 * // Register routes (not `app.use('/prefix', ...)`, which strips the prefix from req.url).
 * app.get('/heidi-token', mount);
 * ```
 * When identity can be read from the request's cookies alone,
 * `app.use(toNodeMiddleware(heidi))` is enough.
 *
 * @example Next.js route handler (`app/heidi-token/route.ts`)
 * ```ts
 * import { createHeidiProxy } from 'heidi-clinical-codes/proxy';
 * import { auth } from '@/auth';
 *
 * const heidi = createHeidiProxy({
 *   apiKey: process.env.HEIDI_API_KEY!,
 *   resolveUser: async () => {
 *     const session = await auth();
 *     return session?.user ? { email: session.user.email!, third_party_internal_id: session.user.id! } : null;
 *   },
 * });
 * export async function GET(request: Request) {
 *   return (await heidi(request)) ?? new Response(null, { status: 404 });
 * }
 * // With forwardPrefix '/heidi-api', also add app/heidi-api/[...path]/route.ts exporting GET, POST and PATCH the same way.
 * ```
 *
 * @module
 */

export { toNodeMiddleware, toFetchRequest, sendFetchResponse } from './node.ts';
export type { FetchHandler } from './node.ts';

/** The logged-in EHR user, as the EHR's server knows them. Heidi keys its integration account on both. */
export interface HeidiUser {
  email: string;
  third_party_internal_id: string;
}

/** What `onError` receives: the failure's Heidi-shaped type, the status answered, and the underlying error if any. */
export interface HeidiProxyErrorEvent {
  type: string;
  status: number;
  /** Server-side detail (a thrown error, or the upstream HTTP status). Never contains the API key. */
  error?: unknown;
}

export interface HeidiProxyOptions<Context = unknown> {
  /** Heidi API key, from server config. Never sent to the browser, never logged. */
  apiKey: string;
  /** Default `https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api`. */
  apiBase?: string;
  /**
   * The server-side identity of the logged-in EHR user (from your session
   * cookie, auth middleware, ...). `null`/`undefined` answers 401. Nothing the
   * browser sends in the query or headers is ever used as identity.
   * `context` is the handler's optional second argument (e.g. Express's `req`).
   */
  resolveUser(
    request: Request,
    context: Context | undefined,
  ): HeidiUser | null | undefined | Promise<HeidiUser | null | undefined>;
  /** The route this handler answers with the token (exact pathname match). Default `/heidi-token`. */
  tokenPath?: string;
  /**
   * Optional, e.g. `/heidi-api`: forward `${forwardPrefix}/sessions...` to
   * `${apiBase}/sessions...` with the user's bearer token added server-side.
   * Only `/sessions` paths, only GET/POST/PATCH, only a few safe request headers.
   */
  forwardPrefix?: string;
  /** A cached token is reused until this many seconds before its `expiration_time`. Default 60. */
  refreshMarginSeconds?: number;
  /** Default `globalThis.fetch`. Lets a dev server call an in-process mock. */
  fetch?: (input: Request) => Promise<Response>;
  /** Millisecond clock for the token cache (tests). Default `Date.now`. */
  now?: () => number;
  /** At most this many users' tokens are cached (least recently used dropped first). Default 1000. */
  maxCachedUsers?: number;
  /** Upstream call timeout in ms; the upstream request's signal aborts with a `TimeoutError`. Default 10 000. */
  timeoutMs?: number;
  /** Largest forwarded request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Called on every error response, for server logs. Never receives the API key. Exceptions it throws are ignored. */
  onError?(event: HeidiProxyErrorEvent): void;
}

export const DEFAULT_API_BASE = 'https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api';

const DEFAULT_TOKEN_PATH = '/heidi-token';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BODY = 1024 * 1024;
const FORWARD_METHODS = ['GET', 'POST', 'PATCH'];
/** Request headers the forwarder passes on; everything else (cookies, auth, hop-by-hop, proxy, encoding) is dropped. */
const FORWARD_REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'if-none-match', 'if-modified-since'];
/** Response headers passed back from Heidi (no set-cookie, no hop-by-hop, no encoding/length: the body is re-sent whole). */
const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-language', 'etag', 'last-modified', 'retry-after'];

/** Sent by the widget with a token request after Heidi answered 401 for the token it names. */
export const REJECTED_TOKEN_HEADER = 'Heidi-Rejected-Token';

/** Headers on every answer: personal, short-lived data, never cached by browsers or shared caches. */
function privateHeaders(extra?: Record<string, string>): Headers {
  const headers = new Headers({
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    Vary: 'Cookie, Authorization',
    'X-Content-Type-Options': 'nosniff',
  });
  if (extra) for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

/** A failure, described once and turned into a fresh `Response` per waiter (a body can be read only once). */
interface Failure {
  status: number;
  type: string;
  msg: string;
  headers?: Record<string, string>;
  error?: unknown;
}

interface IssuedToken {
  token: string;
  expiration_time: string;
  /** ms epoch after which the cached token is no longer handed out. */
  refreshAt: number;
}

type TokenOutcome = { ok: true; value: IssuedToken } | { ok: false; failure: Failure };

type UpstreamOutcome =
  | { ok: true; response: Response; body: ArrayBuffer }
  | { ok: false; failure: Failure };

/**
 * The Heidi JWT body `{ token: non-empty string, expiration_time: date string }`, checked by hand.
 * An ISO date-time without an offset is read as UTC (Heidi's servers write UTC).
 */
function parseJwtBody(body: unknown): { token: string; expiration_time: string; expiresAt: number } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { token, expiration_time } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token.trim() === '') return undefined;
  if (typeof expiration_time !== 'string' || expiration_time.trim() === '') return undefined;
  const expiresAt = parseExpiration(expiration_time);
  if (!Number.isFinite(expiresAt)) return undefined;
  return { token, expiration_time, expiresAt };
}

function parseExpiration(value: string): number {
  const trimmed = value.trim();
  const isoWithoutOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed);
  return Date.parse(isoWithoutOffset ? `${trimmed}Z` : trimmed);
}

function isUser(value: unknown): value is HeidiUser {
  if (typeof value !== 'object' || value === null) return false;
  const { email, third_party_internal_id } = value as Record<string, unknown>;
  return (
    typeof email === 'string' &&
    email.trim() !== '' &&
    typeof third_party_internal_id === 'string' &&
    third_party_internal_id.trim() !== ''
  );
}

/** A least-recently-used map of users' tokens. */
class TokenCache {
  readonly #entries = new Map<string, IssuedToken>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = Math.max(0, Math.floor(max));
  }
  get(key: string, now: number): IssuedToken | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (now >= entry.refreshAt) return undefined;
    this.#entries.set(key, entry);
    return entry;
  }
  set(key: string, entry: IssuedToken): void {
    this.#entries.delete(key);
    if (this.#max === 0) return;
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
  delete(key: string, token?: string): void {
    if (token === undefined || this.#entries.get(key)?.token === token) this.#entries.delete(key);
  }
}

function trimTrailingSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}

/**
 * Create the proxy: a Fetch handler answering the token route (and the
 * forwarder when `forwardPrefix` is set) and `undefined` for every other path,
 * so the caller's own routing goes on.
 *
 * Throws at creation (a server configuration error) when `apiKey` is empty or
 * `apiBase` is not an absolute http(s) URL.
 */
export function createHeidiProxy<Context = unknown>(
  options: HeidiProxyOptions<Context>,
): (request: Request, context?: Context) => Promise<Response | undefined> {
  const apiKey = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError('createHeidiProxy: apiKey is required (set it from server configuration).');
  }
  if (typeof options.resolveUser !== 'function') {
    throw new TypeError('createHeidiProxy: resolveUser(request) is required.');
  }
  const apiBase = trimTrailingSlashes(options.apiBase ?? DEFAULT_API_BASE);
  let apiBaseUrl: URL;
  try {
    apiBaseUrl = new URL(apiBase);
  } catch {
    throw new TypeError('createHeidiProxy: apiBase must be an absolute URL.');
  }
  if (apiBaseUrl.protocol !== 'https:' && apiBaseUrl.protocol !== 'http:') {
    throw new TypeError('createHeidiProxy: apiBase must be an http(s) URL.');
  }
  const apiBasePath = trimTrailingSlashes(apiBaseUrl.pathname);
  const tokenPath = options.tokenPath ?? DEFAULT_TOKEN_PATH;
  const forwardPrefix =
    options.forwardPrefix === undefined || options.forwardPrefix === ''
      ? undefined
      : `/${trimTrailingSlashes(options.forwardPrefix).replace(/^\/+/, '')}`;
  if (forwardPrefix === '/') throw new TypeError('createHeidiProxy: forwardPrefix must not be "/".');
  const marginMs = (options.refreshMarginSeconds ?? 60) * 1000;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const now = options.now ?? (() => Date.now());
  const doFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const cache = new TokenCache(options.maxCachedUsers ?? 1000);
  const inflight = new Map<string, Promise<TokenOutcome>>();

  /** Remove any trace of the key from text that reaches a response (belt and braces: we never put it there). */
  const redact = (text: string): string => text.split(apiKey).join('[redacted]');

  function failureResponse(failure: Failure): Response {
    if (options.onError) {
      try {
        options.onError({ type: failure.type, status: failure.status, error: failure.error });
      } catch {
        // a logging hook must not break the route
      }
    }
    const body = JSON.stringify({ detail: { msg: redact(failure.msg), type: failure.type } });
    return new Response(body, {
      status: failure.status,
      headers: privateHeaders({ 'Content-Type': 'application/json', ...failure.headers }),
    });
  }

  /** One upstream call with a timeout; the body is read whole inside the timeout. Never throws. */
  async function callUpstream(url: URL, init: RequestInit): Promise<UpstreamOutcome> {
    // Like `AbortSignal.timeout(timeoutMs)`, but with a timer that keeps the event loop alive while a
    // request waits on it (Node unrefs AbortSignal.timeout's timer) and is cleared as soon as Heidi answers.
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(
      () => controller.abort(new DOMException(`Heidi did not answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const exchange = (async () => {
        const response = await doFetch(new Request(url, { ...init, signal, redirect: 'manual' }));
        if (response.type === 'error' || response.status === 0) throw new TypeError('network error');
        const body = await response.arrayBuffer();
        return { response, body };
      })();
      exchange.catch(() => {}); // a late rejection after a timeout must not go unhandled
      const { response, body } = await Promise.race([exchange, aborted]);
      return { ok: true, response, body };
    } catch (error) {
      if (signal.aborted && (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError') {
        return {
          ok: false,
          failure: { status: 504, type: 'UpstreamTimeout', msg: `Heidi did not answer within ${timeoutMs} ms.`, error },
        };
      }
      return {
        ok: false,
        failure: { status: 502, type: 'UpstreamUnavailable', msg: 'Heidi could not be reached.', error },
      };
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  function upstreamMessage(body: ArrayBuffer): string | undefined {
    try {
      const parsed = JSON.parse(new TextDecoder().decode(body)) as { detail?: unknown };
      const detail = parsed?.detail;
      if (typeof detail === 'string') return detail.slice(0, 200);
      if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
        const msg = (detail as { msg?: unknown }).msg;
        if (typeof msg === 'string') return msg.slice(0, 200);
      }
      if (Array.isArray(detail)) {
        const msgs = detail.map((d) => (d && typeof d === 'object' ? (d as { msg?: unknown }).msg : undefined));
        const text = msgs.filter((m): m is string => typeof m === 'string').join('; ');
        if (text) return text.slice(0, 200);
      }
    } catch {
      // not JSON
    }
    return undefined;
  }

  async function fetchToken(user: HeidiUser): Promise<TokenOutcome> {
    const url = new URL(`${apiBase}/jwt`);
    url.searchParams.set('email', user.email);
    url.searchParams.set('third_party_internal_id', user.third_party_internal_id);
    const outcome = await callUpstream(url, {
      method: 'GET',
      headers: { 'Heidi-Api-Key': apiKey, Accept: 'application/json' },
    });
    if (!outcome.ok) return outcome;
    const { response, body } = outcome;
    const status = response.status;
    if (status === 401 || status === 403) {
      return {
        ok: false,
        failure: {
          status: 502,
          type: 'UpstreamAuthFailed',
          msg: `Heidi rejected this server's Heidi API key (HTTP ${status}); check the server's HEIDI_API_KEY configuration and region.`,
          error: `upstream HTTP ${status}`,
        },
      };
    }
    if (status === 429) {
      const retryAfter = response.headers.get('Retry-After');
      return {
        ok: false,
        failure: {
          status: 429,
          type: 'RateLimited',
          msg: 'Heidi is rate limiting token requests; retry later.',
          ...(retryAfter ? { headers: { 'Retry-After': retryAfter } } : {}),
          error: 'upstream HTTP 429',
        },
      };
    }
    if (status >= 500) {
      return {
        ok: false,
        failure: {
          status: 502,
          type: 'UpstreamUnavailable',
          msg: `Heidi's token service failed (HTTP ${status}).`,
          error: `upstream HTTP ${status}`,
        },
      };
    }
    if (status < 200 || status > 299) {
      const detail = upstreamMessage(body);
      return {
        ok: false,
        failure: {
          status: 502,
          type: 'UpstreamRejected',
          msg: `Heidi refused the token request (HTTP ${status})${detail ? `: ${detail}` : '.'}`,
          error: `upstream HTTP ${status}`,
        },
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      json = undefined;
    }
    const jwt = parseJwtBody(json);
    if (!jwt) {
      return {
        ok: false,
        failure: {
          status: 502,
          type: 'UpstreamInvalidResponse',
          msg: 'Heidi answered the token request without a token and a valid expiration_time.',
        },
      };
    }
    return {
      ok: true,
      value: { token: jwt.token, expiration_time: jwt.expiration_time, refreshAt: jwt.expiresAt - marginMs },
    };
  }

  /** A valid token for this user: from the cache, from the call already under way, or from a new call. */
  function tokenFor(user: HeidiUser): Promise<TokenOutcome> {
    const key = JSON.stringify([user.third_party_internal_id, user.email]);
    const cached = cache.get(key, now());
    if (cached) return Promise.resolve({ ok: true, value: cached });
    const pending = inflight.get(key);
    if (pending) return pending;
    const call = fetchToken(user).then((outcome) => {
      if (outcome.ok && now() < outcome.value.refreshAt) cache.set(key, outcome.value);
      return outcome;
    });
    const tracked = call.finally(() => {
      if (inflight.get(key) === tracked) inflight.delete(key);
    });
    inflight.set(key, tracked);
    return tracked;
  }

  function forgetToken(user: HeidiUser, token: string): void {
    cache.delete(JSON.stringify([user.third_party_internal_id, user.email]), token);
  }

  /** The logged-in user, or the failure to answer. */
  async function userOf(request: Request, context: Context | undefined): Promise<HeidiUser | Failure> {
    let user: unknown;
    try {
      user = await options.resolveUser(request, context);
    } catch (error) {
      return {
        status: 500,
        type: 'UserResolutionFailed',
        msg: 'The server could not determine the signed-in user.',
        error,
      };
    }
    if (user === null || user === undefined) {
      return { status: 401, type: 'NotAuthenticated', msg: 'Sign in to the EHR to use Heidi.' };
    }
    if (!isUser(user)) {
      return {
        status: 500,
        type: 'UserResolutionFailed',
        msg: 'The server could not determine the signed-in user.',
        error: new TypeError('resolveUser must return { email, third_party_internal_id } as non-empty strings'),
      };
    }
    // Copy only the two fields: nothing else from the resolver travels upstream.
    return { email: user.email, third_party_internal_id: user.third_party_internal_id };
  }

  function isFailure(value: HeidiUser | Failure): value is Failure {
    return 'status' in value && 'type' in value;
  }

  function methodNotAllowed(allowed: string[]): Response {
    return failureResponse({
      status: 405,
      type: 'MethodNotAllowed',
      msg: `Only ${allowed.join(', ')} ${allowed.length > 1 ? 'are' : 'is'} allowed here.`,
      headers: { Allow: allowed.join(', ') },
    });
  }

  async function handleToken(request: Request, context: Context | undefined): Promise<Response> {
    if (request.method !== 'GET') return methodNotAllowed(['GET']);
    const user = await userOf(request, context);
    if (isFailure(user)) return failureResponse(user);
    // The widget says Heidi rejected this token (revoked before its expiry): drop it if it is the cached one.
    // Only the holder of the current token can do that, so it cannot be used to force upstream calls.
    const rejected = request.headers.get(REJECTED_TOKEN_HEADER);
    if (rejected) forgetToken(user, rejected);
    const outcome = await tokenFor(user);
    if (!outcome.ok) return failureResponse(outcome.failure);
    const { token, expiration_time } = outcome.value;
    return new Response(JSON.stringify({ token, expiration_time }), {
      status: 200,
      headers: privateHeaders({ 'Content-Type': 'application/json' }),
    });
  }

  /**
   * The `/sessions...` path to forward, or a failure. The request URL is already
   * normalized (`..` and `%2e%2e` resolved); on top of that every segment must
   * be plain unreserved characters (letters, digits, `-._~`), so no encoded
   * separator, dot segment or double encoding reaches a server that might
   * decode it into a traversal. Heidi's ids and path words all fit.
   */
  function forwardPath(rest: string): string | Failure {
    if (rest !== '/sessions' && !rest.startsWith('/sessions/')) {
      return { status: 404, type: 'NotFound', msg: 'Only Heidi /sessions paths are forwarded.' };
    }
    const segments = rest.split('/').slice(1);
    for (const [index, segment] of segments.entries()) {
      const trailingSlash = segment === '' && index === segments.length - 1;
      if (trailingSlash) continue;
      if (!/^[A-Za-z0-9._~-]+$/.test(segment) || segment === '.' || segment === '..') {
        return { status: 400, type: 'InvalidPath', msg: 'The forwarded path is not valid.' };
      }
    }
    return rest;
  }

  async function handleForward(
    request: Request,
    url: URL,
    rest: string,
    context: Context | undefined,
  ): Promise<Response> {
    const path = forwardPath(rest);
    if (typeof path !== 'string') return failureResponse(path);
    if (!FORWARD_METHODS.includes(request.method)) return methodNotAllowed(FORWARD_METHODS);

    const target = new URL(`${apiBase}${path}${url.search}`);
    if (target.origin !== apiBaseUrl.origin || !target.pathname.startsWith(`${apiBasePath}/sessions`)) {
      return failureResponse({ status: 400, type: 'InvalidPath', msg: 'The forwarded path is not valid.' });
    }

    let body: ArrayBuffer | undefined;
    if (request.method !== 'GET') {
      const declared = Number(request.headers.get('content-length') ?? '0');
      const tooLarge: Failure = {
        status: 413,
        type: 'PayloadTooLarge',
        msg: `Request bodies over ${maxBodyBytes} bytes are not forwarded.`,
      };
      if (declared > maxBodyBytes) return failureResponse(tooLarge);
      body = await request.arrayBuffer();
      if (body.byteLength > maxBodyBytes) return failureResponse(tooLarge);
    }

    const user = await userOf(request, context);
    if (isFailure(user)) return failureResponse(user);

    const headers = new Headers();
    for (const name of FORWARD_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }

    let outcome: UpstreamOutcome | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await tokenFor(user);
      if (!token.ok) return failureResponse(token.failure);
      headers.set('Authorization', `Bearer ${token.value.token}`);
      outcome = await callUpstream(target, {
        method: request.method,
        headers,
        ...(body ? { body } : {}),
      });
      // A token Heidi no longer accepts (revoked, clock skew): drop it and try once with a fresh one.
      if (outcome.ok && outcome.response.status === 401 && attempt === 0) {
        forgetToken(user, token.value.token);
        continue;
      }
      break;
    }
    if (!outcome) throw new Error('unreachable');
    if (!outcome.ok) return failureResponse(outcome.failure);

    const { response, body: upstreamBody } = outcome;
    if (response.status < 200 || response.status > 599 || (response.status >= 300 && response.status < 400 && response.status !== 304)) {
      return failureResponse({
        status: 502,
        type: 'UpstreamInvalidResponse',
        msg: `Heidi answered with an unexpected HTTP ${response.status}.`,
      });
    }
    const out = privateHeaders();
    for (const name of FORWARD_RESPONSE_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(nullBody ? null : upstreamBody, { status: response.status, headers: out });
  }

  return async function heidiProxy(request: Request, context?: Context): Promise<Response | undefined> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return undefined;
    }
    const pathname = url.pathname;
    if (pathname === tokenPath) return handleToken(request, context);
    if (forwardPrefix !== undefined && (pathname === forwardPrefix || pathname.startsWith(`${forwardPrefix}/`))) {
      return handleForward(request, url, pathname.slice(forwardPrefix.length), context);
    }
    return undefined;
  };
}
