/**
 * The review of the loaded session: accept, reject, undo, swap, batch accept.
 * Owns the session's `ReviewState` (one per session id, persisted by the
 * core) with its audit trail, fires `heidi-code-review` for each change, keeps
 * other tabs on the session in step (`ReviewSync`), and reads and restores
 * `reviewState`. The state's `snapshot` changes identity with every decision,
 * so views keyed on it recompute without a counter.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { auditEntry, isoAfter, MAX_AUDIT_ENTRIES, type AuditEntry, type Reviewer } from '../core/audit.ts';
import { errorDetail, HeidiError } from '../core/errors.ts';
import { sameCode, type CodeView, type EntityView } from '../core/model.ts';
import { appliesTo, ReviewState, type ReviewChange, type ReviewStatus } from '../core/review.ts';
import { parseReviewSnapshot, reviewSnapshot, splitSnapshot, type ReviewSnapshot } from '../core/review-snapshot.ts';
import { ReviewSync } from '../core/review-sync.ts';
import { rebaseSnapshot } from '../core/card-match.ts';
import { namedAudit, namedSent, type SentCode } from '../core/send-diff.ts';
import { HeidiCodeReviewEvent, HeidiErrorEvent } from '../events.ts';
import { engineNames } from '../core/payloads.ts';
import type { Localized, Messages } from '../i18n/index.ts';

export interface ReviewHost extends ReactiveControllerHost, EventTarget {
  readonly readonly: boolean;
  readonly reviewer: Reviewer | undefined;
  /** The session asked for (`session-id`): a `reviewState` set while another one is shown waits for it. */
  readonly sessionId: string | undefined;
  readonly isConnected: boolean;
  readonly apiBase: string;
  readonly tokenUrl: string;
}

export interface ReviewOptions {
  /** Told of each change after the host re-renders is requested and before the event fires. */
  readonly onChange: (change: ReviewChange) => void;
  readonly locale: { readonly messages: Messages };
  /**
   * The live region: a decision another tab overrode is said there (`announce`), in place of this tab's own, now
   * stale, one; a notice not about a load (the storage notice) is said after what the same task said (`announceNotice`).
   */
  readonly announcer: { announce(message: string): void; announceNotice(notice: string): void };
}

/** An audit entry's identity, to merge a restored trail without doubling entries. */
const entryKey = (e: AuditEntry): string => JSON.stringify([e.at, e.entityId, e.statusAfter, e.codeAfter?.code]);

export class ReviewController implements ReactiveController {
  /** The review of the session shown, once one has loaded. */
  state: ReviewState | undefined;
  /** Restored decisions that were not applied, decisions another tab overrode (put in words when drawn). */
  notices: readonly Localized[] = [];

  private _entities = new Map<string, EntityView>();
  /** The writes to browser storage whose last try was refused: the review's save, the tab sync's message. */
  private readonly _unstored = new Set<'review' | 'sync'>();
  /** Reviews of sessions left while storage refused them, by session id. */
  private readonly _unsaved = new Map<string, ReviewState>();
  /** The storage notice shown, to take it away again. */
  private _storageNotice: Localized | undefined;
  private _sync: ReviewSync | undefined;
  /** A `reviewState` the host set before the codes loaded. */
  private _pending: unknown;

  constructor(
    private readonly _host: ReviewHost,
    private readonly _options: ReviewOptions,
  ) {
    _host.addController(this);
  }

