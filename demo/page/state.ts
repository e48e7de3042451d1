/**
 * The demo's state: where it runs (mock or real Heidi), who is signed in, what
 * the integrator chose in the console, and what the EHR shows. Modules read and
 * change it; `app.ts` applies it to the page and the element.
 *
 * Query parameters: `?as=<user>` simulates the signed-in EHR user (passed to the
 * token route and used for the mock's scenario), so test runs never share mock
 * state; `?fixture=<id>` picks the first consultation.
 */
import * as z from 'zod/mini';
import { FIXTURES, findFixture } from '../fixtures/index.ts';
import { ENGINE_NAMES, type EngineName } from '../../src/core/engines/types.ts';
import type { PatientInfo } from '../../src/index.ts';
import type { SnippetInput } from './snippet.ts';

export const DEMO_USER = 'demo-clinician';
/** The EHR backend's forwarders to the peer engines (the dev server mounts them; see PRODUCT.md). */
export const SULLY_BASE = '/ehr/sully';
export const OMNISCRIBE_BASE = '/ehr/omniscribe';
/** The person reviewing, as the element names the verifier in its FHIR Provenance. */
export const REVIEWER = { reference: 'Practitioner/demo-clinician', display: 'Dr Demo Clinician' } as const;

export const OMNISCRIBE_MODELS = ['fast', 'balanced', 'high-quality'] as const;
export type OmniscribeModel = (typeof OMNISCRIBE_MODELS)[number];
export const DEFAULT_OMNISCRIBE_MODEL: OmniscribeModel = 'balanced';

/** `GET /ehr/demo-config`: which API base and token route the dev backend serves. */
const DemoConfig = z.object({
  mode: z.enum(['mock', 'heidi']),
  apiBase: z.string().check(z.minLength(1)),
  tokenUrl: z.string().check(z.minLength(1)),
});
export type DemoConfig = z.infer<typeof DemoConfig>;

export interface EhrPatient {
  name: string;
  gender: string | undefined;
  dob: string | undefined;
  mrn: string | undefined;
  /** `undefined`: the EHR has no record (a session from Heidi it does not know). */
  allergies: readonly string[] | undefined;
}

export type Source = 'fixture' | 'recent' | 'new';

export interface Settings {
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
  /** In display order; never empty. */
  engines: EngineName[];
  omniscribeModel: OmniscribeModel;
}

const params = new URLSearchParams(location.search);
/** `?as=` when given (the element's token route gets it only then); the mock's scenario user always. */
export const asParam = params.get('as') || undefined;
export const user = asParam ?? DEMO_USER;

export let config: DemoConfig = { mode: 'mock', apiBase: '/mock-heidi', tokenUrl: '/ehr/heidi-token' };

export const settings: Settings = {
  source: 'fixture',
  fixtureId: findFixture(params.get('fixture') ?? '')?.id ?? FIXTURES[0]?.id ?? '',
  sessionId: '',
  appointmentId: '',
  readonly: false,
  lang: 'en',
  theme: 'light',
  density: 'comfortable',
  codeSystems: '',
  engines: ['heidi'],
  omniscribeModel: DEFAULT_OMNISCRIBE_MODEL,
};

/** What the EHR screen shows, and the session the main element is on. */
export const chart = {
  patient: undefined as EhrPatient | undefined,
  /** The consultation note on the chart: what the peers code when Heidi is not an engine. */
  note: undefined as string | undefined,
  /** Known once the main element fires heidi-session-start. */
  sessionId: undefined as string | undefined,
};

/** Ask the dev backend where it runs; without an answer (or with a bad one) the mock defaults stay. */
export async function loadConfig(): Promise<void> {
  try {
    const response = await fetch('/ehr/demo-config', { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!response.ok) return;
    const parsed = DemoConfig.safeParse(await response.json());
    if (parsed.success) config = parsed.data;
  } catch {
    // Keep the mock defaults: the page still works against the Vite dev server's mock.
  }
}

/** The token route for a simulated signed-in user. */
export function tokenUrlFor(who: string | undefined): string {
  const url = new URL(config.tokenUrl, location.origin);
  if (who) url.searchParams.set('as', who);
  return url.origin === location.origin ? url.pathname + url.search : url.href;
}

export function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
}

export function usesHeidi(): boolean {
  return settings.engines.includes('heidi');
}

function toPatientInfo(patient: EhrPatient): PatientInfo {
  return {
    name: patient.name,
    ...(patient.gender ? { gender: patient.gender } : {}),
    ...(patient.dob ? { dob: patient.dob } : {}),
  };
}

/** The main element's attributes and properties for the current settings (also what the snippet shows). */
export function elementInput(): SnippetInput {
  const fixture = settings.source === 'fixture' ? findFixture(settings.fixtureId) : undefined;
  const sessionId = settings.source === 'fixture' ? fixture?.id : settings.source === 'recent' ? settings.sessionId : undefined;
  // Only the EHR's own demographics are sent; a session picked from Heidi keeps Heidi's.
  const patient = settings.source === 'recent' ? undefined : chart.patient;
  return {
    tokenUrl: config.tokenUrl,
    apiBase: config.apiBase,
    sessionId,
    appointmentId: settings.source === 'new' ? settings.appointmentId : undefined,
    ehrPatientId: chart.patient?.mrn,
    codeSystems: settings.codeSystems,
    readonly: settings.readonly,
    lang: settings.lang,
    theme: settings.theme,
    density: settings.density,
    patient: patient ? toPatientInfo(patient) : undefined,
    engines: settings.engines,
    sullyBase: SULLY_BASE,
    omniscribeBase: OMNISCRIBE_BASE,
    omniscribeModel: settings.omniscribeModel,
  };
}
