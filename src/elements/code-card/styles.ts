/** The card's own look; the shared tokens and controls come from src/styles. */
import { css } from 'lit';

export const cardStyles = css`
      :host {
        display: block;
        min-width: 0;
        border: 1px solid var(--_border);
        border-left: 6px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        /* Less below: the action row's buttons bring their own height. */
        padding: var(--_space) var(--_space) calc(var(--_space) * 0.5);
        line-height: 1.35;
        content-visibility: auto;
        contain-intrinsic-block-size: auto 7rem;
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
        min-height: 24px;
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0.2em 0.5em;
        align-items: baseline;
        flex: 1 1 12em;
        min-width: 0;
        border-radius: 4px;
      }
      /* A code or name with no break in it (a 300-character code) wraps inside the card: it never runs under the status. */
      .code {
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
        min-width: 0;
      }
      .name {
        overflow-wrap: anywhere;
        min-width: 0;
      }
      /* Its own line under the code and name (it sits in the head's flex row, after the status badge). */
      .meta {
        order: 1;
        flex-basis: 100%;
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em 0.8em;
        color: var(--_muted);
        font-size: 0.875em;
      }
      .badge {
        margin-left: auto;
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
      /* Every list in the card is a plain grid (the engines, checks, similar codes and evidence). */
      ul {
        list-style: none;
        margin: 0.3em 0 0;
        padding: 0;
        display: grid;
        gap: 0.3em;
      }
      .checks {
        margin-top: 0.4em;
        gap: 0.2em;
      }
      .checks li,
      .warn {
        color: var(--_warn);
        background: var(--_warn-bg);
        border-radius: 4px;
        padding: 0.15em 0.4em;
        font-size: 0.875em;
      }
      /* Actions and the two disclosures share one row; an open disclosure takes the full width below. */
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4em 0.8em;
        margin-top: calc(var(--_space) * 0.5);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
      }
      .bar > details {
        min-width: 0;
      }
      .bar > details[open] {
        flex-basis: 100%;
        order: 1;
      }
      .quote {
        display: flex;
        margin-top: calc(var(--_space) * 0.4);
        font-size: 0.9375em;
      }
      .said {
        all: unset;
        cursor: pointer;
        min-height: 24px;
        flex: 1 1 16em;
        min-width: 0;
        overflow-wrap: anywhere;
        border-left: 3px solid var(--_mark-edge);
        padding-left: 0.5em;
        border-radius: 2px;
        /* The context around the marked words is muted; the words and the speaker are not. */
        color: var(--_muted);
      }
      .said:hover mark:not(.cue) {
        text-decoration: underline;
      }
      .who {
        color: var(--_text);
        font-weight: 600;
        font-size: 0.875em;
      }
      .who::after {
        content: ':';
      }
      .loc {
        color: var(--_muted);
        font-size: 0.8125em;
        font-style: italic;
      }
      .warn {
        padding-block: 0;
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
      summary {
        cursor: pointer;
        min-height: 24px;
        line-height: 24px;
        color: var(--_accent);
        font-weight: 600;
        font-size: 0.9375em;
      }
      /* A similar code keeps its button, code, name and score together: the row wraps as a unit. */
      .similar li {
        display: grid;
        grid-template-columns: auto auto minmax(0, 1fr) auto;
        gap: 0.5em;
        align-items: baseline;
      }
      .similar.ro li {
        grid-template-columns: auto minmax(0, 1fr) auto;
      }
      .similar .alt {
        overflow-wrap: anywhere;
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
        min-height: 24px;
        font-size: 0.875em;
      }
      .related {
        font-size: 0.875em;
        color: var(--_muted);
        margin: 0.3em 0 0;
      }
      .total + .more::before {
        content: ' · ';
      }
      /* density="compact": the name has the card's width (the status goes on the meta line) and two lines, all of
         it when selected; symbol-sized controls. */
      :host([compact]) .head {
        column-gap: 0.4em;
      }
      :host([compact]) .pick {
        flex-basis: 100%;
        flex-wrap: nowrap;
      }
      :host([compact]) .meta {
        flex-basis: auto;
        column-gap: 0.5em;
      }
      :host([compact]) :is(.badge, .sent) {
        order: 1;
        padding-block: 0;
      }
      :host([compact]:not([selected])) .name {
        display: -webkit-box;
        -webkit-box-orient: vertical;
        -webkit-line-clamp: 2;
        overflow: hidden;
      }
      :host([compact]) button:not(.said, .pick) {
        min-height: 24px;
        min-width: 28px;
        padding: 0.05em 0.4em;
      }
      /* Compact actions show their symbol; the word stays in the tooltip and the accessible name ("Accept M17.11"):
         hidden by the shared visually-hidden rule in styles/controls.ts. */
      :host([compact]) :is(.quote, .bar) {
        margin-top: 2px;
      }
      :host([compact]) :is(.quote, .meta) {
        font-size: 0.8125em;
      }
      :host([compact]) .said {
        display: -webkit-box;
        -webkit-box-orient: vertical;
        -webkit-line-clamp: 3;
        overflow: hidden;
      }
      /* Compact: the disclosure reads "Evidence (4)"; the quote above it is the first of the four. */
      :host([compact]) .more {
        display: none;
      }
      .sent {
        color: var(--_ok);
        font-weight: 600;
      }
    `;
