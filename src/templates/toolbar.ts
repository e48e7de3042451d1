/** The header's progress (count, bar, the advance-after-a-decision setting) and the toolbar: system and status filters, sort, grouping, batch and shortcut buttons. */
import { html, nothing, type TemplateResult } from 'lit';
import type { SortOrder, StatusFilter } from '../core/filters.ts';
import type { ReviewStatus } from '../core/review.ts';
import type { Messages } from '../i18n/index.ts';

export interface ToolbarProps {
  readonly messages: Messages;
  readonly counts: Readonly<Record<ReviewStatus, number>>;
  readonly total: number;
  /** Focus moves to the next code to review after a decision (the reviewer's setting). */
  readonly autoAdvance: boolean;
  /** System labels among the shown codes; a filter appears when there is more than one. */
  readonly systems: readonly string[];
  /** The reviewer's current choices. */
  readonly filters: {
    readonly system: string | undefined;
    readonly status: StatusFilter;
    readonly sort: SortOrder;
    readonly grouped: boolean;
    /** Only codes at least this many engines suggested. */
    readonly minEngines: number;
  };
  /** Engines among the shown codes: the agreement filter and sort appear when there is more than one. */
  readonly engineCount: number;
  readonly readonly: boolean;
  readonly batchOpen: boolean;
  readonly shortcutsOpen: boolean;
}

export interface ToolbarHandlers {
  /** Change the system or status filter, the sort or the grouping. */
  readonly set: (patch: {
    system?: string | undefined;
    status?: StatusFilter;
    sort?: SortOrder;
    grouped?: boolean;
    minEngines?: number;
  }) => void;
  readonly toggleBatch: () => void;
  readonly toggleShortcuts: () => void;
  readonly setAutoAdvance: (on: boolean) => void;
}

const STATUSES = ['ALL', 'PENDING', 'ACCEPTED', 'REJECTED'] as const;

export function toolbarTemplate(p: ToolbarProps, on: ToolbarHandlers): TemplateResult {
  const m = p.messages;
  const f = p.filters;
  const value = (e: Event) => (e.target as HTMLSelectElement).value;
  const reviewed = p.counts.ACCEPTED + p.counts.REJECTED;
  return html`
    <div class="review-progress">
      <span class="progress">${m.progress(p.counts.ACCEPTED, p.counts.REJECTED, p.total)}</span>
      ${
        p.total
          ? html`<progress part="progress" max=${p.total} .value=${reviewed} aria-label=${m.reviewedOf(reviewed, p.total)}></progress>
            ${
              p.readonly
                ? nothing
                : html`<label class="check"
                  ><input type="checkbox" .checked=${p.autoAdvance} @change=${(e: Event) => on.setAutoAdvance((e.target as HTMLInputElement).checked)} />${m.advanceSetting}</label
                >`
            }`
          : nothing
      }
    </div>
    ${
      p.total
        ? html`<div class="toolbar" part="toolbar">
          ${
            p.systems.length > 1
              ? html`<label
                ><span class="cap">${m.filterSystem}</span>
                <select @change=${(e: Event) => on.set({ system: value(e) || undefined })}>
                  <option value="" ?selected=${!f.system}>${m.allSystems}</option>
                  ${p.systems.map((s) => html`<option value=${s} ?selected=${f.system === s}>${s}</option>`)}
                </select></label
              >`
              : nothing
          }
          <label
            ><span class="cap">${m.filterStatus}</span>
            <select @change=${(e: Event) => on.set({ status: value(e) as StatusFilter })}>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${s === 'ALL' ? m.allStatuses : m.status[s]}</option>`)}
            </select></label
          >
          <label
            ><span class="cap">${m.sortBy}</span>
            <select @change=${(e: Event) => on.set({ sort: value(e) as SortOrder })}>
              <option value="document" ?selected=${f.sort === 'document'}>${m.sortDocument}</option>
              <option value="relevance" ?selected=${f.sort === 'relevance'}>${m.sortRelevance}</option>
              <option value="score" ?selected=${f.sort === 'score'}>${m.sortScore}</option>
              ${p.engineCount > 1 ? html`<option value="agreement" ?selected=${f.sort === 'agreement'}>${m.sortAgreement}</option>` : nothing}
            </select></label
          >
          ${p.engineCount > 1 ? agreementSelect(m, p.engineCount, f.minEngines, (minEngines) => on.set({ minEngines }), 'agreement') : nothing}
          <label class="check"
            ><input type="checkbox" .checked=${f.grouped} @change=${(e: Event) => on.set({ grouped: (e.target as HTMLInputElement).checked })} />${m.groupByKind}</label
          >
          ${
            p.readonly
              ? nothing
              : html`<button data-panel="batch" aria-expanded=${p.batchOpen ? 'true' : 'false'} @click=${on.toggleBatch}>${m.batchAccept}</button>`
          }
          <button data-panel="shortcuts" aria-expanded=${p.shortcutsOpen ? 'true' : 'false'} title="${m.shortcuts} (?)" @click=${on.toggleShortcuts}>
            <span class="cap">${m.shortcuts}</span>
          </button>
        </div>`
        : nothing
    }
  `;
}

/** "Suggested by": any engine, or at least 2..n of them (the toolbar's filter and the batch filter). */
export function agreementSelect(
  m: Messages,
  engineCount: number,
  value: number,
  change: (minEngines: number) => void,
  name: string,
): TemplateResult {
  const counts = Array.from({ length: engineCount - 1 }, (_, i) => i + 2);
  return html`<label
    >${m.suggestedBy}
    <select class=${name} @change=${(e: Event) => change(Number((e.target as HTMLSelectElement).value))}>
      <option value="1" ?selected=${value <= 1}>${m.allStatuses}</option>
      ${counts.map((n) => html`<option value=${n} ?selected=${value === n}>${m.atLeastEngines(n)}</option>`)}
    </select></label
  >`;
}
