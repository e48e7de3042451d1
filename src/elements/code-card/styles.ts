/** The card's own look; the shared tokens and controls come from src/styles. */
import { css } from 'lit';

export const cardStyles = css`
      :host {
        display: block;
        border: 1px solid var(--_border);
        border-left: 6px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        padding: var(--_space);
      }
      :host(:focus-visible) {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
      :host([selected]) {
        box-shadow: 0 0 0 2px var(--_accent);
      }
      :host([status='ACCEPTED']) {
        border-left: 6px double var(--_ok);
      }
      :host([status='REJECTED']) {
        border-left: 6px dotted var(--_bad);
      }
      :host([status='REJECTED']) .name {
        text-decoration: line-through;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25em 0.6em;
      }
      .pick {
        all: unset;
        cursor: pointer;
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0.2em 0.5em;
        align-items: baseline;
        flex: 1 1 12em;
        min-width: 0;
        border-radius: 4px;
      }
      .pick:focus-visible {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
      .code {
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .name {
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em 0.8em;
        color: var(--_muted);
        font-size: 0.875em;
        margin-top: 0.25em;
      }
      .badge {
        font-size: 0.8125em;
        font-weight: 600;
        padding: 0.1em 0.5em;
        border-radius: 999px;
        border: 1px solid currentColor;
        white-space: nowrap;
      }
      .badge.ACCEPTED {
        color: var(--_ok);
        background: var(--_ok-bg);
      }
      .badge.REJECTED {
        color: var(--_bad);
        background: var(--_bad-bg);
      }
      .badge.PENDING {
        color: var(--_muted);
      }
      .checks {
        list-style: none;
        margin: 0.4em 0 0;
        padding: 0;
        display: grid;
        gap: 0.2em;
      }
      .checks li {
        color: var(--_warn);
        background: var(--_warn-bg);
        border-radius: 4px;
        padding: 0.15em 0.4em;
        font-size: 0.875em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        margin-top: 0.5em;
      }
      /* Symbols as CSS content: the accessible name stays "Accept M17.11", the visible label "Accept". */
      button.accept::before {
        content: '✓ ';
      }
      button.reject::before {
        content: '✕ ';
      }
      button.undo::before {
        content: '↶ ';
      }
      button.accept[aria-pressed='true'] {
        background: var(--_ok-bg);
        color: var(--_ok);
        border-color: var(--_ok);
      }
      button.reject[aria-pressed='true'] {
        background: var(--_bad-bg);
        color: var(--_bad);
        border-color: var(--_bad);
      }
      details {
        margin-top: 0.5em;
      }
      summary {
        cursor: pointer;
        color: var(--_accent);
        font-weight: 600;
        font-size: 0.9375em;
      }
      ul.plain {
        list-style: none;
        margin: 0.3em 0 0;
        padding: 0;
        display: grid;
        gap: 0.3em;
      }
      .similar li {
        display: flex;
        gap: 0.5em;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .evidence li {
        border-left: 3px solid var(--_border);
        padding-left: 0.5em;
      }
      .snippet {
        overflow-wrap: anywhere;
      }
      .ctx,
      .where {
        color: var(--_muted);
      }
      .where {
        font-size: 0.8125em;
        display: block;
      }
      .link {
        border: none;
        background: none;
        color: var(--_accent);
        text-decoration: underline;
        padding: 0;
        min-height: 0;
        font-size: 0.875em;
      }
      .related {
        font-size: 0.875em;
        color: var(--_muted);
        margin: 0.3em 0 0;
      }
      .sent {
        color: var(--_ok);
        font-weight: 600;
      }
    `;
