/** The batch-accept panel: the filter a batch takes (relevance, score, evidence, warnings), its count, confirm and cancel. */
import { html, nothing, type TemplateResult } from 'lit';
import type { BatchFilter } from '../core/filters.ts';
import { percentToScore } from '../core/model.ts';
import type { ListViewController } from '../controllers/list-view.ts';
import type { Messages } from '../i18n/index.ts';
import { checkboxField, selectField, type Choice } from './fields.ts';
import { agreementSelect } from './toolbar.ts';

export interface BatchPanelProps {
  readonly messages: Messages;
  /** The batch filter and what it takes (`candidates`), and the shown codes' engines ("suggested by at least N engines" appears when more than one). */
  readonly list: Pick<ListViewController, 'batchFilter' | 'candidates' | 'view' | 'set'>;
}

export interface BatchPanelHandlers {
  readonly confirm: () => void;
  readonly cancel: () => void;
}

export function batchPanelTemplate({ messages: m, list }: BatchPanelProps, on: BatchPanelHandlers): TemplateResult {
  const f = list.batchFilter;
  const count = list.candidates.length;
  const engineCount = list.view.engineCount;
  // The filter as it stands at the event (two changes may come before a render).
  const change = (patch: Partial<BatchFilter>) => list.set({ batchFilter: { ...list.batchFilter, ...patch } });
  return html`<section class="panel" aria-labelledby="batch-title">
    <h3 id="batch-title">${m.batchTitle}</h3>
    <div class="row">
      ${selectField(
        m.batchMinRelevance,
        RELEVANCES.map((r): Choice => [r, m.relevanceValue[r]]),
        f.minRelevance,
        (minRelevance) => change({ minRelevance: minRelevance as BatchFilter['minRelevance'] }),
      )}
      <label
        >${m.batchMinScore}
        <input
          type="number"
          min="0"
          max="100"
          step="5"
          .value=${String(Math.round(f.minScore * 100))}
          @input=${(e: Event) => change({ minScore: clamp01(percentToScore(Number((e.target as HTMLInputElement).value))) })}
      /></label>
      ${engineCount > 1 ? agreementSelect(m, engineCount, f.minEngines ?? 1, (minEngines) => change({ minEngines }), 'min-engines') : nothing}
    </div>
    ${list.view.unrated ? html`<p class="unrated">${m.batchUnrated}</p>` : nothing}
    ${checkboxField(m.batchRequireEvidence, f.requireEvidence, (requireEvidence) => change({ requireEvidence }), 'row')}
    ${checkboxField(m.batchExcludeWarnings, f.excludeWarnings, (excludeWarnings) => change({ excludeWarnings }), 'row')}
    <p aria-live="polite">${m.batchCount(count)}</p>
    <div class="row">
      <button class="primary batch-confirm" ?disabled=${count === 0} @click=${on.confirm}>${m.batchConfirm(count)}</button>
      <button @click=${on.cancel}>${m.cancel}</button>
    </div>
  </section>`;
}

const RELEVANCES = ['HIGH', 'MEDIUM', 'LOW'] as const;

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
