/**
 * The Heidi sessions created with no `session-id`, by the consultation each was created for: the API, the token
 * source, `ehr-patient-id`, `patient-profile-id` and `ehr-appointment-id`. An element attaches again to the one it
 * created (a refresh, a re-insertion). A consultation the host names (one of those ids set) is kept for the page
 * too, so a new element instance (a React remount) attaches to it, and in sessionStorage, so a reload of the tab
 * does too, unless a `tokenProvider` gives its token (a function is known by identity, on this page only). One the
 * host does not name is kept for its element only: nothing tells it from another patient's. Only ids are stored.
 */
import type { HeidiError } from '../core/errors.ts';
import { webStorage } from '../core/review.ts';

const createdOnPage = new Map<string, string>();
const PREFIX = 'heidi-clinical-codes:created:v1:';
/** A number per tokenProvider function: one source, one user, as far as this page can tell. */
const providers = new WeakMap<object, number>();
let lastProvider = 0;

export interface CreatedFor {
  readonly apiBase: string;
  readonly tokenUrl: string;
  readonly tokenProvider: unknown;
  readonly ehrPatientId: string;
  readonly patientProfileId: string;
  readonly ehrAppointmentId: string;
}

/** Use this tab's storage where there is one (`webStorage`: not in a sandboxed frame, or Node) and it takes the write. */
function inStorage(use: (storage: Storage) => void): void {
  const storage = webStorage('sessionStorage');
  try {
    if (storage) use(storage);
  } catch {
    // Full: this page's own memory only.
  }
}

/** What one load opens: `session-id`, else a session created for the same consultation, or a new one. */
export interface CreatedLoad {
  readonly sessionId: string | undefined;
  /** Heidi answered with the session (`created`: a new one). */
  started(sessionId: string, created: boolean): void;
  /**
   * The load failed: a reused session Heidi refused is forgotten (see `CreatedSessions`). `tokenArrived`: the load
   * had its token, so a 401, 403 or 404 is Heidi's answer, not the EHR's token URL's.
   */
  failed(error: HeidiError, tokenArrived: boolean): void;
}

/**
 * One element's created sessions. A reused one that Heidi refuses (not found: deleted, another environment; 401
 * after a fresh token, or 403: another user's) is forgotten, so the next load creates one.
 */
export class CreatedSessions {
  /** The session this element created, and for which key. */
  private _own: readonly [string, string] | undefined;

  open(host: CreatedFor & { readonly sessionId: string | undefined }): CreatedLoad {
    // Not a function: a config error, and no key for a WeakMap.
    const provider = typeof host.tokenProvider === 'function' ? host.tokenProvider : undefined;
    if (provider && !providers.has(provider)) providers.set(provider, ++lastProvider);
    const source = provider ? providers.get(provider) : host.tokenUrl;
    const key = JSON.stringify([host.apiBase, source, host.ehrPatientId, host.patientProfileId, host.ehrAppointmentId]);
    const page = !!(host.ehrPatientId || host.patientProfileId || host.ehrAppointmentId);
    const tab = page && !provider;
    const reused = host.sessionId ? undefined : this._find(key, page, tab);
    return {
      sessionId: host.sessionId || reused,
      started: (sessionId, created) => {
        if (!created) return;
        this._own = [key, sessionId];
        if (page) createdOnPage.set(key, sessionId);
        if (tab) inStorage((s) => s.setItem(PREFIX + key, sessionId));
      },
      failed: (error, tokenArrived) => {
        if (!tokenArrived || !reused || ![401, 403, 404].includes(error.status ?? 0)) return;
        this._own = undefined;
        createdOnPage.delete(key);
        inStorage((s) => s.removeItem(PREFIX + key));
      },
    };
  }

  /** The session created for `key`: by this element, else (a consultation the host names) on this page or in this tab. */
  private _find(key: string, page: boolean, tab: boolean): string | undefined {
    if (this._own?.[0] === key) return this._own[1];
    if (!page) return undefined;
    if (tab && !createdOnPage.has(key)) {
      inStorage((s) => {
        const stored = s.getItem(PREFIX + key);
        if (stored) createdOnPage.set(key, stored);
      });
    }
    return createdOnPage.get(key);
  }
}
