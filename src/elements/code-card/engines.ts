/**
 * A card's engines line: each engine that suggested the code, with its own
 * score and evidence (its located note quotes, its justification), and a
 * `discarded` warning for each engine that discarded the chosen code. A card
 * only Heidi suggested shows nothing here (the single-engine card is as before).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { isLocated } from '../../core/evidence.ts';
import type { CheckWarning } from '../../core/checks.ts';
import type { EntityView } from '../../core/model.ts';
import { engineLabel } from '../../core/engines/types.ts';
import type { Messages } from '../../i18n/en.ts';

export function cardEnginesTemplate(
  entity: EntityView,
  warnings: readonly CheckWarning[],
  m: Messages,
  percent: (score: number) => string,
): TemplateResult | typeof nothing {
  const suggestions = entity.engines;
  const discarded = warnings.filter((w) => w.kind === 'discarded');
  const heidiOnly = suggestions.every((s) => s.engine === 'heidi');
  if (heidiOnly && !discarded.length) return nothing;
  return html`${
    heidiOnly
      ? nothing
      : html`<div class="meta engines" part="engines">
          <span>${m.suggestedBy}:</span>
          <ul>
            ${suggestions.map((s) => {
              const quotes = s.note.filter(isLocated).map((e) => e.text);
              return html`<li data-engine=${s.engine}>
                <strong>${engineLabel(s.engine)}</strong>${s.score !== undefined ? ` ${percent(s.score)}` : ''}${quotes.map((q) => html` · “${q}”`)}${s.justification ? ` · ${s.justification}` : ''}
              </li>`;
            })}
          </ul>
        </div>`
  }${
    discarded.length
      ? html`<ul class="checks discarded-by">
          ${discarded.map(({ params }) => html`<li>⚠ ${m.discardedBy(engineLabel(String(params.engine)), String(params.reason))}</li>`)}
        </ul>`
      : nothing
  }`;
}
