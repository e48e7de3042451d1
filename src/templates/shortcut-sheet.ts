/** The keyboard shortcuts sheet. */
import { html, type TemplateResult } from 'lit';
import type { Messages } from '../i18n/index.ts';

export function shortcutSheetTemplate(props: { readonly messages: Messages }, handlers: { readonly close: () => void }): TemplateResult {
  const m = props.messages;
  return html`<section class="panel" aria-labelledby="keys-title">
    <h3 id="keys-title">${m.shortcuts}</h3>
    <dl class="keys">${m.shortcutList.map(([key, what]) => html`<dt>${key}</dt><dd>${what}</dd>`)}</dl>
    <div class="row"><button @click=${handlers.close}>${m.close}</button></div>
  </section>`;
}
