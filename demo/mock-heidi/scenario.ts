/**
 * Scenarios: per-user latency, token lifetime and injected failures, so the
 * demo and tests can reproduce every way the network and Heidi can let a
 * client down, deterministically.
 */
import { errorTypeFor, heidiError, htmlPage, json, rawJson, statusText, tokenExpired, type ValidationIssue } from './responses.ts';
import type { UserState } from './store.ts';
import { FAILURE_KINDS, ROUTE_NAMES, type FailureSpec, type RouteName } from './types.ts';
import { isObject, type Parsed } from './validation.ts';

export const DEFAULT_HANG_MS = 30_000;

/** Validate a `POST /__scenario` body into a normalised scenario (every failure has `route`, `count` and `kind`). */
export function parseScenario(body: unknown): Parsed<UserState['scenario']> {
  const issues: ValidationIssue[] = [];
  if (!isObject(body)) {
    return { ok: false, issues: [{ loc: ['body'], msg: 'Input should be an object', type: 'model_attributes_type', input: body }] };
  }
  const { user, latencyMs, generationMs, tokenLifetimeSeconds, failures } = body;
  if (typeof user !== 'string' || user === '') {
    issues.push({ loc: ['body', 'user'], msg: 'Field required: a non-empty string', type: 'missing', input: user });
  }
  const scenario: UserState['scenario'] = { user: String(user), failures: [] };
  const nonNegative = (value: unknown, name: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    issues.push({ loc: ['body', name], msg: 'Input should be a number >= 0', type: 'greater_than_equal', input: value });
    return undefined;
  };
  const latency = nonNegative(latencyMs, 'latencyMs');
  if (latency !== undefined) scenario.latencyMs = latency;
  const generation = nonNegative(generationMs, 'generationMs');
  if (generation !== undefined) scenario.generationMs = generation;
  const lifetime = nonNegative(tokenLifetimeSeconds, 'tokenLifetimeSeconds');
  if (lifetime !== undefined) scenario.tokenLifetimeSeconds = lifetime;

  if (failures !== undefined) {
    if (!Array.isArray(failures)) {
      issues.push({ loc: ['body', 'failures'], msg: 'Input should be a valid list', type: 'list_type', input: failures });
    } else {
      failures.forEach((spec, i) => {
        const parsed = parseFailure(spec, ['body', 'failures', i]);
        if (parsed.ok) scenario.failures.push(parsed.value);
        else issues.push(...parsed.issues);
      });
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: scenario };
}

function parseFailure(spec: unknown, loc: (string | number)[]): Parsed<FailureSpec> {
  if (!isObject(spec))
    return { ok: false, issues: [{ loc, msg: 'Input should be an object', type: 'model_attributes_type', input: spec }] };
  const issues: ValidationIssue[] = [];
  const bad = (field: string, msg: string) => issues.push({ loc: [...loc, field], msg, type: 'value_error', input: spec[field] });
  const route = spec.route ?? 'any';
  if (route !== 'any' && !ROUTE_NAMES.includes(route as RouteName))
    bad('route', `Input should be one of ${[...ROUTE_NAMES, 'any'].join(', ')}`);
  const kind = spec.kind ?? 'status';
  if (!FAILURE_KINDS.includes(kind as FailureSpec['kind'] & string)) bad('kind', `Input should be one of ${FAILURE_KINDS.join(', ')}`);
  const count = spec.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1) bad('count', 'Input should be an integer >= 1');
  const status = spec.status;
  if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)) {
    bad('status', 'Input should be an integer from 400 to 599');
  }
  const retryAfter = spec.retryAfter;
  if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || (retryAfter as number) < 0))
    bad('retryAfter', 'Input should be an integer >= 0 (seconds)');
  const hangMs = spec.hangMs;
  if (hangMs !== undefined && (typeof hangMs !== 'number' || !Number.isFinite(hangMs) || hangMs < 0))
    bad('hangMs', 'Input should be a number >= 0');
  const detail = spec.detail;
  if (detail !== undefined && typeof detail !== 'string') bad('detail', 'Input should be a valid string');
  if (issues.length) return { ok: false, issues };

  const value: FailureSpec = { route: route as FailureSpec['route'], count: count as number, kind: kind as FailureSpec['kind'] };
  if (status !== undefined) value.status = status as number;
  if (retryAfter !== undefined) value.retryAfter = retryAfter as number;
  if (hangMs !== undefined) value.hangMs = hangMs as number;
  if (detail !== undefined) value.detail = detail as string;
  return { ok: true, value };
}

