/** "Considered and discarded": the codes an engine weighed and threw away, with its reason. Never suggestions: no review controls. */
import { html, nothing, type TemplateResult } from 'lit';
import { engineLabel, type DiscardedCode } from '../core/engines/types.ts';
import type { Messages } from '../i18n/index.ts';

export function discardedListTemplate(
  m: Messages,
  discarded: readonly DiscardedCode[],
  percent: (score: number) => string,
): TemplateResult | typeof nothing {
  if (!discarded.length) return nothing;
  return html`<details class="discarded">
    <summary>${m.discarded} (${discarded.length})</summary>
    <ul>
      ${discarded.map(
        (d) => html`<li>
          <strong>${d.code}</strong> ${d.display} · ${engineLabel(d.engine)}${d.score !== undefined ? html` · ${m.score} ${percent(d.score)}` : nothing}
          ${d.justification ? html`<br /><span>${d.justification}</span>` : nothing}
        </li>`,
      )}
    </ul>
  </details>`;
}
