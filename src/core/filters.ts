/** What the list shows and what a batch accept takes: pure functions over the model and review state. */
import { codeSystemKey, codeSystemMatches, type CodeKind } from './code-systems.ts';
import { ownValue } from './text.ts';
import { hasDirectEvidence, type EntityView } from './model.ts';
import type { CheckWarning } from './checks.ts';
import type { ReviewState, ReviewStatus } from './review.ts';
import type { EngineName } from './engines/types.ts';

const RELEVANCE_RANK: Record<string, number> = { HIGH: 3, MEDIUM: 2, LOW: 1 };

export function relevanceRank(relevance: string | undefined): number {
  return ownValue(RELEVANCE_RANK, relevance ?? '') ?? 0;
}

/** The engines that rate a code's relevance: Heidi alone (Sully and Omniscribe give none). */
const RATES_RELEVANCE: ReadonlySet<EngineName> = new Set(['heidi']);

/**
 * Was the card's code rated for relevance: it has a relevance, or an engine that rates relevance suggested it
 * (Heidi's card without one is unrated data, not a pass). A relevance condition applies only to rated cards:
 * a code only Sully and Omniscribe suggested is taken on its score and the other conditions, as the batch panel says.
 */
export function relevanceRated(entity: EntityView): boolean {
  return entity.relevance !== undefined || entity.engines.some((s) => RATES_RELEVANCE.has(s.engine));
}

export interface BatchFilter {
  /** Lowest relevance taken, of the cards rated for relevance (`relevanceRated`). */
  readonly minRelevance: 'HIGH' | 'MEDIUM' | 'LOW';
  /** Lowest score taken, 0..1. */
  readonly minScore: number;
  readonly requireEvidence: boolean;
  readonly excludeWarnings: boolean;
  /** Fewest engines that must have suggested the code (1: any). */
  readonly minEngines?: number;
}

export const DEFAULT_BATCH_FILTER: BatchFilter = {
  minRelevance: 'HIGH',
  minScore: 0.7,
  requireEvidence: true,
  excludeWarnings: true,
  minEngines: 1,
};

/** How many engines suggested the entity's code (its agreement). */
export function agreement(entity: EntityView): number {
  return new Set(entity.engines.map((s) => s.engine)).size;
}

/** Pending entities that pass the batch filter, among those the list shows. Never a blind "accept all". */
export function batchCandidates(
  entities: readonly EntityView[],
  review: ReviewState,
  warnings: (entity: EntityView) => readonly CheckWarning[],
  filter: BatchFilter,
): EntityView[] {
  const minRank = relevanceRank(filter.minRelevance);
  return entities.filter((entity) => {
    if (review.status(entity.id) !== 'PENDING') return false;
    if (relevanceRated(entity) && relevanceRank(entity.relevance) < minRank) return false;
    // The card's score (mergeEngineResults: its first engine's that gave one).
    const code = review.chosenCode(entity);
    // A score Heidi sent outside 0..1 is shown clamped, but it is not evidence of confidence: never batch-accepted.
    if (code.score === undefined || code.scoreOutOfRange !== undefined || code.score < filter.minScore) return false;
    if (filter.requireEvidence && !hasDirectEvidence(entity)) return false;
    if (filter.excludeWarnings && warnings(entity).length > 0) return false;
    return agreement(entity) >= (filter.minEngines ?? 1);
  });
}

export type SortOrder = 'document' | 'relevance' | 'score' | 'agreement';
export type StatusFilter = 'ALL' | ReviewStatus;

export interface ListOptions {
  /** From the `code-systems` attribute: entries like `ICD-10-CM` or `icd_10_cm`; empty shows all. */
  readonly codeSystems: readonly string[];
  /** The reviewer's own narrowing to one system label, or undefined for all shown. */
  readonly system: string | undefined;
  readonly status: StatusFilter;
  readonly sort: SortOrder;
  /** Only codes at least this many engines suggested (1 or undefined: all). */
  readonly minEngines?: number;
}

/** Entities the `code-systems` attribute allows at all. */
export function allowedEntities(entities: readonly EntityView[], codeSystems: readonly string[]): EntityView[] {
  if (codeSystems.length === 0) return [...entities];
  return entities.filter((e) => codeSystems.some((wanted) => codeSystemMatches(wanted, e.primary.codeSystem)));
}

export function visibleEntities(entities: readonly EntityView[], review: ReviewState, options: ListOptions): EntityView[] {
  return narrowEntities(allowedEntities(entities, options.codeSystems), review, options);
}

/** The toolbar's systems: one label per system (`codeSystemKey`: `Local` and `LOCAL` are one), the first one seen. */
export function systemLabels(entities: readonly EntityView[]): string[] {
  const labels = new Map<string, string>();
  for (const { primary } of entities) {
    const key = codeSystemKey(primary.systemLabel);
    if (!labels.has(key)) labels.set(key, primary.systemLabel);
  }
  return [...labels.values()];
}

/** The reviewer's narrowing (system label, status) and order, over entities `code-systems` already allowed. */
export function narrowEntities(
  allowed: readonly EntityView[],
  review: ReviewState,
  options: Pick<ListOptions, 'system' | 'status' | 'sort' | 'minEngines'>,
): EntityView[] {
  const minEngines = options.minEngines ?? 1;
  const shown = allowed.filter(
    (e) =>
      (options.system === undefined || codeSystemMatches(options.system, e.primary.systemLabel)) &&
      (options.status === 'ALL' || review.status(e.id) === options.status) &&
      (minEngines <= 1 || agreement(e) >= minEngines),
  );
  if (options.sort === 'document') return shown;
  const score = (e: EntityView) => review.chosenCode(e).score ?? -1;
  // Agreement first, then the suggesting order (a stable sort keeps the document order among equals).
  if (options.sort === 'agreement') return shown.sort((a, b) => agreement(b) - agreement(a));
  return shown.sort((a, b) =>
    options.sort === 'relevance'
      ? relevanceRank(b.relevance) - relevanceRank(a.relevance) || score(b) - score(a)
      : score(b) - score(a) || relevanceRank(b.relevance) - relevanceRank(a.relevance),
  );
}

export interface EntityGroup {
  readonly kind: CodeKind | 'other';
  readonly entities: readonly EntityView[];
}

/** Diagnoses, then procedures, then clinical terms and unknown systems: where the code system tells. */
export function groupByKind(entities: readonly EntityView[]): EntityGroup[] {
  const order: (CodeKind | 'other')[] = ['diagnosis', 'procedure', 'clinical-term', 'other'];
  return order
    .map((kind) => ({ kind, entities: entities.filter((e) => (e.primary.kind ?? 'other') === kind) }))
    .filter((g) => g.entities.length > 0);
}
