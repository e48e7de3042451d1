/**
 * Where the Heidi JWT comes from and how long it is reused. The token lives
 * only in this object's memory: never in an attribute, storage, URL, log or
 * event.
 */
import ky, { isHTTPError } from 'ky';
import { JwtResponse, explainSchemaError } from './schemas.ts';
import { HeidiError, abortable, isAbort } from './errors.ts';
import { redactSecrets } from './text.ts';
import { describeKyError, retryPolicy } from './http-errors.ts';

export type TokenSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'provider'; readonly provide: () => Promise<JwtResponse> }
  | { readonly kind: 'host' };

export interface TokenManagerOptions {
  /** Read on every fetch, so a changed attribute or property takes effect at the next token. */
  source: () => TokenSource | undefined;
  /** With only a host-set token: called when a new one is needed; `setHostToken` resumes the waiters. */
  onHostTokenNeeded: () => void;
  /** Reuse a token until this long before `expiration_time`. */
  refreshMarginMs?: number;
  /** Per-attempt timeout of the token URL call; read at each call. */
  timeoutMs?: () => number | undefined;
  /** How long the host may take to give a token (`tokenProvider`, or a `token` after `heidi-token-expired`); default 30 s, read at each wait. */
  hostTimeoutMs?: () => number | undefined;
  now?: () => number;
}

/** How many past tokens are still redacted from outside text (an upstream may echo one it saw earlier). */
const REMEMBERED_TOKENS = 8;

interface CachedToken {
  readonly token: string;
  /** ms epoch after which a fresh token is fetched; Infinity when the expiry is unknown. */
  readonly refreshAt: number;
}

export class TokenManager {
  private _current: CachedToken | undefined;
  /** The token Heidi last rejected, told to the token URL so a caching backend drops it too. */
  private _rejected: string | undefined;
  private _inflight: Promise<CachedToken> | undefined;
  private _hostWaiters = new Set<() => void>();
  /** Aborts the token URL request when its element goes away. */
  private _requests = new AbortController();
  private readonly _margin: number;
  private readonly _now: () => number;
  /** The current token and the last few before it, newest last: what `redact` hides. */
  private readonly _seen: string[] = [];
  /** Bumped by `clear`: a token fetched for an earlier source is not cached. */
  private _epoch = 0;
  /** Settles when the token URL request under way has been handed to `fetch()` (or failed before that). */
  private _sent: Promise<void> = Promise.resolve();

  constructor(private readonly _options: TokenManagerOptions) {
    this._margin = _options.refreshMarginMs ?? 30_000;
    this._now = _options.now ?? Date.now;
  }

  /** A token valid for a while yet; concurrent callers share one fetch. */
  async get(signal?: AbortSignal): Promise<string> {
    if ((this._current?.refreshAt ?? 0) > this._now()) return this._current!.token;
    if (!this._inflight) {
      const request: Promise<CachedToken> = this._fetchToken().finally(() => {
        if (this._inflight === request) this._inflight = undefined;
      });
      this._inflight = request;
    }
    const fresh = await abortable(this._inflight, signal);
    return fresh.token;
  }

  /**
   * `text` from outside (an error body, a thrown message) with the current and previous tokens removed, before
   * it is shown or dispatched. Every error built from a response passes through here (see `redactError`).
   */
  redact(text: string): string {
    return redactSecrets(text, this._seen);
  }

  /**
   * A `HeidiError` with `redact` applied to the texts that came from outside (message, Heidi's type); anything
   * else as it is. When that changed anything, the `cause` (which holds the raw response) is left off, so the
   * secret cannot be read there either.
   */
  redactError(error: unknown): unknown {
    if (!(error instanceof HeidiError)) return error;
    const { code, message, status, retryable, type } = error;
    const clean = this.redact(message);
    const cleanType = type && this.redact(type);
    return clean === message && cleanType === type ? error : new HeidiError(code, clean, { status, retryable, type: cleanType });
  }

  private _remember(token: string): void {
    const at = this._seen.indexOf(token);
    if (at >= 0) this._seen.splice(at, 1);
    this._seen.push(token);
    if (this._seen.length > REMEMBERED_TOKENS) this._seen.shift();
  }

