/**
 * The integrator demo: a mock EHR encounter screen hosting <heidi-clinical-codes>
 * the way a vendor would, plus an integrator console (controls, event log,
 * embed snippet, mock scenarios) and a theming showcase.
 *
 * Everything from the API (note, names, sessions) is put on the page as text
 * (`textContent`), never as HTML.
 *
 * Query parameters: `?as=<user>` simulates the signed-in EHR user (passed to the
 * token route and used for the mock's scenario), so test runs never share mock
 * state; `?fixture=<id>` picks the first consultation.
 */
import { FIXTURES, findFixture, type Fixture } from '../fixtures/index.ts';
import { HEIDI_EVENT_TYPES, codeSystemInfo, type CodesCommitDetail, type CommittedCode, type HeidiClinicalCodes, type PatientInfo } from '../../src/index.ts';
import { renderSnippet, type SnippetInput } from './snippet.ts';
import { EventLog } from './event-log.ts';

// ------------------------------------------------------------------ setup

const DEMO_USER = 'demo-clinician';
const EHR_WRITE_MS = 600;
const SHORT_TOKEN_SECONDS = 20;

interface DemoConfig {
  mode: 'mock' | 'heidi';
  apiBase: string;
  tokenUrl: string;
}

interface EhrPatient {
  name: string;
  gender: string | undefined;
  dob: string | undefined;
  mrn: string | undefined;
  allergies: readonly string[] | undefined;
}

interface Appointment {
  id: string | undefined;
  when: string | undefined;
  what: string | undefined;
  minutes: number | undefined;
}

type Source = 'fixture' | 'recent' | 'new';

interface Settings {
  source: Source;
  fixtureId: string;
  /** For `recent`: the Heidi session to attach to. */
  sessionId: string;
  /** For `new`: sent to POST /sessions. */
  appointmentId: string;
  readonly: boolean;
  lang: string;
  theme: 'light' | 'dark' | 'auto';
  density: 'comfortable' | 'compact';
  codeSystems: string;
}

/** What the EHR knows about its own patients: Heidi has no allergies, so the host adds them. */
const ALLERGIES: Record<string, readonly string[]> = {
  'fx-knee-oa': [],
  'fx-t2dm-review': ['Penicillin (rash)'],
  'fx-skin-excision': ['Elastic adhesive dressings (skin reaction)'],
  'fx-glaucoma-check': ['Sulfonamides (rash)'],
  'fx-antenatal-16w': ['Latex (urticaria)'],
};

/** The EHR's patient for a new session in real-Heidi mode (no fixtures there). */
const HEIDI_MODE_PATIENT: EhrPatient = {
  name: 'Alex Demo',
  gender: 'OTHER',
  dob: '1980-01-01',
  mrn: 'EHR-PT-0001',
  allergies: [],
};

const params = new URLSearchParams(location.search);
const user = params.get('as') || DEMO_USER;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};

const ui = {
  modeBadge: $('mode-badge'),
  signedInAs: $('signed-in-as'),
  patientName: $('patient-name'),
  patientSex: $('patient-sex'),
  patientDob: $('patient-dob'),
  patientMrn: $('patient-mrn'),
  allergiesBox: $('patient-allergies-box'),
  allergies: $('patient-allergies'),
  appointment: $('appointment'),
  noteText: $('note-text'),
  noteMeta: $('note-meta'),
  codesSlot: $('codes-slot'),
  refresh: $<HTMLButtonElement>('refresh'),
  fixtureField: $('fixture-field'),
  fixture: $<HTMLSelectElement>('fixture'),
  loadRecent: $<HTMLButtonElement>('load-recent'),
  newSession: $<HTMLButtonElement>('new-session'),
  recentField: $('recent-field'),
  recent: $<HTMLSelectElement>('recent'),
  sessionLine: $('session-line'),
  lang: $<HTMLSelectElement>('lang'),
  theme: $<HTMLSelectElement>('theme'),
  density: $<HTMLSelectElement>('density'),
  readonly: $<HTMLInputElement>('readonly'),
  codeSystems: $<HTMLInputElement>('code-systems'),
  scenarioGroup: $('scenario-group'),
  latency: $<HTMLInputElement>('latency'),
  generation: $<HTMLInputElement>('generation'),
  failureKind: $<HTMLSelectElement>('failure-kind'),
  failureRoute: $<HTMLSelectElement>('failure-route'),
  armFailure: $<HTMLButtonElement>('arm-failure'),
  clearScenario: $<HTMLButtonElement>('clear-scenario'),
  shortToken: $<HTMLInputElement>('short-token'),
  open500: $<HTMLButtonElement>('open-500'),
  scenarioStatus: $('scenario-status'),
  eventLog: $<HTMLOListElement>('event-log'),
  logCount: $('log-count'),
  clearLog: $<HTMLButtonElement>('clear-log'),
  snippet: $('snippet'),
  copySnippet: $<HTMLButtonElement>('copy-snippet'),
  copyStatus: $('copy-status'),
  writeFails: $<HTMLInputElement>('ehr-write-fails'),
  vetoes: $<HTMLInputElement>('ehr-vetoes'),
  receivedStatus: $('received-status'),
  receivedLists: $('received-lists'),
  theming: $<HTMLDetailsElement>('theming'),
  themeSlotLight: $('theme-slot-light'),
  themeSlotDark: $('theme-slot-dark'),
  themeCss: $('theme-css'),
};

