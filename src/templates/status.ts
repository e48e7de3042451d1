/** The status line while there is no list: loading, generating (with Cancel), cancelled, and errors (with Retry). */
import { html, nothing, type TemplateResult } from 'lit';
import type { HeidiError } from '../core/errors.ts';
import type { LoadPhase } from '../controllers/session-load.ts';
import type { Messages } from '../i18n/index.ts';

export interface StatusProps {
  readonly phase: Exclude<LoadPhase, 'loaded'>;
  /** Attaching to a session (else creating one). */
  readonly attaching: boolean;
  readonly elapsed: number;
  readonly error: HeidiError | undefined;
  readonly messages: Messages;
  /** More engines than Heidi alone: their progress (and Cancels) is in the header, this is one line. */
  readonly engines?: boolean;
}

export interface StatusHandlers {
  readonly retry: () => void;
  readonly cancel: () => void;
}

export function statusTemplate(props: StatusProps, handlers: StatusHandlers): TemplateResult {
  const m = props.messages;
  if (props.phase === 'generating' && props.engines) {
    return html`<div class="state" part="status"><span><span class="spinner" aria-hidden="true"></span>${m.enginePhase.processing}</span></div>`;
  }
  switch (props.phase) {
    case 'idle':
    case 'loading':
      return html`<div class="state" part="status"><span><span class="spinner" aria-hidden="true"></span>${props.attaching ? m.loadingSession : m.creatingSession}</span></div>`;
    case 'generating':
      return html`<div class="state" part="status">
        <span><span class="spinner" aria-hidden="true"></span>${m.generating(props.elapsed)}</span>
        <button @click=${handlers.cancel}>${m.cancel}</button>
      </div>`;
    case 'cancelled':
      return html`<div class="state" part="status"><span>${m.cancelled}</span><button class="primary" @click=${handlers.retry}>${m.loadCodes}</button></div>`;
    case 'error': {
      const error = props.error;
      return html`<div class="state error" part="status" role="alert">
        <strong>${m.errorTitle}</strong>
        <span>${error ? m.errors[error.code] : ''}</span>
        ${error?.message ? html`<details><summary>${m.details}</summary><span lang="en">${error.message}</span></details>` : nothing}
        ${error?.retryable !== false ? html`<button class="primary" @click=${handlers.retry}>${m.retry}</button>` : nothing}
      </div>`;
    }
  }
}

/** The one-line status inside the loaded view (no codes at all). */
export function emptyTemplate(messages: Messages): TemplateResult {
  return html`<div class="state" part="status"><span>${messages.empty}</span></div>`;
}
