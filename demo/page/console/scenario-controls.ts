/**
 * Console: the mocks' scenarios (dev server only). The mock Heidi's latency,
 * slow generation, injected failures and token lifetime for this user; and the
 * peer mocks' "fails next coding" and "slow" switches, disabled when the dev
 * server has no such mock.
 */
import { mountMain } from '../codes-element.ts';
import { errorText } from '../dom.ts';
import { peerScenarioExists, postPeerScenario, readScenario, writeScenario, type PeerMock } from '../host-api.ts';
import { ROUTE_NAMES, type FailureSpec, type RouteName, type Scenario } from '../../mock-heidi/types.ts';
import { DEMO_USER, config, user } from '../state.ts';
import { ui } from '../ui.ts';

const SHORT_TOKEN_SECONDS = 20;

/**
 * Whose scenario a peer mock changes: they keep state per `x-doctor` header, else a `default` user.
 * The EHR's Omniscribe forwarder sends the user it resolves for the element's call (the dev backend reads
 * `?as=`, which the element's forwarder URLs never carry, so always DEMO_USER); Sully's gets no such header.
 */
const PEER_MOCK_USER: Readonly<Record<PeerMock, string | undefined>> = { sully: undefined, omniscribe: DEMO_USER };
const OMNISCRIBE_SLOW_MS = 30_000;

function describeFailure(f: FailureSpec): string {
  const what = f.kind === 'status' || f.kind === undefined ? String(f.status ?? 500) : f.kind;
  return `${f.count ?? 1} × ${what} on ${f.route ?? 'any'}`;
}

function showScenario(s: Scenario): void {
  const failures = s.failures ?? [];
  const parts = [
    s.latencyMs ? `latency ${s.latencyMs} ms` : '',
    s.generationMs ? `generation ${s.generationMs / 1000} s` : '',
    s.tokenLifetimeSeconds !== undefined ? `tokens live ${s.tokenLifetimeSeconds} s` : '',
    failures.length ? `pending: ${failures.map(describeFailure).join(', ')}` : '',
  ].filter(Boolean);
  ui.scenarioStatus.textContent = parts.length ? `Scenario: ${parts.join(' · ')}.` : 'No scenario: the mock answers at once.';
  ui.scenarioStatus.dataset.pending = String(failures.length);
}

function reportScenarioError(error: unknown): void {
  ui.scenarioStatus.textContent = `Scenario not applied: ${errorText(error)}`;
}

function change(update: (current: Scenario) => Scenario): Promise<void> {
  return writeScenario(update).then(showScenario);
}

let scenarioTimer: ReturnType<typeof setTimeout> | undefined;

/** Re-read the scenario shortly after the element called the mock (a failure may have been used up). */
export function scheduleScenarioStatus(): void {
  if (config.mode !== 'mock') return;
  clearTimeout(scenarioTimer);
  scenarioTimer = setTimeout(() => void readScenario().then(showScenario, () => undefined), 150);
}

function numberOf(input: HTMLInputElement, scale: number): number | undefined {
  const value = Number(input.value);
  return Number.isFinite(value) && value > 0 ? Math.round(value * scale) : undefined;
}

function withTimings(s: Scenario): Scenario {
  const { latencyMs: _l, generationMs: _g, ...rest } = s;
  const latencyMs = numberOf(ui.latency, 1);
  const generationMs = numberOf(ui.generation, 1000);
  return { ...rest, ...(latencyMs ? { latencyMs } : {}), ...(generationMs ? { generationMs } : {}) };
}

function armedFailure(): FailureSpec {
  const kind = ui.failureKind.value;
  const chosen = ui.failureRoute.value;
  const route = ROUTE_NAMES.find((name): name is RouteName => name === chosen) ?? 'any';
  if (kind === 'malformed') return { route, count: 1, kind: 'malformed' };
  return { route, count: 1, kind: 'status', status: Number(kind), ...(kind === '429' ? { retryAfter: 1 } : {}) };
}

