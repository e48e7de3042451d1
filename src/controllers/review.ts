/**
 * The review of the loaded session: accept, reject, undo, swap, batch accept.
 * Owns the session's `ReviewState` (one per session id, persisted by the
 * core), fires `heidi-code-review` for each change and asks the host to
 * re-render; the state's `snapshot` changes identity with every decision, so
 * views keyed on it recompute without a counter.
 */
import type { ReactiveControllerHost } from 'lit';
import type { CodeView, EntityView } from '../core/model.ts';
import { ReviewState, type ReviewChange, type ReviewStatus } from '../core/review.ts';
import { HeidiCodeReviewEvent } from '../events.ts';

export interface ReviewHost extends ReactiveControllerHost, EventTarget {
  readonly readonly: boolean;
}

export interface ReviewOptions {
  /** Told of each change after the host re-renders is requested and before the event fires. */
  readonly onChange: (change: ReviewChange) => void;
}

/** Not a lifecycle hook user: nothing to connect or release (the core persists each decision as it is made). */
export class ReviewController {
  /** The review of the session shown, once one has loaded. */
  state: ReviewState | undefined;

  constructor(
    private readonly _host: ReviewHost,
    private readonly _options: ReviewOptions,
  ) {}

  /** Review `sessionId`: the same session keeps its state (a reload), another one reads its own. */
  open(sessionId: string): ReviewState {
    if (this.state?.sessionId !== sessionId) this.state = new ReviewState(sessionId);
    return this.state;
  }

  setStatus(entity: EntityView, status: ReviewStatus): void {
    if (this._host.readonly || !this.state) return;
    this._apply([this.state.setStatus(entity, status)]);
  }

  swap(entity: EntityView, code: CodeView): void {
    if (this._host.readonly || !this.state) return;
    this._apply([this.state.swap(entity, code)]);
  }

  /** Accept many at once (saved once). Returns how many changed. */
  acceptAll(entities: readonly EntityView[]): number {
    if (this._host.readonly || !this.state) return 0;
    const changes = this.state.setStatuses(entities, 'ACCEPTED');
    this._apply(changes);
    return changes.length;
  }

  /** The host confirmed it received these codes. */
  markSent(codes: readonly { entityId: string; codeSystem: string; code: string }[]): void {
    this.state?.markSent(codes);
    this._host.requestUpdate();
  }

  private _apply(changes: readonly (ReviewChange | undefined)[]): void {
    const state = this.state;
    if (!state) return;
    for (const change of changes) {
      if (!change) continue;
      this._host.requestUpdate();
      this._options.onChange(change);
      this._host.dispatchEvent(
        new HeidiCodeReviewEvent({
          sessionId: state.sessionId,
          entityId: change.entityId,
          status: change.status,
          code: change.code,
          ...(change.previousCode ? { previousCode: change.previousCode } : {}),
        }),
      );
    }
  }
}
