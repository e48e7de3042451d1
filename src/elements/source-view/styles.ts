/** The note / transcript view's own look. */
import { css } from 'lit';

export const sourceViewStyles = css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      .bar {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.4em;
      }
      .tabs {
        display: flex;
        gap: 0.4em;
      }
      .body {
        margin-top: 0.4em;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        overflow: auto;
        max-height: var(--_source-max, var(--heidi-source-height, 24rem));
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        background: var(--_surface-2);
      }
      /* A long transcript is drawn in chunks; only those near the view are laid out (issue 16). */
      .chunk {
        content-visibility: auto;
        contain-intrinsic-block-size: auto 30em;
      }
      mark.focus {
        outline: 2px solid var(--_accent);
      }
      mark.focus:focus {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
      .empty {
        color: var(--_muted);
      }
    `;