  /**
   * Settles once the token URL request under way is on the wire. ky calls `fetch()` a few microtasks
   * after `get()`, so a caller that has heavier synchronous work queued can wait for this first.
   */
  get sent(): Promise<void> {
    return this._sent;
  }

  /** Heidi said 401 for this token: forget it (unless a newer one already replaced it). */
  invalidate(token: string): void {
    if (this._current?.token === token) {
      this._current = undefined;
      this._rejected = token;
    }
  }

  /** The host set the `token` property. Wakes calls that waited for it. */
  setHostToken(token: string | undefined): void {
    this._current = token ? { token, refreshAt: this._refreshTime(jwtExpiry(token) ?? Infinity, token) } : undefined;
    if (token) {
      this._remember(token);
      const waiters = [...this._hostWaiters];
      this._hostWaiters.clear();
      waiters.forEach((wake) => wake());
    }
  }

  /** Drop everything, e.g. when the token source changes: a request under way for the old source is not joined or kept. */
  clear(): void {
    this._current = undefined;
    this._inflight = undefined;
    this._epoch += 1;
  }

  /** The element left the page: abort a token request under way (its callers see an abort). */
  abort(): void {
    this._requests.abort();
    this._requests = new AbortController();
    this._inflight = undefined;
  }

  /**
   * When to fetch the next token, on the local clock. `expiresAt` is on the issuer's (Heidi's) clock, and a
   * workstation's, or the EHR server's that dates the token response (`serverNow`), may be hours off: one ahead by
   * more than the lifetime made every token look expired, so every call fetched one. So the time left is counted
   * from the first clock that agrees with the token's own `iat`..`exp`: the local one, else the response's `Date`,
   * else the token is taken as just issued (`iat`). A token that looks expired by every clock is used until Heidi
   * refuses it (no source hands out expired tokens on purpose).
   * Refresh `margin` before expiry, or halfway through a lifetime shorter than twice the margin.
   */
  private _refreshTime(expiresAt: number, token: string, serverNow?: number): number {
    if (!Number.isFinite(expiresAt)) return Infinity;
    const now = this._now();
    const issuedAt = jwtClaim(token, 'iat') ?? -Infinity;
    const agrees = (clock?: number): clock is number => clock !== undefined && clock >= issuedAt && clock < expiresAt;
    const left = expiresAt - (agrees(now) ? now : agrees(serverNow) ? serverNow : Number.isFinite(issuedAt) ? issuedAt : now);
    if (left <= 0) return Infinity;
    return now + left - Math.min(this._margin, Math.max(0, left / 2));
  }

  private async _fetchToken(): Promise<CachedToken> {
    const epoch = this._epoch;
    const source = this._options.source();
    if (!source) {
      throw new HeidiError('config', 'No token source: set token-url, tokenProvider or token.');
    }
    if (source.kind === 'host') return this._waitForHostToken();
    let body: unknown;
    let serverNow: number | undefined;
    try {
      if (source.kind === 'url') [body, serverNow] = await this._fetchFromUrl(source.url);
      else body = await this._fromProvider(source.provide);
    } catch (error) {
      // The token URL may echo the rejected token (sent in `heidi-rejected-token`), a provider's message anything.
      throw this.redactError(error);
    }
    const parsed = JwtResponse.safeParse(body);
    if (!parsed.success) {
      const from = source.kind === 'url' ? `The EHR's token URL ${source.url}` : 'tokenProvider()';
      throw new HeidiError('invalid-response', `${from} did not give a Heidi JWT response (${explainSchemaError(parsed.error)}).`);
    }
    const expiresAt = Date.parse(parsed.data.expiration_time);
    const { token } = parsed.data;
    const cached = { token, refreshAt: this._refreshTime(Number.isFinite(expiresAt) ? expiresAt : Infinity, token, serverNow) };
    this._remember(cached.token);
    if (epoch === this._epoch) {
      this._rejected = undefined;
      this._current = cached;
    }
    return cached;
  }

