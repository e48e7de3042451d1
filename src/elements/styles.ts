import { css } from 'lit';

/** The dark theme's values: used by `theme="dark"`, and by `theme="auto"` when the system is dark. */
const darkTokens = css`
  --_accent: var(--heidi-accent, #8ab4f8);
  --_on-accent: var(--heidi-on-accent, #0b1a2e);
  --_surface: var(--heidi-surface, #16191d);
  --_surface-2: var(--heidi-surface-raised, #22262b);
  --_text: var(--heidi-text, #e8eaed);
  --_muted: var(--heidi-text-muted, #b4bcc6);
  --_border: var(--heidi-border, #4a525c);
  --_ok: #8fe3b0;
  --_ok-bg: #15301f;
  --_bad: #ffb3b3;
  --_bad-bg: #3a1a1d;
  --_warn: #ffd98a;
  --_warn-bg: #362a0c;
  --_mark: #524510;
  --_mark-text: #fff8dc;
  --_mark-edge: #d9b84a;
  --_focus: var(--heidi-focus, #8ab4f8);
  color-scheme: dark;
`;

/**
 * Design tokens. Public: the `--heidi-*` custom properties a host may set.
 * Private: the `--_*` ones derived from them, used everywhere inside (and
 * inherited by the nested card elements through the shadow boundary).
 */
export const tokens = css`
  :host {
    --_accent: var(--heidi-accent, #0b5cad);
    --_on-accent: var(--heidi-on-accent, #ffffff);
    --_surface: var(--heidi-surface, #ffffff);
    --_surface-2: var(--heidi-surface-raised, #f4f6f8);
    --_text: var(--heidi-text, #1b1f24);
    --_muted: var(--heidi-text-muted, #4b5563);
    --_border: var(--heidi-border, #c5ccd3);
    --_radius: var(--heidi-radius, 8px);
    --_font: var(--heidi-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_space: var(--heidi-space, 12px);
    --_ok: #116329;
    --_ok-bg: #e6f4ea;
    --_bad: #a40e26;
    --_bad-bg: #fde8ea;
    --_warn: #6b4400;
    --_warn-bg: #fff4d6;
    --_mark: #fff0a8;
    --_mark-text: #1b1f24;
    --_mark-edge: #8a6d00;
    --_focus: var(--heidi-focus, #0b5cad);
    /* Form field edges need 3:1 against the surface (WCAG 1.4.11); derived from the muted text, which has 4.5:1,
       so a host's own colours keep it. Where color-mix is unknown the border falls back to the text colour. */
    --_control-border: color-mix(in srgb, var(--_muted) 75%, var(--_surface));
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkTokens}
    }
  }
  :host([density='compact']) {
    --_space: var(--heidi-space, 6px);
  }
`;

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
  button.primary {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
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
  .visually-hidden {
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

/** The element's own layout: header, toolbar, list, states, panels, footer. */
export const elementStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    font-family: var(--_font);
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    line-height: 1.4;
    font-size: var(--heidi-font-size, 0.9375rem);
  }
  :host([hidden]) {
    display: none;
  }
  .header {
    display: grid;
    gap: calc(var(--_space) / 2);
    margin-bottom: var(--_space);
  }
  h2 {
    font-size: 1.125em;
    margin: 0;
  }
  h3 {
    font-size: 1em;
    margin: var(--_space) 0 calc(var(--_space) / 2);
    color: var(--_muted);
  }
  .progress {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em 0.8em;
    align-items: end;
  }
  .toolbar label {
    display: grid;
    gap: 0.1em;
    font-size: 0.8125em;
    color: var(--_muted);
  }
  .toolbar label.check {
    display: flex;
    gap: 0.3em;
    align-items: center;
  }
  .layout {
    display: grid;
    gap: var(--_space);
  }
  @container (min-width: 760px) {
    .layout {
      grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr);
      align-items: start;
    }
    heidi-source-view {
      position: sticky;
      top: 0;
    }
  }
  .list {
    display: grid;
    gap: calc(var(--_space) * 0.75);
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .state {
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-2);
    display: grid;
    gap: 0.5em;
    justify-items: start;
  }
  .state.error {
    background: var(--_bad-bg);
    color: var(--_bad);
    border: 1px solid var(--_bad);
  }
  .notice {
    background: var(--_warn-bg);
    color: var(--_warn);
    padding: 0.3em 0.6em;
    border-radius: 4px;
    margin: 0 0 var(--_space);
    font-size: 0.875em;
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    border-radius: 50%;
    display: inline-block;
    vertical-align: -0.15em;
    margin-right: 0.4em;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em 1em;
    align-items: center;
    margin-top: var(--_space);
    padding-top: var(--_space);
    border-top: 1px solid var(--_border);
  }
  .commit-msg.failed,
  .commit-msg.blocked,
  .commit-msg.cancelled {
    color: var(--_bad);
  }
  .commit-msg.sent {
    color: var(--_ok);
  }
  .panel {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-2);
    padding: var(--_space);
    margin-bottom: var(--_space);
    display: grid;
    gap: 0.5em;
  }
  .panel h3 {
    margin: 0;
    color: var(--_text);
  }
  .panel .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  dl.keys {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.2em 1em;
    margin: 0;
  }
  dl.keys dt {
    font-family: ui-monospace, monospace;
    font-weight: 700;
  }
  dl.keys dd {
    margin: 0;
  }
`;
