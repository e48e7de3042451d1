/**
 * What a request must be before the proxy forwards it with credentials it holds (the Heidi token it gets
 * for the user, Sully's key, Omniscribe's token): sent by the EHR's own pages, and, when it has a body, JSON.
 *
 * The user is resolved from the browser's cookies, so a page on another site could otherwise make the
 * browser send a "simple" request (a form post, `fetch` with `mode: 'no-cors'` and `text/plain`) that
 * creates sessions or spends the engines' quota as the signed-in user. The rules, checked before the user
 * is resolved or a byte of the body is read:
 * - `Sec-Fetch-Site` (set by the browser, not by the page) of `cross-site` or `same-site` is refused, on
 *   every route and method (a GET of Heidi's clinical codes generates them);
 * - a POST/PATCH whose `Origin` is not the request's own origin is refused (browsers without
 *   `Sec-Fetch-Site`). No `Origin` and no `Sec-Fetch-Site` is not a browser's cross-site request
 *   (a server, `curl`), and passes;
 * - an `Origin` listed in `allowedOrigins` passes both;
 * - a body must be declared JSON (`application/json` or `+json`), which no cross-site simple request can
 *   be: a foreign page cannot send one without a CORS preflight, which the proxy never grants.
 */
import { readRequestBody } from './bounded.ts';
import type { Failure } from './responses.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `application/json`, `application/problem+json`, ... (parameters such as `charset` allowed). */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}

/**
 * The request's own origin as the page saw it. Behind a proxy that ends TLS, the request URL says `http:`
 * where the page's `Origin` says `https:` on the same host: that is the same origin (an `https` page is
 * no attacker's downgrade). A proxy that rewrites the Host header needs `allowedOrigins`.
 */
function isOwnOrigin(origin: string, url: URL): boolean {
  if (origin === url.origin) return true;
  try {
    const page = new URL(origin);
    return page.protocol === 'https:' && url.protocol === 'http:' && page.host === url.host;
  } catch {
    return false;
  }
}

function refused(why: string): Failure {
  return {
    status: 403,
    type: 'CrossSiteRequestRefused',
    msg: `This EHR server does not accept ${why}. Only the EHR's own pages may call it; list another origin of yours in the proxy's allowedOrigins.`,
  };
}

/** Why this request is refused as coming from another site, or `undefined` when it may go on. */
export function crossSiteRefusal(request: Request, url: URL, allowedOrigins: ReadonlySet<string>): Failure | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null && allowedOrigins.has(origin)) return undefined;
  const site = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return refused(`requests from another site (Sec-Fetch-Site: ${site})`);
  if (SAFE_METHODS.has(request.method) || origin === null || site === 'same-origin' || isOwnOrigin(origin, url)) return undefined;
  return refused(`${request.method} requests from another origin`);
}

const notJson: Failure = {
  status: 415,
  type: 'UnsupportedMediaType',
  msg: 'Request bodies must be JSON, sent with Content-Type: application/json.',
};

/** The browser's JSON body, bounded (see `readRequestBody`); refused unread when it is not declared JSON. */
export async function readJsonBody(
  request: Request,
  max: number,
  timeoutMs: number,
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; failure: Failure }> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    request.body?.cancel().catch(() => {});
    return { ok: false, failure: notJson };
  }
  return readRequestBody(request, max, timeoutMs);
}
