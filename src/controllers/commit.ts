/**
 * Sending the accepted codes to the EHR: `heidi-codes-commit` (cancelable,
 * with `waitUntil` for the host's write-back), the phases the footer shows,
 * and the wrong-patient guard.
 */
import type { ReactiveControllerHost } from 'lit';
import { committedCode, isWrongPatient } from '../core/commit.ts';
import type { CheckWarning } from '../core/checks.ts';
import type { CodingModel, EntityView } from '../core/model.ts';
import { HeidiCodesCommitEvent } from '../events.ts';
import type { Messages } from '../i18n/index.ts';
import type { ReviewController } from './review.ts';

export type CommitPhase = 'idle' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'blocked';

export interface CommitHost extends ReactiveControllerHost, EventTarget {
  readonly readonly: boolean;
  readonly ehrPatientId: string;
}

export interface CommitOptions {
  readonly review: ReviewController;
  readonly model: () => CodingModel | undefined;
  /** The entities the list shows (the `code-systems` attribute applied). */
  readonly shown: () => readonly EntityView[];
  readonly warningsFor: (entity: EntityView) => readonly CheckWarning[];
  readonly messages: () => Messages;
  readonly announce: (message: string) => void;
}

/** Not a lifecycle hook user: a send under way when the element leaves still completes, so nothing sent is lost. */
export class CommitController {
  phase: CommitPhase = 'idle';
  message = '';

  constructor(
    private readonly _host: CommitHost,
    private readonly _options: CommitOptions,
  ) {}

  /** Sending is blocked: the host's patient is not (provably) this session's. */
  get blocked(): boolean {
    return isWrongPatient(this._host.ehrPatientId, this._options.model()?.session);
  }

  /** Send the accepted codes. Resolves true when the host confirmed. */
  async commit(): Promise<boolean> {
    const { review, messages } = this._options;
    const model = this._options.model();
    const state = review.state;
    if (!model || !state || this._host.readonly || this.phase === 'sending') return false;
    const m = messages();
    if (this.blocked) {
      this._set('blocked', m.wrongPatient);
      return false;
    }
    const accepted = state.accepted(this._options.shown());
    if (accepted.length === 0) {
      this._options.announce(m.nothingToSend);
      return false;
    }
    const codes = accepted.map((entity) => committedCode(entity, state.chosenCode(entity), this._options.warningsFor(entity)));
    const pending: Promise<unknown>[] = [];
    const event = new HeidiCodesCommitEvent({
      sessionId: model.sessionId,
      codes,
      waitUntil: (promise) => {
        pending.push(Promise.resolve(promise));
      },
    });
    this._host.dispatchEvent(event);
    if (event.defaultPrevented) {
      this._set('cancelled', m.sendCancelled);
      return false;
    }
    this._set('sending', m.sending);
    try {
      await Promise.all(pending);
    } catch (error) {
      this._set('failed', messages().sendFailed(error instanceof Error ? error.message : typeof error === 'string' ? error : ''));
      return false;
    }
    if (review.state !== state) return false; // the session changed while the host was writing
    review.markSent(codes);
    this._set('sent', messages().sentOk(codes.length));
    return true;
  }

  /** A decision changed what would be sent: the last outcome no longer applies (unless a send is under way). */
  onReviewChange(): void {
    if (this.phase !== 'sending') this._setPhase('idle');
  }

  /** Another session: nothing of the last one's sending shows. */
  reset(): void {
    this.phase = 'idle';
    this.message = '';
    this._host.requestUpdate();
  }

  private _setPhase(phase: CommitPhase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this._host.requestUpdate();
  }

  private _set(phase: CommitPhase, message: string): void {
    this.phase = phase;
    this.message = message;
    this._host.requestUpdate();
    this._options.announce(message);
  }
}
