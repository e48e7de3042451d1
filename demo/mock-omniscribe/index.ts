/**
 * A framework-free mock of Omniscribe Codify as a Fetch handler
 * (`(Request) => Promise<Response | undefined>`, like demo/mock-heidi).
 *
 * Routes under `basePath` (default `/mock-omniscribe`), needing
 * `Authorization: Bearer MOCK_OMNISCRIBE_TOKEN` (else 401):
 *   POST /v1/codify  {"medical_note", "model"?}  → 200 `{"success": true, "final_code_assessments", "discarded_code_assessments", "run_id"}`
 *   GET  /v1/health                              → 200 `{"status": "ok"}`
 * Errors are `{"success": false, "error", "details"}`: 400 for a missing or
 * empty note or an unknown `model`, 413 when `medical_note` is over 50 KB
 * (UTF-8), 422 for a `pdf_file` (the mock reads text only). `x-patient` is
 * accepted and not stored.
 *
 * Control routes (no credentials): `POST /__scenario` with
 *   {user?, latencyMs?, failures?: [{count?, status, kind?: 'status'|'malformed', retryAfter?}]}
 * (`GET /__scenario?user=` reads one back) and `POST /__reset`. State is per user: the `x-doctor` header the forwarder
 * sets, else `default`. `latencyMs` delays each answer (the slow scenario);
 * a client that gives up ends the wait.
 */
import {
  UserStates,
  controlRoute,
  readScenario,
  aborted,
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
import { codify } from './codes.ts';

export { OMNISCRIBE_QUICKSTART_NOTE } from './codes.ts';

// Random-looking on purpose: the proxy redacts any 8-character run of a secret from what it relays.
export const MOCK_OMNISCRIBE_TOKEN = 'osk_mock_Vb6Zt1Qm9Lx4';
export const MOCK_OMNISCRIBE_BASE_PATH = '/mock-omniscribe';
/** Omniscribe's documented limit on `medical_note`. */
export const MAX_NOTE_BYTES = 50 * 1024;
/** What the mock reads of any body (a PDF may be 5 MB decoded, about 7 MB in base64). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MODELS = ['fast', 'balanced', 'high-quality'];

export interface OmniscribeFailure {
  count: number;
  status: number;
  kind: 'status' | 'malformed';
  retryAfter?: number;
}

export interface OmniscribeScenario {
  latencyMs?: number;
  failures: OmniscribeFailure[];
}

export interface MockOmniscribeOptions {
  basePath?: string;
  /** How the mock waits (latency). Default `setTimeout`; tests inject an instant one. */
  sleep?: (ms: number) => Promise<void>;
}

export interface MockOmniscribe {
  handle(request: Request): Promise<Response | undefined>;
  reset(): void;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function omniscribeError(status: number, details: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Response {
  const error = Object.hasOwn(STATUS_TEXT, status) ? STATUS_TEXT[status] : `HTTP ${status}`;
  return json(status, { success: false, error, details, ...extra }, headers);
}

export function createMockOmniscribe(options: MockOmniscribeOptions = {}): MockOmniscribe {
  const basePath = (options.basePath ?? MOCK_OMNISCRIBE_BASE_PATH).replace(/\/+$/, '');
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const users = new UserStates<{ scenario: OmniscribeScenario }>(() => ({ scenario: { failures: [] } }));
  let serial = 0;
  const nextRunId = () => `run_${(++serial).toString(36).padStart(8, '0')}`;

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

    if (request.headers.get('authorization') !== `Bearer ${MOCK_OMNISCRIBE_TOKEN}`) {
      return omniscribeError(401, 'Missing or invalid bearer token');
    }
    if (path === '/v1/health' && request.method === 'GET') return json(200, { status: 'ok' });
    if (path !== '/v1/codify') return omniscribeError(404, 'Not found');
    if (request.method !== 'POST') return omniscribeError(405, 'Use POST');

    const { scenario } = users.get(userOf(request));
    if (scenario.latencyMs) await Promise.race([sleep(scenario.latencyMs), aborted(request.signal)]);
    const failure = takeFailure(scenario.failures);
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      if (failure.kind === 'malformed')
        return new Response('{"final_code_assessments": [oops', {
          status: 200,
          headers: { 'content-type': 'application/json', ...headers },
        });
      // Omniscribe asks to quote the run id of a 500 when reporting it.
      const extra = failure.status === 500 ? { run_id: nextRunId() } : {};
      return omniscribeError(failure.status, 'Injected by the mock scenario', extra, headers);
    }
    return codifyRoute(request);
  }

  async function codifyRoute(request: Request): Promise<Response> {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (!body.ok)
      return body.tooLarge
        ? omniscribeError(413, 'The request body is too large')
        : omniscribeError(400, 'Could not read the request body');
    const parsed = parseJson(body.text);
    if (!parsed.ok || !isObject(parsed.value)) return omniscribeError(400, 'The body must be a JSON object');
    const { medical_note: note, model = 'balanced', pdf_file: pdf } = parsed.value;
    if (pdf !== undefined) return omniscribeError(422, 'pdf_file could not be processed: this mock reads medical_note text only');
    if (typeof note !== 'string' || !note.trim()) return omniscribeError(400, 'medical_note is required and must be a non-empty string');
    if (new TextEncoder().encode(note).byteLength > MAX_NOTE_BYTES) return omniscribeError(413, 'medical_note exceeds 50 KB');
    if (typeof model !== 'string' || !MODELS.includes(model)) return omniscribeError(400, `model must be one of ${MODELS.join(', ')}`);
    return json(200, { success: true, ...codify(note), run_id: nextRunId() });
  }

  async function setScenario(request: Request): Promise<Response> {
    const posted = await readScenario(request);
    if (!posted) return omniscribeError(422, 'The scenario must be a JSON object');
    const { body, user, problems } = posted;
    const latencyMs = optionalNumber(body, 'latencyMs', problems);
    const failures = parseFailures<OmniscribeFailure['kind'], OmniscribeFailure>(
      body.failures,
      problems,
      ['status', 'malformed'],
      500,
      () => ({}),
    );
    if (problems.length) return omniscribeError(422, problems.join('; '));
    const scenario: OmniscribeScenario = { failures, ...(latencyMs !== undefined ? { latencyMs } : {}) };
    users.get(user).scenario = scenario;
    return json(200, { user, ...scenario });
  }

  return { handle, reset: () => users.clear() };
}
