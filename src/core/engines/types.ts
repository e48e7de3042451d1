/**
 * The engine-neutral contract: every coding engine (Heidi, Sully, Omniscribe)
 * is a `CodingEngine` that turns a consultation's note (and, for Heidi, its
 * session) into `EngineEntity`s. The pipeline runs the engines in parallel,
 * reports each one's progress and failure on its own, and merges their
 * entities into one card per FHIR system + code (`mergeEngineResults`).
 *
 * Adding an engine is a new file in this folder that implements
 * `CodingEngine`; nothing in the element changes.
 */
import type { HeidiError } from '../errors.ts';
import type { NoteEvidence, TranscriptEvidence } from '../evidence.ts';
import type { EntityView } from '../model.ts';

export type EngineName = 'heidi' | 'sully' | 'omniscribe';

export const ENGINE_NAMES: readonly EngineName[] = ['heidi', 'sully', 'omniscribe'];

/**
 * An engine's name as shown (`heidi` -> `Heidi`): a product name, the same in every language. Any string,
 * since the FHIR builder names the engines a host passes to `toFhirBundle`.
 */
export const engineLabel = (engine: string): string => engine.charAt(0).toUpperCase() + engine.slice(1);

/** Where one engine is, as the header shows it. `startedAt` is a `performance.now()` time. */
export type EngineProgress =
  | { readonly phase: 'queued' }
  | { readonly phase: 'processing'; readonly startedAt: number }
  | { readonly phase: 'done'; readonly count: number }
  | { readonly phase: 'failed'; readonly error: HeidiError }
  | { readonly phase: 'cancelled' }
  | { readonly phase: 'skipped'; readonly reason: 'empty-note' };

/** Still at work: queued or coding (its row has a Cancel). */
export const isWorking = (progress: EngineProgress): boolean => progress.phase === 'queued' || progress.phase === 'processing';

/** One engine's place in the header: its name and where it is. */
export interface EngineState {
  readonly engine: EngineName;
  readonly progress: EngineProgress;
}

/** What the engines code: the consult note (Heidi's, or the host's `note`), and the transcript when Heidi gave one. */
export interface CodingInput {
  readonly note: string;
  readonly transcript: string | undefined;
}

/** A code an engine considered and threw away (Omniscribe's `discarded_code_assessments`). Never a suggestion. */
export interface DiscardedCode {
  readonly engine: EngineName;
  /** FHIR system URI and code, as in `CodeRef`. */
  readonly system: string;
  readonly code: string;
  readonly display: string;
  readonly justification: string;
  /** 0..1 */
  readonly score: number | undefined;
}

/** One engine's suggestion of a code, as a merged card lists it (one per engine that suggested the code). */
export interface EngineSuggestion {
  readonly engine: EngineName;
  /** The entity's id in that engine's own result. */
  readonly entityId: string;
  /** 0..1 */
  readonly score: number | undefined;
  readonly transcript: readonly TranscriptEvidence[];
  readonly note: readonly NoteEvidence[];
  /** The engine's own reasoning (Omniscribe's `justification`): shown as evidence, never a location. */
  readonly justification: string | undefined;
}

/** One engine's answer. `entities` use the same `EntityView` shape for every engine. */
export interface EngineResult {
  readonly engine: EngineName;
  readonly entities: readonly EntityView[];
  readonly discarded: readonly DiscardedCode[];
  /** The engine's own id for this run: Heidi session id, Sully coding id, Omniscribe `run_id`. */
  readonly runId: string | undefined;
}

export interface CodingEngine {
  readonly name: EngineName;
  /** False for an engine that codes without the note (Heidi codes its own session); others are skipped on an empty note. */
  readonly needsNote?: boolean;
  /**
   * Code `input`. Calls `onProgress` as it moves (processing, with its start time); resolves with
   * the result or rejects with a `HeidiError` (never anything else); honours `signal` (rejects
   * with the signal's reason when aborted, via `signal.throwIfAborted()`).
   */
  code(input: CodingInput, signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<EngineResult>;
}
