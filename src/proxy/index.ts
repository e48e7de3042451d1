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
 *   calls to Heidi with the user's bearer token added server-side, so the browser
 *   talks only to the EHR's origin (no CORS or CSP entry for Heidi). The element
 *   still needs its token source and still sends the JWT it got in
 *   `Authorization`; the forwarder drops that header and uses the token it holds
 *   for the user `resolveUser` names. So the JWT does reach the browser's memory.
 * - optionally, the Sully and Omniscribe forwarders (credentials added
 *   server-side); a Sully coding id is readable only by the user who started it.
 *
 * Every route refuses a request another site made the browser send
 * (`Sec-Fetch-Site` cross-site or same-site, a POST/PATCH from a foreign
 * `Origin`) with 403, unless its origin is in `allowedOrigins`, and a body not
 * declared JSON with 415, before the user is resolved or anything is forwarded.
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
import { LruMap } from './bounded.ts';
import { engineMethods, handleOmniscribe, handleSully, type CodingOwners } from './engine-routes.ts';
import { FORWARD_METHODS, handleSessionsForward, handleToken, TOKEN_METHODS } from './heidi-routes.ts';
import { resolveConfig, type HeidiProxyOptions } from './options.ts';
import { createRedactor } from './redact.ts';
import type { Routing } from './relay.ts';
import { crossSiteRefusal } from './request-guards.ts';
import { createFailureResponder, methodNotAllowed } from './responses.ts';
import { createTokenService } from './tokens.ts';
import { createUpstreamCaller } from './upstream.ts';

export { toNodeMiddleware, toFetchRequest, sendFetchResponse } from './node.ts';
export type { FetchHandler } from './node.ts';
export { DEFAULT_API_BASE, DEFAULT_OMNISCRIBE_PREFIX, DEFAULT_SULLY_API_BASE, DEFAULT_SULLY_PREFIX } from './options.ts';
export type { HeidiProxyErrorEvent, HeidiProxyOptions, HeidiUser, OmniscribeProxyOptions, SullyProxyOptions } from './options.ts';
export { REJECTED_TOKEN_HEADER } from './heidi-routes.ts';

/** The handler `createHeidiProxy` returns. */
export interface HeidiProxyHandler<Context = unknown> {
  /** The answer for one of the proxy's paths, or `undefined` for any other path (your routing goes on). */
  (request: Request, context?: Context): Promise<Response | undefined>;
  /** Whether `pathname` is one of the proxy's paths (adapters skip the handler, and the body, for others). */
  owns(pathname: string): boolean;
  /**
   * The 405 for a method the Fetch API cannot carry (`TRACE`, `CONNECT`, `TRACK`) on one of
   * the proxy's paths; `undefined` for other paths.
   */
  unsupportedMethod(pathname: string): Response | undefined;
}

type Route = { kind: 'token' } | { kind: 'forward' | 'sully' | 'omniscribe'; rest: string };

function under(pathname: string, prefix: string | undefined): boolean {
  return prefix !== undefined && (pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * Create the proxy: a Fetch handler answering the token route (and the
 * forwarders that are configured) and `undefined` for every other path, so
 * the caller's own routing goes on. It never throws: an unexpected failure is
 * a 500 in Heidi's error shape, reported to `onError`.
 *
 * Throws at creation (a server configuration error, with a message that never
 * echoes a value) when an option is missing or malformed: for instance an
 * `apiKey` with whitespace or control characters, or an `apiBase` that is not
 * an absolute http(s) URL.
 */
export function createHeidiProxy<Context = unknown>(options: HeidiProxyOptions<Context>): HeidiProxyHandler<Context> {
  const config = resolveConfig(options);
  const redact = createRedactor(config.secrets);
  const fail = createFailureResponder(config.onError, redact);
  const call = createUpstreamCaller(config.fetch, config.maxResponseBytes);
  const routing: Routing<Context> = { config, call, fail, redact };
  const tokens = createTokenService(config, call);
  const sullyOwners: CodingOwners | undefined =
    config.sully && new LruMap<string>(config.sully.maxCodings, { ms: config.sully.codingTtlMs, now: config.now });

  function routeOf(pathname: string): Route | undefined {
    if (pathname === config.tokenPath) return { kind: 'token' };
    for (const [kind, prefix] of [
      ['forward', config.forwardPrefix],
      ['sully', config.sully?.prefix],
      ['omniscribe', config.omniscribe?.prefix],
    ] as const) {
      if (under(pathname, prefix)) return { kind, rest: pathname.slice(prefix!.length) };
    }
    return undefined;
  }

  function methodsOf(route: Route): readonly string[] {
    if (route.kind === 'token') return TOKEN_METHODS;
    if (route.kind === 'forward') return FORWARD_METHODS;
    return engineMethods(route.kind, route.rest);
  }

  async function answer(route: Route, request: Request, url: URL, context: Context | undefined): Promise<Response> {
    switch (route.kind) {
      case 'token':
        return handleToken(routing, tokens, request, context);
      case 'forward':
        return handleSessionsForward(routing, tokens, request, url, route.rest, context);
      case 'sully':
        return handleSully(routing, config.sully!, sullyOwners!, request, route.rest, context);
      case 'omniscribe':
        return handleOmniscribe(routing, config.omniscribe!, request, route.rest, context);
    }
  }

  const handler = async (request: Request, context?: Context): Promise<Response | undefined> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return undefined;
    }
    const route = routeOf(url.pathname);
    if (!route) return undefined;
    // Before anything else (the user, the body): a request another site made the browser send is not forwarded.
    const crossSite = crossSiteRefusal(request, url, config.allowedOrigins);
    if (crossSite) return fail(crossSite);
    try {
      return await answer(route, request, url, context);
    } catch (error) {
      return fail({ status: 500, type: 'InternalError', msg: 'The EHR server could not complete this request.', error });
    }
  };
  return Object.assign(handler, {
    owns: (pathname: string) => routeOf(pathname) !== undefined,
    unsupportedMethod: (pathname: string) => {
      const route = routeOf(pathname);
      return route ? fail(methodNotAllowed(methodsOf(route))) : undefined;
    },
  });
}