function wireHeidiScenario(): void {
  for (const input of [ui.latency, ui.generation]) {
    input.addEventListener('change', () => void change(withTimings).catch(reportScenarioError));
  }
  ui.armFailure.addEventListener('click', () => {
    const spec = armedFailure();
    void change((s) => ({ ...s, failures: [...(s.failures ?? []), spec] })).catch(reportScenarioError);
  });
  ui.clearScenario.addEventListener('click', () => {
    ui.latency.value = '0';
    ui.generation.value = '0';
    const hadShortTokens = ui.shortToken.checked;
    ui.shortToken.checked = false;
    void change(() => ({ user, failures: [] }))
      .then(() => {
        if (hadShortTokens) mountMain();
      })
      .catch(reportScenarioError);
    if (ui.omniscribeSlow.checked && !ui.omniscribeSlow.disabled) {
      ui.omniscribeSlow.checked = false;
      void applyPeer('omniscribe', { latencyMs: 0 }, 'Omniscribe answers at once again.');
    }
  });
  ui.shortToken.addEventListener('change', () => {
    void change((s) => {
      const { tokenLifetimeSeconds: _t, ...rest } = s;
      return ui.shortToken.checked ? { ...rest, tokenLifetimeSeconds: SHORT_TOKEN_SECONDS } : rest;
    })
      // The element keeps its current token until it expires: remount it so it fetches one under the new lifetime.
      .then(() => mountMain())
      .catch(reportScenarioError);
  });
}

// ------------------------------------------------------------------ peer mocks

const PEER_CONTROLS: Readonly<Record<PeerMock, () => HTMLButtonElement | HTMLInputElement>> = {
  sully: () => ui.sullyFails,
  omniscribe: () => ui.omniscribeSlow,
};

const PEER_LABELS: Readonly<Record<PeerMock, string>> = { sully: 'Sully', omniscribe: 'Omniscribe' };

function markMissing(peer: PeerMock): void {
  const control = PEER_CONTROLS[peer]();
  control.disabled = true;
  control.closest('.row')?.classList.add('is-missing');
  control.title = `This dev server has no ${PEER_LABELS[peer]} mock (its control route answered 404).`;
}

async function applyPeer(peer: PeerMock, body: object, done: string): Promise<void> {
  try {
    const who = PEER_MOCK_USER[peer];
    const result = await postPeerScenario(peer, who ? { user: who, ...body } : body);
    if (result === 'missing') {
      markMissing(peer);
      ui.peerScenarioStatus.textContent = `No ${PEER_LABELS[peer]} mock on this server.`;
    } else {
      ui.peerScenarioStatus.textContent = done;
    }
  } catch (error) {
    ui.peerScenarioStatus.textContent = `${PEER_LABELS[peer]} scenario not applied: ${errorText(error)}`;
  }
}

async function wirePeerScenarios(): Promise<void> {
  ui.sullyFails.addEventListener('click', () => {
    void applyPeer('sully', { failures: [{ count: 1, kind: 'failed' }] }, 'Sully will fail its next coding.');
  });
  ui.omniscribeSlow.addEventListener('change', () => {
    const slow = ui.omniscribeSlow.checked;
    void applyPeer(
      'omniscribe',
      { latencyMs: slow ? OMNISCRIBE_SLOW_MS : 0 },
      slow ? `Omniscribe answers after ${OMNISCRIBE_SLOW_MS / 1000} s.` : 'Omniscribe answers at once again.',
    );
  });
  const present = await Promise.all(
    (['sully', 'omniscribe'] as const).map(async (peer) => [peer, await peerScenarioExists(peer)] as const),
  );
  const missing = present.filter(([, exists]) => !exists).map(([peer]) => peer);
  missing.forEach(markMissing);
  if (missing.length) {
    ui.peerScenarioStatus.textContent = `Not on this dev server yet: ${missing.map((peer) => `${PEER_LABELS[peer]} mock`).join(', ')}.`;
  }
}

export function wireScenarioControls(): void {
  wireHeidiScenario();
  void wirePeerScenarios();
  scheduleScenarioStatus();
}
