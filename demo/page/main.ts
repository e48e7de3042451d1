/**
 * The integrator demo: a mock EHR encounter screen hosting <heidi-clinical-codes>
 * the way a vendor would, plus an integrator console (controls, event log,
 * embed snippet, mock scenarios) and a theming showcase. This module only
 * starts the page; each concern has its own module:
 *   state.ts          config, signed-in user, console settings, what the chart shows
 *   app.ts            applies the state to the chart, the element and the console; hears the element's events
 *   host-api.ts       the page's own Heidi calls (shipped HeidiClient/TokenManager) and the mocks' scenario routes
 *   chart.ts          patient banner, appointment, consultation note
 *   codes-element.ts  the embedded element and its attributes/properties
 *   received.ts       "Received by the EHR" (handoff.ts: FHIR bundle, audit, added/removed)
 *   console/*.ts      session, attribute/engine and scenario controls
 *   event-log.ts, snippet.ts, theming.ts, clipboard.ts, dom.ts, ui.ts
 */
import { apply, listenToElementEvents, updateSnippet } from './app.ts';
import { HEIDI_MODE_PATIENT, showNote, showPatient } from './chart.ts';
import { copyText } from './clipboard.ts';
import { wireAttributeControls } from './console/attribute-controls.ts';
import { scheduleScenarioStatus, wireScenarioControls } from './console/scenario-controls.ts';
import { fillFixtures, loadRecent, wireSessionControls } from './console/session-controls.ts';
import { el } from './dom.ts';
import { clearReceived, wireReceived } from './received.ts';
import { config, loadConfig, settings, user } from './state.ts';
import { wireTheming } from './theming.ts';
import { ui } from './ui.ts';

async function start(): Promise<void> {
  ui.signedInAs.textContent = user;
  await loadConfig();
  document.body.dataset.mode = config.mode;
  ui.modeBadge.textContent = config.mode === 'mock' ? 'Mock Heidi API' : 'Heidi API';

  listenToElementEvents(scheduleScenarioStatus);
  wireReceived();
  clearReceived();
  wireSessionControls();
  wireAttributeControls();
  wireTheming();
  ui.copySnippet.addEventListener('click', () => void copyText(ui.snippet.textContent ?? '', ui.snippet, ui.copyStatus));

  if (config.mode === 'mock') {
    fillFixtures();
    wireScenarioControls();
    apply();
  } else {
    // Real Heidi: no fixtures, no scenario controls. Open the newest session, or start a new one from the console.
    ui.fixtureField.hidden = true;
    ui.scenarioGroup.hidden = true;
    settings.source = 'recent';
    settings.sessionId = '';
    ui.codesSlot.replaceChildren(
      el('p', { className: 'codes-placeholder', text: 'Choose a recent Heidi session or start a new one in the integrator console.' }),
    );
    showPatient(HEIDI_MODE_PATIENT);
    showNote(undefined, 'Choose a recent session or start a new one');
    updateSnippet();
    await loadRecent(true);
  }
  document.body.dataset.ready = 'true';
}

void start();
