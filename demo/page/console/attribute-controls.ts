/** Console: the element's attributes (lang, theme, density, readonly, code-systems) and its coding engines. */
import { refresh } from '../app.ts';
import { OMNISCRIBE_MODELS, isEngineName, settings, usesHeidi, type OmniscribeModel, type Settings } from '../state.ts';
import { ui } from '../ui.ts';

function engineBoxes(): HTMLInputElement[] {
  return [...ui.enginePicker.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="engine"]')];
}

/** Whether the element on this page knows a property yet (the engines are landing while this demo is written). */
function elementSupports(property: string): boolean {
  const ctor = customElements.get('heidi-clinical-codes') as { elementProperties?: ReadonlyMap<PropertyKey, unknown> } | undefined;
  return ctor?.elementProperties?.has(property) ?? false;
}

function isOmniscribeModel(value: string): value is OmniscribeModel {
  return (OMNISCRIBE_MODELS as readonly string[]).includes(value);
}

function describeEngines(): string {
  const engines = settings.engines.join(', ');
  const peers = settings.engines.filter((name) => name !== 'heidi');
  const what = usesHeidi()
    ? peers.length
      ? `${engines}: the peers code the Heidi session's note.`
      : 'Heidi codes the session (the default).'
    : `${engines} code the chart's own note (the element's note property); no Heidi token or session is needed.`;
  const peersAsked = settings.engines.some((name) => name !== 'heidi');
  const support =
    peersAsked && !elementSupports('engines')
      ? ' This build of the element has no engines property yet: it keeps showing Heidi codes.'
      : '';
  return what + support;
}

function onEngineChange(changed: HTMLInputElement): void {
  const boxes = engineBoxes();
  const chosen = boxes
    .filter((box) => box.checked)
    .map((box) => box.value)
    .filter(isEngineName);
  if (!chosen.length) {
    // The element needs at least one engine: keep the one just unchecked.
    changed.checked = true;
    ui.enginesHint.textContent = 'At least one engine codes the consultation.';
    return;
  }
  settings.engines = chosen;
  ui.omniscribeModel.disabled = !chosen.includes('omniscribe');
  refresh();
  ui.enginesHint.textContent = describeEngines();
}

function onAttributeControl(): void {
  settings.lang = ui.lang.value;
  settings.theme = ui.theme.value as Settings['theme'];
  settings.density = ui.density.value as Settings['density'];
  settings.readonly = ui.readonly.checked;
  settings.codeSystems = ui.codeSystems.value.trim();
  if (isOmniscribeModel(ui.omniscribeModel.value)) settings.omniscribeModel = ui.omniscribeModel.value;
  refresh();
}

export function wireAttributeControls(): void {
  for (const control of [ui.lang, ui.theme, ui.density, ui.readonly, ui.codeSystems, ui.omniscribeModel]) {
    control.addEventListener('change', onAttributeControl);
  }
  for (const chip of document.querySelectorAll<HTMLButtonElement>('[data-systems]')) {
    chip.addEventListener('click', () => {
      ui.codeSystems.value = chip.dataset.systems ?? '';
      onAttributeControl();
    });
  }
  for (const box of engineBoxes()) {
    box.checked = isEngineName(box.value) && settings.engines.includes(box.value);
    box.addEventListener('change', () => onEngineChange(box));
  }
  ui.omniscribeModel.value = settings.omniscribeModel;
  ui.omniscribeModel.disabled = !settings.engines.includes('omniscribe');
  ui.enginesHint.textContent = describeEngines();
}
