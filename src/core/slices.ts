/**
 * Long work done a slice at a time, with the main thread given back between slices, so that no task is
 * over 50 ms while the reviewer works (issue 16: thousands of codes, 5 MB transcripts).
 */

/** Work done between two pauses: well under a 50 ms long task on a slow machine. */
const SLICE_MS = 8;

/** Give the main thread back (input, paint) and continue soon after. */
export function pauseForMainThread(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * `steps` run to their end, a step at a time, with `pause()` after each slice of `SLICE_MS`; an abort
 * stops the work at the next pause. The result is what the steps return.
 */
export async function inSlices<T>(steps: Iterator<unknown, T>, signal?: AbortSignal, pause = pauseForMainThread): Promise<T> {
  for (let sliceStart = performance.now(); ;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > SLICE_MS) {
      await pause();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}
