/** The batch-accept panel: the filter a batch takes (relevance, score, evidence, warnings), its count, confirm and cancel. */
import { html, nothing, type TemplateResult } from 'lit';
import type { BatchFilter } from '../core/filters.ts';
import type { Messages } from '../i18n/index.ts';
import { checkboxField, selectField, type Choice } from './fields.ts';
import { agreementSelect } from './toolbar.ts';

export interface BatchPanelProps {
  readonly messages: Messages;
  readonly filter: BatchFilter;
  /** How many codes the filter takes. */
  readonly count: number;
  /** Engines among the shown codes: "suggested by at least N engines" appears when more than one. */
  readonly engineCount?: number;
}

export interface BatchPanelHandlers {
  readonly change: (patch: Partial<BatchFilter>) => void;
  readonly confirm: () => void;
  readonly cancel: () => void;
}

export function batchPanelTemplate(
  { messages: m, filter: f, count, engineCount = 1 }: BatchPanelProps,
  on: BatchPanelHandlers,
): TemplateResult {
  return html`<section class="panel" aria-labelledby="batch-title">
    <h3 id="batch-title">${m.batchTitle}</h3>
    <div class="row">
      ${selectField(
        m.batchMinRelevance,
        RELEVANCES.map((r): Choice => [r, m.relevanceValue[r]]),
        f.minRelevance,
        (minRelevance) => on.change({ minRelevance: minRelevance as BatchFilter['minRelevance'] }),
      )}
      <label
        >${m.batchMinScore}
        <input
          type="number"
          min="0"
          max="100"
          step="5"
          .value=${String(Math.round(f.minScore * 100))}
          @input=${(e: Event) => on.change({ minScore: clamp01(Number((e.target as HTMLInputElement).value) / 100) })}
      /></label>
      ${engineCount > 1 ? agreementSelect(m, engineCount, f.minEngines ?? 1, (minEngines) => on.change({ minEngines }), 'min-engines') : nothing}
    </div>
    ${checkboxField(m.batchRequireEvidence, f.requireEvidence, (requireEvidence) => on.change({ requireEvidence }), 'row')}
    ${checkboxField(m.batchExcludeWarnings, f.excludeWarnings, (excludeWarnings) => on.change({ excludeWarnings }), 'row')}
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
