/**
 * Focus never falls to the page when a status button goes (README: Review flow): pressed with the keyboard,
 * Cancel, Load codes and Retry are each replaced by what they started, and focus goes to what replaced them:
 * Load codes, the status line while loading, the list's tab stop once the codes are shown.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import { mount, newUser, setScenario, settle, shadow, until } from './helpers.ts';

const active = (el: HeidiClinicalCodes): Element | null => shadow(el).activeElement;
const status = (el: HeidiClinicalCodes): HTMLElement | null => shadow(el).querySelector<HTMLElement>('[part="status"]');
const statusButton = (el: HeidiClinicalCodes): HTMLButtonElement | null => status(el)?.querySelector('button') ?? null;

/** Focus the status line's button and press Enter on it. */
async function press(el: HeidiClinicalCodes, name: string): Promise<void> {
  const button = statusButton(el)!;
  expect(button.textContent!.trim()).to.equal(name);
  button.focus();
  await sendKeys({ press: 'Enter' });
}

/** Once the frame after the render is drawn (FocusKeeper moves focus then). */
async function frame(el: HeidiClinicalCodes): Promise<void> {
  await settle(el);
  await new Promise((resolve) => requestAnimationFrame(resolve));
}

afterEach(() => sessionStorage.clear());

describe('focus after a status button', () => {
  it('Cancel while generating -> Load codes; Load codes -> the status line while loading, then the first card', async () => {
    const user = newUser('focus');
    await setScenario(user, { generationMs: 4000 });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await until(() => statusButton(el)?.textContent?.trim() === 'Cancel', 'generating');
    await press(el, 'Cancel');
    await until(() => statusButton(el)?.textContent?.trim() === 'Load codes', 'cancelled');
    await frame(el);
    expect(active(el), 'focus on Load codes').to.equal(statusButton(el));
    expect(document.activeElement).to.equal(el);
    await expect(el).to.be.accessible();

    await setScenario(user, { generationMs: 0 });
    let loaded = false;
    el.addEventListener('heidi-codes-load', () => (loaded = true), { once: true });
    await press(el, 'Load codes');
    await frame(el);
    if (!loaded) {
      expect(active(el), 'focus on the status line while loading').to.equal(status(el));
      await expect(el).to.be.accessible();
    }
    await until(() => loaded, 'codes');
    await frame(el);
    const first = shadow(el).querySelector('heidi-code-card');
    expect(active(el), 'focus on the first card once the codes are shown').to.equal(first);
    expect(first!.getAttribute('tabindex')).to.equal('0');
    await expect(el).to.be.accessible();
  });

  it('Retry after a 500 -> the status line while loading, then the first card', async () => {
    const user = newUser('focus');
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 500 }] });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await until(() => !!shadow(el).querySelector('[role="alert"] button'), 'the error with Retry');
    let loaded = false;
    el.addEventListener('heidi-codes-load', () => (loaded = true), { once: true });
    await press(el, 'Retry');
    await frame(el);
    if (!loaded) expect(active(el), 'focus on the status line while loading').to.equal(status(el));
    await until(() => loaded, 'codes');
    await frame(el);
    expect(active(el)).to.equal(shadow(el).querySelector('heidi-code-card[tabindex="0"]'));
    await expect(el).to.be.accessible();
  });

  it('Retry that fails again -> the new Retry; focus taken elsewhere on the page is left there', async () => {
    const user = newUser('focus');
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 500, count: 2 }] });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await until(() => !!shadow(el).querySelector('[role="alert"] button'), 'the error with Retry');
    await press(el, 'Retry');
    await until(() => !!shadow(el).querySelector('[role="alert"] button') && !!active(el), 'the error again, focused');
    await frame(el);
    expect(active(el)).to.equal(shadow(el).querySelector('[role="alert"] button'));
    await expect(el).to.be.accessible();

    const outside = document.createElement('input');
    document.body.append(outside);
    try {
      let loaded = false;
      el.addEventListener('heidi-codes-load', () => (loaded = true), { once: true });
      await press(el, 'Retry');
      outside.focus();
      await until(() => loaded, 'codes');
      await frame(el);
      expect(document.activeElement, 'the reviewer went elsewhere: focus is not taken back').to.equal(outside);
    } finally {
      outside.remove();
    }
  });
});
