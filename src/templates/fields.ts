/** The form fields the toolbar and the batch panel share: a labelled `<select>` and a labelled checkbox. */
import { html, nothing, type TemplateResult } from 'lit';

/** An option of a select: `[value, label]`. */
export type Choice = readonly [value: string, label: string | undefined];

/** `caption` labels the select (the label wraps it); the option whose value is `selected` is selected; `name` is its class. */
export function selectField(
  caption: string | TemplateResult,
  choices: readonly Choice[],
  selected: string,
  change: (value: string) => void,
  name?: string,
): TemplateResult {
  return html`<label
    >${caption}
    <select class=${name ?? nothing} @change=${(e: Event) => change((e.target as HTMLSelectElement).value)}>
      ${choices.map(([value, label]) => html`<option value=${value} ?selected=${value === selected}>${label}</option>`)}
    </select></label
  >`;
}

/** A checkbox with its label after it; `className` is the label's class. */
export function checkboxField(label: string, checked: boolean, change: (checked: boolean) => void, className: string): TemplateResult {
  return html`<label class=${className}
    ><input type="checkbox" .checked=${checked} @change=${(e: Event) => change((e.target as HTMLInputElement).checked)} />${label}</label
  >`;
}
