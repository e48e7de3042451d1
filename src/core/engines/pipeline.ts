/**
 * Runs coding engines side by side on one consultation: each reports its own
 * progress and fails on its own; the run fails only when every engine that
 * ran failed. Aborting the signal cancels them all.
 */
import { HeidiError, abortable, isAbort } from '../errors.ts';
import type { CodingEngine, CodingInput, EngineName, EngineProgress, EngineResult } from './types.ts';

export interface EngineFailure {
  readonly engine: EngineName;
  readonly error: HeidiError;
}

export interface EnginesOutcome {
  /** In the order the engines were given (the first engine's cards come first when merged). */
  readonly results: readonly EngineResult[];
  readonly failures: readonly EngineFailure[];
}

export type ProgressListener = (engine: EngineName, progress: EngineProgress) => void;

/**
 * Code `input` with every engine at once. Resolves with the results and the failures; rejects
 * with the first engine's error when all of them failed, and with the signal's reason when aborted.
 * Engines are skipped (not failed) when there is no note to code, unless they say they need none.
 */
export async function runEngines(
  engines: readonly CodingEngine[],
  input: CodingInput,
  signal: AbortSignal,
  onProgress: ProgressListener,
): Promise<EnginesOutcome> {
  return failUnlessAny(await settleEngines(engines, input, signal, onProgress));
}

/** The run's outcome, or the first engine's error when every engine that ran failed. */
export function failUnlessAny(outcome: EnginesOutcome): EnginesOutcome {
  const first = outcome.failures[0];
  if (outcome.results.length === 0 && first) throw first.error;
  return outcome;
}

/** As `runEngines`, but resolves with the failures even when every engine failed (for runs combined later). */
export async function settleEngines(
  engines: readonly CodingEngine[],
  input: CodingInput,
  signal: AbortSignal,
  onProgress: ProgressListener,
): Promise<EnginesOutcome> {
  signal.throwIfAborted();
  // Each engine starts at once (an async function runs synchronously up to its first await).
  const running = engines.map(async (engine) => {
    if (engine.needsNote !== false && !input.note.trim()) {
      onProgress(engine.name, { phase: 'skipped', reason: 'empty-note' });
      return undefined;
    }
    return runOne(engine, input, signal, onProgress);
  });
  const settled = await Promise.all(running);
  signal.throwIfAborted();
  return {
    results: settled.flatMap((outcome) => (outcome?.ok ? [outcome.result] : [])),
    failures: settled.flatMap((outcome) => (outcome?.ok === false ? [outcome.failure] : [])),
  };
}

type Outcome = { ok: true; result: EngineResult } | { ok: false; failure: EngineFailure };

async function runOne(
  engine: CodingEngine,
  input: CodingInput,
  signal: AbortSignal,
  onProgress: ProgressListener,
): Promise<Outcome | undefined> {
  try {
    const result = await engine.code(input, signal, (progress) => {
      if (!signal.aborted) onProgress(engine.name, progress);
    });
    signal.throwIfAborted();
    onProgress(engine.name, { phase: 'done', count: result.entities.length });
    return { ok: true, result };
  } catch (error) {
    if (signal.aborted || isAbort(error)) {
      onProgress(engine.name, { phase: 'cancelled' });
      return undefined;
    }
    const heidiError = asHeidiError(error);
    onProgress(engine.name, { phase: 'failed', error: heidiError });
    return { ok: false, failure: { engine: engine.name, error: heidiError } };
  }
}

/** Anything that is not already a HeidiError is a bug or an unknown failure: reported, never thrown at the host. */
export function asHeidiError(error: unknown): HeidiError {
  if (error instanceof HeidiError) return error;
  return new HeidiError('server', error instanceof Error ? error.message : 'Unexpected failure.', { cause: error });
}

/** `engine`, cancelled when `own` aborts as well as when the whole run does (the header's Cancel per engine). */
export function cancellable(engine: CodingEngine, own: AbortSignal): CodingEngine {
  return {
    ...engine,
    code(input, signal, onProgress) {
      const both = AbortSignal.any([signal, own]);
      // Heidi's codes request belongs to the whole load; a cancelled engine stops waiting for it.
      return abortable(engine.code(input, both, onProgress), both);
    },
  };
}
