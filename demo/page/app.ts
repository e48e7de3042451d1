/**
 * Applying the demo's state: the EHR screen, then the element (one reload when
 * the session changed), then the session line, snippet and theming samples;
 * and the page's reaction to the element's events.
 */
import { findFixture } from '../fixtures/index.ts';
import { HEIDI_EVENT_TYPES, type SessionStartDetail } from '../../src/index.ts';
import {
  cancelSessionLookup,
  fixtureAppointment,
  fixturePatient,
  showAppointment,
  showNote,
  showPatient,
  showSessionFromHeidi,
} from './chart.ts';
import { mainElement, syncMain } from './codes-element.ts';
import { EventLog } from './event-log.ts';
import { clearReceived } from './received.ts';
import { renderSnippet } from './snippet.ts';
import { chart, elementInput, settings } from './state.ts';
import { syncTheming } from './theming.ts';
import { ui } from './ui.ts';

/** Everything derived from the settings and the chart, without touching the chart itself. */
export function refresh(): void {
  syncMain();
  updateSessionLine();
  updateSnippet();
  syncTheming();
}

/** Open the consultation the settings name, then refresh the element and the console. */
export function apply(): void {
  if (settings.source === 'fixture') {
    const fixture = findFixture(settings.fixtureId);
    if (fixture) {
      cancelSessionLookup();
      showPatient(fixturePatient(fixture));
      showAppointment(fixtureAppointment(fixture));
      showNote(fixture.session.consult_note?.result ?? undefined);
    }
  } else if (settings.source === 'new') {
    cancelSessionLookup();
    showAppointment({ id: settings.appointmentId, when: new Date().toISOString(), what: 'New consultation', minutes: undefined });
    showNote(undefined);
  } else if (settings.source === 'recent') {
    // The EHR opens this session's patient (and note) once Heidi answers: the element's wrong-patient guard then agrees.
    void showSessionFromHeidi(settings.sessionId, false, refresh);
  }
  ui.fixture.value = settings.source === 'fixture' ? settings.fixtureId : '';
  refresh();
}

export function updateSnippet(): void {
  ui.snippet.textContent = renderSnippet(elementInput());
}

function updateSessionLine(): void {
  const { sessionId } = elementInput();
  const current = chart.sessionId;
  ui.sessionLine.textContent = sessionId
    ? `Session ${current && current === sessionId ? current : sessionId}`
    : current && settings.source === 'new'
      ? `New session ${current} (created for ${settings.appointmentId})`
      : `New session for appointment ${settings.appointmentId} (POST /sessions)`;
}

function onSessionStart(detail: SessionStartDetail): void {
  const changed = chart.sessionId !== detail.sessionId;
  chart.sessionId = detail.sessionId;
  if (changed) clearReceived();
  updateSessionLine();
  syncTheming();
  // A new session is made for the patient open in the EHR: show its note from Heidi.
  if (detail.created) void showSessionFromHeidi(detail.sessionId, true, refresh);
}

/** The theming samples label themselves; the main element's events carry no source label. */
function sourceLabel(target: EventTarget | null): string | undefined {
  if (!(target instanceof HTMLElement) || target === mainElement()) return undefined;
  return target.dataset.label;
}

/** Log every `heidi-*` event heard on the document; the main element's session start drives the page. */
export function listenToElementEvents(onMainEvent: () => void): EventLog {
  const log = new EventLog(ui.eventLog, ui.logCount);
  ui.clearLog.addEventListener('click', () => log.clear());
  for (const name of HEIDI_EVENT_TYPES) {
    document.addEventListener(name, (event) => {
      const { detail } = event as CustomEvent<unknown>;
      log.add(name, detail, sourceLabel(event.target));
      if (event.target === mainElement()) onMainEvent();
    });
  }
  document.addEventListener('heidi-session-start', (event) => {
    if (event.target === mainElement()) onSessionStart(event.detail);
  });
  return log;
}
