/**
 * Loading a consultation's codes: Heidi opens the session (the document:
 * session, transcript, note), then the coding engines run on it side by side
 * (Heidi alone today; a peer engine is one more entry in `peers`), and their
 * entities are merged into one card per FHIR system + code. A failed session
 * or transcript fetch degrades (codes still shown); the load fails only when
 * every engine failed.
 */
import type { HeidiError } from './errors.ts';
import { countScoresOutOfRange, type CodingModel } from './model.ts';
import { openHeidiSession, type HeidiOpenRequest } from './engines/heidi.ts';
import { mergeEngineResults } from './engines/merge.ts';
import { runEngines, type EngineFailure, type ProgressListener } from './engines/pipeline.ts';
import type { CodingEngine } from './engines/types.ts';

export interface LoadRequest extends Omit<HeidiOpenRequest, 'onProgress'> {
  /** Each engine's progress (Heidi's `processing` is "generating": it may take many seconds). */
  readonly onProgress?: ProgressListener;
  /** Heidi is generating the codes (its `processing`), for a caller that follows only Heidi. */
  readonly onGenerating?: (sessionId: string) => void;
  /** Engines that code Heidi's note beside Heidi, started once the note is known. */
  readonly peers?: readonly CodingEngine[];
}

export interface LoadResult {
  readonly model: CodingModel;
  /** Set when the session could not be read: no note, no patient checks. */
  readonly sessionError: HeidiError | undefined;
  /** Set when the transcript could not be read: evidence without context. */
  readonly transcriptError: HeidiError | undefined;
  /** Engines that failed while others succeeded. */
  readonly engineFailures: readonly EngineFailure[];
}

export async function loadCodes(request: LoadRequest): Promise<LoadResult> {
  const { signal } = request;
  const onProgress: ProgressListener = request.onProgress ?? (() => {});
  let started = '';
  const heidi = await openHeidiSession({
    ...request,
    onSessionStart: (id, created) => {
      started = id;
      request.onSessionStart(id, created);
    },
    onProgress: (progress) => {
      onProgress('heidi', progress);
      if (progress.phase === 'processing') request.onGenerating?.(started);
    },
  });
  const { sessionId, session, transcript, note, sessionError, transcriptError } = await heidi.document;
  const outcome = await runEngines([heidi.engine, ...(request.peers ?? [])], { note: note ?? '', transcript }, signal, onProgress);
  const entities = mergeEngineResults(outcome.results);
  const model: CodingModel = {
    sessionId,
    entities,
    transcript,
    note,
    session,
    dropped: heidi.dropped(),
    scoresOutOfRange: countScoresOutOfRange(entities),
  };
  return { model, sessionError, transcriptError, engineFailures: outcome.failures };
}
