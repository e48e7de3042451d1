/**
 * The Heidi routes: which path and method is which route, and what each
 * answers once the caller is authenticated. Shapes follow the seeds in
 * /work/shared/seeds/heidi-*.txt.
 */
import { json, methodNotAllowed, notFound, sessionNotFound, heidiError, validationError } from './responses.ts';
import { heidiTimestamp, type MockStore, type UserState } from './store.ts';
import type { TokenIssuer } from './tokens.ts';
import type { JsonObject, RouteName } from './types.ts';
import { isObject, positiveIntQuery, readJsonObject, validateCreateSession, validateSessionPatch } from './validation.ts';

export type RouteMatch = { route: RouteName; sessionId: string } | { response: Response };

/**
 * Map a path below the base path to a route. `linked-user` is matched before
 * `{id}` so it is never read as a session id. Unknown paths answer 404 and
 * known paths with another method 405, as FastAPI does.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split('/').slice(1);
  const byMethod = (routes: Partial<Record<string, RouteName>>, sessionId = ''): RouteMatch => {
    const route = routes[method];
    return route ? { route, sessionId } : { response: methodNotAllowed(Object.keys(routes)) };
  };
  if (path === '/jwt') return byMethod({ GET: 'jwt' });
  if (path === '/sessions') return byMethod({ POST: 'create-session' });
  if (path === '/sessions/linked-user') return byMethod({ GET: 'linked-user' });
  if (segments[0] === 'sessions' && segments[1]) {
    let id: string;
    try {
      id = decodeURIComponent(segments[1]);
    } catch {
      return { response: notFound() };
    }
    if (segments.length === 2) return byMethod({ GET: 'get-session', PATCH: 'patch-session' }, id);
    if (segments.length === 3 && segments[2] === 'transcript') return byMethod({ GET: 'transcript' }, id);
    if (segments.length === 3 && segments[2] === 'clinical-codes') return byMethod({ GET: 'clinical-codes' }, id);
  }
  return { response: notFound() };
}

export interface RouteContext {
  request: Request;
  url: URL;
  state: UserState;
  store: MockStore;
  sessionId: string;
  now: () => number;
  tokens: TokenIssuer;
  tokenLifetimeSeconds: number;
}

/** Users whose id starts with this have no linked Heidi account (`linked-user` answers NoLinkedUserException). */
export const UNLINKED_USER_PREFIX = 'unlinked';
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export const ROUTES: Record<RouteName, (ctx: RouteContext) => Promise<Response>> = {
  /** Called only once the API key and query were checked (see `authenticateJwt`). */
  async jwt({ url, now, tokens, tokenLifetimeSeconds }) {
    const sub = url.searchParams.get('third_party_internal_id') ?? '';
    const email = url.searchParams.get('email') ?? '';
    const { token, expiresAtMs } = await tokens.issue(sub, email, now(), tokenLifetimeSeconds);
    return json(200, { token, expiration_time: new Date(expiresAtMs).toISOString() });
  },

  async 'create-session'({ request, state, store, now }) {
    const body = await readJsonObject(request);
    if (!body.ok) return validationError(body.issues);
    const input = validateCreateSession(body.value);
    if (!input.ok) return validationError(input.issues);
    const created = store.create(state, input.value, now());
    return json(200, { session_id: created.session.session_id });
  },

  async 'get-session'({ state, store, sessionId }) {
    const stored = store.find(state, sessionId);
    return stored ? json(200, { session: stored.session }) : sessionNotFound();
  },

  async 'patch-session'({ request, state, store, sessionId, now }) {
    // Like FastAPI, the body is validated before the handler looks the session up.
    const body = await readJsonObject(request);
    if (!body.ok) return validationError(body.issues);
    const patch = validateSessionPatch(body.value);
    if (!patch.ok) return validationError(patch.issues);
    const stored = store.findForUpdate(state, sessionId);
    if (!stored) return sessionNotFound();
    const { fields, patient } = patch.value;
    Object.assign(stored.session, fields);
    if (patient === null) stored.session.patient = null;
    else if (patient) stored.session.patient = { ...(isObject(stored.session.patient) ? stored.session.patient : {}), ...patient };
    stored.session.updated_at = heidiTimestamp(now());
    return json(200, { session: stored.session });
  },

  async 'linked-user'({ url, state, store }) {
    if (state.user.startsWith(UNLINKED_USER_PREFIX)) {
      return heidiError(400, 'error: no linked user', 'NoLinkedUserException');
    }
    const pageSize = positiveIntQuery(url, 'page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = positiveIntQuery(url, 'page', 1, Number.MAX_SAFE_INTEGER);
    const issues = [...(pageSize.ok ? [] : pageSize.issues), ...(page.ok ? [] : page.issues)];
    if (!pageSize.ok || !page.ok) return validationError(issues);
    const all = store.listed(state);
    const start = (page.value - 1) * pageSize.value;
    const sessions: JsonObject[] = all.slice(start, start + pageSize.value).map((s) => s.session);
    const hasNext = start + pageSize.value < all.length;
    return json(200, {
      sessions,
      count: sessions.length,
      total_count: all.length,
      next_page: hasNext ? page.value + 1 : null,
      has_next_page: hasNext,
    });
  },

  async transcript({ state, store, sessionId }) {
    const stored = store.find(state, sessionId);
    return stored ? json(200, { transcript: stored.transcript }) : sessionNotFound();
  },

  async 'clinical-codes'({ state, store, sessionId }) {
    const stored = store.find(state, sessionId);
    return stored ? json(200, stored.clinicalCodes) : sessionNotFound();
  },
};
