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
