/**
 * A framework-free mock of the Heidi API as a Fetch handler
 * (`(Request) => Promise<Response | undefined>`), so one implementation serves
 * the Vite dev server, @web/test-runner middleware and plain Node scripts
 * (through `toNodeMiddleware` in src/proxy/node.ts). Only Web APIs are used.
 *
 * Heidi routes under `basePath` (default `/mock-heidi`):
 *   GET   /jwt?email=&third_party_internal_id=   (header `Heidi-Api-Key`)
 *   POST  /sessions                               { patient_profile_id?, ehr_appointment_id? }
 *   GET   /sessions/linked-user?page_size=&page=  (users whose id starts with `unlinked` have no linked account)
 *   GET   /sessions/{id}
 *   PATCH /sessions/{id}
 *   GET   /sessions/{id}/transcript
 *   GET   /sessions/{id}/clinical-codes
 * Control routes (not Heidi's): POST|GET /__scenario, POST /__reset, GET|DELETE /__log.
 *
 * All state is per user (the token's subject / `third_party_internal_id`).
 * Each user starts with copies of the demo fixtures plus the virtual sessions
 * `generated-0` … `generated-10000` (n clinical entities each; `-t1m`, `-missing` variants: see generated.ts).
 *
 * Choices the seeds leave open:
 * - `POST /sessions` creates an empty consultation: seed session shape, a
 *   39-digit decimal id, `ehr_appt_id` from `ehr_appointment_id`, an empty
 *   transcript, a one-line consult note and no codes (`clinical_entities: []`).
 * - `linked-user` lists the user's created sessions (newest first), then the
 *   fixtures; `page` is 1-based (default 1), `page_size` 1..100 (default 10);
 *   `next_page` is the next page number or null. Users whose id starts with
 *   `unlinked` get 400 NoLinkedUserException there.
 * - Errors: `/jwt` without a key 401 `{"detail": "..."}`, wrong key 403
 *   `{"detail": {msg, type: "InvalidApiKeyError"}}`, missing or empty query
 *   parameters 422 (FastAPI list form).
 * - A request is attributed to a user (latency, log) when its token is genuine,
 *   even if expired, or for `/jwt` by `third_party_internal_id`. Injected
 *   failures are consumed only by calls that pass authentication.
 */
import { authenticate } from './auth.ts';
import { handleControl } from './controls.ts';
import { ROUTES, matchRoute, type RouteContext } from './routes.ts';
import { failureResponse, takeFailure } from './scenario.ts';
import { MockStore } from './store.ts';
import { TokenIssuer } from './tokens.ts';

export type { FailureKind, FailureSpec, LogEntry, RouteName, Scenario } from './types.ts';
export { ROUTE_NAMES, FAILURE_KINDS } from './types.ts';
export { UNLINKED_USER_PREFIX } from './routes.ts';
export { DEFAULT_HANG_MS } from './scenario.ts';
export { MAX_USERS, MAX_GENERATED } from './store.ts';

export const MOCK_HEIDI_API_KEY = 'mock-heidi-api-key';
export const MOCK_HEIDI_BASE_PATH = '/mock-heidi';

export interface MockHeidiOptions {
  /** The only `Heidi-Api-Key` `/jwt` accepts. Default `MOCK_HEIDI_API_KEY`. */
  apiKey?: string;
  /** Where the mock is mounted. Default `/mock-heidi`. */
  basePath?: string;
  /** Lifetime of issued tokens unless a user's scenario says otherwise. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Clock in ms. Default `Date.now`; tests inject a fake clock to expire tokens. */
  now?: () => number;
  /** How the mock waits (latency, generation, hang). Default `setTimeout`; tests inject instant or clock-advancing sleeps. */
  sleep?: (ms: number) => Promise<void>;
}

export interface MockHeidi {
  /** Answer a request, or `undefined` when its path is not under `basePath` (let the host handle it). */
  handle(request: Request): Promise<Response | undefined>;
  /** Forget every user's sessions, scenario and log (issued tokens stay valid). */
  reset(): void;
}

export function createMockHeidi(options: MockHeidiOptions = {}): MockHeidi {
  const apiKey = options.apiKey ?? MOCK_HEIDI_API_KEY;
  const basePath = (options.basePath ?? MOCK_HEIDI_BASE_PATH).replace(/\/+$/, '');
  const defaultLifetime = options.tokenLifetimeSeconds ?? 3600;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tokens = new TokenIssuer();
  const store = new MockStore();

  async function handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const path = pathBelow(url.pathname, basePath);
    if (path === undefined) return undefined;
    if (path.startsWith('/__')) return handleControl(request, url, path, store);

    // Route first, then auth: like FastAPI, an unknown path is 404 whoever asks.
    const match = matchRoute(request.method, path);
    if ('response' in match) return match.response;
    const { route, sessionId } = match;

    const startedAt = now();
    const auth = await authenticate(route, request, url, { apiKey, tokens, now });
    // Nobody to attribute the call to (no or forged token): no scenario, no log.
    if (auth.user === undefined) return auth.rejection;

    const state = store.user(auth.user);
    const { scenario } = state;
    if (scenario.latencyMs) await sleep(scenario.latencyMs);

    let response: Response;
    if (auth.rejection) {
      response = auth.rejection;
    } else {
      if (route === 'clinical-codes' && scenario.generationMs) await sleep(scenario.generationMs);
      const context: RouteContext = {
        request,
        url,
        state,
        store,
        sessionId,
        now,
        tokens,
        tokenLifetimeSeconds: scenario.tokenLifetimeSeconds ?? defaultLifetime,
      };
      const real = () => ROUTES[route](context);
      // Failures are consumed only by calls that would otherwise be served, so a client's
      // unauthenticated retries can't silently use them up.
      const failure = takeFailure(state, route);
      response = failure ? await failureResponse(failure, { route, request, sleep, real }) : await real();
    }

    store.log(state, {
      route,
      method: request.method,
      path: loggedPath(url),
      status: response.type === 'error' ? 0 : response.status,
      startedAt,
      endedAt: now(),
    });
    return response;
  }

  return {
    handle,
    reset: () => store.clear(),
  };
}

/** `'/mock-heidi/jwt'` below `'/mock-heidi'` → `'/jwt'`; undefined when the path is elsewhere. */
function pathBelow(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}

/** The request path for the log, with credential-like query parameters removed (Heidi sends none, a buggy client might). */
function loggedPath(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const name of [...params.keys()]) {
    if (/token|key|secret|password|authorization/i.test(name)) params.delete(name);
  }
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
