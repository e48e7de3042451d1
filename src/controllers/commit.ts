/**
 * Sending the accepted codes to the EHR: `heidi-codes-commit` (cancelable,
 * with `waitUntil` for the host's write-back, the FHIR bundle, the audit and
 * what changed since the last send), the phases the footer shows, and the
 * wrong-patient guard. A commit belongs to its session: its outcome is
 * recorded and shown there only, and one runs per session at a time.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Reviewer } from '../core/audit.ts';
import type { CheckWarning } from '../core/checks.ts';
import { toFhirBundle } from '../core/fhir.ts';
import { codeRef, type CodeRef, type CodingModel, type EntityView } from '../core/model.ts';
import { committedCode, fhirCodeKey, keptCode, patientBlock, perCode, suggestionsFor, type AcceptedPick } from '../core/payloads.ts';
import { sameDecision, type Decision, type ReviewState } from '../core/review.ts';
import { namedAudit, namedSent, sendDiff, sentCode, type SentCode } from '../core/send-diff.ts';
import { heldWithoutCard } from '../core/card-match.ts';
import { errorDetail, HeidiError } from '../core/errors.ts';
import { HeidiCodesCommitEvent, HeidiErrorEvent } from '../events.ts';
import type { Localized, Messages } from '../i18n/index.ts';
import type { ReviewController } from './review.ts';

export type CommitPhase = 'idle' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'blocked';

export interface CommitHost extends ReactiveControllerHost, EventTarget {
  readonly readonly: boolean;
  readonly ehrPatientId: string;
  readonly ehrAppointmentId?: string;
  readonly reviewer?: Reviewer | undefined;
}

/** The controllers a send reads: the review, the list (what is shown, with which warnings), the model, the language, the live region. */
export interface CommitOptions {
  readonly review: ReviewController;
  readonly session: { readonly model: CodingModel | undefined; readonly linkFailed?: boolean };
  /** `shown`: the entities the list shows (the `code-systems` attribute applied); `warningsFor` any entity of the model. */
  readonly list: { readonly shown: readonly EntityView[]; warningsFor(entity: EntityView): readonly CheckWarning[] };
  readonly locale: { readonly messages: Messages };
  readonly announcer: { announce(message: string): void };
}

/** Each code once (`fhirCodeKey`), leaving out those in `except`. */
function oncePerCode<T extends CodeRef>(codes: readonly T[], except: readonly CodeRef[] = []): T[] {
  const seen = new Set(except.map(fhirCodeKey));
  return codes.filter((c) => !seen.has(fhirCodeKey(c)) && !!seen.add(fhirCodeKey(c)));
}

/** What a send of `held` changes for a host that holds `lastSent`: by code, not entity (a code another entity
 * already gave the host is not new, one another entity still holds is not gone). */
function changes(lastSent: readonly SentCode[], held: readonly SentCode[]): { added: SentCode[]; removed: SentCode[] } {
  const diff = sendDiff(lastSent, held);
  return { added: oncePerCode(diff.added, lastSent), removed: oncePerCode(diff.removed, held) };
}

/**
 * Does the host hold an entity's chosen code after a send (the send's rule, and the footer's count)? When it is
 * accepted and shown, or was sent before and is still accepted as sent but hidden now by a narrower
 * `code-systems`: hidden is not withdrawn, so such a code stays listed and is never in `removed`. A hidden code
 * never sent is not sent while hidden. (Sent codes no card holds, kept until a decision since the send: `heldWithoutCard`.)
 */
export function heldAfterSend(state: ReviewState, shown: readonly EntityView[]): (entity: EntityView) => boolean {
  const shownIds = new Set(shown.map((e) => e.id));
  return (e) => state.status(e.id) === 'ACCEPTED' && (shownIds.has(e.id) || state.isSent(e));
}

/** Not a lifecycle hook user: a send under way when the element leaves still completes, so nothing sent is lost. */
export class CommitController {
  /**
   * Each session's last outcome (its message put in words when shown), with the decisions and send it was for: a
   * decision or a send since, here or in another tab, makes it stale, unless a send is under way. The review
   * reopened (the reviewer came back to the session) reads the same decisions into a new `snapshot`: not stale.
   */
  private readonly _outcomes = new Map<string, Outcome>();
  /** The sessions with a send under way. */
  private readonly _inFlight = new Set<string>();
  /** How many codes a send now would withdraw, for the decisions and codes shown it was counted for. */
  private _withdraw: { key: readonly unknown[]; count: number } | undefined;

  constructor(
    private readonly _host: CommitHost,
    private readonly _options: CommitOptions,
  ) {}

  /** The phase of the last send of the session shown (`idle` when it was another session's). */
  get phase(): CommitPhase {
    return this._shown()?.phase ?? 'idle';
  }

  get message(): string {
    return this._shown()?.message(this._options.locale.messages) ?? '';
  }