  /** Review `sessionId` and its `entities`: the same session keeps its state (a reload), another one reads its own. */
  open(sessionId: string, entities: readonly EntityView[] = []): ReviewState {
    if (this.state?.sessionId !== sessionId) {
      // A review storage refused stays on this page: coming back to its session loses nothing.
      if (this.state && this._unstored.has('review')) this._unsaved.set(this.state.sessionId, this.state);
      this.close();
      this._unstored.clear();
      const kept = this._unsaved.get(sessionId);
      this._unsaved.delete(sessionId);
      this.state = kept ?? new ReviewState(sessionId, { onStored: (stored) => this._stored('review', stored) });
      this.notices = [];
      if (kept) this._stored('review', false); // still not stored: said again
      this._noticeDropped(this.state, 0);
    }
    this._entities = new Map(entities.map((e) => [e.id, e]));
    // A code decided under another card id (an engine that answered then is down now) keeps its decision.
    this.state.rebase(entities);
    // A kept swap to a code this load no longer suggests is not applied (the card would send the code swapped away from).
    const inapplicable = this.state.dropInapplicable(this._entities);
    if (inapplicable.length) this._notice((m) => m.restoredUnknown(inapplicable.length));
    this._connect();
    const pending = this._pending;
    if (pending !== undefined) {
      this._pending = undefined;
      this.restore(pending);
    }
    return this.state;
  }

  /** `reviewState`: the review as plain JSON, for a host to keep. */
  get snapshot(): ReviewSnapshot | undefined {
    const state = this.state;
    // Names as the cards have them: a review restored from storage kept none.
    const sent = state?.sentAt ? { at: state.sentAt, codes: namedSent(this._entities.values(), state.sentCodes) } : undefined;
    return state && reviewSnapshot(state.sessionId, state.snapshot, namedAudit(this._entities.values(), state.audit), undefined, sent);
  }

  /**
   * Restore a `reviewState` (before the codes load: when they load). Per entity the later decision
   * wins over one made here; decisions for entities that no longer exist are named in a notice. A value that is
   * not a review is a `config` error, except null and undefined.
   */
  restore(value: unknown): void {
    // null and undefined are "not set" (as for every property): nothing to restore, and a waiting one is dropped.
    if (value == null) return void (this._pending = undefined);
    const state = this.state;
    const wanted = this._host.sessionId;
    if (!state || (wanted && wanted !== state.sessionId)) {
      this._pending = value;
      return;
    }
    const parsed = parseReviewSnapshot(value, state.sessionId);
    if (parsed instanceof HeidiError) {
      this._host.dispatchEvent(new HeidiErrorEvent(errorDetail(parsed)));
      return;
    }
    const unknown = this._merge(state, parsed);
    if (unknown.length) this._notice((m) => m.restoredUnknown(unknown.length));
  }

  /**
   * Merge a review into `state`: per entity the later decision wins over one made here, and the audit
   * gains the entries it lacks. Returns the entity ids the snapshot decided on that no longer exist.
   */
  private _merge(state: ReviewState, saved: ReviewSnapshot): readonly string[] {
    // Saved where another engine answered first: its decisions and sent codes follow their codes here.
    const snapshot = rebaseSnapshot(saved, [...this._entities.values()]);
    const split = splitSnapshot(snapshot, this._entities);
    const applies = ([id, decision]: (typeof split.applicable)[number]) => appliesTo(this._entities.get(id), decision);
    const applicable = split.applicable.filter(applies);
    const unknown = [...split.unknown, ...split.applicable.filter((d) => !applies(d)).map(([id]) => id)];
    // Applied unless this tab decided later (no local decision: NaN, so not later); all in one change.
    state.applyAll(
      applicable.flatMap(([id, { status, swappedTo, at }]) =>
        Date.parse(at) < Date.parse(state.lastDecisionTime(id) ?? '') ? [] : [[id, { status, swappedTo, at }] as const],
      ),
    );
    // What the host held as of that review's last send (unless this tab knows a later one): not sent again.
    if (snapshot.sent) state.markSent(snapshot.sent.codes, snapshot.sent.at);
    const known = new Set(state.audit.map(entryKey));
    const dropped = state.auditDropped;
    // Each entry once, even when the snapshot itself holds one twice.
    state.log(snapshot.audit.filter((e) => !known.has(entryKey(e)) && !!known.add(entryKey(e))));
    this._noticeDropped(state, dropped);
    this._host.requestUpdate();
    return unknown;
  }