/**
 * Consume one use of the first pending failure matching `route` (specs are
 * matched in order); a spec is removed when its count reaches zero.
 */
export function takeFailure(state: UserState, route: RouteName): FailureSpec | undefined {
  const failures = state.scenario.failures;
  const index = failures.findIndex((f) => f.route === undefined || f.route === 'any' || f.route === route);
  if (index < 0) return undefined;
  const spec = failures[index]!;
  const left = (spec.count ?? 1) - 1;
  if (left <= 0) failures.splice(index, 1);
  else failures[index] = { ...spec, count: left };
  return spec;
}

export interface FailureContext {
  route: RouteName;
  request: Request;
  sleep: (ms: number) => Promise<void>;
  /** Produces the real response, for the kinds that corrupt it (`truncated`, `wrong-types`). */
  real: () => Promise<Response>;
}

/** The response (or non-response) a failure spec stands for. */
export async function failureResponse(spec: FailureSpec, ctx: FailureContext): Promise<Response> {
  const headers: Record<string, string> = spec.retryAfter !== undefined ? { 'retry-after': String(spec.retryAfter) } : {};
  switch (spec.kind ?? 'status') {
    case 'status': {
      const status = spec.status ?? 500;
      // A 401 from Heidi mid-session means the token ran out: use its documented expiry form.
      if (status === 401) {
        return spec.detail === undefined ? tokenExpired(headers) : heidiError(401, spec.detail, 'TokenExpiredError', headers);
      }
      return heidiError(status, spec.detail ?? statusText(status), errorTypeFor(status), headers);
    }
    case 'malformed':
      return rawJson(200, '{"detail": oops, this is not JSON', headers);
    case 'truncated': {
      const real = await ctx.real();
      const text = await real.text();
      return rawJson(real.status, text.slice(0, Math.floor(text.length / 2)), headers);
    }
    case 'html':
      return htmlPage(spec.status ?? 502, headers);
    case 'wrong-types': {
      const real = await ctx.real();
      const text = await real.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return rawJson(real.status, text, headers);
      }
      return json(real.status, real.ok ? wrongTypes(ctx.route, body) : body, headers);
    }
    case 'network':
      return Response.error();
    case 'hang':
      // Stop waiting if the client gives up (where the host wires `request.signal` to the connection).
      await Promise.race([ctx.sleep(spec.hangMs ?? DEFAULT_HANG_MS), aborted(ctx.request.signal)]);
      return heidiError(504, 'Gateway Timeout', 'GatewayTimeoutError', headers);
  }
}

/** The real body with the fields a client relies on turned into the wrong JSON types. */
function wrongTypes(route: RouteName, body: unknown): unknown {
  if (!isObject(body)) return body;
  switch (route) {
    case 'jwt':
      return { ...body, token: 12345, expiration_time: 1722470400 };
    case 'create-session':
      return { ...body, session_id: 1234567890 };
    case 'get-session':
    case 'patch-session': {
      const session = isObject(body.session) ? body.session : {};
      return { ...body, session: { ...session, session_id: 1234567890, clinician_notes: 'not a list', patient: 'not an object' } };
    }
    case 'linked-user':
      return { ...body, sessions: 'not a list', count: '10', has_next_page: 'yes' };
    case 'transcript':
      return { ...body, transcript: 42 };
    case 'clinical-codes':
      return { ...body, session_id: 1234567890, clinical_entities: 'not a list' };
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
