/** The header's progress (count, bar, the advance-after-a-decision setting) and the toolbar: system and status filters, sort, grouping, batch and shortcut buttons. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ListViewController } from '../controllers/list-view.ts';
import type { SortOrder, StatusFilter } from '../core/filters.ts';
import { STATUSES } from '../core/review-snapshot.ts';
import type { Messages } from '../i18n/index.ts';
import { checkboxField, selectField, type Choice } from './fields.ts';

export interface ToolbarProps {
  readonly messages: Messages;
  /** The reviewer's current choices (filters, sort, grouping), the counts and the shown codes' systems and engines. */
  readonly list: Pick<ListViewController, 'system' | 'status' | 'sort' | 'grouped' | 'minEngines' | 'counts' | 'view' | 'set'>;
  /** Focus moves to the next code to review after a decision (the reviewer's setting). */
  readonly autoAdvance: boolean;
  readonly readonly: boolean;
  readonly batchOpen: boolean;
  readonly shortcutsOpen: boolean;
}

export interface ToolbarHandlers {
  readonly toggleBatch: () => void;
  readonly toggleShortcuts: () => void;
  readonly setAutoAdvance: (on: boolean) => void;
}

const STATUS_FILTERS = ['ALL', ...STATUSES] as const;

export function toolbarTemplate(p: ToolbarProps, on: ToolbarHandlers): TemplateResult {
  const m = p.messages;
  const list = p.list;
  const { counts, view } = list;
  const total = view.shown.length;
  const reviewed = counts.ACCEPTED + counts.REJECTED;
  const cap = (text: string) => html`<span class="cap">${text}</span>`;
  const sorts: Choice[] = [
    ['document', m.sortDocument],
    ['relevance', m.sortRelevance],
    ['score', m.sortScore],
  ];
  if (view.engineCount > 1) sorts.push(['agreement', m.sortAgreement]);
  return html`
    <div class="review-progress">
      <span class="progress">${m.progress(counts.ACCEPTED, counts.REJECTED, total)}</span>
      ${
        total
          ? html`<progress part="progress" max=${total} .value=${reviewed} aria-label=${m.reviewedOf(reviewed, total)}></progress>
            ${p.readonly ? nothing : checkboxField(m.advanceSetting, p.autoAdvance, on.setAutoAdvance, 'check')}`
          : nothing
      }
    </div>
    ${
      total
        ? html`<div class="toolbar" part="toolbar">
          ${
            view.systems.length > 1
              ? selectField(
                  cap(m.filterSystem),
                  [['', m.allSystems], ...view.systems.map((s): Choice => [s, s])],
                  list.system ?? '',
                  (system) => list.set({ system: system || undefined }),
                )
              : nothing
          }
          ${selectField(
            cap(m.filterStatus),
            STATUS_FILTERS.map((s): Choice => [s, s === 'ALL' ? m.allStatuses : m.status[s]]),
            list.status,
            (status) => list.set({ status: status as StatusFilter }),
            'status',
          )}
          ${selectField(cap(m.sortBy), sorts, list.sort, (sort) => list.set({ sort: sort as SortOrder }))}
          ${view.engineCount > 1 ? agreementSelect(m, view.engineCount, list.minEngines, (minEngines) => list.set({ minEngines }), 'agreement') : nothing}
          ${checkboxField(m.groupByKind, list.grouped, (grouped) => list.set({ grouped }), 'check')}
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