  setStatus(entity: EntityView, status: ReviewStatus): void {
    this._decide((state) => [state.setStatus(entity, status)]);
  }

  swap(entity: EntityView, code: CodeView): void {
    this._decide((state) => [state.swap(entity, code)]);
  }

  /** Accept many at once (saved once). Returns how many changed. */
  acceptAll(entities: readonly EntityView[]): number {
    return this._decide((state) => state.setStatuses(entities, 'ACCEPTED'));
  }

  /** The host confirmed it holds exactly `codes` of `state`'s session: marked there, and told to the other tabs on it. */
  markSent(state: ReviewState, codes: readonly SentCode[]): void {
    state.markSent(codes);
    if (state === this.state) this._sync?.publishSent(codes, state.sentAt!);
  }

  /** Stop hearing other tabs (another session, or the element left), and save what is not saved yet. */
  close(): void {
    this._sync?.close();
    this._sync = undefined;
    this._flush();
  }

  /** A pending save is written before the page goes or is hidden (and may be discarded). */
  private readonly _flush = (): void => this.state?.flush();

  hostConnected(): void {
    this._connect();
    addEventListener('pagehide', this._flush);
    document.addEventListener('visibilitychange', this._flush);
  }

  hostDisconnected(): void {
    this.close();
    removeEventListener('pagehide', this._flush);
    document.removeEventListener('visibilitychange', this._flush);
  }

  private _connect(): void {
    const state = this.state;
    if (this._sync || !state || !this._host.isConnected) return;
    this._sync = new ReviewSync({
      sessionId: state.sessionId,
      // One reviewer's tabs (same API, same token source); the same session id elsewhere is not theirs.
      scope: `${this._host.apiBase} ${this._host.tokenUrl}`,
      // Another tab's decision won: apply it as it is, no event (that tab's host heard it).
      // One this tab cannot take (an entity it does not have, a swap to a code it does not have) is left out.
      onRemote: ({ entityId: remoteId, decision, entry: remoteEntry, at, suggested }) => {
        // That tab's card for a code this tab has under another id (its engines answered otherwise): the code's card
        // here, unless this tab decided on it later.
        const entityId = this._entities.has(remoteId) ? remoteId : (this._cardFor(suggested) ?? remoteId);
        if (entityId !== remoteId && Date.parse(at) < Date.parse(state.lastDecisionTime(entityId) ?? '')) return;
        const entry = remoteEntry && { ...remoteEntry, entityId };
        // Without its audit entry the decision keeps its own time (the snapshot, and a tab opened later, read it).
        if (
          this.state === state &&
          appliesTo(this._entities.get(entityId), decision) &&
          state.apply(entityId, entry ? decision : { ...decision, at }, entry)
        )
          this._host.requestUpdate();
      },
      onStale: ({ entry }) => entry && state.log([entry]),
      // A tab that opens later catches up, and tells what it had kept; a review that does not parse is ignored.
      review: () => this.snapshot,
      onReview: (review) => {
        const parsed = parseReviewSnapshot(review, state.sessionId);
        if (this.state === state && !(parsed instanceof HeidiError)) this._merge(state, parsed);
      },
      sent: () => (state.sentAt ? { codes: state.sentCodes, at: state.sentAt } : undefined),
      onSent: (codes, at) => {
        // Sent from a tab whose engines answered otherwise: its ids follow their codes here.
        if (this.state !== state || !state.markSent(codes, at)) return;
        state.rebase([...this._entities.values()]);
        this._host.requestUpdate();
      },
      onStored: (stored) => this._stored('sync', stored),
      onLost: ({ entityId, decision }) => {
        const code = decision.swappedTo?.code ?? this._entities.get(entityId)?.primary.code ?? entityId;
        this._notice((m) => m.lostToOtherTab(code));
        // The notice is a plain paragraph; the live region still says this tab's own decision ("I10: Accepted").
        this._options.announcer.announce(this._options.locale.messages.lostToOtherTab(code));
      },
    });
  }

