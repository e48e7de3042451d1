/**
 * Review decisions: accept, reject, undo, swap. Persisted per session in
 * sessionStorage so nothing is lost on reload, holding only entity ids (which
 * are codes), statuses, chosen codes and what was sent: never transcript or
 * note text, names, or the token.
 */
import * as z from 'zod/mini';
import { isoAfter, lastDecisionTimes, MAX_AUDIT_ENTRIES, noteDecisionTimes, type AuditEntry } from './audit.ts';
import { isIsoDateTime } from './dates.ts';
import { codeRef, sameCode, type CodeRef, type CodeView, type EntityView } from './model.ts';
import { AuditEntrySchema, isStatus } from './review-snapshot.ts';
import { rebaseReview } from './card-match.ts';
import { sentKey, type SentCode } from './send-diff.ts';

export type ReviewStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED';

export interface Decision {
  readonly status: ReviewStatus;
  /** Set when the reviewer swapped the primary code for a similar one. */
  readonly swappedTo?: { readonly codeSystem: string; readonly code: string };
  /**
   * When it was made, for a decision restored or synced without its audit entry (a `reviewState` whose audit
   * was left out): its time is kept, not taken as now. A decision made here has its time in the audit.
   */
  readonly at?: string;
}

export interface ReviewChange {
  readonly entityId: string;
  readonly status: ReviewStatus;
  readonly code: CodeRef;
  readonly previousCode?: CodeRef;
}

/** A code the host holds, as stored: `[entityId, codeSystem, code, system]` (no display: no names in storage). */
type StoredSent = [string, string, string, string];

interface Persisted {
  v: 1;
  d: Record<string, { s: ReviewStatus; c?: [string, string]; t?: string }>;
  /** Every code the host confirmed it holds, as of its last confirmed send, and when that was. */
  sent: StoredSent[];
  sentAt?: string;
  /** The audit trail, code names and reviewer names left out. */
  a: AuditEntry[];
}

const AuditSchema = z.array(AuditEntrySchema);
/**
 * `JSON.stringify` replacer that keeps names out of storage: a code's `display` becomes '' (its schema needs one),
 * the reviewer's is left out (a decision under an entity id "display" is an object, so it is kept).
 */
function withoutNames(this: object, key: string, value: unknown): unknown {
  return key === 'display' && typeof value === 'string' ? ('reference' in this ? undefined : '') : value;
}

const STORAGE_PREFIX = 'heidi-clinical-codes:review:v1:';

export function storageKey(sessionId: string): string {
  return STORAGE_PREFIX + sessionId;
}

/** `sessionStorage` or `localStorage`, or undefined where reading it throws (sandboxed iframes, some privacy modes). */
export function webStorage(name: 'sessionStorage' | 'localStorage'): Storage | undefined {
  try {
    return globalThis[name];
  } catch {
    return undefined;
  }
}

/** The same decision: status and swapped-to code (an absent decision is `{ status: 'PENDING' }`). */
export function sameDecision(a: Decision, b: Decision): boolean {
  return a.status === b.status && a.swappedTo?.codeSystem === b.swappedTo?.codeSystem && a.swappedTo?.code === b.swappedTo?.code;
}

/**
 * A decision can be applied to `entity` when the code it swapped to is one of the entity's own. A swap to a code it
 * no longer has cannot: applied, the card would fall back to the primary and send the code swapped away from.
 */
export function appliesTo(entity: EntityView | undefined, decision: Pick<Decision, 'swappedTo'>): entity is EntityView {
  const to = decision.swappedTo;
  return !!entity && (!to || sameCode(entity.primary, to) || entity.similar.some((c) => sameCode(c, to)));
}

/**
 * `audit` with `entries` added, in time order: appended when none is earlier than the last (a decision made
 * here), else sorted by time, stably, so entries of one time keep their order (another tab's or a restored
 * review's older entries go where they happened, not at the end).
 */
function inTimeOrder(audit: readonly AuditEntry[], entries: readonly AuditEntry[]): readonly AuditEntry[] {
  const last = audit.length ? Date.parse(audit[audit.length - 1]!.at) : -Infinity;
  const merged = [...audit, ...entries];
  if (entries.every((e) => Date.parse(e.at) >= last)) return merged;
  // Each time parsed once, not twice per comparison: sorting 300,000 entries took seconds on Date.parse alone.
  return merged
    .map((e) => [Date.parse(e.at), e] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => e);
}

/** Up to this many decisions and audit entries (about 3 ms to write), a change is saved as it is made. */
export const SAVE_AT_ONCE_UP_TO = 2000;
/** Above that, how long a change waits to be saved, with the others made meanwhile. */
export const SAVE_DELAY_MS = 400;