let config: DemoConfig = { mode: 'mock', apiBase: '/mock-heidi', tokenUrl: '/ehr/heidi-token' };
let main: HeidiClinicalCodes | undefined;
/** The session the main element is on (known once it fires heidi-session-start). */
let currentSessionId: string | undefined;
/** The patient open in the EHR, and the appointment: the host's own data. */
let ehrPatient: EhrPatient | undefined;
let newSessionCounter = 0;

const initialFixture = findFixture(params.get('fixture') ?? '')?.id ?? FIXTURES[0]?.id ?? '';
const settings: Settings = {
  source: 'fixture',
  fixtureId: initialFixture,
  sessionId: '',
  appointmentId: '',
  readonly: false,
  lang: 'en',
  theme: 'light',
  density: 'comfortable',
  codeSystems: '',
};

// ------------------------------------------------------------------ helpers

/** The token route for the simulated signed-in user. */
function tokenUrlFor(who: string | undefined): string {
  const url = new URL(config.tokenUrl, location.origin);
  if (who) url.searchParams.set('as', who);
  return url.origin === location.origin ? url.pathname + url.search : url.href;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function formatDate(iso: string | undefined, withTime = false): string {
  if (!iso) return '–';
  // Heidi's timestamps have no zone; a date alone is a calendar date. Both are shown as written.
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', {
    ...(withTime ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : {}),
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function ageOn(dob: string | undefined, at = new Date()): number | undefined {
  if (!dob || !/^\d{4}-\d{2}-\d{2}/.test(dob)) return undefined;
  const [y, m, d] = dob.slice(0, 10).split('-').map(Number) as [number, number, number];
  let age = at.getFullYear() - y;
  if (at.getMonth() + 1 < m || (at.getMonth() + 1 === m && at.getDate() < d)) age -= 1;
  return age >= 0 && age < 150 ? age : undefined;
}

function sexLabel(gender: string | undefined): string {
  if (!gender) return 'Not recorded';
  const g = gender.toLowerCase();
  return g === 'male' ? 'Male' : g === 'female' ? 'Female' : g === 'other' ? 'Other' : gender;
}

function clock(date = new Date()): string {
  return `${date.toLocaleTimeString('en-GB', { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

function setAttr(target: Element, name: string, value: string | boolean | undefined): void {
  if (value === undefined || value === false || value === '') {
    // Workaround: removing `code-systems` sets the element's property to null and its filter throws
    // ("Cannot read properties of null (reading 'split')"); an empty value means "all systems" too.
    if (name === 'code-systems' && target.hasAttribute(name)) target.setAttribute(name, '');
    else target.removeAttribute(name);
  } else {
    target.setAttribute(name, value === true ? '' : value);
  }
}

// ------------------------------------------------------------------ the host's own Heidi calls

let pageToken: { token: string; expiresAt: number } | undefined;

/** The host page's own token (same route the element uses), for its own Heidi calls. */
async function getPageToken(force = false): Promise<string> {
  if (!force && pageToken && pageToken.expiresAt - 30_000 > Date.now()) return pageToken.token;
  const response = await fetch(tokenUrlFor(user), { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`token route answered ${response.status}`);
  const body: unknown = await response.json();
  if (!isObject(body) || typeof body.token !== 'string') throw new Error('token route sent no token');
  const expires = Date.parse(String(body.expiration_time));
  pageToken = { token: body.token, expiresAt: Number.isFinite(expires) ? expires : Date.now() + 60_000 };
  return pageToken.token;
}

async function heidiGet(path: string): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const token = await getPageToken(attempt > 0);
    const response = await fetch(`${config.apiBase}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (response.status === 401 && attempt === 0) continue;
    if (!response.ok) throw new Error(`Heidi answered ${response.status} for ${path}`);
    return response.json();
  }
}

// ------------------------------------------------------------------ EHR data shown on the page

function fixturePatient(fixture: Fixture): EhrPatient {
  const p = fixture.session.patient;
  return {
    name: p?.name || 'Unnamed patient',
    gender: p?.gender ?? undefined,
    dob: p?.dob ?? undefined,
    mrn: str(fixture.session.ehr_patient_id),
    allergies: ALLERGIES[fixture.id] ?? [],
  };
}

function fixtureAppointment(fixture: Fixture): Appointment {
  return {
    id: str(fixture.session.ehr_appt_id),
    when: fixture.session.created_at ?? undefined,
    what: `${fixture.specialty} · ${fixture.session.session_name ?? fixture.title}`,
    minutes: typeof fixture.session.duration === 'number' ? Math.round(fixture.session.duration / 60) : undefined,
  };
}

/** A session from the Heidi API, as the EHR would show it when it has no record of its own. */
function sessionPatient(session: Record<string, unknown>): EhrPatient {
  const p = isObject(session.patient) ? session.patient : {};
  return {
    name: str(p.name) ?? 'Patient not recorded in Heidi',
    gender: str(p.gender),
    dob: str(p.dob),
    mrn: str(session.ehr_patient_id),
    allergies: undefined,
  };
}

function sessionAppointment(session: Record<string, unknown>): Appointment {
  return {
    id: str(session.ehr_appt_id),
    when: str(session.created_at),
    what: str(session.session_name),
    minutes: typeof session.duration === 'number' && session.duration > 0 ? Math.round(session.duration / 60) : undefined,
  };
}

function noteOf(session: Record<string, unknown>): string | undefined {
  const note = isObject(session.consult_note) ? session.consult_note : undefined;
  return str(note?.result);
}

function showPatient(patient: EhrPatient | undefined): void {
  ehrPatient = patient;
  ui.patientName.textContent = patient?.name ?? 'No patient open';
  ui.patientSex.textContent = sexLabel(patient?.gender);
  const age = ageOn(patient?.dob);
  ui.patientDob.textContent = patient?.dob ? `${formatDate(patient.dob)}${age !== undefined ? ` (${age} y)` : ''}` : 'Not recorded';
  ui.patientMrn.textContent = patient?.mrn ?? 'Not linked';
  const allergies = patient?.allergies;
  ui.allergies.textContent = allergies === undefined ? 'Not recorded' : allergies.length ? allergies.join(', ') : 'No known drug allergies';
  ui.allergiesBox.classList.toggle('has-allergies', !!allergies?.length);
}

function showAppointment(appointment: Appointment | undefined): void {
  ui.appointment.replaceChildren();
  if (!appointment) {
    ui.appointment.textContent = 'No appointment';
    return;
  }
  const parts = [
    appointment.when ? formatDate(appointment.when, true) : undefined,
    appointment.what,
    appointment.minutes ? `${appointment.minutes} min` : undefined,
    'Dr A. Rahman',
  ].filter((p): p is string => !!p);
  ui.appointment.append(el('strong', { text: 'Appointment ' }), el('span', { className: 'mono', text: appointment.id ?? 'unscheduled' }), ` · ${parts.join(' · ')}`);
}

function showNote(text: string | undefined, meta: string): void {
  ui.noteText.textContent = text ?? 'No note for this consultation yet.';
  ui.noteText.classList.toggle('empty', !text);
  ui.noteMeta.textContent = meta;
}

/** Fill the banner, appointment and note for a session the EHR has no record of, from Heidi. */
let sessionLookup = 0;
async function showSessionFromHeidi(sessionId: string, keepPatient: boolean): Promise<void> {
  const lookup = ++sessionLookup;
  if (!keepPatient) showPatient({ name: 'Loading patient…', gender: undefined, dob: undefined, mrn: undefined, allergies: undefined });
  showNote('Loading…', 'Read-only · from Heidi');
  try {
    const body = await heidiGet(`/sessions/${encodeURIComponent(sessionId)}`);
    if (lookup !== sessionLookup) return;
    const session = isObject(body) && isObject(body.session) ? body.session : {};
    if (!keepPatient) {
      const patient = sessionPatient(session);
      showPatient(patient);
      // The EHR opens this session's patient: the element's wrong-patient guard then agrees.
      if (main) setAttr(main, 'ehr-patient-id', patient.mrn);
      updateSnippet();
    }
    showAppointment(sessionAppointment(session));
    showNote(noteOf(session), 'Read-only · from Heidi');
  } catch (error) {
    if (lookup !== sessionLookup) return;
    showNote(undefined, `Could not load the note: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ------------------------------------------------------------------ the element

function createElement(): HeidiClinicalCodes {
  return document.createElement('heidi-clinical-codes');
}

/** Attributes and properties of the main element for the current settings (also what the snippet shows). */
function mainInput(): SnippetInput {
  const fixture = settings.source === 'fixture' ? findFixture(settings.fixtureId) : undefined;
  const sessionId = settings.source === 'fixture' ? fixture?.id : settings.source === 'recent' ? settings.sessionId : undefined;
  const patient = settings.source === 'recent' ? undefined : ehrPatient;
  return {
    tokenUrl: config.tokenUrl,
    apiBase: config.apiBase,
    sessionId,
    appointmentId: settings.source === 'new' ? settings.appointmentId : undefined,
    ehrPatientId: ehrPatient?.mrn,
    codeSystems: settings.codeSystems,
    readonly: settings.readonly,
    lang: settings.lang,
    theme: settings.theme,
    density: settings.density,
    patient: patient ? toPatientInfo(patient) : undefined,
  };
}

function toPatientInfo(patient: EhrPatient): PatientInfo {
  return {
    name: patient.name,
    ...(patient.gender ? { gender: patient.gender } : {}),
    ...(patient.dob ? { dob: patient.dob } : {}),
  };
}

function configureMain(target: HeidiClinicalCodes): void {
  const input = mainInput();
  setAttr(target, 'token-url', tokenUrlFor(params.get('as') ?? undefined));
  setAttr(target, 'api-base', input.apiBase);
  setAttr(target, 'session-id', input.sessionId);
  setAttr(target, 'ehr-appointment-id', input.appointmentId);
  setAttr(target, 'ehr-patient-id', input.ehrPatientId);
  setAttr(target, 'code-systems', input.codeSystems);
  setAttr(target, 'readonly', input.readonly);
  setAttr(target, 'lang', input.lang);
  setAttr(target, 'theme', input.theme);
  setAttr(target, 'density', input.density);
  // Only the EHR's own demographics are sent; a session picked from Heidi keeps Heidi's.
  if (input.patient) target.patient = input.patient;
}

function mountMain(): void {
  main = createElement();
  main.id = 'codes-main';
  configureMain(main);
  ui.codesSlot.replaceChildren(main);
}

/** Apply the settings: the EHR screen, then the element (one reload when the session changed), then the snippet. */
function apply(): void {
  if (settings.source === 'fixture') {
    const fixture = findFixture(settings.fixtureId);
    if (fixture) {
      sessionLookup += 1;
      showPatient(fixturePatient(fixture));
      showAppointment(fixtureAppointment(fixture));
      showNote(fixture.session.consult_note?.result ?? undefined, 'Read-only · from Heidi');
    }
  } else if (settings.source === 'new') {
    sessionLookup += 1;
    showAppointment({ id: settings.appointmentId, when: new Date().toISOString(), what: 'New consultation', minutes: undefined });
    showNote(undefined, 'Read-only · from Heidi');
  } else if (settings.source === 'recent') {
    void showSessionFromHeidi(settings.sessionId, false);
  }
  ui.fixture.value = settings.source === 'fixture' ? settings.fixtureId : '';
  if (main) configureMain(main);
  else mountMain();
  updateSessionLine();
  updateSnippet();
  syncTheming();
}

function updateSessionLine(): void {
  const input = mainInput();
  const text = input.sessionId
    ? `Session ${currentSessionId && currentSessionId === input.sessionId ? currentSessionId : input.sessionId}`
    : currentSessionId && settings.source === 'new'
      ? `New session ${currentSessionId} (created for ${settings.appointmentId})`
      : `New session for appointment ${settings.appointmentId} (POST /sessions)`;
  ui.sessionLine.textContent = text;
}

// ------------------------------------------------------------------ event log

const log = new EventLog(ui.eventLog, ui.logCount);
ui.clearLog.addEventListener('click', () => log.clear());

function sourceLabel(target: EventTarget | null): string | undefined {
  if (!(target instanceof HTMLElement) || target === main) return undefined;
  return target.dataset.label;
}

for (const name of HEIDI_EVENT_TYPES) {
  document.addEventListener(name, (event) => {
    log.add(name, (event as CustomEvent<unknown>).detail, sourceLabel(event.target));
    if (event.target === main) {
      if (name === 'heidi-session-start') onSessionStart((event as CustomEvent<{ sessionId: string; created: boolean }>).detail);
      scheduleScenarioStatus();
    }
  });
}

function onSessionStart(detail: { sessionId: string; created: boolean }): void {
  const changed = currentSessionId !== detail.sessionId;
  currentSessionId = detail.sessionId;
  if (changed) clearReceived();
  updateSessionLine();
  syncTheming();
  // A new session is made for the patient open in the EHR: show its note from Heidi.
  if (detail.created) void showSessionFromHeidi(detail.sessionId, true);
}

// ------------------------------------------------------------------ Received by the EHR

interface ReceivedCode {
  code: CommittedCode;
  at: Date;
}

const received = new Map<string, ReceivedCode>();

function clearReceived(): void {
  received.clear();
  ui.receivedLists.replaceChildren();
  setReceivedStatus('Nothing received yet. Accept codes and press “Send to EHR”.', 'idle');
}

function setReceivedStatus(text: string, state: 'idle' | 'pending' | 'ok' | 'bad'): void {
  ui.receivedStatus.textContent = text;
  ui.receivedStatus.dataset.state = state;
}

document.addEventListener('heidi-codes-commit', (event) => {
  const detail: CodesCommitDetail = event.detail;
  const count = detail.codes.length;
  const plural = count === 1 ? 'code' : 'codes';
  if (ui.vetoes.checked) {
    // The host declines: nothing is written and the element does not mark anything as sent.
    event.preventDefault();
    setReceivedStatus(`Vetoed at ${clock()}: the EHR declined ${count} ${plural} (preventDefault).`, 'bad');
    return;
  }
  const fails = ui.writeFails.checked;
  setReceivedStatus(`Writing ${count} ${plural} to the chart…`, 'pending');
  const write = new Promise<void>((resolve, reject) => {
    setTimeout(() => (fails ? reject(new Error('chart service unavailable (simulated)')) : resolve()), EHR_WRITE_MS);
  });
  // The element shows "Sent" only when the host's write succeeds.
  detail.waitUntil(write);
  write.then(
    () => {
      const at = new Date();
      for (const code of detail.codes) received.set(`${code.system}|${code.code}`, { code, at });
      setReceivedStatus(`Wrote ${count} ${plural} at ${clock(at)} · session ${detail.sessionId}`, 'ok');
      renderReceived();
    },
    (error: unknown) => {
      setReceivedStatus(`Write failed at ${clock()}: ${error instanceof Error ? error.message : String(error)}. Nothing was saved.`, 'bad');
    },
  );
});

function renderReceived(): void {
  const all = [...received.values()];
  const procedures = all.filter((r) => codeSystemInfo(r.code.codeSystem).kind === 'procedure');
  const problems = all.filter((r) => codeSystemInfo(r.code.codeSystem).kind !== 'procedure');
  ui.receivedLists.replaceChildren(
    ...(problems.length ? [receivedTable('Problem list', problems)] : []),
    ...(procedures.length ? [receivedTable('Claim lines', procedures)] : []),
  );
}

function receivedTable(caption: string, rows: readonly ReceivedCode[]): HTMLTableElement {
  const table = el('table', { className: 'received-table' });
  table.append(el('caption', { text: `${caption} (${rows.length})` }));
  const head = el('tr');
  for (const title of ['System', 'Code', 'Description', 'Evidence', 'Warnings']) {
    const th = el('th', { text: title });
    th.scope = 'col';
    head.append(th);
  }
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const { code } of rows) {
    const info = codeSystemInfo(code.codeSystem);
    const evidence = code.evidence.transcript.length + code.evidence.note.length;
    const tr = el('tr');
    tr.dataset.code = code.code;
    const system = el('td', { className: 'sys' }, el('span', { className: 'sys-label', text: info.label }));
    system.title = code.system;
    const warnings = el('td');
    if (code.warnings.length) warnings.append(...code.warnings.map((w) => el('span', { className: 'warn-chip', text: w })));
    else warnings.append(el('span', { className: 'muted', text: 'none' }));
    tr.append(
      system,
      el('td', { className: 'mono code', text: code.code }),
      el('td', { text: code.display }),
      el('td', {
        className: 'num',
        text: evidence
          ? `${evidence} (${code.evidence.transcript.length} transcript, ${code.evidence.note.length} note)`
          : '0',
      }),
      warnings,
    );
    body.append(tr);
  }
  table.append(body);
  return table;
}

// ------------------------------------------------------------------ controls

function fillFixtures(): void {
  ui.fixture.replaceChildren(
    ...FIXTURES.map((f) => {
      const option = el('option', { text: `${f.session.patient?.name ?? f.id} · ${f.title}` });
      option.value = f.id;
      return option;
    }),
  );
  // A placeholder shown when the element is on a non-fixture session.
  const other = el('option', { text: '(another session)' });
  other.value = '';
  other.disabled = true;
  ui.fixture.append(other);
}

ui.fixture.addEventListener('change', () => {
  if (!ui.fixture.value) return;
  settings.source = 'fixture';
  settings.fixtureId = ui.fixture.value;
  apply();
});

ui.loadRecent.addEventListener('click', () => void loadRecent());

async function loadRecent(openFirst = false): Promise<void> {
  ui.recentField.hidden = false;
  ui.recent.replaceChildren(el('option', { text: 'Loading recent sessions…' }));
  ui.recent.disabled = true;
  try {
    const body = await heidiGet('/sessions/linked-user?page_size=10');
    const sessions = isObject(body) && Array.isArray(body.sessions) ? body.sessions.filter(isObject) : [];
    const placeholder = el('option', { text: sessions.length ? `Choose one of ${sessions.length} sessions…` : 'No sessions yet' });
    placeholder.value = '';
    ui.recent.replaceChildren(
      placeholder,
      ...sessions.map((s) => {
        const id = str(s.session_id) ?? '';
        const patient = isObject(s.patient) ? str(s.patient.name) : undefined;
        const option = el('option', {
          text: `${str(s.session_name) ?? 'Untitled'} · ${patient ?? 'no patient'} · ${formatDate(str(s.created_at))}`,
        });
        option.value = id;
        return option;
      }),
    );
    ui.recent.disabled = false;
    const first = sessions[0] && str(sessions[0].session_id);
    if (openFirst && first) openSession(first);
  } catch (error) {
    ui.recent.replaceChildren(el('option', { text: `Could not list sessions: ${error instanceof Error ? error.message : String(error)}` }));
  }
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

ui.recent.addEventListener('change', () => {
  if (ui.recent.value) openSession(ui.recent.value);
});

ui.newSession.addEventListener('click', () => {
  newSessionCounter += 1;
  settings.source = 'new';
  settings.appointmentId = `EHR-APPT-${Date.now().toString(36).toUpperCase()}-${newSessionCounter}`;
  // A new consultation for the patient already open in the EHR (or a demo patient).
  if (!ehrPatient?.mrn || config.mode === 'heidi') showPatient(ehrPatient?.mrn ? ehrPatient : HEIDI_MODE_PATIENT);
  currentSessionId = undefined;
  apply();
});

ui.open500.addEventListener('click', () => {
  settings.source = 'recent';
  settings.sessionId = 'generated-500';
  apply();
});

ui.refresh.addEventListener('click', () => void main?.refresh());

function onAttributeControl(): void {
  settings.lang = ui.lang.value;
  settings.theme = ui.theme.value as Settings['theme'];
  settings.density = ui.density.value as Settings['density'];
  settings.readonly = ui.readonly.checked;
  settings.codeSystems = ui.codeSystems.value.trim();
  if (main) configureMain(main);
  updateSnippet();
  syncTheming();
}

for (const control of [ui.lang, ui.theme, ui.density, ui.readonly, ui.codeSystems]) control.addEventListener('change', onAttributeControl);
for (const chip of document.querySelectorAll<HTMLButtonElement>('[data-systems]')) {
  chip.addEventListener('click', () => {
    ui.codeSystems.value = chip.dataset.systems ?? '';
    onAttributeControl();
  });
}

// ------------------------------------------------------------------ mock scenario

interface FailureSpec {
  route: string;
  count: number;
  kind: string;
  status?: number;
  retryAfter?: number;
}

interface ScenarioBody {
  user: string;
  latencyMs?: number;
  generationMs?: number;
  tokenLifetimeSeconds?: number;
  failures?: FailureSpec[];
}

async function readScenario(): Promise<ScenarioBody> {
  const response = await fetch(`${config.apiBase}/__scenario?user=${encodeURIComponent(user)}`);
  if (!response.ok) throw new Error(`scenario answered ${response.status}`);
  return (await response.json()) as ScenarioBody;
}

async function writeScenario(change: (current: ScenarioBody) => ScenarioBody): Promise<void> {
  const current = await readScenario().catch((): ScenarioBody => ({ user, failures: [] }));
  const next = change({ ...current, user });
  const response = await fetch(`${config.apiBase}/__scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(next),
  });
  if (!response.ok) throw new Error(`scenario rejected: ${response.status}`);
  showScenario((await response.json()) as ScenarioBody);
}

function describeFailure(f: FailureSpec): string {
  const what = f.kind === 'status' ? String(f.status ?? 500) : f.kind;
  return `${f.count} × ${what} on ${f.route}`;
}

function showScenario(s: ScenarioBody): void {
  const parts = [
    s.latencyMs ? `latency ${s.latencyMs} ms` : '',
    s.generationMs ? `generation ${s.generationMs / 1000} s` : '',
    s.tokenLifetimeSeconds !== undefined ? `tokens live ${s.tokenLifetimeSeconds} s` : '',
    s.failures?.length ? `pending: ${s.failures.map(describeFailure).join(', ')}` : '',
  ].filter(Boolean);
  ui.scenarioStatus.textContent = parts.length ? `Scenario: ${parts.join(' · ')}.` : 'No scenario: the mock answers at once.';
  ui.scenarioStatus.dataset.pending = String(s.failures?.length ?? 0);
}

let scenarioTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleScenarioStatus(): void {
  if (config.mode !== 'mock') return;
  clearTimeout(scenarioTimer);
  scenarioTimer = setTimeout(() => void readScenario().then(showScenario, () => undefined), 150);
}

function reportScenarioError(error: unknown): void {
  ui.scenarioStatus.textContent = `Scenario not applied: ${error instanceof Error ? error.message : String(error)}`;
}

function numberOf(input: HTMLInputElement, scale: number): number | undefined {
  const value = Number(input.value);
  return Number.isFinite(value) && value > 0 ? Math.round(value * scale) : undefined;
}

function withTimings(s: ScenarioBody): ScenarioBody {
  const { latencyMs: _l, generationMs: _g, ...rest } = s;
  const latencyMs = numberOf(ui.latency, 1);
  const generationMs = numberOf(ui.generation, 1000);
  return { ...rest, ...(latencyMs ? { latencyMs } : {}), ...(generationMs ? { generationMs } : {}) };
}

for (const input of [ui.latency, ui.generation]) {
  input.addEventListener('change', () => void writeScenario(withTimings).catch(reportScenarioError));
}

ui.armFailure.addEventListener('click', () => {
  const kind = ui.failureKind.value;
  const spec: FailureSpec =
    kind === 'malformed'
      ? { route: ui.failureRoute.value, count: 1, kind: 'malformed' }
      : { route: ui.failureRoute.value, count: 1, kind: 'status', status: Number(kind), ...(kind === '429' ? { retryAfter: 1 } : {}) };
  void writeScenario((s) => ({ ...s, failures: [...(s.failures ?? []), spec] })).catch(reportScenarioError);
});

ui.clearScenario.addEventListener('click', () => {
  ui.latency.value = '0';
  ui.generation.value = '0';
  const hadShortTokens = ui.shortToken.checked;
  ui.shortToken.checked = false;
  void writeScenario(() => ({ user, failures: [] }))
    .then(() => {
      if (hadShortTokens) mountMain();
    })
    .catch(reportScenarioError);
});

ui.shortToken.addEventListener('change', () => {
  void writeScenario((s) => {
    const { tokenLifetimeSeconds: _t, ...rest } = s;
    return ui.shortToken.checked ? { ...rest, tokenLifetimeSeconds: SHORT_TOKEN_SECONDS } : rest;
  })
    // The element keeps its current token until it expires: remount it so it fetches one under the new lifetime.
    .then(() => mountMain())
    .catch(reportScenarioError);
});

// ------------------------------------------------------------------ embed snippet

function updateSnippet(): void {
  ui.snippet.textContent = renderSnippet(mainInput());
}

ui.copySnippet.addEventListener('click', () => void copySnippet());

async function copySnippet(): Promise<void> {
  const text = ui.snippet.textContent ?? '';
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard permission (or an insecure context): select the text and use the legacy command.
    const area = el('textarea', { className: 'offscreen' });
    area.value = text;
    area.setAttribute('readonly', '');
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
  }
  ui.copyStatus.textContent = ok ? 'Copied to the clipboard.' : 'Copy failed: select the snippet and copy it by hand.';
  if (!ok) {
    const range = document.createRange();
    range.selectNodeContents(ui.snippet);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
}

// ------------------------------------------------------------------ theming

const HOST_DARK_THEME: Record<string, string> = {
  '--heidi-accent': '#2dd4bf',
  '--heidi-on-accent': '#042f2e',
  '--heidi-surface': '#0f172a',
  '--heidi-surface-raised': '#1e293b',
  '--heidi-text': '#e2e8f0',
  '--heidi-text-muted': '#94a3b8',
  '--heidi-border': '#334155',
  '--heidi-radius': '14px',
  '--heidi-font': "ui-rounded, 'SF Pro Rounded', 'Segoe UI', system-ui, sans-serif",
  '--heidi-focus': '#5eead4',
};

ui.themeCss.textContent = `heidi-clinical-codes[theme="dark"] {\n${Object.entries(HOST_DARK_THEME)
  .map(([k, v]) => `  ${k}: ${v};`)
  .join('\n')}\n}`;

let themeLight: HeidiClinicalCodes | undefined;
let themeDark: HeidiClinicalCodes | undefined;

function configureThemed(target: HeidiClinicalCodes, theme: 'light' | 'dark'): void {
  setAttr(target, 'token-url', tokenUrlFor(params.get('as') ?? undefined));
  setAttr(target, 'api-base', config.apiBase);
  setAttr(target, 'session-id', currentSessionId);
  setAttr(target, 'code-systems', settings.codeSystems);
  setAttr(target, 'lang', settings.lang);
  setAttr(target, 'readonly', true);
  setAttr(target, 'density', 'compact');
  setAttr(target, 'theme', theme);
}

/** Only instantiate the two samples once the section is opened, and only for a known session. */
function syncTheming(): void {
  if (!ui.theming.open || !currentSessionId) return;
  if (!themeLight) {
    themeLight = createElement();
    themeLight.dataset.label = 'theming · light';
    ui.themeSlotLight.append(themeLight);
  }
  if (!themeDark) {
    themeDark = createElement();
    themeDark.dataset.label = 'theming · dark';
    for (const [name, value] of Object.entries(HOST_DARK_THEME)) themeDark.style.setProperty(name, value);
    ui.themeSlotDark.append(themeDark);
  }
  configureThemed(themeLight, 'light');
  configureThemed(themeDark, 'dark');
}

ui.theming.addEventListener('toggle', () => {
  if (ui.theming.open && !currentSessionId) {
    ui.themeSlotLight.textContent = 'Waiting for the main element to open a session…';
  }
  syncTheming();
});

// ------------------------------------------------------------------ start

async function start(): Promise<void> {
  ui.signedInAs.textContent = user;
  try {
    const response = await fetch('/ehr/demo-config', { cache: 'no-store' });
    if (response.ok) {
      const body: unknown = await response.json();
      if (isObject(body) && (body.mode === 'mock' || body.mode === 'heidi') && typeof body.apiBase === 'string' && typeof body.tokenUrl === 'string') {
        config = { mode: body.mode, apiBase: body.apiBase, tokenUrl: body.tokenUrl };
      }
    }
  } catch {
    // Keep the mock defaults: the page still works against the Vite dev server's mock.
  }
  document.body.dataset.mode = config.mode;
  ui.modeBadge.textContent = config.mode === 'mock' ? 'Mock Heidi API' : 'Heidi API';
  clearReceived();

  if (config.mode === 'mock') {
    fillFixtures();
    apply();
    scheduleScenarioStatus();
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
