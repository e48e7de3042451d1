/**
 * A card's id depends on which engine answered first: Heidi's own id, else a
 * peer's (`sully:ICD-10-CM:E66.9`). When an engine that answered before fails
 * on a reload, or another tab got other answers, the same code comes back
 * under another id. What was decided and sent under the old id follows the
 * code (FHIR system + code, `sameCode`), so a decision is never silently lost
 * and a sent code is never withdrawn because an engine was down.
 */
import type { AuditEntry } from './audit.ts';
import { codeSystemKey } from './code-systems.ts';
import type { CodeRef, EntityView } from './model.ts';
import type { Decision } from './review.ts';
import type { ReviewSnapshot } from './review-snapshot.ts';
import { sentKey, type SentCode } from './send-diff.ts';

type CodeKey = Pick<CodeRef, 'codeSystem' | 'code'>;

/** `sameCode` as a key: one system (`icd_10_cm` and `ICD-10-CM`), one code. */
const keyOf = (c: CodeKey): string => `${codeSystemKey(c.codeSystem)}\n${c.code}`;

/** Each entity id's suggested code as the audit first saw it (before any decision, the chosen code is the suggested one). */
export function suggestedCodes(audit: readonly AuditEntry[]): Map<string, CodeKey> {
  const codes = new Map<string, CodeKey>();
  for (const { entityId, codeBefore } of audit) if (codeBefore && !codes.has(entityId)) codes.set(entityId, codeBefore);
  return codes;
}

/**
 * Old id -> the id of the loaded card suggesting the same code, for each of `staleIds` (ids no loaded card has)
 * whose code is known. A card that has a decision of its own (`taken`) takes none, and each card takes at most
 * one old id: the first, in `staleIds` order (an engine's own repeats of a code stay separate cards).
 */
export function matchStaleIds(
  staleIds: Iterable<string>,
  codeOf: (id: string) => CodeKey | undefined,
  entities: readonly EntityView[],
  taken: (id: string) => boolean,
): Map<string, string> {
  const matches = new Map<string, string>();
  // Free cards by code, in list order: linear however many cards and old ids (10,000 when Heidi failed at 10k).
  const free = new Map<string, string[]>();
  for (const e of entities) {
    if (taken(e.id)) continue;
    const key = keyOf(e.primary);
    const ids = free.get(key);
    if (ids) ids.push(e.id);
    else free.set(key, [e.id]);
  }
  for (const stale of staleIds) {
    const code = codeOf(stale);
    const id = code && free.get(keyOf(code))?.shift();
    if (id !== undefined) matches.set(stale, id);
  }
  return matches;
}

/** What a review holds under entity ids: its decisions, the codes the host holds, its audit trail. */
export interface ReviewParts {
  readonly decisions: ReadonlyMap<string, Decision>;
  readonly sent: ReadonlyMap<string, SentCode>;
  readonly audit: readonly AuditEntry[];
}

/**
 * `review` with every decision, sent code and audit entry under an id no card of `entities` has moved to the
 * card suggesting the same code, when there is one (`matchStaleIds`); undefined when nothing moves.
 */
export function rebaseReview(review: ReviewParts, entities: readonly EntityView[]): (ReviewParts & { moved: number }) | undefined {
  const ids = new Set(entities.map((e) => e.id));
  const sent = [...review.sent.values()];
  const stale = new Set([...review.decisions.keys(), ...sent.map((c) => c.entityId)].filter((id) => !ids.has(id)));
  if (!stale.size) return undefined;
  const audited = suggestedCodes(review.audit);
  // A sent code is its card's suggested code unless the decision swapped it.
  const sentAsSuggested = new Map(sent.filter((c) => !review.decisions.get(c.entityId)?.swappedTo).map((c) => [c.entityId, c]));
  const moves = matchStaleIds(
    stale,
    (id) => audited.get(id) ?? sentAsSuggested.get(id),
    entities,
    (id) => review.decisions.has(id),
  );
  if (!moves.size) return undefined;
  const to = (id: string): string => moves.get(id) ?? id;
  const decisions = new Map([...review.decisions].map(([id, d]) => [to(id), d]));
  return {
    decisions,
    sent: new Map(sent.map((c) => ({ ...c, entityId: to(c.entityId) })).map((c) => [sentKey(c), c])),
    audit: review.audit.map((e) => (moves.has(e.entityId) ? { ...e, entityId: to(e.entityId) } : e)),
    moved: [...moves.keys()].filter((id) => review.decisions.has(id)).length,
  };
}

/** A restored or another tab's `reviewState`, its ids moved as `rebaseReview` moves a review's. */
export function rebaseSnapshot(snapshot: ReviewSnapshot, entities: readonly EntityView[]): ReviewSnapshot {
  const sent = new Map((snapshot.sent?.codes ?? []).map((c) => [sentKey(c), c]));
  const rebased = rebaseReview({ decisions: new Map(Object.entries(snapshot.decisions)), sent, audit: snapshot.audit }, entities);
  if (!rebased) return snapshot;
  const decisions = Object.create(null) as Record<string, ReviewSnapshot['decisions'][string]>; // ids are outside text
  for (const [id, d] of rebased.decisions) decisions[id] = d as ReviewSnapshot['decisions'][string];
  return {
    ...snapshot,
    decisions,
    audit: rebased.audit,
    ...(snapshot.sent && { sent: { at: snapshot.sent.at, codes: [...rebased.sent.values()] } }),
  };
}