export class ReviewState {
  /** Replaced, never edited, on every change: `decisions` identity says whether anything changed (memo keys). */
  private _decisions: ReadonlyMap<string, Decision> = new Map<string, Decision>();
  /** What the host holds, by `sentKey`. */
  private _sent = new Map<string, SentCode>();
  /** When the host last confirmed a send (here or in another tab): a later confirmation replaces `_sent`, an older one does not. */
  private _sentAt: string | undefined;
  /** When the latest send here took its codes (`sendAsOf`). */
  private _sendAsOf: number | undefined;
  private _audit: readonly AuditEntry[] = [];
  /** `lastDecisionTimes(audit)`, kept up to date as entries are added (the audit only grows), so a keypress need not scan it. */
  private _lastTimes = new Map<string, string>();
  private _auditDropped = 0;
  private readonly _storage: Storage | undefined;
  private _saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last save was written (false: refused, e.g. storage full; the next save, or a flush, tries again). */
  private _stored = true;
  private readonly _onStored: ((stored: boolean) => void) | undefined;

  constructor(
    readonly sessionId: string,
    /** `onStored`: a save was refused (false), or one was written again after that (true); told once per change. */
    options: { storage?: Storage | null; onStored?: (stored: boolean) => void } = {},
  ) {
    this._storage = options.storage === null ? undefined : (options.storage ?? webStorage('sessionStorage'));
    this._onStored = options.onStored;
    this._load();
  }

  /** The decisions as of now: a new object after every change, the same one until then. */
  get snapshot(): ReadonlyMap<string, Decision> {
    return this._decisions;
  }

  status(entityId: string): ReviewStatus {
    return this._decisions.get(entityId)?.status ?? 'PENDING';
  }

  /** The code the reviewer chose for this entity: the swapped one if any, else the primary. */
  chosenCode(entity: EntityView): CodeView {
    const swapped = this._decisions.get(entity.id)?.swappedTo;
    return (swapped && entity.similar.find((c) => sameCode(c, swapped))) || entity.primary;
  }

  /** Accept, reject, or (with PENDING) undo: undo also drops a swap, back to Heidi's suggestion. */
  setStatus(entity: EntityView, status: ReviewStatus): ReviewChange | undefined {
    if (status !== 'PENDING') return this.setStatuses([entity], status)[0];
    if (!this._decisions.has(entity.id)) return undefined;
    const previous = this.chosenCode(entity);
    this._edit((decisions) => decisions.delete(entity.id));
    return {
      entityId: entity.id,
      status,
      code: codeRef(entity.primary),
      ...(previous !== entity.primary && { previousCode: codeRef(previous) }),
    };
  }

  /** Accept (or reject) many at once, saved once: a batch of thousands stays linear. */
  setStatuses(entities: readonly EntityView[], status: 'ACCEPTED' | 'REJECTED'): ReviewChange[] {
    const changes: ReviewChange[] = [];
    const next = new Map(this._decisions);
    for (const entity of entities) {
      const current = next.get(entity.id);
      if (current?.status === status) continue;
      next.set(entity.id, { status, ...(current?.swappedTo && { swappedTo: current.swappedTo }) });
      changes.push({ entityId: entity.id, status, code: codeRef(this.chosenCode(entity)) });
    }
    if (changes.length) {
      this._decisions = next;
      this._save();
    }
    return changes;
  }

  /** Swap to a similar code (or back to the primary). Swapping is a choice, so it also accepts. */
  swap(entity: EntityView, to: CodeView): ReviewChange | undefined {
    const previous = this.chosenCode(entity);
    if (sameCode(previous, to)) return undefined;
    const isPrimary = sameCode(entity.primary, to);
    if (!isPrimary && !entity.similar.some((c) => sameCode(c, to))) return undefined;
    this._edit((decisions) =>
      decisions.set(entity.id, { status: 'ACCEPTED', ...(!isPrimary && { swappedTo: { codeSystem: to.codeSystem, code: to.code } }) }),
    );
    return { entityId: entity.id, status: 'ACCEPTED', code: codeRef(to), previousCode: codeRef(previous) };
  }

  accepted(entities: readonly EntityView[]): EntityView[] {
    return entities.filter((e) => this.status(e.id) === 'ACCEPTED');
  }

  counts(entities: readonly EntityView[]): Record<ReviewStatus, number> {
    const counts: Record<ReviewStatus, number> = { PENDING: 0, ACCEPTED: 0, REJECTED: 0 };
    for (const e of entities) counts[this.status(e.id)] += 1;
    return counts;
  }

