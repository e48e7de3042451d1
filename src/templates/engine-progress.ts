/**
 * Each coding engine's progress (queued, coding with its seconds, done,
 * failed, cancelled, skipped) with a Cancel per engine while it works, and the
 * notices a multi-engine load leaves (engines failed, skipped, codes dropped).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { engineLabel, isWorking, type EngineName, type EngineState } from '../core/engines/types.ts';
import type { LoadResult } from '../core/session-loader.ts';
import { droppedNotices, type Localized, type Messages } from '../i18n/index.ts';
import type { DiscardedCode } from '../core/engines/types.ts';
import { discardedListTemplate } from './discarded-list.ts';

/** Only worth a line when there is more than Heidi alone (Heidi alone keeps its one status line). */
export function showsEngines(states: readonly EngineState[]): boolean {
  return states.some((s) => s.engine !== 'heidi');
}

/** Where the header stands on the engines: where it reads them from (the session-load controller). */
export interface EnginesSource {
  readonly engineStates: readonly EngineState[];
  /** `performance.now()` as of the last tick, for the seconds of an engine at work. */
  readonly now: number;
  readonly phase: string;
  readonly discarded: readonly DiscardedCode[];
  cancelEngine(engine: EngineName): void;
  /** Run a failed engine again, the others' codes kept. */
  retryEngine(engine: EngineName): void;
}

/**
 * The header's engine part: each engine's progress (a Cancel per engine while it works), a Retry for an engine
 * that failed on something a retry can mend (Heidi's reloads the session, the decisions kept), and, once loaded, what they considered and discarded. Nothing
 * for Heidi alone.
 */
export function engineHeaderTemplate(m: Messages, percent: (score: number) => string, s: EnginesSource): TemplateResult | typeof nothing {
  if (!showsEngines(s.engineStates)) return nothing;
  // Loaded, only an engine run again (its Retry) is still at work.
  const working = s.phase === 'loading' || s.phase === 'generating' || s.phase === 'loaded';
  return html`<ul class="engines-progress" aria-label=${m.suggestedBy}>
      ${s.engineStates.map(({ engine, progress }) => {
        const name = engineLabel(engine);
        const extra =
          progress.phase === 'processing'
            ? ` ${Math.max(0, Math.floor((s.now - progress.startedAt) / 1000))} s`
            : progress.phase === 'done'
              ? ` (${progress.count})`
              : '';
        // Focusable by script: its Cancel or Retry gone, focus stays on the row, which says what happened (FocusKeeper).
        return html`<li data-engine=${engine} data-phase=${progress.phase} tabindex="-1">
          <strong>${name}</strong> ${m.enginePhase[progress.phase]}${extra}
          ${
            working && isWorking(progress)
              ? html`<button class="link" aria-label=${m.cancelEngine(name)} @click=${() => s.cancelEngine(engine)}>${m.cancel}</button>`
              : s.phase === 'loaded' && progress.phase === 'failed' && progress.error.retryable
                ? html`<button class="link" aria-label=${m.retryEngine(name)} @click=${() => s.retryEngine(engine)}>${m.retry}</button>`
                : nothing
          }
        </li>`;
      })}
    </ul>
    ${discardedListTemplate(m, s.discarded, percent)}`;
}

/**
 * Degraded loads, engines that failed or were skipped, and what could not be read: each a notice. An engine whose
 * Retry runs (in `states`) is left out: its row says it is coding again.
 */
export function loadNotices(result: LoadResult, states: readonly EngineState[] = []): Localized[] {
  const running = new Set(states.filter((s) => isWorking(s.progress)).map((s) => s.engine));
  return [
    ...(result.sessionError ? [(m: Messages) => m.degradedSession] : []),
    ...(result.transcriptError ? [(m: Messages) => m.degradedTranscript] : []),
    ...result.engineFailures.flatMap((f) => (running.has(f.engine) ? [] : [(m: Messages) => m.engineFailed(engineLabel(f.engine))])),
    ...(result.skipped.length ? [(m: Messages) => m.enginesSkipped(result.skipped.map(engineLabel).join(', '))] : []),
    ...droppedNotices(result.model.dropped),
    ...result.peerDropped.map((d) => (m: Messages) => m.engineDropped(engineLabel(d.engine), d.count)),
  ];
}
