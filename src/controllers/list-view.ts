/**
 * What the list shows: the reviewer's filters, sort and grouping, and the
 * batch filter, with everything derived from them (shown, visible, groups,
 * batch candidates, check warnings) computed in one memoised place, once
 * per change of its inputs. `code-systems` is applied here and only here.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { checkEntity, type CheckWarning } from '../core/checks.ts';
import { commaList } from '../core/text.ts';
import {
  DEFAULT_BATCH_FILTER,
  allowedEntities,
  batchCandidates,
  groupByKind,
  narrowEntities,
  relevanceRated,
  systemLabels,
  type BatchFilter,
  type EntityGroup,
  type SortOrder,
  type StatusFilter,
} from '../core/filters.ts';
import type { CodeView, CodingModel, EntityView } from '../core/model.ts';
import { fhirCodeKey } from '../core/payloads.ts';
import { heldAfterSend } from './commit.ts';
import { heldWithoutCard } from '../core/card-match.ts';
import type { Decision, ReviewState, ReviewStatus } from '../core/review.ts';

export interface ListViewHost extends ReactiveControllerHost {
  /** The `code-systems` attribute: comma-separated. */
  readonly codeSystems: string;
}

/** Where the list's data comes from: the loaded model and the review of it (the session and review controllers). */
export interface ListViewSources {
  readonly session: { readonly model: CodingModel | undefined };
  readonly review: { readonly state: ReviewState | undefined };
}

export interface ListView {
  /** Entities `code-systems` allows: what the toolbar counts and the footer sends. */
  readonly shown: readonly EntityView[];
  /** The list in display order (filtered, sorted, flattened from the groups when grouped). */
  readonly list: readonly EntityView[];
  readonly groups: readonly EntityGroup[] | undefined;
  /** System labels among `shown`, in first-seen order (the system filter's options). */
  readonly systems: readonly string[];
  /** How many engines suggested any of `shown` (the agreement filter appears when more than one). */
  readonly engineCount: number;
  /** Some of `shown` no engine rated for relevance (only Sully or Omniscribe suggested them): the batch panel says how they are taken. */
  readonly unrated: boolean;
}

const EMPTY: ListView = { shown: [], list: [], groups: undefined, systems: [], engineCount: 0, unrated: false };
/** The decisions before a review is open: none. */
const NO_DECISIONS: ReadonlyMap<string, Decision> = new Map();

export class ListViewController implements ReactiveController {
  system: string | undefined;
  status: StatusFilter = 'ALL';
  sort: SortOrder = 'document';
  grouped = true;
  batchFilter: BatchFilter = DEFAULT_BATCH_FILTER;
  /** Only codes at least this many engines suggested (1: all). */
  minEngines = 1;

  // Each memo is keyed on everything it reads; `review.snapshot` changes identity with every decision.
  private readonly _shown = memo((model: CodingModel, codeSystems: string) => allowedEntities(model.entities, commaList(codeSystems)));
  private readonly _view = memo(
    (
      shown: readonly EntityView[],
      review: ReviewState,
      _decisions: unknown,
      system: string | undefined,
      status: StatusFilter,
      sort: SortOrder,
      grouped: boolean,
      minEngines: number,
    ): ListView => {
      const narrowed = narrowEntities(shown, review, { system, status, sort, minEngines });
      const groups = grouped ? groupByKind(narrowed) : undefined;
      return {
        shown,
        list: groups ? groups.flatMap((g) => g.entities) : narrowed,
        groups,
        systems: systemLabels(shown),
        engineCount: new Set(shown.flatMap((e) => e.engines.map((s) => s.engine))).size,
        unrated: shown.some((e) => !relevanceRated(e)),
      };
    },
  );
  private readonly _candidates = memo(
    (
      shown: readonly EntityView[],
      review: ReviewState,
      _decisions: unknown,
      system: string | undefined,
      filter: BatchFilter,
      _model: CodingModel,
    ) =>
      batchCandidates(
        narrowEntities(shown, review, { system, status: 'ALL', sort: 'document' }),
        review,
        (e) => this.warningsFor(e),
        filter,
      ),
  );
  private readonly _shownIds = memo((shown: readonly EntityView[]) => new Set(shown.map((e) => e.id)));
  private readonly _counts = memo((shown: readonly EntityView[], decisions: ReadonlyMap<string, Decision>) => {
    // From the decisions, not the codes: a keypress costs O(decisions), never a pass over 10,000 codes.
    const ids = this._shownIds(shown);
    const counts: Record<ReviewStatus, number> = { PENDING: 0, ACCEPTED: 0, REJECTED: 0 };
    for (const [id, decision] of decisions) if (decision.status !== 'PENDING' && ids.has(id)) counts[decision.status] += 1;
    counts.PENDING = shown.length - counts.ACCEPTED - counts.REJECTED;
    return counts;
  });
  private readonly _byId = memo((model: CodingModel) => new Map(model.entities.map((e) => [e.id, e])));
  // Once per list, not per decision.
  private readonly _holds = memo(heldAfterSend);
  // From the decisions, as `counts`; by code, as `perCode`.
  private readonly _sendCount = memo(
    (model: CodingModel, shown: readonly EntityView[], review: ReviewState, decisions: ReadonlyMap<string, Decision>) => {
      const holds = this._holds(review, shown);
      const held = [...decisions.keys()].map((id) => this._byId(model).get(id)).filter((e) => !!e && holds(e));
      // With the codes kept from the last send that no card holds: `codes` lists them too.
      const kept = heldWithoutCard(review.sentCodes, model.entities, review, holds);
      return new Set([...held.map((e) => review.chosenCode(e!)), ...kept].map(fhirCodeKey)).size;
    },
  );
  private readonly _warnings = new Map<string, { code: CodeView; patient: unknown; warnings: readonly CheckWarning[] }>();

