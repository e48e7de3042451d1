/**
 * Types shared by the mock's modules, the demo and the tests. Everything here
 * is plain data so it can travel as JSON through the `__scenario`/`__log`
 * control routes.
 */

/** The Heidi routes the mock answers (used by failure specs and the request log). */
export type RouteName = 'jwt' | 'create-session' | 'get-session' | 'patch-session' | 'linked-user' | 'transcript' | 'clinical-codes';

export const ROUTE_NAMES: readonly RouteName[] = [
  'jwt',
  'create-session',
  'get-session',
  'patch-session',
  'linked-user',
  'transcript',
  'clinical-codes',
];

export type FailureKind = 'status' | 'malformed' | 'truncated' | 'html' | 'wrong-types' | 'network' | 'hang';

export const FAILURE_KINDS: readonly FailureKind[] = ['status', 'malformed', 'truncated', 'html', 'wrong-types', 'network', 'hang'];

/**
 * One injected fault. The next `count` authenticated calls matching `route`
 * fail this way; then the spec is used up and removed.
 */
export interface FailureSpec {
  /** Default `'any'`: every Heidi route. */
  route?: RouteName | 'any';
  /** How many matching calls fail (default 1). `GET /__scenario` shows what is left. */
  count?: number;
  /** HTTP status for `status` (default 500), `html` (default 502). */
  status?: number;
  /** Default `'status'`. */
  kind?: FailureKind;
  /** Seconds; sent as `Retry-After` on any failure that has a response. */
  retryAfter?: number;
  /** Replaces the default `msg` of the `status` kind's error body. */
  detail?: string;
  /** For `hang`: how long to wait before answering 504 (default 30000 ms, through `options.sleep`). */
  hangMs?: number;
}

/** One user's scenario, as posted to and read from `/__scenario`. */
export interface Scenario {
  /** The `third_party_internal_id` (token subject) the scenario applies to. */
  user: string;
  /** Added before every response to this user. */
  latencyMs?: number;
  /** Added, on top of `latencyMs`, before `clinical-codes` responses (simulated code generation). */
  generationMs?: number;
  /** Lifetime of tokens issued to this user from now on (overrides `options.tokenLifetimeSeconds`). */
  tokenLifetimeSeconds?: number;
  /** Pending failures, in the order they are matched. */
  failures?: FailureSpec[];
}

/** One Heidi request as seen by the mock. Never contains the token or API key. */
export interface LogEntry {
  route: RouteName;
  method: string;
  /** Path (and query, minus anything credential-like) as requested. */
  path: string;
  /** `0` for a `network` failure (no HTTP response at all). */
  status: number;
  /** `options.now()` when the request arrived, in ms. */
  startedAt: number;
  /** `options.now()` when the response was ready (after latency, generation or hang sleeps), in ms. */
  endedAt: number;
}

/** A JSON object as the mock stores it (sessions and clinical-codes bodies carry fields the schemas don't name). */
export type JsonObject = Record<string, unknown>;
