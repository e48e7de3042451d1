/**
 * A card's id depends on which engine answered first: Heidi's own id, else a
 * peer's (`sully:ICD-10-CM:E66.9`). When an engine that answered before fails
 * on a reload, or another tab got other answers, the same code comes back
 * under another id. What was decided and sent under the old id follows the
 * code (FHIR system + code, `sameCode`), so a decision is never silently lost
 * and a sent code is never withdrawn because an engine was down.
 */
import type { AuditEntry } from './audit.ts';
import { sameCodeKey as keyOf, type CodeRef, type EntityView } from './model.ts';
import { appliesTo, type Decision } from './review.ts';
import type { ReviewSnapshot } from './review-snapshot.ts';
import { sentKey, type SentCode } from './send-diff.ts';

type CodeKey = Pick<CodeRef, 'codeSystem' | 'code'>;

/** Each entity id's suggested code as the audit first saw it (before any decision, the chosen code is the suggested one). */
export function suggestedCodes(audit: readonly AuditEntry[]): Map<string, CodeKey> {
  const codes = new Map<string, CodeKey>();
  for (const { entityId, codeBefore } of audit) if (codeBefore && !codes.has(entityId)) codes.set(entityId, codeBefore);
  return codes;
}

/**
 * Old id -> the id of the loaded card suggesting the same code, for each of `staleIds` (ids no loaded card has)
 * whose code is known. A card that has a decision of its own (`taken`) takes none, nor one that cannot take the
 * old id's decision (`fits`: a swap to a code the card does not list stays under its old id, for when that card
 * is back), and each card takes at most one old id: the first, in `staleIds` order (an engine's own repeats of a
 * code stay separate cards).
 */
export function matchStaleIds(
  staleIds: Iterable<string>,
  codeOf: (id: string) => CodeKey | undefined,
  entities: readonly EntityView[],
  taken: (id: string) => boolean,
  fits: (staleId: string, entity: EntityView) => boolean = () => true,
): Map<string, string> {
  const matches = new Map<string, string>();
  // Free cards by code, in list order: linear however many cards and old ids (10,000 when Heidi failed at 10k).
  const free = new Map<string, EntityView[]>();
  for (const e of entities) {
    if (taken(e.id)) continue;
    const key = keyOf(e.primary);
    const cards = free.get(key);
    if (cards) cards.push(e);
    else free.set(key, [e]);
  }
  for (const stale of staleIds) {
    const code = codeOf(stale);
    const cards = code && free.get(keyOf(code));
    const at = cards ? cards.findIndex((e) => fits(stale, e)) : -1;
    if (cards && at >= 0) matches.set(stale, cards.splice(at, 1)[0]!.id);
  }
  return matches;
}

/** What the held list reads of a review (a `ReviewState`): its decisions and their times, and when it was sent. */
export interface SentReview {
  readonly sentAt: string | undefined;
  readonly snapshot: ReadonlyMap<string, Decision>;
  readonly audit: readonly AuditEntry[];
  chosenCode(entity: EntityView): CodeKey;
}

/**
 * The codes the host holds from its last send that no card holds now (`holds`: accepted and sent, heldAfterSend)
 * and that no decision since the send withdrew: one made after `sentAt` on the card it was sent under, or on a card
 * offering it as its suggested or chosen code (rejected, undone, or accepted with another code). An engine down, a
 * card gone, a decision the system dropped (a swap to a code Heidi no longer lists) withdraw nothing. Without a
 * review, each card holds its suggested code.
 */
export function heldWithoutCard(
  sent: readonly SentCode[],
  entities: readonly EntityView[],
  review?: SentReview,
  holds: (entity: EntityView) => boolean = () => true,
): SentCode[] {
  if (!sent.length) return [];
  const cards = new Map(entities.map((e) => [e.id, e]));
  const chosen = (e: EntityView): CodeKey => review?.chosenCode(e) ?? e.primary;
  const ownCardHolds = (c: SentCode, e = cards.get(c.entityId)) => !!e && holds(e) && keyOf(chosen(e)) === keyOf(c);
  const rest = sent.filter((c) => !ownCardHolds(c));
  // Usually none: every card is walked only when a sent code is not held by its own card (the footer asks on each decision).
  if (!rest.length) return [];
  const held = new Set(entities.filter(holds).map((e) => keyOf(chosen(e))));
  const { decided, offered } = decidedSince(review, cards, chosen);
  return rest.filter((c) => !held.has(keyOf(c)) && !decided.has(c.entityId) && !offered.has(keyOf(c)));
}

/**
 * The cards decided since the last send, and the codes they offered as suggested or chosen code then or now (an
 * audit entry's codes before and after). Linear: the audit is in time order, so the entries since are its end.
 */
function decidedSince(review: SentReview | undefined, cards: ReadonlyMap<string, EntityView>, chosen: (e: EntityView) => CodeKey) {
  const since = Date.parse(review?.sentAt ?? '');
  const decided = new Set<string>();
  const offered = new Set<string>();
  const audit = review?.audit ?? [];
  // A decision on a card this load lacks (another tab's) cannot say what it holds: it withdraws nothing here.
  for (let i = audit.length - 1; i >= 0 && Date.parse(audit[i]!.at) > since; i--) {
    const { entityId, codeBefore, codeAfter } = audit[i]!;
    if (!cards.has(entityId)) continue;
    decided.add(entityId);
    for (const code of [codeBefore, codeAfter]) if (code) offered.add(keyOf(code));
  }
  // A decision restored or synced without its audit entry carries its own time.
  for (const [id, d] of review?.snapshot ?? []) if (d.at && Date.parse(d.at) > since && cards.has(id)) decided.add(id);
  for (const id of decided) [cards.get(id)!.primary, chosen(cards.get(id)!)].forEach((c) => offered.add(keyOf(c)));
  return { decided, offered };
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
  const codeOf = (id: string) => audited.get(id) ?? sentAsSuggested.get(id);
  const decided = [...stale].filter((id) => review.decisions.has(id));
  const moves = matchStaleIds(
    decided,
    codeOf,
    entities,
    (id) => review.decisions.has(id),
    (id, entity) => appliesTo(entity, review.decisions.get(id) ?? {}),
  );
  // A code sent under an id with no decision here (another tab's send): to the code's card, decided or not.
  const sentOnly = [...stale].filter((id) => !review.decisions.has(id));
  for (const [from, id] of matchStaleIds(sentOnly, codeOf, entities, () => false)) moves.set(from, id);
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
