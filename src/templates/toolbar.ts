/** The header's progress (count, bar, the advance-after-a-decision setting) and the toolbar: system and status filters, sort, grouping, batch and shortcut buttons. */
import { html, nothing, type TemplateResult } from 'lit';
import type { SortOrder, StatusFilter } from '../core/filters.ts';
import type { ReviewStatus } from '../core/review.ts';
import type { Messages } from '../i18n/index.ts';
import { checkboxField, selectField, type Choice } from './fields.ts';

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
  const reviewed = p.counts.ACCEPTED + p.counts.REJECTED;
  const cap = (text: string) => html`<span class="cap">${text}</span>`;
  const sorts: Choice[] = [
    ['document', m.sortDocument],
    ['relevance', m.sortRelevance],
    ['score', m.sortScore],
  ];
  if (p.engineCount > 1) sorts.push(['agreement', m.sortAgreement]);
  return html`
    <div class="review-progress">
      <span class="progress">${m.progress(p.counts.ACCEPTED, p.counts.REJECTED, p.total)}</span>
      ${
        p.total
          ? html`<progress part="progress" max=${p.total} .value=${reviewed} aria-label=${m.reviewedOf(reviewed, p.total)}></progress>
            ${p.readonly ? nothing : checkboxField(m.advanceSetting, p.autoAdvance, on.setAutoAdvance, 'check')}`
          : nothing
      }
    </div>
    ${
      p.total
        ? html`<div class="toolbar" part="toolbar">
          ${
            p.systems.length > 1
              ? selectField(cap(m.filterSystem), [['', m.allSystems], ...p.systems.map((s): Choice => [s, s])], f.system ?? '', (system) =>
                  on.set({ system: system || undefined }),
                )
              : nothing
          }
          ${selectField(
            cap(m.filterStatus),
            STATUSES.map((s): Choice => [s, s === 'ALL' ? m.allStatuses : m.status[s]]),
            f.status,
            (status) => on.set({ status: status as StatusFilter }),
          )}
          ${selectField(cap(m.sortBy), sorts, f.sort, (sort) => on.set({ sort: sort as SortOrder }))}
          ${p.engineCount > 1 ? agreementSelect(m, p.engineCount, f.minEngines, (minEngines) => on.set({ minEngines }), 'agreement') : nothing}
          ${checkboxField(m.groupByKind, f.grouped, (grouped) => on.set({ grouped }), 'check')}
          ${
            p.readonly
              ? nothing
              : html`<button data-panel="batch" aria-expanded=${String(p.batchOpen)} @click=${on.toggleBatch}>${m.batchAccept}</button>`
          }
          <button data-panel="shortcuts" aria-expanded=${String(p.shortcutsOpen)} title="${m.shortcuts} (?)" @click=${on.toggleShortcuts}>
            ${cap(m.shortcuts)}
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
  const choices: Choice[] = [['1', m.allStatuses]];
  for (let n = 2; n <= engineCount; n++) choices.push([String(n), m.atLeastEngines(n)]);
  return selectField(m.suggestedBy, choices, String(Math.max(value, 1)), (chosen) => change(Number(chosen)), name);
}