  /**
   * A storage write was refused (storage full) or taken again. While any is refused, one notice says the copy kept
   * in this browser is behind (nothing is lost from the page, and the next save tries again); said once, when it
   * appears, and taken away when the writes succeed again.
   */
  private _stored(what: 'review' | 'sync', stored: boolean): void {
    const before = this._unstored.size;
    if (stored) this._unstored.delete(what);
    else this._unstored.add(what);
    if (!before && this._unstored.size) {
      const notice: Localized = (m) => m.notStored;
      this._storageNotice = notice;
      this._notice(notice);
      this._options.announcer.announceNotice(notice(this._options.locale.messages));
    } else if (before && !this._unstored.size) {
      this.notices = this.notices.filter((n) => n !== this._storageNotice);
      this._host.requestUpdate();
    }
  }

  /** The first card suggesting `code` (system + code), if any. */
  private _cardFor(code: { codeSystem: string; code: string } | undefined): string | undefined {
    if (!code) return undefined;
    for (const [id, entity] of this._entities) if (sameCode(entity.primary, code)) return id;
    return undefined;
  }

  /** Say how many of the oldest audit entries `state` left out since it had left out `before`. */
  private _noticeDropped(state: ReviewState, before: number): void {
    const count = state.auditDropped - before;
    if (count) this._notice((m) => m.auditTrimmed(count, MAX_AUDIT_ENTRIES));
  }

  /** Add a notice, unless one saying the same is there; the last three are kept. */
  private _notice(notice: Localized): void {
    const m = this._options.locale.messages;
    if (!this.notices.some((n) => n(m) === notice(m))) this.notices = [...this.notices, notice].slice(-3);
    this._host.requestUpdate();
  }

  /** Make the decisions `decide` returns (unless read-only): log, sync and announce each. Returns how many changed. */
  private _decide(decide: (state: ReviewState) => readonly (ReviewChange | undefined)[]): number {
    const state = this.state;
    if (this._host.readonly || !state) return 0;
    const before = state.snapshot;
    const changes = decide(state).filter((c): c is ReviewChange => !!c);
    // Stamped after the last decision known for its code: another tab's clock may run ahead, and a decision
    // made after it must still win there, or the tabs would disagree for good. One `now` for the whole batch.
    const now = Date.now();
    const stamp = (id: string): string => {
      const times = [state.lastDecisionTime(id), this._sync?.lastAt(id)].map((t) => Date.parse(t ?? '')).filter((t) => !Number.isNaN(t));
      // And after the last send: a decision made since it is one that can withdraw what it sent (heldWithoutCard).
      return isoAfter(Math.max(state.decidedAfter, ...times), now);
    };
    // Logged before the events fire: a host that saves `reviewState` on each one saves its audit entry too.
    const entries = changes.map((change) => {
      const entity = this._entities.get(change.entityId);
      const chosen = entity && state.chosenCode(entity);
      return auditEntry(
        {
          entityId: change.entityId,
          statusBefore: before.get(change.entityId)?.status ?? 'PENDING',
          statusAfter: change.status,
          codeBefore: change.previousCode ?? change.code,
          codeAfter: change.code,
        },
        {
          at: stamp(change.entityId),
          // The engines behind the code chosen now (a swapped-to alternative: the engine that listed it).
          engines: entity && engineNames(entity, chosen),
          score: chosen?.score,
          reviewer: this._host.reviewer,
        },
      );
    });
    state.log(entries);
    changes.forEach((change, i) => {
      const suggested = this._entities.get(change.entityId)?.primary;
      this._sync?.publish(
        change.entityId,
        state.snapshot.get(change.entityId) ?? { status: 'PENDING' },
        entries[i]!.at,
        entries[i],
        suggested,
      );
      this._host.requestUpdate();
      this._options.onChange(change);
      this._host.dispatchEvent(new HeidiCodeReviewEvent({ sessionId: state.sessionId, ...change }));
    });
    return changes.length;
  }
}
