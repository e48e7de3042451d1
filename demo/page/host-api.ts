/**
 * The host page's own calls: Heidi (through the shipped `HeidiClient` and
 * `TokenManager`, so the page shares the element's token rules, 401 retry and
 * zod schemas) and the mocks' scenario control routes (dev server only).
 */
import { HeidiClient } from '../../src/core/client.ts';
import { TokenManager } from '../../src/core/token.ts';
import type { LinkedSessionsResponse, Session } from '../../src/core/schemas.ts';
import { parseScenario } from '../mock-heidi/scenario.ts';
import type { Scenario } from '../mock-heidi/types.ts';
import { config, tokenUrlFor, user } from './state.ts';

let client: HeidiClient | undefined;

/** One client for the page (created after the config is known), with its own token from the same route the element uses. */
function heidi(): HeidiClient {
  client ??= new HeidiClient({
    apiBase: config.apiBase,
    tokens: new TokenManager({
      source: () => ({ kind: 'url', url: tokenUrlFor(user) }),
      // The page never sets a token by hand, so nothing waits for one.
      onHostTokenNeeded: () => undefined,
    }),
  });
  return client;
}

export function getSession(sessionId: string): Promise<Session> {
  return heidi().getSession(sessionId);
}

export function listRecentSessions(pageSize = 10): Promise<LinkedSessionsResponse['sessions']> {
  return heidi()
    .listLinkedSessions(pageSize)
    .then((body) => body.sessions);
}

// ------------------------------------------------------------------ the mock Heidi's scenario

async function scenarioFrom(response: Response): Promise<Scenario> {
  if (!response.ok) throw new Error(`scenario answered ${response.status}`);
  // The mock's own validator: the page reads the scenario exactly as the mock understands it.
  const parsed = parseScenario(await response.json());
  if (!parsed.ok) throw new Error(`scenario in an unexpected shape: ${parsed.issues.map((i) => i.msg).join('; ')}`);
  return parsed.value;
}

export async function readScenario(): Promise<Scenario> {
  return scenarioFrom(await fetch(`${config.apiBase}/__scenario?user=${encodeURIComponent(user)}`));
}

/** Read, change and write back this user's scenario (the mock replaces the whole scenario on POST). */
export async function writeScenario(change: (current: Scenario) => Scenario): Promise<Scenario> {
  const current = await readScenario().catch((): Scenario => ({ user, failures: [] }));
  const response = await fetch(`${config.apiBase}/__scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change({ ...current, user })),
  });
  return scenarioFrom(response);
}

// ------------------------------------------------------------------ the peer mocks' scenarios

export type PeerMock = 'sully' | 'omniscribe';

export const PEER_SCENARIO_URLS: Readonly<Record<PeerMock, string>> = {
  sully: '/mock-sully/__scenario',
  omniscribe: '/mock-omniscribe/__scenario',
};

export type PeerScenarioResult = 'applied' | 'missing';

/** POST a scenario to a peer mock. `missing` when the dev server has no such mock (404). */
export async function postPeerScenario(peer: PeerMock, body: object): Promise<PeerScenarioResult> {
  const response = await fetch(PEER_SCENARIO_URLS[peer], {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 404) return 'missing';
  if (!response.ok) throw new Error(`${peer} scenario answered ${response.status}`);
  return 'applied';
}

/**
 * Whether a peer mock's control route exists, without changing it. `accept: application/json` keeps
 * Vite's SPA fallback from answering index.html; a route that only takes POST (405) exists too.
 */
export async function peerScenarioExists(peer: PeerMock): Promise<boolean> {
  try {
    const response = await fetch(`${PEER_SCENARIO_URLS[peer]}?user=${encodeURIComponent(user)}`, {
      headers: { accept: 'application/json' },
    });
    return response.status !== 404 && !(response.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}
