/**
 * What the Sully and Omniscribe mocks share: which fixture a note is, quotes
 * located in a note, per-user state with a bound on how many users are kept,
 * scripted failures, and reading a request body without trusting its size.
 */
import { FIXTURES, type Fixture } from '../fixtures/index.ts';
import { locate, type Quote } from '../fixtures/build.ts';
import type { Span } from '../../src/core/schemas.ts';

/** The demo fixture whose consult note this is (line endings and surrounding space ignored). */
export function fixtureForNote(note: string): Fixture | undefined {
  const wanted = normalise(note);
  return FIXTURES.find((f) => normalise(f.session.consult_note?.result ?? '') === wanted);
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/**
 * Where a quote is in the note as posted (its `nth` occurrence), so offsets are always the posted text's;
 * throws when it is absent, so a wrong fixture code fails its test at once.
 */
export function quoteSpan(note: string, quote: Quote): Span {
  return typeof quote === 'string' ? locate(note, quote, 0, 'note') : locate(note, quote.text, quote.nth ?? 0, 'note');
}

export const MAX_USERS = 200;
export const DEFAULT_USER = 'default';

/** Per-user state, the oldest user forgotten past `MAX_USERS` (the demo server runs for days). */
export class UserStates<T> {
  private readonly _states = new Map<string, T>();

  constructor(private readonly _create: () => T) {}

  get(user: string): T {
    let state = this._states.get(user);
    if (state) {
      // Most recently used last, so eviction drops the longest idle.
      this._states.delete(user);
    } else {
      state = this._create();
      if (this._states.size >= MAX_USERS) this._states.delete(this._states.keys().next().value as string);
    }
    this._states.set(user, state);
    return state;
  }

  clear(): void {
    this._states.clear();
  }
}

/** The user a call belongs to: the forwarder's `x-doctor` audit header, else one shared default. */
export function userOf(request: Request): string {
  return request.headers.get('x-doctor')?.trim() || DEFAULT_USER;
}

/** A scripted failure: used by the next `count` calls that match it, then gone. */
export interface CountedFailure {
  count: number;
}

/** Consume one use of the first failure `matches` accepts. */
export function takeFailure<F extends CountedFailure>(failures: F[], matches: (f: F) => boolean = () => true): F | undefined {
  const index = failures.findIndex(matches);
  if (index < 0) return undefined;
  const failure = failures[index]!;
  if (--failure.count <= 0) failures.splice(index, 1);
  return { ...failure };
}

export type BodyRead = { ok: true; text: string } | { ok: false; tooLarge: boolean };

/** The body as text, or `tooLarge` once it passes `limit` bytes (read in chunks, so a huge body is not buffered). */
export async function readBody(request: Request, limit: number): Promise<BodyRead> {
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return { ok: false, tooLarge: true };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, tooLarge: false };
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * The test-control routes both peer mocks answer below their base path: `POST /__scenario` sets a
 * user's scenario (`set`), `GET /__scenario?user=` reads it back, `POST /__reset` forgets every user.
 * Undefined for any other path or method.
 */
export function controlRoute(
  path: string,
  request: Request,
  control: { set: (request: Request) => Promise<Response>; scenarioOf: (user: string) => object; reset: () => void },
): Promise<Response> | Response | undefined {
  if (path === '/__scenario' && request.method === 'POST') return control.set(request);
  if (path === '/__scenario' && request.method === 'GET') {
    const user = new URL(request.url).searchParams.get('user') || DEFAULT_USER;
    return json(200, { user, ...control.scenarioOf(user) });
  }
  if (path === '/__reset' && request.method === 'POST') {
    control.reset();
    return new Response(null, { status: 204 });
  }
  return undefined;
}

/**
 * A posted scenario: its JSON object and its user (default `DEFAULT_USER`), with a problem noted when the
 * user is not a non-empty string; undefined when the body is not a JSON object (up to 64 KiB).
 */
export async function readScenario(
  request: Request,
): Promise<{ body: Record<string, unknown>; user: string; problems: string[] } | undefined> {
  const read = await readBody(request, 64 * 1024);
  const parsed = read.ok ? parseJson(read.text) : { ok: false as const };
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const body = parsed.value;
  const problems: string[] = [];
  const user = body.user ?? DEFAULT_USER;
  if (typeof user !== 'string' || !user) problems.push('user must be a non-empty string');
  return { body, user: user as string, problems };
}

/** `'/mock-sully/v1/codings'` below `'/mock-sully'` → `'/v1/codings'`; undefined when the path is elsewhere. */
export function pathBelow(pathname: string, basePath: string): string | undefined {
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}

/** A non-negative number option from a scenario body; pushes a message when it is there but wrong. */
export function optionalNumber(body: Record<string, unknown>, name: string, problems: string[], integer = false): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value))) return value;
  problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} >= 0`);
  return undefined;
}

/** What every scripted failure of a peer mock has; each mock adds its own fields (`route` for Sully). */
export interface FailureBasics<K extends string> {
  count: number;
  kind: K;
  status?: number;
  retryAfter?: number;
}

/**
 * A scenario's `failures` list, checked entry by entry: `kind` one of `kinds` (default the first of them
 * that is `status`, else the first), `count` an integer >= 1 (default 1), `status` 400..599 (default
 * `defaultStatus`), `retryAfter` an integer >= 0. `more` reads a mock's own fields and reports their problems.
 * An entry with any problem is left out, with its messages in `problems`.
 */
export function parseFailures<K extends string, F extends FailureBasics<K>>(
  value: unknown,
  problems: string[],
  kinds: readonly K[],
  defaultStatus: number | undefined,
  more: (spec: Record<string, unknown>, where: string, problems: string[]) => Omit<F, keyof FailureBasics<K>>,
): F[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('failures must be a list');
    return [];
  }
  const kindList = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}` : String(kinds[0]);
  return value.flatMap((spec, i): F[] => {
    const where = `failures[${i}]`;
    if (!isObject(spec)) {
      problems.push(`${where} must be an object`);
      return [];
    }
    const before = problems.length;
    const kind = spec.kind ?? 'status';
    if (!kinds.includes(kind as K)) problems.push(`${where}.kind must be ${kindList}`);
    const own = more(spec, where, problems);
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || (count as number) < 1) problems.push(`${where}.count must be an integer >= 1`);
    const status = spec.status ?? defaultStatus;
    if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599))
      problems.push(`${where}.status must be 400..599`);
    const retryAfter = optionalNumber(spec, 'retryAfter', problems, true);
    if (problems.length > before) return [];
    const failure = { ...own, count: count as number, kind: kind as K } as F;
    if (status !== undefined) failure.status = status as number;
    if (retryAfter !== undefined) failure.retryAfter = retryAfter;
    return [failure];
  });
}

/** Resolves when `signal` aborts (a client that gave up stops a slow mock from answering). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
