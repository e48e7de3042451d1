/**
 * What the session-load controller reads from its host (the element's properties), what it is given, and the
 * properties whose change loads again.
 */
import type { ReactiveControllerHost } from 'lit';
import type { HeidiError } from '../core/errors.ts';
import type { LoadResult } from '../core/session-loader.ts';
import type { JwtResponse } from '../core/schemas.ts';
import type { PatientInfo } from './session-context.ts';
import type { LocaleController } from './locale.ts';

export type LoadPhase = 'idle' | 'loading' | 'generating' | 'loaded' | 'error' | 'cancelled';

export interface SessionLoadHost extends ReactiveControllerHost, HTMLElement {
  readonly tokenUrl: string;
  readonly tokenProvider: (() => Promise<JwtResponse>) | undefined;
  readonly apiBase: string;
  readonly sessionId: string | undefined;
  readonly patientProfileId: string;
  readonly ehrAppointmentId: string;
  readonly ehrPatientId: string;
  readonly patient: PatientInfo | undefined;
  readonly clinicianNotes: string[] | undefined;
  readonly timeouts: { request?: number; codes?: number; hostToken?: number; poll?: number } | undefined;
  /** A property set to a wrong type (core/config-check): no load runs and nothing is sent while it stands. */
  readonly configError?: HeidiError | undefined;
  readonly engines: string;
  readonly sullyBase: string;
  readonly omniscribeBase: string;
  readonly omniscribeModel: string;
  /** The host's note: what the peers code when Heidi is not among the engines. */
  readonly note: string | undefined;
}

export interface SessionLoadOptions {
  /** `warmUp` is called once while the first requests are in flight, to make the locale's formatter early. */
  readonly locale: Pick<LocaleController, 'messages' | 'warmUp'>;
  readonly announcer: { announce(message: string): void };
  /** A run for another session starts: forget what was selected, open and sent in the last one. */
  readonly onSessionChange: () => void;
  readonly onLoaded: (result: LoadResult) => void;
}

/** The host properties whose change loads again (tokenUrl and tokenProvider at 2 and 3: see hostUpdate). */
export const RELOAD_ON = [
  'sessionId',
  'apiBase',
  'tokenUrl',
  'tokenProvider',
  'patientProfileId',
  'ehrAppointmentId',
  'engines',
  'sullyBase',
  'omniscribeBase',
  'omniscribeModel',
] as const;
