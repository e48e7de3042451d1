/** The Send to EHR area: the send button with its count, and what the last send did (or why it cannot). */
import { html, nothing, type TemplateResult } from 'lit';
import type { CommitPhase } from '../controllers/commit.ts';
import type { Messages } from '../i18n/index.ts';

export interface FooterProps {
  readonly messages: Messages;
  /** The codes a send gives the host, each once (`sendCount`). */
  readonly accepted: number;
  /** Codes the EHR holds from earlier sends: with none accepted now, Send still tells it they were removed. */
  readonly held: number;
  /** Why sending is blocked (the host's patient is not provably this session's), or ''. */
  readonly blocked: string;
  readonly phase: CommitPhase;
  readonly message: string;
  /** A retry can lift the block (the session could not be read, or linking it to the patient failed). */
  readonly retry: boolean;
  /** Codes the EHR holds that a send would withdraw: a send with only these is a send too. */
  readonly withdraw: number;
}

export function footerTemplate(
  { messages: m, accepted, held, blocked, phase, message, retry, withdraw }: FooterProps,
  handlers: { readonly send: () => void; readonly retry: () => void },
): TemplateResult {
  return html`<div class="footer" part="footer">
    <button
      class="primary send"
      ?disabled=${(accepted === 0 && held === 0) || !!blocked}
      aria-disabled=${String(phase === 'sending')}
      @click=${(e: MouseEvent) => e.detail > 1 || handlers.send()}
    >
      ${accepted ? m.sendCount(accepted) : m.sendToEhr}
    </button>
    <span id="commit-msg" class="commit-msg ${blocked ? 'blocked' : phase}"
      >${blocked || (phase !== 'idle' ? message : withdraw ? m.willWithdraw(withdraw) : accepted ? '' : m.nothingToSend)}</span
    >
    ${retry ? html`<button class="retry" aria-describedby="commit-msg" @click=${handlers.retry}>${m.retry}</button>` : nothing}
  </div>`;
}
