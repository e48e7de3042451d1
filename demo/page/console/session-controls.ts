/** Console: which consultation the element is on (a fixture, a recent Heidi session, or a new one). */
import { FIXTURES, findFixture } from '../../fixtures/index.ts';
import { apply } from '../app.ts';
import { HEIDI_MODE_PATIENT, showPatient } from '../chart.ts';
import { mainElement } from '../codes-element.ts';
import { el, errorText, formatDate } from '../dom.ts';
import { listRecentSessions } from '../host-api.ts';
import { chart, config, settings } from '../state.ts';
import { ui } from '../ui.ts';

let newSessionCounter = 0;

function option(value: string, text: string): HTMLOptionElement {
  const node = el('option', { text });
  node.value = value;
  return node;
}

export function fillFixtures(): void {
  ui.fixture.replaceChildren(...FIXTURES.map((f) => option(f.id, `${f.session.patient?.name ?? f.id} · ${f.title}`)));
  // A placeholder shown when the element is on a non-fixture session.
  const other = option('', '(another session)');
  other.disabled = true;
  ui.fixture.append(other);
}

function openSession(id: string): void {
  const fixture = config.mode === 'mock' ? findFixture(id) : undefined;
  if (fixture) {
    settings.source = 'fixture';
    settings.fixtureId = fixture.id;
  } else {
    settings.source = 'recent';
    settings.sessionId = id;
  }
  ui.recent.value = id;
  apply();
}

/** List the signed-in user's recent Heidi sessions; `openFirst` attaches the element to the newest. */
export async function loadRecent(openFirst = false): Promise<void> {
  ui.recentField.hidden = false;
  ui.recent.replaceChildren(el('option', { text: 'Loading recent sessions…' }));
  ui.recent.disabled = true;
  try {
    const sessions = await listRecentSessions(10);
    ui.recent.replaceChildren(
      option('', sessions.length ? `Choose one of ${sessions.length} sessions…` : 'No sessions yet'),
      ...sessions.map((s) =>
        option(s.session_id, `${s.session_name || 'Untitled'} · ${s.patient?.name || 'no patient'} · ${formatDate(s.created_at)}`),
      ),
    );
    ui.recent.disabled = false;
    const first = sessions[0]?.session_id;
    if (openFirst && first) openSession(first);
  } catch (error) {
    ui.recent.replaceChildren(el('option', { text: `Could not list sessions: ${errorText(error)}` }));
  }
}

export function wireSessionControls(): void {
  ui.fixture.addEventListener('change', () => {
    if (!ui.fixture.value) return;
    settings.source = 'fixture';
    settings.fixtureId = ui.fixture.value;
    apply();
  });
  ui.loadRecent.addEventListener('click', () => void loadRecent());
  ui.recent.addEventListener('change', () => {
    if (ui.recent.value) openSession(ui.recent.value);
  });
  ui.newSession.addEventListener('click', () => {
    newSessionCounter += 1;
    settings.source = 'new';
    settings.appointmentId = `EHR-APPT-${Date.now().toString(36).toUpperCase()}-${newSessionCounter}`;
    // A new consultation for the patient already open in the EHR (or a demo patient).
    const patient = chart.patient;
    if (!patient?.mrn || config.mode === 'heidi') showPatient(patient?.mrn ? patient : HEIDI_MODE_PATIENT);
    chart.sessionId = undefined;
    apply();
  });
  ui.open500.addEventListener('click', () => {
    settings.source = 'recent';
    settings.sessionId = 'generated-500';
    apply();
  });
  ui.refresh.addEventListener('click', () => void mainElement()?.refresh());
}
