/**
 * Review decisions: accept, reject, undo, swap. Persisted per session in
 * sessionStorage so nothing is lost on reload, holding only entity ids (which
 * are codes), statuses, chosen codes and what was sent: never transcript or
 * note text, names, or the token.
 */
import * as z from 'zod/mini';
import type { AuditEntry } from './audit.ts';
import { codeRef, sameCode, type CodeRef, type CodeView, type EntityView } from './model.ts';
import { AuditEntrySchema } from './review-snapshot.ts';
import type { SentCode } from './send-diff.ts';

export type ReviewStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED';

export interface Decision {
  readonly status: ReviewStatus;
  /** Set when the reviewer swapped the primary code for a similar one. */
  readonly swappedTo?: { readonly codeSystem: string; readonly code: string };
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
  d: Record<string, { s: ReviewStatus; c?: [string, string] }>;
  /** Every code the host confirmed it holds, as of its last confirmed send. */
  sent: StoredSent[];
  /** The audit trail, code names and reviewer names left out. */
  a: AuditEntry[];
}

const AuditSchema = z.array(AuditEntrySchema);
const noName = (c: CodeRef | undefined): CodeRef | undefined => c && { ...codeRef(c), display: '' };

const STORAGE_PREFIX = 'heidi-clinical-codes:review:v1:';

export function storageKey(sessionId: string): string {
  return STORAGE_PREFIX + sessionId;
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // sandboxed iframes and some privacy modes throw on access
  }
}

export class ReviewState {
  /** Replaced, never edited, on every change: `decisions` identity says whether anything changed (memo keys). */
  private decisions: ReadonlyMap<string, Decision> = new Map<string, Decision>();
  /** What the host holds, by `sentKey`. */
  private sent = new Map<string, SentCode>();
  private _audit: readonly AuditEntry[] = [];
  private readonly storage: Storage | undefined;

  constructor(
    readonly sessionId: string,
    options: { storage?: Storage | null } = {},
  ) {
    this.storage = options.storage === null ? undefined : (options.storage ?? safeStorage());
    this.load();
  }

  /** The decisions as of now: a new object after every change, the same one until then. */
  get snapshot(): ReadonlyMap<string, Decision> {
    return this.decisions;
  }

  status(entityId: string): ReviewStatus {
    return this.decisions.get(entityId)?.status ?? 'PENDING';
  }

  /** The code the reviewer chose for this entity: the swapped one if any, else the primary. */
  chosenCode(entity: EntityView): CodeView {
    const swapped = this.decisions.get(entity.id)?.swappedTo;
    if (!swapped) return entity.primary;
    return entity.similar.find((c) => sameCode(c, swapped)) ?? entity.primary;
  }

  isSwapped(entity: EntityView): boolean {
    return this.chosenCode(entity) !== entity.primary;
  }

  /** Accept, reject, or (with PENDING) undo: undo also drops a swap, back to Heidi's suggestion. */
  setStatus(entity: EntityView, status: ReviewStatus): ReviewChange | undefined {
    const current = this.decisions.get(entity.id);
    if (status === 'PENDING') {
      if (!current) return undefined;
      const previous = this.chosenCode(entity);
      this.edit((decisions) => decisions.delete(entity.id));
      const change = { entityId: entity.id, status, code: codeRef(entity.primary) };
      return previous === entity.primary ? change : { ...change, previousCode: codeRef(previous) };
    }
    if (current?.status === status) return undefined;
    this.edit((decisions) => decisions.set(entity.id, { ...current, status }));
    return { entityId: entity.id, status, code: codeRef(this.chosenCode(entity)) };
  }

  /** Accept (or reject) many at once, saved once: a batch of thousands stays linear. */
  setStatuses(entities: readonly EntityView[], status: 'ACCEPTED' | 'REJECTED'): ReviewChange[] {
    const changes: ReviewChange[] = [];
    const next = new Map(this.decisions);
    for (const entity of entities) {
      const current = next.get(entity.id);
      if (current?.status === status) continue;
      next.set(entity.id, { ...current, status });
      changes.push({ entityId: entity.id, status, code: codeRef(this.chosenCode(entity)) });
    }
    if (changes.length) {
      this.decisions = next;
      this.save();
    }
    return changes;
  }

