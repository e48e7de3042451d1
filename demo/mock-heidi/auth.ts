/**
 * Who is calling. `/jwt` is authenticated by the `Heidi-Api-Key` header and
 * names its user in `third_party_internal_id`; every other route needs a
 * bearer token this mock issued and that has not expired.
 *
 * A rejected request can still be attributed to a user (a wrong API key with
 * a user id, an expired but genuine token): it then gets that user's latency
 * and shows in their log, as the same call would against a slow real API.
 */
import { detailError, heidiError, invalidCredentials, tokenExpired, validationError, type ValidationIssue } from './responses.ts';
import { bearerToken, type TokenIssuer } from './tokens.ts';
import type { RouteName } from './types.ts';

/** `rejection` is what to answer instead of serving the route; `user` is whom the call is attributed to. */
export type Auth = { user: string; rejection?: Response } | { user: undefined; rejection: Response };

export interface AuthContext {
  apiKey: string;
  tokens: TokenIssuer;
  now: () => number;
}

export async function authenticate(route: RouteName, request: Request, url: URL, ctx: AuthContext): Promise<Auth> {
  return route === 'jwt' ? authenticateJwt(request, url, ctx) : authenticateBearer(request, ctx);
}

function authenticateJwt(request: Request, url: URL, ctx: AuthContext): Auth {
  const user = url.searchParams.get('third_party_internal_id') || undefined;
  const key = request.headers.get('heidi-api-key');
  if (!key) return { user, rejection: detailError(401, 'Not authenticated: Heidi-Api-Key header missing') };
  if (key !== ctx.apiKey) return { user, rejection: heidiError(403, 'Invalid API key', 'InvalidApiKeyError') };
  // An empty value is treated as missing: the id keys all of the user's state.
  const missing: ValidationIssue[] = ['email', 'third_party_internal_id']
    .filter((name) => !url.searchParams.get(name))
    .map((name) => ({ loc: ['query', name], msg: 'Field required', type: 'missing', input: null }));
  if (missing.length || !user) return { user, rejection: validationError(missing) };
  return { user };
}

async function authenticateBearer(request: Request, ctx: AuthContext): Promise<Auth> {
  const token = bearerToken(request);
  if (!token) return { user: undefined, rejection: invalidCredentials() };
  const verified = await ctx.tokens.verify(token, ctx.now());
  if (verified.ok) return { user: verified.claims.sub };
  if (verified.reason === 'expired') return { user: verified.claims.sub, rejection: tokenExpired() };
  return { user: undefined, rejection: invalidCredentials() };
}
