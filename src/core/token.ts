/**
 * Where the Heidi JWT comes from and how long it is reused. The token lives
 * only in this object's memory: never in an attribute, storage, URL, log or
 * event.
 */
import ky from 'ky';
import { JwtResponse, explainSchemaError } from './schemas.ts';
import { HeidiError, isAbort, redactError } from './errors.ts';
import { redactSecrets } from './text.ts';
import { describeKyError } from './http-errors.ts';

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
  private cached: CachedToken | undefined;
  /** The token Heidi last rejected, told to the token URL so a caching backend drops it too. */
  private rejected: string | undefined;
  private inflight: Promise<CachedToken> | undefined;
  private hostWaiters = new Set<() => void>();
  /** Aborts the token URL request when its element goes away. */
  private requests = new AbortController();
  private readonly margin: number;
  private readonly now: () => number;
  /** The current token and the last few before it, newest last: what `redact` hides. */
  private readonly _seen: string[] = [];

  constructor(private readonly options: TokenManagerOptions) {
    this.margin = options.refreshMarginMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** A token valid for a while yet; concurrent callers share one fetch. */
  async get(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.isFresh(this.cached)) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    const fresh = await abortable(this.inflight, signal);
    return fresh.token;
  }

  /**
   * `text` from outside (an error body, a thrown message) with the current and previous tokens removed, before
   * it is shown or dispatched. Every error built from a response passes through here (see `redactError`).
   */
  redact(text: string): string {
    return redactSecrets(text, this._seen);
  }

  /** `error` with its outside texts redacted (`redact`). */
  redactError(error: HeidiError): HeidiError {
    return redactError(error, (text) => this.redact(text));
  }

  private _remember(token: string): void {
    const at = this._seen.indexOf(token);
    if (at >= 0) this._seen.splice(at, 1);
    this._seen.push(token);
    if (this._seen.length > REMEMBERED_TOKENS) this._seen.shift();
  }

  /** Heidi said 401 for this token: forget it (unless a newer one already replaced it). */
  invalidate(token: string): void {
    if (this.cached?.token === token) {
      this.cached = undefined;
      this.rejected = token;
    }
  }

  /** The host set the `token` property. Wakes calls that waited for it. */
  setHostToken(token: string | undefined): void {
    this.cached = token ? { token, refreshAt: this.refreshTime(jwtExpiry(token) ?? Infinity) } : undefined;
    if (token) this._remember(token);
    if (token) {
      const waiters = [...this.hostWaiters];
      this.hostWaiters.clear();
      waiters.forEach((wake) => wake());
    }
  }

  /** Drop everything, e.g. when the token source changes. */
  clear(): void {
    this.cached = undefined;
  }

  /** The element left the page: abort a token request under way (its callers see an abort). */
  abort(): void {
    this.requests.abort();
    this.requests = new AbortController();
    this.inflight = undefined;
  }

  private isFresh(cached: CachedToken): boolean {
    return cached.refreshAt > this.now();
  }

  /** Refresh `margin` before expiry, or halfway through a lifetime shorter than twice the margin. */
  private refreshTime(expiresAt: number): number {
    if (!Number.isFinite(expiresAt)) return Infinity;
    const lifetime = expiresAt - this.now();
    return expiresAt - Math.min(this.margin, Math.max(0, lifetime / 2));
  }

  private async fetchToken(): Promise<CachedToken> {
    const source = this.options.source();
    if (!source) {
      throw new HeidiError('config', 'No token source: set token-url, tokenProvider or token.', { retryable: false });
    }
    if (source.kind === 'host') return this.waitForHostToken();
    let body: unknown;
    try {
      body = source.kind === 'url' ? await this.fetchFromUrl(source.url) : await this.fromProvider(source.provide);
    } catch (error) {
      // The token URL may echo the rejected token (sent in `heidi-rejected-token`), a provider's message anything.
      throw error instanceof HeidiError ? this.redactError(error) : error;
    }
    const parsed = JwtResponse.safeParse(body);
    if (!parsed.success) {
      throw new HeidiError('invalid-response', `The token response is not a Heidi JWT response (${explainSchemaError(parsed.error)}).`);
    }
    const expiresAt = Date.parse(parsed.data.expiration_time);
    const cached = { token: parsed.data.token, refreshAt: this.refreshTime(Number.isFinite(expiresAt) ? expiresAt : Infinity) };
    this.rejected = undefined;
    this.cached = cached;
    this._remember(cached.token);
    return cached;
  }

  private waitForHostToken(): Promise<CachedToken> {
    return new Promise<CachedToken>((resolve) => {
      const wake = () => {
        if (this.cached) resolve(this.cached);
      };
      this.hostWaiters.add(wake);
      this.options.onHostTokenNeeded();
    });
  }

  private async fetchFromUrl(url: string): Promise<unknown> {
    try {
      const text = await ky
        .get(url, {
          credentials: 'same-origin',
          headers: { accept: 'application/json', ...(this.rejected ? { 'heidi-rejected-token': this.rejected } : {}) },
          timeout: this.options.timeoutMs?.() ?? 15_000,
          retry: { limit: 2, statusCodes: [429, 502, 503, 504], afterStatusCodes: [429, 503], maxRetryAfter: 30_000, backoffLimit: 5_000 },
          cache: 'no-store',
          signal: this.requests.signal,
        })
        .text();
      return parseJsonBody(text, 'the token request');
    } catch (error) {
      if (error instanceof HeidiError || isAbort(error)) throw error;
      const described = describeKyError(error, 'the token URL');
      // The reference proxy's way of saying "the server's Heidi API key was rejected": a setup problem, not an outage.
      if (described.type === 'UpstreamAuthFailed') {
        throw new HeidiError('config', described.message, { status: described.status, retryable: false, type: described.type });
      }
      throw described;
    }
  }

  private async fromProvider(provide: () => Promise<JwtResponse>): Promise<unknown> {
    try {
      return await provide();
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

/** The `exp` claim of a JWT, when it has a readable one. The token is not verified here (Heidi does that). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Await a shared promise without letting one caller's abort cancel it for the others. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

