/**
 * The host's patient and clinical context as sent to the Heidi session (`PATCH /sessions/{id}`), and the
 * link of a session that has no EHR patient to the host's (`ehr_patient_id`), so the wrong-patient guard
 * can prove whose consultation it is. A link is asked once per session and patient; one that failed is
 * asked again only by a retry (the footer's Retry) or the next load, never on every render.
 */
import type { SessionUpdate } from '../core/client.ts';
import { heidiPatient } from '../core/config-check.ts';
import { isAbort, type HeidiError } from '../core/errors.ts';
import { asHeidiError } from '../core/engines/pipeline.ts';
import type { CodingModel } from '../core/model.ts';
import type { Session } from '../core/schemas.ts';

/** The host's patient (the `patient` property), sent to the session with PATCH and read by the checks. */
export interface PatientInfo {
  name?: string;
  gender?: string;
  dob?: string;
}

export interface SessionContextHost {
  readonly patient: PatientInfo | undefined;
  readonly clinicianNotes: string[] | undefined;
  readonly ehrPatientId: string;
  readonly configError?: HeidiError | undefined;
  requestUpdate(): void;
}

export interface SessionContextOptions {
  readonly updateSession: (sessionId: string, update: SessionUpdate, signal?: AbortSignal) => Promise<Session>;
  /** The session as the PATCH answered it. */
  readonly onSession: (sessionId: string, session: Session) => void;
  /** `linking`: the PATCH that failed was the link to the host's patient. */
  readonly onError: (error: HeidiError, linking: boolean) => void;
}

export class SessionContextSync {
  private _sentPatient: PatientInfo | undefined;
  private _sentNotes: string[] | undefined;
  /** The session and patient last linked, so a link is asked once. */
  private _linked = '';
  /** The link that failed. */
  private _failed = '';
  /**
   * The patient each session was first asked to be linked to: a host that then names another patient for the same
   * session (the mistake the guard is for) never relinks it, even while that first PATCH is still on the wire,
   * unless that link failed.
   */
  private readonly _linkedTo = new Map<string, string>();

  constructor(
    private readonly _host: SessionContextHost,
    private readonly _options: SessionContextOptions,
  ) {}

  /** PATCH body from the host's patient and context, if it set any; with `link`, the host's patient id too. */
  update(link: boolean): SessionUpdate | undefined {
    const { patient, clinicianNotes, ehrPatientId } = this._host;
    const update: SessionUpdate & { ehr_patient_id?: string } = {};
    // Only the patient's own fields, as Heidi takes them (`female` → FEMALE; JSON leaves out the unset ones).
    if (patient) update.patient = heidiPatient(patient);
    if (clinicianNotes) update.clinician_notes = [...clinicianNotes];
    // A session created here, or one with no EHR patient, is linked to the host's patient, so the wrong-patient guard can check it.
    if (link && ehrPatientId) update.ehr_patient_id = ehrPatientId;
    return Object.keys(update).length ? update : undefined;
  }

  /** What a load's own PATCH carried (a patient the host set while loading is sent right after). */
  sentWithLoad(patient: PatientInfo | undefined, notes: string[] | undefined): void {
    this._sentPatient = patient;
    this._sentNotes = notes;
  }

  /** Linking `sessionId` to the host's patient failed (sending stays blocked until a retry succeeds). */
  linkFailed(sessionId: string | undefined): boolean {
    return !!this._failed && this._failed === this._key(sessionId);
  }

  /** Ask again for a link that failed, at the next `send`. */
  retry(): void {
    this._failed = '';
    this._host.requestUpdate();
  }

  /**
   * Send the host's patient and context when they changed since the last PATCH, and link a session that
   * has no EHR patient to the host's.
   */
  async send(model: CodingModel | undefined, signal?: AbortSignal): Promise<void> {
    const { patient, clinicianNotes, ehrPatientId } = this._host;
    const link = this._key(model?.sessionId);
    const linking =
      !!ehrPatientId &&
      !!model?.session &&
      !model.session.ehr_patient_id &&
      this._linked !== link &&
      this._failed !== link &&
      (this._linkedTo.get(model.sessionId) ?? ehrPatientId) === ehrPatientId;
    if (!model || this._host.configError || (!linking && patient === this._sentPatient && clinicianNotes === this._sentNotes)) return;
    const update = this.update(linking);
    if (!update) return;
    if (linking) {
      this._linked = link;
      this._linkedTo.set(model.sessionId, ehrPatientId);
    }
    this.sentWithLoad(patient, clinicianNotes);
    try {
      this._options.onSession(model.sessionId, await this._options.updateSession(model.sessionId, update, signal));
    } catch (error) {
      if (isAbort(error)) return;
      // A failed link bound the session to no patient: the host's patient then (corrected, say) is linked on a retry.
      if (linking) {
        [this._failed, this._linked] = [link, ''];
        this._linkedTo.delete(model.sessionId);
      }
      this._options.onError(asHeidiError(error), linking);
      this._host.requestUpdate();
    }
  }

  private _key(sessionId: string | undefined): string {
    return `${sessionId} ${this._host.ehrPatientId}`;
  }
}
