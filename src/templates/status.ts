/** The status line while there is no list: loading, generating (with Cancel), cancelled, and errors (with Retry). */
import { html, nothing, type TemplateResult } from 'lit';
import type { HeidiError } from '../core/errors.ts';
import type { EngineState } from '../core/engines/types.ts';
import type { LoadPhase } from '../controllers/session-load.ts';
import type { Messages } from '../i18n/index.ts';
import { showsEngines } from './engine-progress.ts';

/** Where the status line reads the load (the session-load controller). */
export interface StatusSource {
  readonly phase: LoadPhase;
  readonly elapsed: number;
  readonly error: HeidiError | undefined;
  /** With more engines than Heidi alone, their progress (and Cancels) is in the header and this is one line. */
  readonly engineStates: readonly EngineState[];
}

export interface StatusHandlers {
  readonly retry: () => void;
  readonly cancel: () => void;
}

/** `attaching`: to a session (else creating one). */
export function statusTemplate(m: Messages, load: StatusSource, attaching: boolean, on: StatusHandlers): TemplateResult {
  const { phase, error } = load;
  if (phase === 'error')
    return html`<div class="state error" part="status" role="alert" tabindex="-1">
      <strong>${m.errorTitle}</strong>
      <span>${error ? m.errors[error.code] : ''}</span>
      ${error?.message ? html`<details><summary>${m.details}</summary><span lang="en">${error.message}</span></details>` : nothing}
      ${error?.retryable !== false ? html`<button class="primary" @click=${on.retry}>${m.retry}</button>` : nothing}
    </div>`;
  if (phase === 'cancelled')
    return state(html`<span>${m.cancelled}</span><button class="primary" @click=${on.retry}>${m.loadCodes}</button>`);
  // idle and loading ('loaded' shows the list instead)
  if (phase !== 'generating') return state(spinning(attaching ? m.loadingSession : m.creatingSession));
  if (showsEngines(load.engineStates)) return state(spinning(m.enginePhase.processing));
  return state(html`${spinning(m.generating(load.elapsed))}<button @click=${on.cancel}>${m.cancel}</button>`);
}

/** How many codes are shown, or why none is: none suggested, or all `suggested` in code systems `code-systems` hides. */
export const shownMessage = (m: Messages, shown: number, suggested: number): string =>
  shown ? m.loaded(shown) : suggested ? m.emptyHidden(suggested) : m.empty;

/** The one-line status inside the loaded view (no codes shown). */
export function emptyTemplate(m: Messages, suggested: number): TemplateResult {
  return state(html`<span>${shownMessage(m, 0, suggested)}</span>`);
}

function state(content: TemplateResult): TemplateResult {
  // Focusable by script: focus goes here when the button pressed is gone and none replaced it (FocusKeeper).
  return html`<div class="state" part="status" tabindex="-1">${content}</div>`;
}

function spinning(text: string): TemplateResult {
  return html`<span><span class="spinner" aria-hidden="true"></span>${text}</span>`;
}