  /** Swap to a similar code (or back to the primary). Swapping is a choice, so it also accepts. */
  swap(entity: EntityView, to: CodeView): ReviewChange | undefined {
    const previous = this.chosenCode(entity);
    if (sameCode(previous, to)) return undefined;
    const isPrimary = sameCode(entity.primary, to);
    if (!isPrimary && !entity.similar.some((c) => sameCode(c, to))) return undefined;
    this.edit((decisions) =>
      decisions.set(entity.id, {
        status: 'ACCEPTED',
        ...(isPrimary ? {} : { swappedTo: { codeSystem: to.codeSystem, code: to.code } }),
      }),
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

  /** The codes the host holds as of its last confirmed send. */
  get sentCodes(): SentCode[] {
    return [...this.sent.values()];
  }

  /** Add decisions to the audit trail (saved with the decisions). */
  log(entries: readonly AuditEntry[]): void {
    if (!entries.length) return;
    this._audit = [...this._audit, ...entries];
    this.save();
  }

  /**
   * Set a decision made elsewhere (another tab, a restored `reviewState`) as it is, logging its
   * audit entry. `PENDING` without a swap is an undo. Returns whether anything changed.
   */
  apply(entityId: string, decision: Decision, entry?: AuditEntry): boolean {
    const current = this.decisions.get(entityId);
    const same =
      (current?.status ?? 'PENDING') === decision.status &&
      current?.swappedTo?.code === decision.swappedTo?.code &&
      current?.swappedTo?.codeSystem === decision.swappedTo?.codeSystem;
    if (entry) this._audit = [...this._audit, entry];
    if (!same) {
      this.edit((decisions) =>
        decision.status === 'PENDING' && !decision.swappedTo ? decisions.delete(entityId) : decisions.set(entityId, decision),
      );
    } else if (entry) this.save();
    return !same;
  }

  /** The host confirmed it holds exactly these codes now, so cards (and a reload) show them as sent. */
  markSent(codes: readonly (Pick<SentCode, 'entityId' | 'codeSystem' | 'code'> & Partial<SentCode>)[]): void {
    this.sent = new Map(codes.map((c) => [sentKey(c.entityId, c.codeSystem, c.code), { system: '', display: '', ...c }]));
    // What was sent shows on the cards: a new snapshot so views keyed on it recompute.
    this.edit(() => undefined);
  }

  isSent(entity: EntityView): boolean {
    const code = this.chosenCode(entity);
    return this.status(entity.id) === 'ACCEPTED' && this.sent.has(sentKey(entity.id, code.codeSystem, code.code));
  }

  /** Accepted codes not yet confirmed by the host. */
  unsent(entities: readonly EntityView[]): EntityView[] {
    return this.accepted(entities).filter((e) => !this.isSent(e));
  }

  /** Change a copy of the decisions, then save: copy-on-write keeps `snapshot` immutable. */
  private edit(change: (decisions: Map<string, Decision>) => unknown): void {
    const next = new Map(this.decisions);
    change(next);
    this.decisions = next;
    this.save();
  }

  private load(): void {
    const raw = this.read();
    if (!raw) return;
    const decisions = new Map<string, Decision>();
    try {
      const data = JSON.parse(raw) as Partial<Persisted>;
      if (data.v !== 1 || typeof data.d !== 'object' || !data.d) return;
      for (const [id, entry] of Object.entries(data.d)) {
        if (entry?.s !== 'ACCEPTED' && entry?.s !== 'REJECTED' && entry?.s !== 'PENDING') continue;
        const c = Array.isArray(entry.c) && typeof entry.c[0] === 'string' && typeof entry.c[1] === 'string' ? entry.c : undefined;
        decisions.set(id, { status: entry.s, ...(c ? { swappedTo: { codeSystem: c[0], code: c[1] } } : {}) });
      }
      this.decisions = decisions;
      for (const c of Array.isArray(data.sent) ? data.sent : []) {
        if (!Array.isArray(c) || !c.every((part) => typeof part === 'string')) continue;
        const [entityId = '', codeSystem = '', code = '', system = ''] = c;
        this.sent.set(sentKey(entityId, codeSystem, code), { entityId, codeSystem, code, system, display: '' });
      }
      const audit = AuditSchema.safeParse(data.a);
      if (audit.success) this._audit = audit.data as AuditEntry[];
    } catch {
      // A corrupt entry is dropped, not fatal: the review starts fresh.
    }
  }

  private read(): string | null {
    try {
      return this.storage?.getItem(storageKey(this.sessionId)) ?? null;
    } catch {
      return null;
    }
  }

  private save(): void {
    if (!this.storage) return;
    const d: Persisted['d'] = Object.create(null) as Persisted['d']; // an entity id may be "__proto__"
    for (const [id, decision] of this.decisions) {
      if (decision.status === 'PENDING' && !decision.swappedTo) continue;
      d[id] = decision.swappedTo
        ? { s: decision.status, c: [decision.swappedTo.codeSystem, decision.swappedTo.code] }
        : { s: decision.status };
    }
    const sent = this.sentCodes.map((c): StoredSent => [c.entityId, c.codeSystem, c.code, c.system]);
    const a = this._audit.map(({ codeBefore, codeAfter, reviewer, ...rest }) => ({
      ...rest,
      ...(codeBefore && { codeBefore: noName(codeBefore) }),
      ...(codeAfter && { codeAfter: noName(codeAfter) }),
      ...(reviewer && { reviewer: { reference: reviewer.reference } }),
    })) as AuditEntry[];
    const data: Persisted = { v: 1, d, sent, a };
    try {
      this.storage.setItem(storageKey(this.sessionId), JSON.stringify(data));
    } catch {
      // Quota or privacy mode: decisions still live in memory for this page.
    }
  }
}

function sentKey(entityId: string, codeSystem: string, code: string): string {
  return `${entityId}|${codeSystem}|${code}`;
}