  constructor(
    private readonly _host: ListViewHost,
    private readonly _sources: ListViewSources,
  ) {
    _host.addController(this);
  }

  /** Change filters, sort, grouping or the batch filter; the host re-renders. */
  set(patch: Partial<Pick<ListViewController, 'system' | 'status' | 'sort' | 'grouped' | 'batchFilter' | 'minEngines'>>): void {
    Object.assign(this, patch);
    this._host.requestUpdate();
  }

  get view(): ListView {
    const model = this._sources.session.model;
    const review = this._sources.review.state;
    if (!model || !review) return EMPTY;
    // The list depends on the decisions only through a status filter or a score sort (a swap changes the
    // score; agreement and the engines filter do not read them): with neither, a decision keeps the same list and costs no O(n) pass (issue 16: 10,000 codes).
    const decisions = this.status === 'ALL' && (this.sort === 'document' || this.sort === 'agreement') ? undefined : review.snapshot;
    return this._view(this.shown, review, decisions, this.system, this.status, this.sort, this.grouped, this.minEngines);
  }

  get shown(): readonly EntityView[] {
    const model = this._sources.session.model;
    return model ? this._shown(model, this._host.codeSystems ?? '') : [];
  }

  /** How many of `shown` are pending, accepted, rejected (the toolbar's counts). */
  get counts(): Readonly<Record<ReviewStatus, number>> {
    return this._counts(this.shown, this._sources.review.state?.snapshot ?? NO_DECISIONS);
  }

  /** The codes a send now gives the host, each once (the send's rule: `heldAfterSend`, `heldWithoutCard`). */
  get sendCount(): number {
    const model = this._sources.session.model;
    const review = this._sources.review.state;
    return model && review ? this._sendCount(model, this.shown, review, review.snapshot) : 0;
  }

  /** Pending entities the batch filter takes, among those the system filter shows (any status filter). */
  get candidates(): readonly EntityView[] {
    const model = this._sources.session.model;
    const review = this._sources.review.state;
    if (!model || !review) return [];
    return this._candidates(this.shown, review, review.snapshot, this.system, this.batchFilter, model);
  }

  /** The checks' warnings for the entity's chosen code, recomputed only when the code or the patient changes. */
  warningsFor(entity: EntityView): readonly CheckWarning[] {
    const review = this._sources.review.state;
    const model = this._sources.session.model;
    if (!review || !model) return [];
    const code = review.chosenCode(entity);
    const patient = model.session?.patient;
    const cached = this._warnings.get(entity.id);
    if (cached && cached.code === code && cached.patient === patient) return cached.warnings;
    const warnings = checkEntity(entity, code, { patient, sessionDate: model.session?.created_at });
    this._warnings.set(entity.id, { code, patient, warnings });
    return warnings;
  }

  /** A new load: warnings of the old entities are not kept. */
  reset(): void {
    this._warnings.clear();
  }

  hostDisconnected(): void {
    // A detached element does not hold a long consultation's warnings; they are recomputed on return.
    this._warnings.clear();
  }
}

/** The last result of `compute`, reused while every argument is the same (`===`) as last time. */
function memo<A extends unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A) => {
    // Every call site passes the same number of arguments.
    if (!last?.args.every((v, i) => v === args[i])) last = { args, result: compute(...args) };
    return last.result;
  };
}
