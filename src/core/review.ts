/**
 * Review decisions: accept, reject, undo, swap. Persisted per session in
 * sessionStorage so nothing is lost on reload, holding only entity ids (which
 * are codes), statuses, chosen codes and what was sent: never transcript or
 * note text, names, or the token.
 */
import { codeRef, sameCode, type CodeRef, type CodeView, type EntityView } from './model.ts';

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

interface Persisted {
  v: 1;
  d: Record<string, { s: ReviewStatus; c?: [string, string] }>;
  /** `entityId|codeSystem|code` of every code the host confirmed it received. */
  sent: string[];
}

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
  private sent = new Set<string>();
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

  /** Remember that the host received these codes, so a reload shows them as sent. */
  markSent(codes: readonly { entityId: string; codeSystem: string; code: string }[]): void {
    const sent = new Set(this.sent);
    for (const c of codes) sent.add(sentKey(c.entityId, c.codeSystem, c.code));
    this.sent = sent;
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
      if (Array.isArray(data.sent)) data.sent.filter((s) => typeof s === 'string').forEach((s) => this.sent.add(s));
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
    const data: Persisted = { v: 1, d, sent: [...this.sent] };
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
