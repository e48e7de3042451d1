/** The theming showcase: the same consultation in two read-only, compact instances, default light and host-themed dark. */
import { createCodesElement, type CodesElement } from './codes-element.ts';
import { setAttr } from './dom.ts';
import { asParam, chart, config, settings, tokenUrlFor } from './state.ts';
import { ui } from './ui.ts';

const HOST_DARK_THEME = new Map([
  ['--heidi-accent', '#2dd4bf'],
  ['--heidi-on-accent', '#042f2e'],
  ['--heidi-surface', '#0f172a'],
  ['--heidi-surface-raised', '#1e293b'],
  ['--heidi-text', '#e2e8f0'],
  ['--heidi-text-muted', '#94a3b8'],
  ['--heidi-border', '#334155'],
  ['--heidi-radius', '14px'],
  ['--heidi-font', "ui-rounded, 'SF Pro Rounded', 'Segoe UI', system-ui, sans-serif"],
  ['--heidi-focus', '#5eead4'],
]);

let themeLight: CodesElement | undefined;
let themeDark: CodesElement | undefined;

function configureThemed(target: CodesElement, theme: 'light' | 'dark'): void {
  setAttr(target, 'token-url', tokenUrlFor(asParam));
  setAttr(target, 'api-base', config.apiBase);
  setAttr(target, 'session-id', chart.sessionId);
  setAttr(target, 'code-systems', settings.codeSystems);
  setAttr(target, 'lang', settings.lang);
  setAttr(target, 'readonly', true);
  setAttr(target, 'density', 'compact');
  setAttr(target, 'theme', theme);
}

/** Only instantiate the two samples once the section is opened, and only for a known session. */
export function syncTheming(): void {
  if (!ui.theming.open || !chart.sessionId) return;
  if (!themeLight) {
    themeLight = createCodesElement();
    themeLight.dataset.label = 'theming · light';
    ui.themeSlotLight.replaceChildren(themeLight);
  }
  if (!themeDark) {
    themeDark = createCodesElement();
    themeDark.dataset.label = 'theming · dark';
    for (const [name, value] of HOST_DARK_THEME) themeDark.style.setProperty(name, value);
    ui.themeSlotDark.append(themeDark);
  }
  configureThemed(themeLight, 'light');
  configureThemed(themeDark, 'dark');
}

export function wireTheming(): void {
  ui.themeCss.textContent = `heidi-clinical-codes[theme="dark"] {\n${[...HOST_DARK_THEME].map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}`;
  ui.theming.addEventListener('toggle', () => {
    if (ui.theming.open && !chart.sessionId) ui.themeSlotLight.textContent = 'Waiting for the main element to open a session…';
    syncTheming();
  });
}