  /** The decisions in order (latest last), each with its time, codes, statuses, engines and reviewer. */
  get audit(): readonly AuditEntry[] {
    return this._audit;
  }

  /** How many of the oldest audit entries were not kept (the trail holds the newest MAX_AUDIT_ENTRIES). */
  get auditDropped(): number {
    return this._auditDropped;
  }

  /** The codes the host holds as of its last confirmed send. */
  get sentCodes(): SentCode[] {
    return [...this._sent.values()];
  }

  /** Add decisions to the audit trail (saved with the decisions). */
  log(entries: readonly AuditEntry[]): void {
    if (!entries.length) return;
    this._addToAudit(entries);
    this._save();
  }

  /** Set a decision made elsewhere (another tab, a restored `reviewState`) as it is, logging its audit entry (PENDING: an undo). */
  apply(entityId: string, decision: Decision, entry?: AuditEntry): boolean {
    if (entry) this._addToAudit([entry]);
    const changed = this.applyAll([[entityId, decision]]) > 0;
    if (!changed && entry) this._save();
    return changed;
  }

  /** `apply` for many decisions at once: one change and one save, however many (a restore, another tab's review). Returns how many changed. */
  applyAll(decisions: readonly (readonly [entityId: string, decision: Decision])[]): number {
    const changed = decisions.filter(([id, decision]) => !sameDecision(this._decisions.get(id) ?? { status: 'PENDING' }, decision));
    if (changed.length) {
      this._edit((map) => {
        for (const [id, d] of changed) {
          if (d.status === 'PENDING' && !d.swappedTo) map.delete(id);
          else map.set(id, d);
        }
      });
    }
    return changed.length;
  }

  /** Drop the decisions `entities` cannot take (see `appliesTo`), in one change. Returns their entity ids. */
  dropInapplicable(entities: ReadonlyMap<string, EntityView>): string[] {
    const dropped = [...this._decisions].filter(([id, d]) => entities.has(id) && !appliesTo(entities.get(id), d)).map(([id]) => id);
    if (dropped.length) this._edit((map) => dropped.forEach((id) => map.delete(id)));
    return dropped;
  }

  /** Follow the code: what is under ids no card of `entities` has moves to the card with the same code (card-match.ts). */
  rebase(entities: readonly EntityView[]): number {
    const rebased = rebaseReview({ decisions: this._decisions, sent: this._sent, audit: this._audit }, entities);
    if (!rebased) return 0;
    this._sent = new Map(rebased.sent);
    this._audit = rebased.audit;
    this._lastTimes = lastDecisionTimes(this._audit);
    this._edit((map) => (map.clear(), rebased.decisions.forEach((d, id) => map.set(id, d))));
    return rebased.moved;
  }

  /** The time of the latest audit entry about `entityId`, if any. */
  lastDecisionTime(entityId: string): string | undefined {
    return this._lastTimes.get(entityId);
  }

  /** When the host last confirmed a send of this session, if it has. */
  get sentAt(): string | undefined {
    return this._sentAt;
  }

  /**
   * The host confirmed that it holds exactly these codes, so cards (and a reload) show them as sent. A send
   * confirmed here is the latest one; `from` is another tab's confirmation time, and one no later than the last
   * known changes nothing (returns false).
   */
  markSent(codes: readonly (Pick<SentCode, 'entityId' | 'codeSystem' | 'code'> & Partial<SentCode>)[], from?: string): boolean {
    const last = this._sentAt === undefined ? -Infinity : Date.parse(this._sentAt);
    if (from !== undefined && !(Date.parse(from) > last)) return false;
    // A send confirmed here is as of when it took its codes: a decision made while the host wrote is after it.
    this._sentAt = from ?? isoAfter(last, this._sendAsOf);
    this._sent = new Map(codes.map((c) => [sentKey(c), { system: '', display: '', ...c }]));
    // What was sent shows on the cards: a new snapshot so views keyed on it recompute.
    this._edit(() => undefined);
    return true;
  }

  /** A send takes its codes now: the time it is as of, after every decision in the audit (a later one is after it). */
  sendAsOf(): number {
    return (this._sendAsOf = Date.parse(isoAfter(Math.max(Date.parse(this._audit.at(-1)?.at ?? '') || -Infinity, this.decidedAfter))));
  }

  /** The time a decision made now is stamped after: the last send's (confirmed, or taking its codes). */
  get decidedAfter(): number {
    return Math.max(Date.parse(this._sentAt ?? '') || -Infinity, this._sendAsOf ?? -Infinity);
  }

