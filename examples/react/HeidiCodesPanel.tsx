/**
 * <heidi-clinical-codes> in a React 19 app.
 *
 * - Attributes (strings, booleans) go in JSX: `session-id`, `ehr-patient-id`, `readonly`, ...
 * - Object and function properties (`patient`, `clinicianNotes`, `tokenProvider`) are set on
 *   the element through a ref, in layout effects keyed on their values. Layout effects run
 *   right after React inserts the element, before its first load starts, so the first load
 *   already has its token source and patient (a plain `useEffect` runs after paint: the
 *   element would first report a missing token source, then reload). The element PATCHes the
 *   session when `patient`/`clinicianNotes` change and reloads when `tokenProvider` changes,
 *   so they must not change identity on every render.
 * - Events are subscribed with `addEventListener` in an effect and removed in its cleanup.
 *   The handlers read the latest props from a ref, so the subscription is made once.
 * - `heidi-codes-commit`: call `event.detail.waitUntil(promise)` synchronously in the listener
 *   with the EHR write; the element shows "sent" only when it resolves ("failed" if it
 *   rejects). `event.preventDefault()` cancels the send.
 *
 * Type-checked by `npm run typecheck` (examples/react/tsconfig.json); React itself is not a
 * dependency of the package.
 */
import { useEffect, useLayoutEffect, useRef, type DetailedHTMLProps } from 'react';
import 'heidi-clinical-codes'; // registers <heidi-clinical-codes> (side effect; safe to import twice)
import type {
  CommittedCode,
  HeidiClinicalCodes,
  HeidiCodeReviewEvent,
  HeidiCodesCommitEvent,
  HeidiErrorEvent,
  PatientInfo,
} from 'heidi-clinical-codes';

/** The element's attributes, as JSX props. */
interface HeidiClinicalCodesAttributes {
  'token-url'?: string;
  'api-base'?: string;
  'session-id'?: string;
  'patient-profile-id'?: string;
  'ehr-appointment-id'?: string;
  'code-systems'?: string;
  'ehr-patient-id'?: string;
  readonly?: boolean;
  lang?: string;
  theme?: 'light' | 'dark' | 'auto';
  density?: 'comfortable' | 'compact';
}

declare module 'react' {
  // React's own typings declare intrinsic elements in this namespace; augmenting it is the documented way.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'heidi-clinical-codes': DetailedHTMLProps<HTMLAttributes<HeidiClinicalCodes>, HeidiClinicalCodes> & HeidiClinicalCodesAttributes;
    }
  }
}

export interface HeidiCodesPanelProps {
  /** The Heidi session (consultation) of this encounter. */
  sessionId: string;
  /** Heidi's API, or your proxy's same-origin forwarder (e.g. `/heidi-api`). Default: Heidi's. */
  apiBase?: string;
  /** The EHR's current patient: the element blocks sending codes to another patient's session. */
  ehrPatientId: string;
  patient: PatientInfo;
  clinicianNotes?: readonly string[];
  /** Your backend's token route, e.g. `() => fetch('/heidi-token').then((r) => r.json())`. */
  getHeidiToken: () => Promise<{ token: string; expiration_time: string }>;
  /** Write the accepted codes to the problem list or claim. Reject to show "failed" in the element. */
  saveCodes: (sessionId: string, codes: readonly CommittedCode[]) => Promise<void>;
  onReview?: (detail: HeidiCodeReviewEvent['detail']) => void;
  onError?: (detail: HeidiErrorEvent['detail']) => void;
  readonly?: boolean;
}

export function HeidiCodesPanel({
  sessionId,
  apiBase,
  ehrPatientId,
  patient,
  clinicianNotes,
  getHeidiToken,
  saveCodes,
  onReview,
  onError,
  readonly = false,
}: HeidiCodesPanelProps) {
  const ref = useRef<HeidiClinicalCodes>(null);

  // The latest callbacks, for listeners and the token provider that are set up once.
  const latest = useRef({ getHeidiToken, saveCodes, onReview, onError });
  useEffect(() => {
    latest.current = { getHeidiToken, saveCodes, onReview, onError };
  });

  // Properties: set once (tokenProvider) or when their values change (patient, clinicianNotes).
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) el.tokenProvider = () => latest.current.getHeidiToken();
  }, []);

  const { name, gender, dob } = patient;
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) el.patient = { name, gender, dob };
  }, [name, gender, dob]);

  const notesKey = clinicianNotes?.join('\u0000');
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) el.clinicianNotes = notesKey === undefined ? undefined : notesKey.split('\u0000');
  }, [notesKey]);

  // Events: subscribed once, removed on unmount.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onCommit = (event: HeidiCodesCommitEvent) => {
      const { sessionId: committedSession, codes } = event.detail;
      // Synchronously, while the event is dispatched.
      event.detail.waitUntil(latest.current.saveCodes(committedSession, codes));
    };
    const onCodeReview = (event: HeidiCodeReviewEvent) => latest.current.onReview?.(event.detail);
    const onHeidiError = (event: HeidiErrorEvent) => latest.current.onError?.(event.detail);
    el.addEventListener('heidi-codes-commit', onCommit);
    el.addEventListener('heidi-code-review', onCodeReview);
    el.addEventListener('heidi-error', onHeidiError);
    return () => {
      el.removeEventListener('heidi-codes-commit', onCommit);
      el.removeEventListener('heidi-code-review', onCodeReview);
      el.removeEventListener('heidi-error', onHeidiError);
    };
  }, []);

  // The host's own button can send too: commit() resolves true once saveCodes resolved.
  const signEncounter = async () => {
    const sent = await ref.current?.commit();
    if (!sent) console.info('Nothing sent (nothing accepted, cancelled, or the write failed).');
  };

  return (
    <section>
      <heidi-clinical-codes
        ref={ref}
        session-id={sessionId}
        api-base={apiBase}
        ehr-patient-id={ehrPatientId}
        density="compact"
        readonly={readonly}
      />
      <button type="button" onClick={() => void signEncounter()} disabled={readonly}>
        Sign encounter
      </button>
    </section>
  );
}
