/**
 * The Heidi sessions this page created (no `session-id`), by what each was created for: the API and token source
 * (one user, one region: as the review's tabs are scoped), the patient profile and the appointment. Kept for the
 * page, so a new element instance (a React remount) attaches to it, and in sessionStorage, so a reload of the tab
 * does too: neither creates a second session for the same consultation. Only ids are stored.
 */
const created = new Map<string, string>();
const PREFIX = 'heidi-clinical-codes:created:v1:';

export interface CreatedFor {
  readonly apiBase: string;
  readonly tokenUrl: string;
  readonly patientProfileId: string;
  readonly ehrAppointmentId: string;
}

/** The key a session created for `host`'s current attributes is kept under. */
export const createdKey = (host: CreatedFor): string =>
  JSON.stringify([host.apiBase, host.tokenUrl, host.patientProfileId, host.ehrAppointmentId]);

function inStorage(use: (storage: Storage) => void): void {
  try {
    use(sessionStorage);
  } catch {
    // No sessionStorage (a sandboxed frame, Node), or it is full: this page's own memory only.
  }
}

/** The session created in this tab for `key`, if any. */
export function createdSession(key: string): string | undefined {
  if (!created.has(key)) {
    inStorage((s) => {
      const stored = s.getItem(PREFIX + key);
      if (stored) created.set(key, stored);
    });
  }
  return created.get(key);
}

export function rememberCreated(key: string, sessionId: string): void {
  created.set(key, sessionId);
  inStorage((s) => s.setItem(PREFIX + key, sessionId));
}

/** Heidi no longer has the session created for `key` (not found): the next load creates another. */
export function forgetCreated(key: string): void {
  created.delete(key);
  inStorage((s) => s.removeItem(PREFIX + key));
}
