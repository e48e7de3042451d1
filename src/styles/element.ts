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
    gap: calc(var(--_space) / 2);
    margin-bottom: var(--_space);
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
