/**
 * A deterministic harness around the mock for Node tests: a fake clock, a
 * sleep that resolves at once but advances that clock (so latency shows in
 * the request log's timings without waiting), and helpers that get a token
 * and call routes as a given user.
 */
import { createMockHeidi, MOCK_HEIDI_API_KEY, type MockHeidi, type MockHeidiOptions } from './index.ts';
import type { LogEntry, Scenario } from './types.ts';

export const TEST_ORIGIN = 'http://mock.test';

export interface MockHarness {
  mock: MockHeidi;
  /** The fake clock in ms; move it to expire tokens. */
  clock: { now: number };
  /** Every `sleep(ms)` the mock asked for, in order. */
  sleeps: number[];
  /** `mock.handle` for a path below `/mock-heidi` (e.g. `/sessions/x`); fails the test if the mock declines. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A fresh token for `user` from `GET /jwt`. */
  token(user: string, email?: string): Promise<string>;
  /** Call a Heidi route as `user` (gets and caches a token first). */
  as(user: string): (path: string, init?: RequestInit) => Promise<Response>;
  setScenario(scenario: Scenario): Promise<Response>;
  log(user: string): Promise<LogEntry[]>;
}

export function createMockHarness(options: MockHeidiOptions = {}): MockHarness {
  const clock = { now: Date.UTC(2025, 0, 1, 9, 0, 0) };
  const sleeps: number[] = [];
  const mock = createMockHeidi({
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    ...options,
  });
  const basePath = options.basePath ?? '/mock-heidi';

  const fetch = async (path: string, init?: RequestInit): Promise<Response> => {
    const response = await mock.handle(new Request(`${TEST_ORIGIN}${basePath}${path}`, init));
    if (!response) throw new Error(`mock declined ${path}`);
    return response;
  };

  const token = async (user: string, email = 'test@heidihealth.com'): Promise<string> => {
    const query = new URLSearchParams({ email, third_party_internal_id: user });
    const response = await fetch(`/jwt?${query}`, { headers: { 'Heidi-Api-Key': options.apiKey ?? MOCK_HEIDI_API_KEY } });
    if (response.status !== 200) throw new Error(`token for ${user}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };

  const tokens = new Map<string, string>();
  const as =
    (user: string) =>
    async (path: string, init: RequestInit = {}): Promise<Response> => {
      let t = tokens.get(user);
      if (!t) tokens.set(user, (t = await token(user)));
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${t}`);
      return fetch(path, { ...init, headers });
    };

  const setScenario = (scenario: Scenario) =>
    fetch('/__scenario', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario) });

  const log = async (user: string): Promise<LogEntry[]> =>
    (await (await fetch(`/__log?user=${encodeURIComponent(user)}`)).json()) as LogEntry[];

  return { mock, clock, sleeps, fetch, token, as, setScenario, log };
}
