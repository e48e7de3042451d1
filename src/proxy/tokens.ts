/**
 * Heidi JWTs per user: one upstream `GET /jwt` per user at a time, cached until
 * shortly before expiry, and forced refreshes (a token the browser or Heidi
 * says was rejected) limited to one per user per minute, so nothing a browser
 * sends can make the proxy call Heidi with the API key at will.
 */
import type { HeidiUser, ProxyConfig } from './options.ts';
import { LruMap } from './bounded.ts';
import { userKey } from './relay.ts';
import type { Failure } from './responses.ts';
import { upstreamMessage, type UpstreamCaller } from './upstream.ts';

export interface IssuedToken {
  token: string;
  expiration_time: string;
  /** ms epoch after which the cached token is no longer handed out. */
  refreshAt: number;
}

export type TokenOutcome = { ok: true; value: IssuedToken } | { ok: false; failure: Failure };

/** At most one forced refresh per user in this window. */
export const FORCED_REFRESH_INTERVAL_MS = 60_000;

/**
 * The Heidi JWT body `{ token: non-empty string, expiration_time: date string }`, checked by hand
 * (the proxy ships without zod). An ISO date-time without an offset is read as UTC.
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

function httpFailure(status: number, retryAfter: string | null, body: Uint8Array<ArrayBuffer>): Failure {
  const error = `upstream HTTP ${status}`;
  if (status === 401 || status === 403) {
    return {
      status: 502,
      type: 'UpstreamAuthFailed',
      msg: `Heidi rejected this server's Heidi API key (HTTP ${status}); check the server's HEIDI_API_KEY configuration and region.`,
      error,
    };
  }
  if (status === 429) {
    return {
      status: 429,
      type: 'RateLimited',
      msg: 'Heidi is rate limiting token requests; retry later.',
      ...(retryAfter ? { headers: { 'Retry-After': retryAfter } } : {}),
      error,
    };
  }
  if (status >= 500) {
    return { status: 502, type: 'UpstreamUnavailable', msg: `Heidi's token service failed (HTTP ${status}).`, error };
  }
  const detail = upstreamMessage(body);
  return {
    status: 502,
    type: 'UpstreamRejected',
    msg: `Heidi refused the token request (HTTP ${status})${detail ? `: ${detail}` : '.'}`,
    error,
  };
}

export interface TokenService {
  /** A valid token for this user: from the cache, from the call already under way, or from a new call. */
  tokenFor(user: HeidiUser): Promise<TokenOutcome>;
  /**
   * `token` was rejected: drop it so the next `tokenFor` fetches a fresh one.
   * Only when it is the cached token and this user had no forced refresh in the
   * last minute; answers whether it was dropped.
   */
  forceRefresh(user: HeidiUser, token: string): boolean;
}

export function createTokenService(
  config: Pick<ProxyConfig<unknown>, 'apiKey' | 'heidi' | 'marginMs' | 'now' | 'maxCachedUsers'>,
  call: UpstreamCaller,
): TokenService {
  const { apiKey, heidi, marginMs, now } = config;
  const cache = new LruMap<IssuedToken>(config.maxCachedUsers);
  // Kept apart from the cache so the limit survives the token's replacement.
  const lastForced = new LruMap<number>(Math.max(config.maxCachedUsers, 1));
  const inflight = new Map<string, Promise<TokenOutcome>>();

  async function fetchToken(user: HeidiUser): Promise<TokenOutcome> {
    const url = new URL(`${heidi.base}/jwt`);
    url.searchParams.set('email', user.email);
    url.searchParams.set('third_party_internal_id', user.third_party_internal_id);
    const outcome = await call(heidi, url, {
      method: 'GET',
      headers: { 'Heidi-Api-Key': apiKey, Accept: 'application/json' },
    });
    if (!outcome.ok) return outcome;
    const { response, body } = outcome;
    if (response.status < 200 || response.status > 299) {
      return { ok: false, failure: httpFailure(response.status, response.headers.get('Retry-After'), body) };
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
    // `expiresAt` is on Heidi's clock. A server clock ahead of it by more than the lifetime would make every
    // token look expired (never cached: one Heidi call per request), so the time left is counted from Heidi's
    // own "now", its response's Date header, when it sent one.
    const heidiNow = Date.parse(response.headers.get('date') ?? '');
    const left = jwt.expiresAt - (Number.isFinite(heidiNow) ? heidiNow : now());
    return {
      ok: true,
      value: { token: jwt.token, expiration_time: jwt.expiration_time, refreshAt: now() + left - marginMs },
    };
  }

  function tokenFor(user: HeidiUser): Promise<TokenOutcome> {
    const key = userKey(user);
    const cached = cache.get(key);
    if (cached && now() < cached.refreshAt) return Promise.resolve({ ok: true, value: cached });
    if (cached) cache.delete(key);
    const pending = inflight.get(key);
    if (pending) return pending;
    const tracked = fetchToken(user)
      .then((outcome) => {
        if (outcome.ok && now() < outcome.value.refreshAt) cache.set(key, outcome.value);
        return outcome;
      })
      .finally(() => {
        if (inflight.get(key) === tracked) inflight.delete(key);
      });
    inflight.set(key, tracked);
    return tracked;
  }

  function forceRefresh(user: HeidiUser, token: string): boolean {
    const key = userKey(user);
    if (cache.get(key)?.token !== token) return false;
    const at = now();
    const last = lastForced.get(key);
    if (last !== undefined && at - last < FORCED_REFRESH_INTERVAL_MS && at >= last) return false;
    lastForced.set(key, at);
    cache.delete(key);
    return true;
  }

  return { tokenFor, forceRefresh };
}
