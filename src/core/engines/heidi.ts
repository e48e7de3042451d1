/**
 * Heidi as a coding engine, and the source of the consultation itself: it
 * resolves the session (attach or create), then asks for the session,
 * transcript and codes at once. The session and transcript (the "document":
 * note, transcript, patient) come first and degrade on failure; the codes are
 * Heidi's `CodingEngine` result, which may take many seconds to generate.
 */
import type { HeidiClient, SessionUpdate } from '../client.ts';
import { isAbort, type HeidiError } from '../errors.ts';
import { asHeidiError } from './pipeline.ts';
import { buildEntitiesInSlices, noteOf } from '../model.ts';
import { NOTHING_DROPPED, type DroppedData, type Session } from '../schemas.ts';
import type { CodingEngine, EngineProgress } from './types.ts';

export interface HeidiOpenRequest {
  readonly client: HeidiClient;
  /** Attach to this session; without it a new one is created. */
  readonly sessionId: string | undefined;
  readonly create: { patient_profile_id?: string; ehr_appointment_id?: string };
  /** Patient and context the host set, sent with PATCH before reading the session. */
  readonly update: SessionUpdate | undefined;
  readonly signal: AbortSignal;
  /** A session was created, or attached (once Heidi first answers for it). */
  readonly onSessionStart: (sessionId: string, created: boolean) => void;
  /** Heidi's progress: `processing` as soon as the codes request is on the wire. */
  readonly onProgress: (progress: EngineProgress) => void;
}

/** What the consultation is: known before the codes, and what every other engine codes. */
export interface HeidiDocument {
  readonly sessionId: string;
  readonly session: Session | undefined;
  readonly transcript: string | undefined;
  readonly note: string | undefined;
  /** Set when the session could not be read: no note, no patient checks. */
  readonly sessionError: HeidiError | undefined;
  /** Set when the transcript could not be read: evidence without context. */
  readonly transcriptError: HeidiError | undefined;
}

export interface HeidiRun {
  readonly document: Promise<HeidiDocument>;
  /** The consult note as soon as the session is read (before the transcript): what the peers code. */
  readonly note: Promise<string | undefined>;
  /** Heidi's codes, located in the document the pipeline hands it. */
  readonly engine: CodingEngine;
  /** What the codes response held that could not be read (once `engine` has coded). */
  readonly dropped: () => DroppedData;
}

export async function openHeidiSession(request: HeidiOpenRequest): Promise<HeidiRun> {
  const { client, signal } = request;
  // The token first (one round trip), then everything else reuses it.
  await client.authenticate(signal);
  signal.throwIfAborted();
  const created = !request.sessionId;
  const sessionId = request.sessionId || (await client.createSession(request.create, signal));
  signal.throwIfAborted();
  if (created) request.onSessionStart(sessionId, true);

  // PATCH answers with the whole session, so it stands in for the GET when there is something to send.
  const sessionCall: Promise<Session> = request.update
    ? client.updateSession(sessionId, request.update, signal)
    : client.getSession(sessionId, signal);
  const transcriptCall = client.getTranscript(sessionId, signal);
  const codesCall = client.getClinicalCodes(sessionId, signal);
  // Awaited only once the document is known: marked handled now so an early failure is not "unhandled".
  codesCall.catch(() => undefined);
  // An attached session is known to exist once Heidi first answers for it (its session, transcript or codes):
  // never for an id refused as `config` (no request) or answered `not-found`.
  if (!created) {
    Promise.any([sessionCall, transcriptCall, codesCall]).then(
      () => signal.aborted || request.onSessionStart(sessionId, false),
      () => undefined,
    );
  }
  request.onProgress({ phase: 'processing', startedAt: performance.now() });

  const document = Promise.allSettled([sessionCall, transcriptCall]).then(([session, transcript]): HeidiDocument => {
    signal.throwIfAborted();
    const sessionValue = session.status === 'fulfilled' ? session.value : undefined;
    return {
      sessionId,
      session: sessionValue,
      transcript: transcript.status === 'fulfilled' ? transcript.value : undefined,
      note: noteOf(sessionValue),
      sessionError: degraded(session),
      transcriptError: degraded(transcript),
    };
  });
  document.catch(() => undefined);
  let dropped = NOTHING_DROPPED;
  // Heidi's engine for this session: its request is already in flight, so `code` only waits and locates.
  const engine: CodingEngine = {
    name: 'heidi',
    needsNote: false,
    async code(input, signal) {
      const codes = await codesCall;
      signal.throwIfAborted();
      dropped = codes.dropped ?? NOTHING_DROPPED;
      // The transcript and note exactly as Heidi gave them ('' when there is no note: nothing located).
      return {
        engine: 'heidi',
        entities: await buildEntitiesInSlices(codes, input.transcript, input.note || undefined, signal),
        discarded: [],
        runId: codes.session_id,
      };
    },
  };
  const note = sessionCall.then(noteOf, () => undefined);
  return { document, note, engine, dropped: () => dropped };
}

function degraded(result: PromiseSettledResult<unknown>): HeidiError | undefined {
  if (result.status === 'fulfilled') return undefined;
  const reason: unknown = result.reason;
  if (isAbort(reason)) throw reason;
  return asHeidiError(reason);
}