  /** The outcome of the session shown, while it still applies. */
  private _shown(): Outcome | undefined {
    const state = this._options.review.state;
    const id = this._options.session.model?.sessionId ?? '';
    const outcome = this._outcomes.get(id);
    if (!outcome || outcome.phase === 'sending' || outcome.snapshot === state?.snapshot) return outcome;
    if (state?.sessionId !== id) return undefined;
    // Compared once per new snapshot: kept under the new one, or dropped.
    if (outcome.sentAt === state.sentAt && sameDecisions(outcome.snapshot, state.snapshot))
      return Object.assign(outcome, { snapshot: state.snapshot });
    this._outcomes.delete(id);
    return undefined;
  }

  /** Sending is blocked: the host's patient is not (provably) this session's. */
  get blocked(): boolean {
    return !!this.blockedMessage;
  }

  /** Why sending is blocked, or '' when it is not. */
  get blockedMessage(): string {
    return this._block().message;
  }

  /** What the footer shows of sending; `retry` when a retry can lift the block (the session unread, the link failed). */
  get view(): { blocked: string; phase: CommitPhase; message: string; retry: boolean; withdraw: number } {
    const { message: blocked, retry } = this._block();
    return { blocked, phase: this.phase, message: this.message, retry, withdraw: this.withdrawals };
  }

  /**
   * How many codes the EHR holds that a send now would withdraw (rejected, undone or swapped away): a send with
   * only these is still a send. Counted from the decisions, not the codes (a keypress never walks 10,000 codes),
   * once per change of the decisions or of the codes shown; the same rule as the send's `removed`.
   */
  get withdrawals(): number {
    const { model } = this._options.session;
    const state = this._options.review.state;
    if (!model || !state?.sentAt) return 0;
    const shown = this._options.list.shown;
    const key = [state, state.snapshot, shown];
    if (this._withdraw?.key.every((v, i) => v === key[i])) return this._withdraw.count;
    const entities = new Map(model.entities.map((e) => [e.id, e]));
    const holds = heldAfterSend(state, shown);
    const held: SentCode[] = [];
    for (const id of state.snapshot.keys()) {
      const entity = entities.get(id);
      if (entity && holds(entity)) held.push({ entityId: id, ...codeRef(state.chosenCode(entity)) });
    }
    held.push(...heldWithoutCard(state.sentCodes, model.entities, state, holds));
    const count = changes(state.sentCodes, held).removed.length;
    this._withdraw = { key, count };
    return count;
  }

  /** The block on sending: its message ('' for none) and whether a retry can lift it. */
  private _block(m = this._options.locale.messages): { message: string; retry: boolean } {
    const { model, linkFailed } = this._options.session;
    // The host's own note is the host's own patient: there is no Heidi session to belong to someone else.
    const reason = model?.hostNote ? undefined : patientBlock(this._host.ehrPatientId, model?.session);
    if (reason !== 'unlinked') return { message: reason ? m.wrongPatient : '', retry: false };
    if (!model?.session) return { message: m.patientUnread, retry: true };
    return linkFailed ? { message: m.patientLinkFailed, retry: true } : { message: m.patientUnlinked, retry: false };
  }

  /** Send the accepted codes. Resolves true when the host confirmed. `connected`: the element is in the page. */
  async commit(connected = true): Promise<boolean> {
    const model = this._options.session.model;
    const state = this._options.review.state;
    if (!connected) {
      // No listener in the page could hear the event, so nothing can be confirmed, or marked sent.
      const error = new HeidiError('config', 'commit(): the element is not in the page, so nothing was sent.');
      this._host.dispatchEvent(new HeidiErrorEvent(errorDetail(error)));
      return false;
    }
    // One send per session at a time: a second click, or a `commit()` from a commit listener, does nothing.
    if (!model || !state || this._host.readonly || this._inFlight.has(state.sessionId)) return false;
    const id = state.sessionId;
    this._inFlight.add(id); // before the event fires, so a listener's own commit() cannot recurse
    try {
      return await this._send(model, state);
    } finally {
      this._inFlight.delete(id);
    }
  }

  /** A decision changed what would be sent: the last outcome no longer applies (unless a send is under way). Called as the review re-renders. */
  onReviewChange(): void {
    const id = this._options.review.state?.sessionId ?? '';
    if (this._outcomes.get(id)?.phase !== 'sending') this._outcomes.delete(id);
  }

  /** Another session: nothing of the last one's outcome shows (a send under way still completes for its own session). */
  reset(): void {
    this._host.requestUpdate();
  }

