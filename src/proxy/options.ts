/**
 * The proxy's public option types, and their validation at creation: a server
 * configuration error fails fast, with a message that names the option and
 * never echoes its value (the value may be a secret).
 */

/** The logged-in EHR user, as the EHR's server knows them. Heidi keys its integration account on both. */
export interface HeidiUser {
  email: string;
  third_party_internal_id: string;
}

/** What `onError` receives: the failure's Heidi-shaped type, the status answered, and the underlying error if any. */
export interface HeidiProxyErrorEvent {
  type: string;
  status: number;
  /** Server-side detail (a thrown error, or the upstream HTTP status). Every configured secret is redacted from it. */
  error?: unknown;
}

/** Forward the Sully coding API (`POST {prefix}/v1/codings`, `GET {prefix}/v1/codings/{id}`). */
export interface SullyProxyOptions {
  /** Sully `X-API-KEY`, from server config. */
  apiKey: string;
  /** Sully `X-ACCOUNT-ID`, from server config. */
  accountId: string;
  /** Default `https://api.sully.ai`. */
  apiBase?: string;
  /** Default `/ehr/sully`. */
  prefix?: string;
  /**
   * Each coding id is readable only by the user who started it (404 for anyone else): the proxy remembers
   * who started the last this-many codings (least recently used forgotten first). Default 10 000.
   */
  maxCodings?: number;
  /** ...and for this many seconds after the coding started (a later poll answers 404). Default 3600. */
  codingTtlSeconds?: number;
}

/** Forward the Omniscribe Codify API (`POST {prefix}/v1/codify`). */
export interface OmniscribeProxyOptions {
  /** Omniscribe bearer token, from server config. */
  token: string;
  /** Your per-customer Omniscribe endpoint (required; there is no shared default). */
  apiBase: string;
  /** Default `/ehr/omniscribe`. */
  prefix?: string;
  /** Codify is synchronous and may take minutes. Default 600 000 (the service's 10-minute limit). */
  timeoutMs?: number;
}

export interface HeidiProxyOptions<Context = unknown> {
  /** Heidi API key, from server config. Never sent to the browser, never logged. Printable ASCII, no spaces. */
  apiKey: string;
  /** Default `https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api`. */
  apiBase?: string;
  /**
   * The server-side identity of the logged-in EHR user (from your session
   * cookie, auth middleware, ...). `null`/`undefined` answers 401. Nothing the
   * browser sends in the query or headers is ever used as identity.
   * `context` is the handler's optional second argument (e.g. Express's `req`).
   */
  resolveUser(request: Request, context: Context | undefined): HeidiUser | null | undefined | Promise<HeidiUser | null | undefined>;
  /** The route this handler answers with the token (exact pathname match). Default `/heidi-token`. */
  tokenPath?: string;
  /**
   * Optional, e.g. `/heidi-api`: forward `${forwardPrefix}/sessions...` to
   * `${apiBase}/sessions...` with the user's bearer token added server-side.
   * Only `/sessions` paths, only GET/POST/PATCH, only a few safe request headers.
   */
  forwardPrefix?: string;
  /**
   * Origins besides the request's own that may send requests to the proxy's routes, e.g.
   * `['https://ehr.example']` when a proxy in front rewrites the Host header, or your EHR's page is on a
   * sibling subdomain. Anything else the browser marks cross-site or same-site (`Sec-Fetch-Site`), or a
   * POST/PATCH from another `Origin`, is refused with 403 before any upstream call. Default: none (same origin only).
   */
  allowedOrigins?: readonly string[];
  /** Optional: forward the Sully coding API with its credentials added server-side. */
  sully?: SullyProxyOptions;
  /** Optional: forward the Omniscribe Codify API with its token added server-side. */
  omniscribe?: OmniscribeProxyOptions;
  /** A cached token is reused until this many seconds before its `expiration_time`. Default 60. */
  refreshMarginSeconds?: number;
  /** Default `globalThis.fetch`. Lets a dev server call an in-process mock. */
  fetch?: (input: Request) => Promise<Response>;
  /** Millisecond clock for the token cache (tests). Default `Date.now`. */
  now?: () => number;
  /** At most this many users' tokens are cached (least recently used dropped first). Default 1000. */
  maxCachedUsers?: number;
  /** Upstream call timeout in ms (answer and body); the upstream request's signal aborts. Default 10 000. */
  timeoutMs?: number;
  /** The browser's request body must arrive within this many ms (408 otherwise). Default 10 000. */
  bodyTimeoutMs?: number;
  /** Largest forwarded request body in bytes, counted as it streams (413). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Largest upstream answer in bytes, counted as it streams (502). Default 16 MiB. */
  maxResponseBytes?: number;
  /** Called on every error response, for server logs. Secrets are redacted from it. Exceptions it throws are ignored. */
  onError?(event: HeidiProxyErrorEvent): void;
}

