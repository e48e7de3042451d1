/**
 * A framework-free mock of Sully's coding API as a Fetch handler
 * (`(Request) => Promise<Response | undefined>`, like demo/mock-heidi).
 *
 * Sully routes under `basePath` (default `/mock-sully`), each needing
 * `X-API-KEY: MOCK_SULLY_API_KEY` and `X-ACCOUNT-ID: MOCK_SULLY_ACCOUNT_ID`
 * (else 401 `{"error": 401, "message"}`):
 *   POST /v1/codings        {"text"}  → 201 `{"data": {"id", "status": "pending", "created_at", "updated_at"}}`
 *   GET  /v1/codings/{id}             → 200 `{"data": {"codingId", "status", "created_at", "updated_at", "result"?, "error"?}}`
 * A coding is `processing` until its `pollsToComplete`-th poll (default 2), or,
 * with `completeAfterMs`, `pending` for the first half of that time and
 * `processing` for the second; then `completed` with the note's codes
 * (./codes.ts), or `failed` when a `failed` failure was scripted for it.
 *
 * Control routes (not Sully's; no credentials): `POST /__scenario` with
 *   {user?, pollsToComplete?, completeAfterMs?, retryAfterSeconds?, failures?: [{count?, kind: 'failed'|'status'|'malformed', status?, route?: 'create'|'poll'|'any', retryAfter?}]}
 * (`GET /__scenario?user=` reads one back) and `POST /__reset`. State is per user: the `x-doctor` header the
 * forwarder sets, else `default` (a scenario's `user` selects whose).
 * `retryAfterSeconds` is sent as `Retry-After` on in-progress polls.
 */
import {
  UserStates,
  controlRoute,
  readScenario,
  isObject,
  json,
  optionalNumber,
  parseFailures,
  parseJson,
  pathBelow,
  readBody,
  takeFailure,
  userOf,
} from '../mock-peers/common.ts';
import { codeNote, type SullyResultBody } from './codes.ts';

// Random-looking on purpose: the proxy redacts any 8-character run of a secret from what it relays.
export const MOCK_SULLY_API_KEY = 'sk_mock_7Qx2Lp9VwZ4rT1';
export const MOCK_SULLY_ACCOUNT_ID = 'acct_mock_K3n8Rb5Hd';
export const MOCK_SULLY_BASE_PATH = '/mock-sully';
export const DEFAULT_POLLS_TO_COMPLETE = 2;
/** Codings kept per user (the oldest are forgotten). */
export const MAX_CODINGS = 500;
const MAX_BODY_BYTES = 1024 * 1024;

export interface SullyFailure {
  count: number;
  kind: 'failed' | 'status' | 'malformed';
  status?: number;
  route: 'create' | 'poll' | 'any';
  retryAfter?: number;
}

export interface SullyScenario {
  pollsToComplete: number;
  completeAfterMs?: number;
  retryAfterSeconds?: number;
  failures: SullyFailure[];
}

interface Coding {
  readonly id: string;
  readonly createdAt: number;
  readonly result: SullyResultBody;
  readonly fails: boolean;
  polls: number;
}

interface UserState {
  scenario: SullyScenario;
  readonly codings: Map<string, Coding>;
}

export interface MockSullyOptions {
  basePath?: string;
  /** Clock in ms (default `Date.now`); tests move a fake one for `completeAfterMs`. */
  now?: () => number;
}

export interface MockSully {
  handle(request: Request): Promise<Response | undefined>;
  reset(): void;
}

const sullyError = (status: number, message: string, headers?: Record<string, string>) => json(status, { error: status, message }, headers);

