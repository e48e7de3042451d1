/**
 * Sending the accepted codes to the EHR: `heidi-codes-commit` (cancelable,
 * with `waitUntil` for the host's write-back), the phases the footer shows,
 * and the wrong-patient guard.
 */
import type { ReactiveControllerHost } from 'lit';
import { committedCode, isWrongPatient } from '../core/payloads.ts';
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

/** The controllers a send reads: the review, the list (what is shown, with which warnings), the model, the language, the live region. */
export interface CommitOptions {
  readonly review: ReviewController;
  readonly session: { readonly model: CodingModel | undefined };
  /** `shown`: the entities the list shows (the `code-systems` attribute applied). */
  readonly list: { readonly shown: readonly EntityView[]; warningsFor(entity: EntityView): readonly CheckWarning[] };
  readonly locale: { readonly messages: Messages };
  readonly announcer: { announce(message: string): void };
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
    const model = this._options.session.model;
    // The host's own note is the host's own patient: there is no Heidi session to belong to someone else.
    return !model?.hostNote && isWrongPatient(this._host.ehrPatientId, model?.session);
  }

  /** Send the accepted codes. Resolves true when the host confirmed. */
  async commit(): Promise<boolean> {
    const { review, locale, list } = this._options;
    const model = this._options.session.model;
    const state = review.state;
    if (!model || !state || this._host.readonly || this.phase === 'sending') return false;
    const m = locale.messages;
    if (this.blocked) {
      this._assign('blocked', m.wrongPatient);
      return false;
    }
    const accepted = state.accepted(list.shown);
    if (accepted.length === 0) {
      this._options.announcer.announce(m.nothingToSend);
      return false;
    }
    const codes = accepted.map((entity) => committedCode(entity, state.chosenCode(entity), list.warningsFor(entity)));
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
      this._assign('cancelled', m.sendCancelled);
      return false;
    }
    this._assign('sending', m.sending);
    try {
      await Promise.all(pending);
    } catch (error) {
      this._assign('failed', locale.messages.sendFailed(error instanceof Error ? error.message : typeof error === 'string' ? error : ''));
      return false;
    }
    if (review.state !== state) return false; // the session changed while the host was writing
    review.markSent(codes);
    this._assign('sent', locale.messages.sentOk(codes.length));
    return true;
  }

  /** A decision changed what would be sent: the last outcome no longer applies (unless a send is under way). Called as the review re-renders. */
  onReviewChange(): void {
    if (this.phase !== 'sending') this.phase = 'idle';
  }

  /** Another session: nothing of the last one's sending shows. */
  reset(): void {
    this.phase = 'idle';
    this.message = '';
    this._host.requestUpdate();
  }

  private _assign(phase: CommitPhase, message: string): void {
    this.phase = phase;
    this.message = message;
    this._host.requestUpdate();
    this._options.announcer.announce(message);
  }
}
