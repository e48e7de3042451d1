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

/** The session created in this tab for `key`, if any. */
export function createdSession(key: string): string | undefined {
  try {
    const stored = created.get(key) ?? sessionStorage.getItem(PREFIX + key);
    if (stored) created.set(key, stored);
  } catch {
    // No sessionStorage (a sandboxed frame, Node): this page's own memory only.
  }
  return created.get(key);
}

export function rememberCreated(key: string, sessionId: string): void {
  created.set(key, sessionId);
  try {
    sessionStorage.setItem(PREFIX + key, sessionId);
  } catch {
    // Storage refused (full, sandboxed): this page still attaches to it.
  }
}

/** Heidi no longer has the session created for `key` (not found): the next load creates another. */
export function forgetCreated(key: string): void {
  created.delete(key);
  try {
    sessionStorage.removeItem(PREFIX + key);
  } catch {
    // No storage: nothing kept there.
  }
}