  private async _send(model: CodingModel, state: ReviewState): Promise<boolean> {
    const { list } = this._options;
    if (this.blocked) {
      this._assign(state, 'blocked', (m) => this._block(m).message);
      return false;
    }
    // One rule for `codes`, `fhir`, `added` and `removed`: what the host holds after this send (heldAfterSend, heldWithoutCard).
    const holds = heldAfterSend(state, list.shown);
    const accepted = model.entities.filter(holds);
    state.sendAsOf(); // a decision from now on is one since this send
    // Each accepted code's chosen code and the engines behind it, found once: the payload and the bundle read both.
    const picks = accepted.map((entity): AcceptedPick => {
      const chosen = state.chosenCode(entity);
      return { entity, chosen, suggestions: suggestionsFor(entity, chosen), warnings: list.warningsFor(entity) };
    });
    const lastSent = state.sentCodes;
    // What the host holds is tracked per entity; what it receives is one code per system + code.
    const kept = namedSent(model.entities, heldWithoutCard(lastSent, model.entities, state, holds));
    const held = [...picks.map(({ entity, chosen }) => sentCode({ entityId: entity.id, ...codeRef(chosen) })), ...kept];
    const sending = perCode(picks);
    // Codes kept from an earlier send that no card holds are in `codes` too: a host replacing its list keeps them.
    const keptCodes = oncePerCode(
      kept,
      sending.map((p) => p.chosen),
    );
    const lastEntries = new Map(keptCodes.length ? state.audit.map((e) => [e.entityId, e]) : []);
    const keeping = keptCodes.map((c) => keptCode(c, lastEntries));
    const codes = [
      ...sending.map(({ entity, chosen, warnings, suggestions }) => committedCode(entity, chosen, warnings, suggestions)),
      ...keeping.map((k) => k.code),
    ];
    const change = changes(lastSent, held);
    const added = change.added;
    const removed = namedSent(model.entities, change.removed);
    if (!codes.length && !removed.length) {
      this._options.announcer.announce(this._options.locale.messages.nothingToSend);
      return false;
    }
    const host = this._host;
    const fhir = toFhirBundle(
      // The same codes as `codes`, each with what its entity knows.
      [
        ...sending.map(({ chosen, suggestions }, i) => ({
          ...codes[i]!,
          // A SNOMED CT code is a Condition unless its engine said procedure (Sully's procedures list): the code chosen.
          kind: chosen.kind,
          engines: suggestions.map(({ engine, score, justification }) => ({
            engine,
            score,
            justification,
            runId: model.runIds?.get(engine),
          })),
        })),
        // Without an audit entry (a restored review whose audit was left out): its decision's time, else the send's.
        ...keeping.map(({ code, decidedAt = state.snapshot.get(code.entityId)?.at ?? state.sentAt }) => ({
          ...code,
          decidedAt,
          engines: code.engines.map((engine) => ({ engine })),
        })),
      ],
      {
        sessionId: state.sessionId,
        patient: { id: host.ehrPatientId, display: model.session?.patient?.name ?? undefined },
        encounterId: host.ehrAppointmentId,
        reviewer: host.reviewer,
        audit: state.audit,
      },
    );
    const pending: Promise<unknown>[] = [];
    let listening = true;
    const event = new HeidiCodesCommitEvent({
      sessionId: state.sessionId,
      codes,
      fhir,
      audit: namedAudit(model.entities, state.audit),
      added,
      removed,
      waitUntil: (promise) => {
        // As ExtendableEvent.waitUntil: only while the listener runs, or "sent" could show before the host is done.
        if (!listening)
          throw new DOMException('waitUntil() must be called while the heidi-codes-commit listener runs.', 'InvalidStateError');
        pending.push(Promise.resolve(promise));
      },
    });
    host.dispatchEvent(event);
    listening = false;
    if (event.defaultPrevented) {
      this._assign(state, 'cancelled', (m) => m.sendCancelled);
      return false;
    }
    this._assign(state, 'sending', (m) => m.sending);
    try {
      await Promise.all(pending);
    } catch (error) {
      const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
      this._assign(state, 'failed', (m) => m.sendFailed(reason));
      return false;
    }
    // Marked in the session it was for, even when another is shown now (that session's review, if it was reopened).
    const current = this._options.review.state;
    this._options.review.markSent(current?.sessionId === state.sessionId ? current : state, held);
    this._assign(state, 'sent', (m) => m.sentOk(codes.length, removed.length));
    return true;
  }

  private _assign(state: ReviewState, phase: CommitPhase, message: Localized): void {
    // The decisions as the session's review shows them now (after markSent, for a send that was confirmed).
    const shown = this._options.review.state;
    const { snapshot, sentAt } = shown?.sessionId === state.sessionId ? shown : state;
    const outcome = { phase, message, snapshot, sentAt };
    this._outcomes.set(state.sessionId, outcome);
    this._host.requestUpdate();
    if (this._shown() === outcome) this._options.announcer.announce(message(this._options.locale.messages));
  }
}

interface Outcome {
  readonly phase: CommitPhase;
  readonly message: Localized;
  snapshot: ReadonlyMap<string, Decision>;
  readonly sentAt: string | undefined;
}

const sameDecisions = (a: ReadonlyMap<string, Decision>, b: ReadonlyMap<string, Decision>): boolean =>
  a.size === b.size && [...a].every(([id, decision]) => b.has(id) && sameDecision(decision, b.get(id)!));