  private _waitForHostToken(): Promise<CachedToken> {
    return this._withinHostLimit(
      new Promise<CachedToken>((resolve) => {
        const wake = () => {
          if (this._current) resolve(this._current);
        };
        this._hostWaiters.add(wake);
        this._options.onHostTokenNeeded();
      }),
      'No new token from the page after heidi-token-expired',
    );
  }

  /**
   * Every wait ends: a host that never answers `heidi-token-expired`, or a `tokenProvider` that never settles,
   * is an `auth` error (with Retry) after `hostTimeoutMs`, not a spinner for ever.
   */
  private _withinHostLimit<T>(promise: Promise<T>, what: string): Promise<T> {
    const limit = this._options.hostTimeoutMs?.() ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HeidiError('auth', `${what} within ${limit / 1000} s.`)), limit);
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  /** The token URL's answer, and the server's clock when it answered (its `Date` header), if it said. */
  private async _fetchFromUrl(url: string): Promise<[unknown, number | undefined]> {
    let onTheWire!: () => void;
    this._sent = new Promise((resolve) => (onTheWire = resolve));
    try {
      const response = await ky.get(url, {
        fetch: (input, init) => {
          const request = fetch(input, init);
          onTheWire();
          return request;
        },
        credentials: 'same-origin',
        // A redirect is not followed: an SSO sign-in page on another origin would fail CORS and look like a network error.
        redirect: 'manual',
        headers: { accept: 'application/json', ...(this._rejected ? { 'heidi-rejected-token': this._rejected } : {}) },
        timeout: this._options.timeoutMs?.() ?? 15_000,
        retry: retryPolicy(30_000),
        cache: 'no-store',
        signal: this._requests.signal,
      });
      const text = await response.text();
      // A sign-in page (the EHR session ended and the backend redirected): the reviewer must sign in again.
      if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
        throw new HeidiError('auth', 'The token URL answered a web page, not a token: the EHR session may have ended.');
      }
      const date = Date.parse(response.headers.get('date') ?? '');
      return [parseJsonBody(text, `the EHR's token URL ${url}`), Number.isFinite(date) ? date : undefined];
    } catch (error) {
      if (error instanceof HeidiError || isAbort(error)) throw error;
      // A redirect is a sign-in page: the EHR session ended. ky throws only for a response that is not ok, so a
      // status under 400 is a browser's opaque redirect (status 0) or a 3xx (elsewhere).
      if (isHTTPError(error) && error.response.status < 400) {
        throw new HeidiError('auth', `The EHR's token URL ${url} redirected (to a sign-in page?): the EHR session may have ended.`);
      }
      const described = describeKyError(error, url, "the EHR's token URL");
      const { status, type } = described;
      // The token URL is the EHR's own route, never a Heidi session: no route there (404, 405), or the reference
      // proxy's "the server's Heidi API key was rejected", is a setup problem. 401/403 stay `auth`, 5xx and network retryable.
      const missing = status === 404 || status === 405;
      if (missing || type === 'UpstreamAuthFailed') {
        const message = missing ? `No token route at the token URL ${url} (HTTP ${status}): check token-url.` : described.message;
        throw new HeidiError('config', message, { status, type });
      }
      throw described;
    } finally {
      onTheWire();
    }
  }

  private async _fromProvider(provide: () => Promise<JwtResponse>): Promise<unknown> {
    try {
      return await this._withinHostLimit(provide(), 'No token from tokenProvider()');
    } catch (error) {
      if (error instanceof HeidiError) throw error;
      const message = error instanceof Error && error.message ? error.message : 'tokenProvider() failed.';
      throw new HeidiError('auth', `Could not get a Heidi token: ${message}`, { cause: error });
    }
  }
}

export function parseJsonBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new HeidiError('invalid-response', `The response to ${what} is not valid JSON.`, { cause });
  }
}

/** A numeric claim of a JWT (`exp`, `iat`) in ms, when it has a readable one. The token is not verified here (Heidi does that). */
function jwtClaim(token: string, claim: 'exp' | 'iat'): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const value = (JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>)[claim];
    return typeof value === 'number' ? value * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The `exp` claim of a JWT, when it has a readable one. */
export const jwtExpiry = (token: string): number | undefined => jwtClaim(token, 'exp');
