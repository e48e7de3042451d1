import { css } from 'lit';

/** Controls shared by the element and its cards. */
export const controls = css`
  button,
  select,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
    border-radius: calc(var(--_radius) - 2px);
    padding: 0.3em 0.7em;
    min-height: 2em;
    cursor: pointer;
  }
  button:hover {
    border-color: var(--_accent);
  }
  /* The source view's pressed tab looks like a primary button, without the weight. */
  button.primary,
  .tabs button[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  button.primary {
    font-weight: 600;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.75;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible,
  summary:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  select,
  input:not([type='checkbox'], [type='radio']) {
    background: var(--_surface);
    border: 1px solid var(--_control-border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 0.2em 0.4em;
    min-height: 2em;
  }
  /* Evidence is marked by more than its colour: an edge under it too (WCAG 1.4.1). */
  mark {
    background: var(--_mark);
    color: var(--_mark-text);
    border-radius: 2px;
    box-shadow: inset 0 -2px 0 var(--_mark-edge);
  }
  mark.cue {
    background: var(--_warn-bg);
    color: var(--_warn);
    outline: 1px dashed var(--_warn);
    font-weight: 600;
  }
  /* Read by screen readers, not drawn. One rule for every such case: the compact card's action words
     ("Accept" stays in the accessible name) and the compact toolbar's filter captions. */
  .visually-hidden,
  :host([compact]) .actions .label,
  :host([density='compact']) .toolbar .cap {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
