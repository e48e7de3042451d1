/**
 * Loading a consultation's codes: Heidi opens the session (the document:
 * session, transcript, note), then the coding engines run on it side by side
 * (Heidi, plus the peers in `peers` once the note is known), and their
 * entities are merged into one card per FHIR system + code. Without Heidi
 * (`loadNoteCodes`) the peers code the host's own note. A failed session or
 * transcript fetch degrades (codes still shown); the load fails only when
 * every engine failed.
 */
import type { HeidiError } from './errors.ts';
import { countScoresOutOfRange, type CodingModel, type EntityView } from './model.ts';
import { NOTHING_DROPPED } from './schemas.ts';
import { openHeidiSession, type HeidiOpenRequest } from './engines/heidi.ts';
import { mergeEngineResults } from './engines/merge.ts';
import {
  cancellable,
  failUnlessAny,
  runEngines,
  settleEngines,
  type EngineFailure,
  type EnginesOutcome,
  type ProgressListener,
} from './engines/pipeline.ts';
import type { CodingEngine, DiscardedCode, EngineName, EngineResult } from './engines/types.ts';

export interface LoadRequest extends Omit<HeidiOpenRequest, 'onProgress'> {
  /** Each engine's progress (Heidi's `processing` is "generating": it may take many seconds). */
  readonly onProgress?: ProgressListener;
  /** Heidi is generating the codes (its `processing`), for a caller that follows only Heidi. */
  readonly onGenerating?: (sessionId: string) => void;
  /** Engines that code Heidi's note beside Heidi, started once the note is known. */
  readonly peers?: readonly CodingEngine[];
  /** Aborts Heidi's codes alone (the header's Cancel for Heidi): the session and the peers go on. */
  readonly heidiSignal?: AbortSignal;
}

export interface LoadResult {
  readonly model: CodingModel;
  /** Set when the session could not be read: no note, no patient checks. */
  readonly sessionError: HeidiError | undefined;
  /** Set when the transcript could not be read: evidence without context. */
  readonly transcriptError: HeidiError | undefined;
  /** Engines that failed while others succeeded. */
  readonly engineFailures: readonly EngineFailure[];
  /** What the engines considered and threw away (Omniscribe's discarded assessments): never suggestions. */
  readonly discarded: readonly DiscardedCode[];
  /** Per peer engine, how many items failed their schema and were left out (Heidi's are in `model.dropped`). */
  readonly peerDropped: readonly { readonly engine: EngineName; readonly count: number }[];
  /** Peers skipped because there was no note to code. */
  readonly skipped: readonly EngineName[];
  /** Each engine's own answer, in the order merged: what a retried engine's answer is merged after (`retryEngine`). */
  readonly results: readonly EngineResult[];
}

export async function loadCodes(request: LoadRequest): Promise<LoadResult> {
  const { signal } = request;
  const [skipped, onProgress] = trackSkips(request.onProgress);
  let started = request.sessionId ?? '';
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
  // The peers start as soon as the note is known (the session read), beside Heidi's codes; Heidi's are
  // located once the transcript is in too.
  const peersRun = heidi.note.then((peerNote) =>
    settleEngines(request.peers ?? [], { note: peerNote ?? '', transcript: undefined }, signal, onProgress),
  );
  peersRun.catch(() => undefined);
  const { sessionId, session, transcript, note, sessionError, transcriptError } = await heidi.document;
  const heidiEngine = request.heidiSignal ? cancellable(heidi.engine, request.heidiSignal) : heidi.engine;
  const [own, peers] = await Promise.all([settleEngines([heidiEngine], { note: note ?? '', transcript }, signal, onProgress), peersRun]);
  const outcome = failUnlessAny({ results: [...own.results, ...peers.results], failures: [...own.failures, ...peers.failures] });
  return resultOf(sessionId, outcome, skipped, { transcript, note, session, dropped: heidi.dropped() }, sessionError, transcriptError);
}

export interface NoteLoadRequest {
  /** The host's own note (the `note` property). */
  readonly note: string;
  /** The host's ids for whose note it is (its patient, appointment, patient profile): part of the review's key. */
  readonly context?: readonly string[];
  readonly peers: readonly CodingEngine[];
  readonly signal: AbortSignal;
  readonly onProgress?: ProgressListener;
}

