import { css } from 'lit';

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
    grid-template-columns: auto minmax(0, 1fr);
    align-items: center;
    gap: calc(var(--_space) / 2) var(--_space);
    margin-bottom: var(--_space);
  }
  .header > .toolbar {
    grid-column: 1 / -1;
  }
  /* Compact: the filter captions are read by screen readers but not drawn (the shared visually-hidden rule in
     styles/controls.ts); controls are 24 px high. */
  :host([density='compact']) :is(button, select) {
    min-height: 24px;
    padding-block: 0.05em;
  }
  :host([density='compact']) h2 {
    font-size: 1em;
  }
  :host([density='compact']) .review-progress {
    font-size: 0.875em;
  }
  :host([density='compact']) .toolbar {
    gap: 0.3em 0.5em;
    font-size: 0.875em;
  }
  :host([density='compact']) button[data-panel='shortcuts']::before {
    content: '?';
  }
  h2 {
    font-size: 1.125em;
    margin: 0;
  }
  .engines-progress {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 0.875em;
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
  .toolbar label,
  label.check {
    font-size: 0.8125em;
    color: var(--_muted);
  }
  .toolbar label {
    display: grid;
    gap: 0.1em;
  }
  /* After ".toolbar label" (the same specificity): a checkbox sits beside its words, in the toolbar and the progress row. */
  label.check {
    display: flex;
    gap: 0.3em;
    align-items: center;
  }
  .review-progress {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.2em 0.8em;
  }
  progress {
    appearance: none;
    flex: 1 1 6em;
    max-width: 16em;
    height: 0.5em;
    border: 1px solid var(--_control-border);
    border-radius: 999px;
    background: var(--_surface-2);
    overflow: hidden;
  }
  progress::-webkit-progress-bar {
    background: var(--_surface-2);
  }
  progress::-webkit-progress-value {
    background: var(--_accent);
  }
  progress::-moz-progress-bar {
    background: var(--_accent);
  }
  /* Narrow (a side panel): the note / transcript view is a drawer. Closed it is one row of tabs after the list;
     open (a selection, a tab) it sticks to the bottom of the visible list, so a tall note never pushes the
     list down. Block layout, not grid, so the sticky drawer's containing block is the whole layout. */
  @container (max-width: 839.98px) {
    .layout {
      --_source-max: min(var(--heidi-source-height, 24rem), 45vh);
    }
    .layout > heidi-source-view {
      margin-top: var(--_space);
    }
    /* Open, the drawer covers the list's bottom: a card scrolled into view (focus, a selection) stops above it
       (its tallest: the text's height, the tabs and the padding). */
    .layout:has(> heidi-source-view[open]) heidi-code-card {
      scroll-margin-bottom: calc(var(--_source-max) + 4.5rem);
    }
    .layout > heidi-source-view[open] {
      position: sticky;
      bottom: 0;
      z-index: 1;
      padding: calc(var(--_space) / 2) var(--_space);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius) var(--_radius) 0 0;
      box-shadow: 0 -4px 12px rgb(0 0 0 / 0.18);
    }
    .layout > heidi-source-view:not([open])::part(body),
    .layout > heidi-source-view:not([open])::part(close) {
      display: none;
    }
  }
  /* From about 900 px: list and view side by side, the view sticking while the list scrolls. */
  @container (min-width: 840px) {
    .layout {
      display: grid;
      gap: var(--_space);
      grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr);
      align-items: start;
    }
    .layout > heidi-source-view {
      position: sticky;
      top: 0;
      --_source-max: min(var(--heidi-source-height, 24rem), calc(100vh - 4rem));
    }
    .layout > heidi-source-view::part(close) {
      display: none;
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
  .commit-msg:is(.failed, .blocked, .cancelled) {
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
