/**
 * The keyboard shortcuts sheet: a line per row of the key table (SHORTCUTS), so it shows what the keys do; under
 * `readonly`, without the keys that decide (they do nothing there).
 * Escape inside it is the element's (ToolbarPanelsController.onKeydown), as anywhere in the element.
 */
import { html, type TemplateResult } from 'lit';
import { SHORTCUTS } from '../controllers/roving-focus.ts';
import type { Messages } from '../i18n/index.ts';

const DECIDING: ReadonlySet<string> = new Set(['accept', 'reject', 'undo', 'swap']);

export function shortcutSheetTemplate(
  props: { readonly messages: Messages; readonly readonly: boolean },
  handlers: { readonly close: () => void },
): TemplateResult {
  const m = props.messages;
  // A run of digits reads 1–9; other keys by their names, side by side.
  const keys = (k: readonly string[]) => (k.length > 4 ? `${k[0]}–${k.at(-1)}` : k.map((key) => m.keyNames[key] ?? key).join(' '));
  return html`<section class="panel" id="keys" aria-labelledby="keys-title">
    <h3 id="keys-title">${m.shortcuts}</h3>
    <dl class="keys">${SHORTCUTS.filter(([what]) => !props.readonly || !DECIDING.has(what)).map(
      ([what, k]) => html`<dt>${keys(k)}</dt><dd>${m.shortcutList[what]}</dd>`,
    )}</dl>
    <div class="row"><button @click=${handlers.close}>${m.close}</button></div>
  </section>`;
}