export const DEFAULT_API_BASE = 'https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api';
export const DEFAULT_SULLY_API_BASE = 'https://api.sully.ai';
export const DEFAULT_SULLY_PREFIX = '/ehr/sully';
export const DEFAULT_OMNISCRIBE_PREFIX = '/ehr/omniscribe';
/** Omniscribe accepts notes of at most 50 KB; bigger bodies are refused before they are forwarded. */
export const OMNISCRIBE_MAX_BODY_BYTES = 50 * 1024;

/** An upstream the proxy forwards to, resolved from the options. */
export interface Upstream {
  /** For messages: `Heidi`, `Sully`, `Omniscribe`. */
  name: string;
  base: string;
  url: URL;
  timeoutMs: number;
}

export interface SullyConfig extends Upstream {
  apiKey: string;
  accountId: string;
  prefix: string;
  maxCodings: number;
  codingTtlMs: number;
}

export interface OmniscribeConfig extends Upstream {
  token: string;
  prefix: string;
}

/** The options, checked and with defaults applied. */
export interface ProxyConfig<Context> {
  apiKey: string;
  heidi: Upstream;
  resolveUser: HeidiProxyOptions<Context>['resolveUser'];
  tokenPath: string;
  forwardPrefix: string | undefined;
  /** Serialized origins (`https://host[:port]`) accepted besides the request's own. */
  allowedOrigins: ReadonlySet<string>;
  sully: SullyConfig | undefined;
  omniscribe: OmniscribeConfig | undefined;
  marginMs: number;
  fetch: (input: Request) => Promise<Response>;
  now: () => number;
  maxCachedUsers: number;
  bodyTimeoutMs: number;
  maxBodyBytes: number;
  maxResponseBytes: number;
  onError: ((event: HeidiProxyErrorEvent) => void) | undefined;
  /** Every secret the proxy holds, for redaction. */
  secrets: string[];
}

function fail(message: string): never {
  throw new TypeError(`createHeidiProxy: ${message}`);
}

/** A credential that can travel in an HTTP header as is: printable ASCII, no spaces or control characters. */
function credential(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') fail(`${name} is required (set it from server configuration).`);
  if (!/^[\x21-\x7e]+$/.test(value)) {
    fail(
      `${name} contains whitespace, control or non-ASCII characters (often a trailing newline from a secrets file); ` +
        'it must be printable ASCII without spaces.',
    );
  }
  return value;
}

function trimTrailingSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}

function upstream(value: unknown, name: string, label: string, timeoutMs: number): Upstream {
  if (typeof value !== 'string' || value.trim() === '') fail(`${name} is required and must be an absolute http(s) URL.`);
  const base = trimTrailingSlashes(value);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    fail(`${name} must be an absolute http(s) URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`${name} must be an http(s) URL.`);
  if (url.username || url.password) fail(`${name} must not carry credentials.`);
  if (url.search || url.hash) fail(`${name} must not have a query or fragment.`);
  return { name: label, base, url, timeoutMs };
}

/** A route pathname: `/` followed by unreserved path characters, no dot segments, no trailing slash. */
function routePath(value: unknown, name: string): string {
  if (typeof value !== 'string') fail(`${name} must be a path string such as "/heidi-api".`);
  const path = value.length > 1 ? trimTrailingSlashes(value) : value;
  const segments = path.split('/');
  const ok =
    path.startsWith('/') && path !== '/' && segments.slice(1).every((s) => /^[A-Za-z0-9._~-]+$/.test(s) && s !== '.' && s !== '..');
  if (!ok) fail(`${name} must be an absolute path of plain segments, such as "/heidi-api" (not "/").`);
  return path;
}

function positive(value: unknown, name: string, fallback: number, { integer = false, allowZero = false } = {}): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) fail(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite ${integer ? 'integer' : 'number'}.`);
  return value as number;
}

function origins(value: unknown): Set<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) fail('allowedOrigins must be an array of origins such as "https://ehr.example".');
  const out = new Set<string>();
  for (const entry of value as unknown[]) {
    // The exact form a browser sends in `Origin` (a trailing slash forgiven): no path, query or credentials.
    const text = typeof entry === 'string' ? entry.replace(/\/$/, '') : '';
    let origin: string | undefined;
    try {
      const url = new URL(text);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text.toLowerCase()) origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (!origin) fail('allowedOrigins entries must be origins: scheme, host and port only, such as "https://ehr.example".');
    out.add(origin);
  }
  return out;
}

function optionalFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') fail(`${name} must be a function.`);
  return value;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export function resolveConfig<Context>(options: HeidiProxyOptions<Context>): ProxyConfig<Context> {
  if (typeof options !== 'object' || options === null) fail('options are required.');
  const apiKey = credential(options.apiKey, 'apiKey');
  if (typeof options.resolveUser !== 'function') fail('resolveUser(request) is required.');
  const timeoutMs = positive(options.timeoutMs, 'timeoutMs', 10_000);
  const heidi = upstream(options.apiBase ?? DEFAULT_API_BASE, 'apiBase', 'Heidi', timeoutMs);
  const tokenPath = routePath(options.tokenPath ?? '/heidi-token', 'tokenPath');
  const forwardPrefix =
    options.forwardPrefix === undefined || options.forwardPrefix === ''
      ? undefined
      : // The first release accepted "heidi-api" for "/heidi-api"; keep accepting it.
        routePath(
          typeof options.forwardPrefix === 'string' ? `/${options.forwardPrefix.replace(/^\/+/, '')}` : options.forwardPrefix,
          'forwardPrefix',
        );
  const secrets = [apiKey];

  let sully: SullyConfig | undefined;
  if (options.sully !== undefined) {
    const s = options.sully;
    if (typeof s !== 'object' || s === null)
      fail('sully must be { apiKey, accountId, apiBase?, prefix?, maxCodings?, codingTtlSeconds? }.');
    sully = {
      ...upstream(s.apiBase ?? DEFAULT_SULLY_API_BASE, 'sully.apiBase', 'Sully', timeoutMs),
      apiKey: credential(s.apiKey, 'sully.apiKey'),
      accountId: credential(s.accountId, 'sully.accountId'),
      prefix: routePath(s.prefix ?? DEFAULT_SULLY_PREFIX, 'sully.prefix'),
      maxCodings: positive(s.maxCodings, 'sully.maxCodings', 10_000, { integer: true }),
      codingTtlMs: positive(s.codingTtlSeconds, 'sully.codingTtlSeconds', 3600) * 1000,
    };
    secrets.push(sully.apiKey, sully.accountId);
  }
  let omniscribe: OmniscribeConfig | undefined;
  if (options.omniscribe !== undefined) {
    const o = options.omniscribe;
    if (typeof o !== 'object' || o === null) fail('omniscribe must be { token, apiBase, prefix? }.');
    omniscribe = {
      ...upstream(o.apiBase, 'omniscribe.apiBase', 'Omniscribe', positive(o.timeoutMs, 'omniscribe.timeoutMs', 600_000)),
      token: credential(o.token, 'omniscribe.token'),
      prefix: routePath(o.prefix ?? DEFAULT_OMNISCRIBE_PREFIX, 'omniscribe.prefix'),
    };
    secrets.push(omniscribe.token);
  }

  const routes: [string, string][] = [['tokenPath', tokenPath]];
  if (forwardPrefix) routes.push(['forwardPrefix', forwardPrefix]);
  if (sully) routes.push(['sully.prefix', sully.prefix]);
  if (omniscribe) routes.push(['omniscribe.prefix', omniscribe.prefix]);
  for (const [i, [nameA, a]] of routes.entries()) {
    for (const [nameB, b] of routes.slice(i + 1)) {
      if (overlaps(a, b)) fail(`${nameB} overlaps ${nameA}; give each route its own path.`);
    }
  }

  const fetch = optionalFunction(options.fetch, 'fetch') ?? ((input: Request) => globalThis.fetch(input));
  return {
    apiKey,
    heidi,
    resolveUser: options.resolveUser,
    tokenPath,
    forwardPrefix,
    allowedOrigins: origins(options.allowedOrigins),
    sully,
    omniscribe,
    marginMs: positive(options.refreshMarginSeconds, 'refreshMarginSeconds', 60, { allowZero: true }) * 1000,
    fetch,
    now: optionalFunction(options.now, 'now') ?? (() => Date.now()),
    maxCachedUsers: positive(options.maxCachedUsers, 'maxCachedUsers', 1000, { integer: true, allowZero: true }),
    bodyTimeoutMs: positive(options.bodyTimeoutMs, 'bodyTimeoutMs', 10_000),
    maxBodyBytes: positive(options.maxBodyBytes, 'maxBodyBytes', 1024 * 1024, { integer: true }),
    maxResponseBytes: positive(options.maxResponseBytes, 'maxResponseBytes', 16 * 1024 * 1024, { integer: true }),
    onError: optionalFunction(options.onError, 'onError'),
    secrets,
  };
}
