/**
 * JWT-looking tokens: `base64url(header).base64url(payload).signature`.
 *
 * The signature is SHA-256 over a per-mock random secret and the first two
 * parts (not a real HMAC, which a mock doesn't need): editing the payload, e.g.
 * to change `sub` or push `exp` out, breaks the signature, so tokens can't be
 * forged and per-user isolation holds. Only Web APIs are used (`crypto.subtle`,
 * `btoa`, `TextEncoder`), so this runs in Node and in browsers alike.
 *
 * Nothing is kept per token: verification needs only the secret, so issuing
 * any number of tokens costs no memory.
 */

export interface TokenClaims {
  /** `third_party_internal_id`: the user every piece of mock state is keyed by. */
  sub: string;
  email: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expiry, seconds since the epoch (may be fractional: a fake clock can expire a token to the millisecond). */
  exp: number;
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  /** Signature good but past `exp`: the user is still known, so their scenario and log apply. */
  | { ok: false; reason: 'expired'; claims: TokenClaims }
  | { ok: false; reason: 'invalid' };

const HEADER = { alg: 'MOCK-SHA256', typ: 'JWT' };

export class TokenIssuer {
  readonly #secret: string;

  constructor() {
    const bytes = new Uint8Array(32);
    crypto.getRandomValues(bytes);
    this.#secret = toBase64Url(bytes);
  }

  async issue(sub: string, email: string, nowMs: number, lifetimeSeconds: number): Promise<{ token: string; expiresAtMs: number }> {
    const expiresAtMs = nowMs + lifetimeSeconds * 1000;
    const claims: TokenClaims = { sub, email, iat: Math.floor(nowMs / 1000), exp: expiresAtMs / 1000 };
    const unsigned = `${encodeJson(HEADER)}.${encodeJson(claims)}`;
    return { token: `${unsigned}.${await this.#sign(unsigned)}`, expiresAtMs };
  }

  async verify(token: string, nowMs: number): Promise<VerifyResult> {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'invalid' };
    const [header, payload, signature] = parts as [string, string, string];
    if (signature !== (await this.#sign(`${header}.${payload}`))) return { ok: false, reason: 'invalid' };
    const claims = decodeClaims(payload);
    if (!claims) return { ok: false, reason: 'invalid' };
    if (nowMs >= claims.exp * 1000) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }

  async #sign(unsigned: string): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${this.#secret}.${unsigned}`));
    return toBase64Url(new Uint8Array(digest));
  }
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

function encodeJson(value: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

function decodeClaims(part: string): TokenClaims | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(part)));
    if (typeof value !== 'object' || value === null) return undefined;
    const { sub, email, iat, exp } = value as Record<string, unknown>;
    if (typeof sub !== 'string' || typeof email !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      return undefined;
    }
    return { sub, email, iat, exp };
  } catch {
    return undefined;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