export function createMockSully(options: MockSullyOptions = {}): MockSully {
  const basePath = (options.basePath ?? MOCK_SULLY_BASE_PATH).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const users = new UserStates<UserState>(() => ({
    scenario: { pollsToComplete: DEFAULT_POLLS_TO_COMPLETE, failures: [] },
    codings: new Map(),
  }));
  let serial = 0;

  async function handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const path = pathBelow(url.pathname, basePath);
    if (path === undefined) return undefined;
    const control = controlRoute(path, request, {
      set: setScenario,
      scenarioOf: (user) => users.get(user).scenario,
      reset: () => users.clear(),
    });
    if (control) return control;

    if (request.headers.get('x-api-key') !== MOCK_SULLY_API_KEY || request.headers.get('x-account-id') !== MOCK_SULLY_ACCOUNT_ID) {
      return sullyError(401, 'Invalid or missing X-API-KEY or X-ACCOUNT-ID');
    }
    const state = users.get(userOf(request));
    const poll = /^\/v1\/codings\/([^/]+)$/.exec(path);
    const route = path === '/v1/codings' ? 'create' : poll ? 'poll' : undefined;
    if (!route) return sullyError(404, 'Not found');
    if (request.method !== (route === 'create' ? 'POST' : 'GET')) return sullyError(405, 'Method not allowed');

    const failure = takeFailure(state.scenario.failures, (f) => f.kind !== 'failed' && (f.route === 'any' || f.route === route));
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      if (failure.kind === 'malformed')
        return new Response('{"data": {"status": oops', { status: 200, headers: { 'content-type': 'application/json', ...headers } });
      const status = failure.status ?? 500;
      return sullyError(status, status === 429 ? 'Too many requests' : 'Internal server error', headers);
    }
    return route === 'create' ? create(request, state) : status(state, decodeURIComponent(poll![1]!));
  }

  async function create(request: Request, state: UserState): Promise<Response> {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (!body.ok) return body.tooLarge ? sullyError(413, 'Request body too large') : sullyError(400, 'Could not read the request body');
    const parsed = parseJson(body.text);
    if (!parsed.ok || !isObject(parsed.value)) return sullyError(400, 'Body must be a JSON object');
    const text = parsed.value.text;
    if (typeof text !== 'string' || !text.trim()) return sullyError(400, 'text is required and must be a non-empty string');

    const fails = takeFailure(state.scenario.failures, (f) => f.kind === 'failed') !== undefined;
    const id = `coding_${(++serial).toString(36).padStart(6, '0')}`;
    state.codings.set(id, { id, createdAt: now(), result: codeNote(text), fails, polls: 0 });
    if (state.codings.size > MAX_CODINGS) state.codings.delete(state.codings.keys().next().value as string);
    const at = new Date(now()).toISOString();
    return json(201, { data: { id, status: 'pending', created_at: at, updated_at: at } });
  }

  function status(state: UserState, id: string): Response {
    const coding = state.codings.get(id);
    if (!coding) return sullyError(404, `Coding ${id} not found`);
    coding.polls++;
    const { scenario } = state;
    const elapsed = now() - coding.createdAt;
    const done = scenario.completeAfterMs !== undefined ? elapsed >= scenario.completeAfterMs : coding.polls >= scenario.pollsToComplete;
    const progress = scenario.completeAfterMs !== undefined && elapsed < scenario.completeAfterMs / 2 ? 'pending' : 'processing';
    const common = { codingId: id, created_at: new Date(coding.createdAt).toISOString(), updated_at: new Date(now()).toISOString() };
    if (!done) {
      const headers: Record<string, string> =
        scenario.retryAfterSeconds !== undefined ? { 'retry-after': String(scenario.retryAfterSeconds) } : {};
      return json(200, { data: { ...common, status: progress } }, headers);
    }
    if (coding.fails) return json(200, { data: { ...common, status: 'failed', error: 'Coding extraction failed' } });
    return json(200, { data: { ...common, status: 'completed', result: coding.result } });
  }

  async function setScenario(request: Request): Promise<Response> {
    const posted = await readScenario(request);
    if (!posted) return sullyError(422, 'The scenario must be a JSON object');
    const { body, user, problems } = posted;
    const polls = optionalNumber(body, 'pollsToComplete', problems, true);
    if (polls === 0) problems.push('pollsToComplete must be at least 1');
    const completeAfterMs = optionalNumber(body, 'completeAfterMs', problems);
    const retryAfterSeconds = optionalNumber(body, 'retryAfterSeconds', problems, true);
    const failures = parseFailures<SullyFailure['kind'], SullyFailure>(
      body.failures,
      problems,
      ['failed', 'status', 'malformed'],
      undefined,
      (spec, where, found) => {
        const route = spec.route ?? 'any';
        if (route !== 'create' && route !== 'poll' && route !== 'any') found.push(`${where}.route must be create, poll or any`);
        return { route: route as SullyFailure['route'] };
      },
    );
    if (problems.length) return sullyError(422, problems.join('; '));

    const scenario: SullyScenario = { pollsToComplete: polls ?? DEFAULT_POLLS_TO_COMPLETE, failures };
    if (completeAfterMs !== undefined) scenario.completeAfterMs = completeAfterMs;
    if (retryAfterSeconds !== undefined) scenario.retryAfterSeconds = retryAfterSeconds;
    users.get(user).scenario = scenario;
    return json(200, { user, ...scenario });
  }

  return { handle, reset: () => users.clear() };
}