  isSent(entity: EntityView): boolean {
    const code = this.chosenCode(entity);
    return this.status(entity.id) === 'ACCEPTED' && this._sent.has(sentKey({ ...code, entityId: entity.id }));
  }

  private _addToAudit(entries: readonly AuditEntry[]): void {
    const merged = inTimeOrder(this._audit, entries);
    this._audit = merged.slice(-MAX_AUDIT_ENTRIES);
    this._auditDropped += merged.length - this._audit.length;
    noteDecisionTimes(this._lastTimes, entries);
  }

  /** Change a copy of the decisions, then save: copy-on-write keeps `snapshot` immutable. */
  private _edit(change: (decisions: Map<string, Decision>) => unknown): void {
    const next = new Map(this._decisions);
    change(next);
    this._decisions = next;
    this._save();
  }

  private _load(): void {
    try {
      // Nothing stored (`JSON.parse` of null is null), storage that throws, or a corrupt entry: the review starts fresh.
      const data = JSON.parse(this._storage!.getItem(storageKey(this.sessionId))!) as Partial<Persisted>;
      if (data.v !== 1) return;
      const decisions = new Map<string, Decision>();
      for (const [id, entry] of Object.entries(data.d!)) {
        if (!isStatus(entry?.s)) continue;
        const [codeSystem, code] = Array.isArray(entry.c) ? entry.c : [];
        decisions.set(id, {
          status: entry.s,
          ...(typeof codeSystem === 'string' && typeof code === 'string' && { swappedTo: { codeSystem, code } }),
          ...(typeof entry.t === 'string' && isIsoDateTime(entry.t) && { at: entry.t }),
        });
      }
      this._decisions = decisions;
      for (const c of Array.isArray(data.sent) ? data.sent : []) {
        if (!Array.isArray(c) || !c.every((part) => typeof part === 'string')) continue;
        const [entityId = '', codeSystem = '', code = '', system = ''] = c;
        const sent = { entityId, codeSystem, code, system, display: '' };
        this._sent.set(sentKey(sent), sent);
      }
      // Times as a restored review's are checked (isoTime): one read back here goes out again in snapshots and sync.
      if (typeof data.sentAt === 'string' && isIsoDateTime(data.sentAt)) this._sentAt = data.sentAt;
      // Stored in time order: the newest are last. Only those are read, however many were stored.
      const stored = Array.isArray(data.a) ? data.a : [];
      const audit = AuditSchema.safeParse(stored.slice(-MAX_AUDIT_ENTRIES));
      if (audit.success) {
        this._audit = audit.data as AuditEntry[];
        this._auditDropped = stored.length - this._audit.length;
        this._lastTimes = lastDecisionTimes(this._audit);
      }
    } catch {
      // dropped, not fatal
    }
  }

  /**
   * Saving writes every decision and the whole trail: under a millisecond for a real review, about 15 ms at
   * 10,000 decisions and 5,000 entries. So up to SAVE_AT_ONCE_UP_TO of them a change is saved at once; above,
   * SAVE_DELAY_MS later with those made meanwhile (a burst of keys is saved once, not on every keypress), or at
   * once by `flush()`, which the element calls when it closes this review or the page is hidden or left.
   */
  private _save(): void {
    if (!this._storage) return;
    if (this._decisions.size + this._audit.length <= SAVE_AT_ONCE_UP_TO) this._write();
    else this._saveTimer ??= setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  /** Write a pending save now, or try again one that was refused. */
  flush(): void {
    if (this._saveTimer !== undefined || !this._stored) this._write();
  }

  private _write(): void {
    clearTimeout(this._saveTimer);
    this._saveTimer = undefined;
    if (!this._storage) return;
    const d: Persisted['d'] = Object.create(null) as Persisted['d']; // an entity id may be "__proto__"
    for (const [id, { status, swappedTo, at }] of this._decisions) {
      d[id] = { s: status, ...(swappedTo && { c: [swappedTo.codeSystem, swappedTo.code] }), ...(at && { t: at }) };
    }
    const data: Persisted = {
      v: 1,
      d,
      sent: this.sentCodes.map((c): StoredSent => [c.entityId, c.codeSystem, c.code, c.system]),
      ...(this._sentAt && { sentAt: this._sentAt }),
      a: this._audit as AuditEntry[],
    };
    let stored = true;
    try {
      this._storage.setItem(storageKey(this.sessionId), JSON.stringify(data, withoutNames));
    } catch {
      // Quota or privacy mode: decisions still live in memory for this page; the stored copy is stale, so say so.
      stored = false;
    }
    if (stored !== this._stored) this._onStored?.((this._stored = stored));
  }
}
