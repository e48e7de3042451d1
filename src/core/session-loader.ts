/**
 * Loading a consultation's codes: resolve the session (attach or create),
 * then fetch the session, transcript and codes in parallel. A failed session
 * or transcript fetch degrades (codes still shown); failed codes fail the load.
 */
import type { HeidiClient, SessionUpdate } from './client.ts';
import { HeidiError, isAbort } from './errors.ts';
import { buildModel, type CodingModel } from './model.ts';
import type { Session } from './schemas.ts';

export interface LoadRequest {
  readonly client: HeidiClient;
  /** Attach to this session; without it a new one is created. */
  readonly sessionId: string | undefined;
  readonly create: { patient_profile_id?: string; ehr_appointment_id?: string };
  /** Patient and context the host set, sent with PATCH before reading the session. */
  readonly update: SessionUpdate | undefined;
  readonly signal: AbortSignal;
  readonly onSessionStart: (sessionId: string, created: boolean) => void;
  /** The codes request is under way (Heidi may take many seconds to generate them). */
  readonly onGenerating: (sessionId: string) => void;
}

export interface LoadResult {
  readonly model: CodingModel;
  /** Set when the session could not be read: no note, no patient checks. */
  readonly sessionError?: HeidiError;
  /** Set when the transcript could not be read: evidence without context. */
  readonly transcriptError?: HeidiError;
}

export async function loadCodes(request: LoadRequest): Promise<LoadResult> {
  const { client, signal } = request;
  // The token first (one round trip), then everything else reuses it.
  await client.authenticate(signal);
  throwIfAborted(signal);
  let sessionId = request.sessionId;
  const created = !sessionId;
  if (!sessionId) sessionId = await client.createSession(request.create, signal);
  throwIfAborted(signal);
  request.onSessionStart(sessionId, created);

  const id = sessionId;
  // PATCH answers with the whole session, so it stands in for the GET when there is something to send.
  const sessionCall: Promise<Session> = request.update
    ? client.updateSession(id, request.update, signal)
    : client.getSession(id, signal);
  const transcriptCall = client.getTranscript(id, signal);
  const codesCall = client.getClinicalCodes(id, signal);
  request.onGenerating(id);

  const [session, transcript, codes] = await Promise.allSettled([sessionCall, transcriptCall, codesCall]);
  throwIfAborted(signal);
  if (codes.status === 'rejected') throw codes.reason;
  const sessionError = degraded(session);
  const transcriptError = degraded(transcript);
  const model = buildModel(
    codes.value,
    transcript.status === 'fulfilled' ? transcript.value : undefined,
    session.status === 'fulfilled' ? session.value : undefined,
  );
  return { model, ...(sessionError ? { sessionError } : {}), ...(transcriptError ? { transcriptError } : {}) };
}

function degraded(result: PromiseSettledResult<unknown>): HeidiError | undefined {
  if (result.status === 'fulfilled') return undefined;
  const reason: unknown = result.reason;
  if (isAbort(reason)) throw reason;
  return reason instanceof HeidiError ? reason : new HeidiError('server', 'Unexpected failure.', { cause: reason });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('The load was superseded.', 'AbortError');
}