/** Without Heidi: the peers code the host's note; no token, no session. An empty note skips them (no codes, no error). */
export async function loadNoteCodes(request: NoteLoadRequest): Promise<LoadResult> {
  const { note } = request;
  const [skipped, onProgress] = trackSkips(request.onProgress);
  const outcome = await runEngines(request.peers, { note, transcript: undefined }, request.signal, onProgress);
  return resultOf(noteReviewId(note, request.context), outcome, skipped, {
    transcript: undefined,
    note: note || undefined,
    session: undefined,
    dropped: NOTHING_DROPPED,
    hostNote: true,
  });
}

/**
 * Run one peer engine again (it failed) on the note of the load shown, and merge its answer after the others':
 * the cards already shown keep their ids (and so their decisions), its new cards come last. Resolves with the
 * load shown as it is once the engine is done (`shown()`: another engine's retry may have ended meanwhile),
 * remade: that engine's failure replaced by its codes, or by its new failure.
 */
export async function retryEngine(
  shown: () => LoadResult,
  engine: CodingEngine,
  signal: AbortSignal,
  onProgress: ProgressListener,
): Promise<LoadResult> {
  const again = await settleEngines([engine], { note: shown().model.note ?? '', transcript: undefined }, signal, onProgress);
  const last = shown();
  // The cards, their score count and the engines' run ids are made again from the results.
  const { sessionId, entities: _entities, scoresOutOfRange: _scores, runIds: _runIds, ...document } = last.model;
  const others = <T extends { readonly engine: EngineName }>(list: readonly T[]) => list.filter((r) => r.engine !== engine.name);
  const outcome = { results: [...others(last.results), ...again.results], failures: [...others(last.engineFailures), ...again.failures] };
  return resultOf(sessionId, outcome, last.skipped, document, last.sessionError, last.transcriptError);
}

/** `onProgress`, and the list of the engines it was told were skipped. */
function trackSkips(onProgress?: ProgressListener): [EngineName[], ProgressListener] {
  const skipped: EngineName[] = [];
  return [
    skipped,
    (engine, progress) => {
      if (progress.phase === 'skipped') skipped.push(engine);
      onProgress?.(engine, progress);
    },
  ];
}

function resultOf(
  sessionId: string,
  outcome: EnginesOutcome,
  skipped: readonly EngineName[],
  document: Omit<CodingModel, 'sessionId' | 'entities' | 'scoresOutOfRange' | 'runIds'>,
  sessionError?: HeidiError,
  transcriptError?: HeidiError,
): LoadResult {
  const discarded = outcome.results.flatMap((r) => r.discarded);
  // A code one engine threw away and another suggests: the card carries the discarding engine's reason.
  const entities = mergeEngineResults(outcome.results).map((entity): EntityView => {
    const against = discarded.filter(
      (d) => d.system === entity.primary.system && d.code === entity.primary.code && entity.engines.every((s) => s.engine !== d.engine),
    );
    return against.length ? { ...entity, discardedBy: against } : entity;
  });
  const runIds = new Map(outcome.results.flatMap((r) => (r.runId === undefined ? [] : [[r.engine, r.runId] as const])));
  return {
    model: { sessionId, entities, scoresOutOfRange: countScoresOutOfRange(entities), runIds, ...document },
    sessionError,
    transcriptError,
    engineFailures: outcome.failures,
    discarded,
    peerDropped: outcome.results.flatMap(({ engine, dropped: count }: EngineResult & { dropped?: number }) =>
      count ? [{ engine, count }] : [],
    ),
    skipped,
    results: outcome.results,
  };
}

/**
 * The review of a host note is keyed by whose note it is (`context`: the host's patient and encounter ids) and
 * the note itself: a reload of the same note keeps the reviewer's decisions; another note, or the same templated
 * note for another patient, starts a new review. A 53-bit hash (cyrb53: two 32-bit lanes mixed together; no
 * `crypto.subtle`, which a page without a secure context lacks), so two notes sharing one review by chance is
 * not something an ordinary clinic meets (a 32-bit one collides within about 77,000 notes, by the birthday bound).
 */
export function noteReviewId(note: string, context: readonly string[] = []): string {
  const text = JSON.stringify([...context, note]); // unambiguous: ["a","b\nc"] is not ["a\nb","c"]
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `note-${(4294967296 * (h2 & 0x1fffff) + (h1 >>> 0)).toString(36)}`;
}
