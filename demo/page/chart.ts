/**
 * The mock EHR's own screen: the patient banner, the appointment line and the
 * consultation note. Fixture consultations come from the EHR's records; any
 * other session is read from Heidi with the host's client.
 */
import type { Fixture } from '../fixtures/index.ts';
import type { Session } from '../../src/core/schemas.ts';
import { el, errorText, formatDate } from './dom.ts';
import { getSession } from './host-api.ts';
import { chart, type EhrPatient } from './state.ts';
import { ui } from './ui.ts';

export interface Appointment {
  id: string | undefined;
  when: string | undefined;
  what: string | undefined;
  minutes: number | undefined;
}

/** What the EHR knows about its own patients: Heidi has no allergies, so the host adds them. */
const ALLERGIES = new Map<string, readonly string[]>([
  ['fx-knee-oa', []],
  ['fx-t2dm-review', ['Penicillin (rash)']],
  ['fx-skin-excision', ['Elastic adhesive dressings (skin reaction)']],
  ['fx-glaucoma-check', ['Sulfonamides (rash)']],
  ['fx-antenatal-16w', ['Latex (urticaria)']],
]);

/** The EHR's patient for a new session in real-Heidi mode (no fixtures there). */
export const HEIDI_MODE_PATIENT: EhrPatient = {
  name: 'Alex Demo',
  gender: 'OTHER',
  dob: '1980-01-01',
  mrn: 'EHR-PT-0001',
  allergies: [],
};

const NOTE_FROM_HEIDI = 'Read-only · from Heidi';

/** A session as the EHR shows it; `allergies` only when the EHR has its own record of the patient. */
export function patientOf(session: Session, allergies: readonly string[] | undefined, unnamed: string): EhrPatient {
  const p = session.patient;
  return {
    name: p?.name || unnamed,
    gender: p?.gender || undefined,
    dob: p?.dob || undefined,
    mrn: session.ehr_patient_id || undefined,
    allergies,
  };
}

export function appointmentOf(session: Session, what = session.session_name || undefined): Appointment {
  return {
    id: session.ehr_appt_id || undefined,
    when: session.created_at || undefined,
    what,
    minutes: typeof session.duration === 'number' && session.duration > 0 ? Math.round(session.duration / 60) : undefined,
  };
}

export function fixturePatient(fixture: Fixture): EhrPatient {
  return patientOf(fixture.session, ALLERGIES.get(fixture.id) ?? [], 'Unnamed patient');
}

export function fixtureAppointment(fixture: Fixture): Appointment {
  return appointmentOf(fixture.session, `${fixture.specialty} · ${fixture.session.session_name ?? fixture.title}`);
}

function ageOn(dob: string | undefined, at = new Date()): number | undefined {
  if (!dob || !/^\d{4}-\d{2}-\d{2}/.test(dob)) return undefined;
  const [y, m, d] = dob.slice(0, 10).split('-').map(Number) as [number, number, number];
  let age = at.getFullYear() - y;
  if (at.getMonth() + 1 < m || (at.getMonth() + 1 === m && at.getDate() < d)) age -= 1;
  return age >= 0 && age < 150 ? age : undefined;
}

const SEX_LABELS = new Map([
  ['male', 'Male'],
  ['female', 'Female'],
  ['other', 'Other'],
]);

function sexLabel(gender: string | undefined): string {
  if (!gender) return 'Not recorded';
  return SEX_LABELS.get(gender.toLowerCase()) ?? gender;
}

export function showPatient(patient: EhrPatient | undefined): void {
  chart.patient = patient;
  ui.patientName.textContent = patient?.name ?? 'No patient open';
  ui.patientSex.textContent = sexLabel(patient?.gender);
  const age = ageOn(patient?.dob);
  ui.patientDob.textContent = patient?.dob ? `${formatDate(patient.dob)}${age !== undefined ? ` (${age} y)` : ''}` : 'Not recorded';
  ui.patientMrn.textContent = patient?.mrn ?? 'Not linked';
  const allergies = patient?.allergies;
  ui.allergies.textContent = allergies === undefined ? 'Not recorded' : allergies.length ? allergies.join(', ') : 'No known drug allergies';
  ui.allergiesBox.classList.toggle('has-allergies', !!allergies?.length);
}

export function showAppointment(appointment: Appointment | undefined): void {
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
  ui.appointment.append(
    el('strong', { text: 'Appointment ' }),
    el('span', { className: 'mono', text: appointment.id ?? 'unscheduled' }),
    ` · ${parts.join(' · ')}`,
  );
}

/** Show the note; `text` is also what the peer engines code when Heidi is not among the engines. */
export function showNote(text: string | undefined, meta = NOTE_FROM_HEIDI, placeholder = 'No note for this consultation yet.'): void {
  chart.note = text;
  ui.noteText.textContent = text ?? placeholder;
  ui.noteText.classList.toggle('empty', !text);
  ui.noteMeta.textContent = meta;
}

let sessionLookup = 0;

/** A newer chart (fixture, new session) replaces any Heidi lookup still under way. */
export function cancelSessionLookup(): void {
  sessionLookup += 1;
}

/**
 * Fill the banner, appointment and note for a session the EHR has no record of, from Heidi.
 * `onPatient` runs when the patient changed, so the host can point the element at them.
 */
export async function showSessionFromHeidi(sessionId: string, keepPatient: boolean, onChange: () => void): Promise<void> {
  const lookup = ++sessionLookup;
  if (!keepPatient) showPatient({ name: 'Loading patient…', gender: undefined, dob: undefined, mrn: undefined, allergies: undefined });
  showNote(undefined, NOTE_FROM_HEIDI, 'Loading…');
  try {
    const session = await getSession(sessionId);
    if (lookup !== sessionLookup) return;
    if (!keepPatient) showPatient(patientOf(session, undefined, 'Patient not recorded in Heidi'));
    showAppointment(appointmentOf(session));
    showNote(session.consult_note?.result || undefined);
    onChange();
  } catch (error) {
    if (lookup !== sessionLookup) return;
    showNote(undefined, `Could not load the note: ${errorText(error)}`);
  }
}
