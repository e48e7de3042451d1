/**
 * Accessibility: axe finds nothing in every state the element can be in, the
 * live region tells a screen-reader user what changed, states never rely on
 * colour alone, motion stops when the user asks, and the layout holds in a
 * 320 px side panel and at 200 % zoom.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { HeidiCodeCard } from '../../src/elements/code-card/code-card.ts';
import { button, card, cards, deepText, mount, mountLoaded, newUser, setScenario, shadow, until, settle } from './helpers.ts';

/** Open the similar-codes and evidence sections of every card, as a user clicking each summary would. */
async function expandAll(el: HeidiClinicalCodes): Promise<void> {
  for (const c of cards(el)) {
    for (const summary of shadow(c).querySelectorAll<HTMLElement>('details:not([open]) > summary')) summary.click();
  }
  // <details> fires `toggle` a task later; the card renders its evidence list then.
  await until(() => cards(el).every((c) => (c as HeidiCodeCard).expanded), 'every evidence section open');
  await settle(el);
}

function toolbarButton(el: HeidiClinicalCodes, text: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll<HTMLButtonElement>('.toolbar button')].find((b) => b.textContent?.includes(text));
  if (!found) throw new Error(`no toolbar button "${text}"`);
  return found;
}

function liveRegion(el: HeidiClinicalCodes): HTMLElement {
  const regions = shadow(el).querySelectorAll<HTMLElement>('[role="status"][aria-live="polite"]');
  expect(regions, 'exactly one polite status region').to.have.length(1);
  return regions[0]!;
}

/** Wait until the live region says exactly `message` (it is cleared first, then set, so repeats are re-announced). */
async function announced(el: HeidiClinicalCodes, message: string): Promise<void> {
  await until(
    () => liveRegion(el).textContent?.trim() === message,
    `live region to say "${message}" (says "${liveRegion(el).textContent?.trim()}")`,
  );
}

function sendButton(el: HeidiClinicalCodes): HTMLButtonElement {
  return shadow(el).querySelector<HTMLButtonElement>('button.send')!;
}

async function acceptFirst(el: HeidiClinicalCodes, n: number): Promise<void> {
  for (const c of cards(el).slice(0, n)) button(c, 'Accept ').click();
  await settle(el);
}

// Decisions persist per session in sessionStorage: every test starts clean and leaves nothing behind
// (review.test.ts once saw a restored decision it had not made).
beforeEach(() => sessionStorage.clear());
afterEach(() => sessionStorage.clear());

describe('axe finds no violations', () => {
  describe('while loading and generating', () => {
    it('loading', async () => {
      const user = newUser();
      await setScenario(user, { latencyMs: 800 });
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await el.updateComplete;
      expect(deepText(el)).to.contain('Loading the consultation');
      await expect(el).to.be.accessible();
    });

    it('generating (with Cancel), then cancelled', async () => {
      const user = newUser();
      await setScenario(user, { generationMs: 4000 });
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => deepText(el).includes('Heidi is generating codes'), 'generating');
      await expect(el).to.be.accessible();
      [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
      await el.updateComplete;
      expect(deepText(el)).to.contain('Code generation cancelled');
      await expect(el).to.be.accessible();
    });
  });

  describe('with codes', () => {
    it('loaded (with check warnings)', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
      expect(shadow(card(el, 'H40.10')).querySelector('[part="checks"]')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('empty', async () => {
      const { el } = await mountLoaded({ sessionId: 'generated-0' });
      expect(deepText(el)).to.contain('No codes suggested');
      await expect(el).to.be.accessible();
    });

    it('evidence and similar codes expanded, a code selected and marked in the note', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
      await expandAll(el);
      shadow(cards(el)[0]!).querySelector<HTMLButtonElement>('button.pick')!.click();
      await settle(el);
      const first = cards(el)[0]!;
      expect(shadow(first).querySelectorAll('details[open]')).to.have.length(2);
      expect(shadow(first).querySelectorAll('mark').length).to.be.greaterThan(0);
      expect(shadow(shadow(el).querySelector('heidi-source-view')!).querySelectorAll('mark').length).to.be.greaterThan(0);
      await expect(el).to.be.accessible();
    });

    it('batch-accept panel open', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
      toolbarButton(el, 'Accept filtered').click();
      await el.updateComplete;
      expect(shadow(el).querySelector('section.panel')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('shortcuts sheet open', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
      toolbarButton(el, 'Keyboard shortcuts').click();
      await el.updateComplete;
      expect(deepText(el)).to.contain('Move between codes');
      await expect(el).to.be.accessible();
    });

    it('readonly', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: { readonly: '' } });
      await expandAll(el);
      expect(deepText(el)).to.contain('Read-only view');
      await expect(el).to.be.accessible();
    });
  });

  describe('sending', () => {
    it('sending (host waitUntil pending), then sent', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
      await acceptFirst(el, 2);
      let release!: () => void;
      el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(new Promise<void>((r) => (release = r))), { once: true });
      sendButton(el).click();
      await settle(el);
      expect(deepText(el)).to.contain('Sending to the EHR');
      await expect(el).to.be.accessible();
      release();
      await until(() => deepText(el).includes('Sent 2 codes to the EHR'), 'sent');
      await settle(el);
      await expect(el).to.be.accessible();
    });

    it('failed send', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
      await acceptFirst(el, 1);
      el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(Promise.reject(new Error('EHR is offline'))), { once: true });
      expect(await el.commit()).to.equal(false);
      await settle(el);
      expect(deepText(el)).to.contain('EHR is offline');
      await expect(el).to.be.accessible();
    });
  });

  describe('error', () => {
    it('error (role=alert, Retry)', async () => {
      const user = newUser();
      await setScenario(user, { failures: [{ route: 'clinical-codes', status: 500 }] });
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => !!shadow(el).querySelector('[role="alert"]'), 'error');
      expect(deepText(el)).to.contain('Retry');
      await expect(el).to.be.accessible();
    });
  });

  describe('themes, density, language', () => {
    it('dark theme, evidence and similar expanded, one decision of each kind', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: { theme: 'dark' } });
      await expandAll(el);
      const [a, b] = cards(el) as [HTMLElement, HTMLElement];
      button(a, 'Accept ').click();
      button(b, 'Reject ').click();
      shadow(a).querySelector<HTMLButtonElement>('button.pick')!.click();
      await settle(el);
      await expect(el).to.be.accessible();
    });

    it('dark theme error', async () => {
      const user = newUser();
      await setScenario(user, { failures: [{ route: 'clinical-codes', status: 500 }] });
      const { el } = await mount({ user, sessionId: 'fx-knee-oa', attrs: { theme: 'dark' } });
      await until(() => !!shadow(el).querySelector('[role="alert"]'), 'error');
      await expect(el).to.be.accessible();
    });

    it('compact density', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: { density: 'compact' } });
      await expandAll(el);
      await expect(el).to.be.accessible();
    });

    it('Spanish, expanded, batch panel open', async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: { lang: 'es' } });
      await expandAll(el);
      toolbarButton(el, 'Aceptar filtrados').click();
      await settle(el);
      await expect(el).to.be.accessible();
    });
  });
});

describe('the live region announces what changed', () => {
  it('loading, loaded, a decision, batch accept, sending and sent', async () => {
    const user = newUser();
    await setScenario(user, { latencyMs: 300 });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await announced(el, 'Loading the consultation…');
    await until(() => cards(el).length > 0, 'codes');
    await announced(el, `${cards(el).length} codes suggested.`);
    await setScenario(user, {});

    const first = cards(el)[0]!;
    const code = shadow(first).querySelector('.code')!.textContent!.trim();
    button(first, 'Accept ').click();
    await announced(el, `${code}: Accepted`);
    button(first, 'Reject ').click();
    await announced(el, `${code}: Rejected`);
    button(first, 'Undo ').click();
    await announced(el, `${code}: To review`);

    toolbarButton(el, 'Accept filtered').click();
    await el.updateComplete;
    const confirm = shadow(el).querySelector<HTMLButtonElement>('button.batch-confirm')!;
    const count = Number(/\d+/.exec(confirm.textContent!)![0]);
    expect(count).to.be.greaterThan(0);
    confirm.click();
    await announced(el, `Accepted ${count} ${count === 1 ? 'code' : 'codes'}.`);

    let release!: () => void;
    el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(new Promise<void>((r) => (release = r))), { once: true });
    sendButton(el).click();
    await announced(el, 'Sending to the EHR…');
    release();
    await announced(el, `Sent ${count} ${count === 1 ? 'code' : 'codes'} to the EHR.`);
  });

  it('an error, and the failed or declined send', async () => {
    const user = newUser();
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 500 }] });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    // Said once, by the status block (role="alert"); the live region repeating it would have it read twice.
    await until(() => !!shadow(el).querySelector('[role="alert"]'), 'the error');
    expect(shadow(el).querySelector('[role="alert"]')!.textContent)
      .to.contain('Codes could not be shown')
      .and.contain('Heidi had a problem answering');
    expect(liveRegion(el).textContent, 'the live region is emptied, not left saying "Loading…"').to.equal('');
    [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.includes('Retry'))!.click();
    await until(() => cards(el).length > 0, 'codes after Retry');
    await acceptFirst(el, 1);
    el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(Promise.reject(new Error('EHR is offline'))), { once: true });
    await el.commit();
    await announced(el, 'The EHR did not receive the codes: EHR is offline. Your decisions are kept; try again.');
    el.addEventListener('heidi-codes-commit', (e) => e.preventDefault(), { once: true });
    await el.commit();
    await announced(el, 'The EHR declined the codes. Nothing was marked as sent.');
  });

  it('generation being cancelled', async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 4000 });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await until(() => deepText(el).includes('Heidi is generating codes'), 'generating');
    [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await announced(el, 'Code generation cancelled.');
  });

  // Needs an element change (see report): `onGenerating` in src/heidi-clinical-codes.ts does not announce,
  // so a screen-reader user hears "Loading the consultation…" and then nothing for up to two minutes.
  // Fix: in `startLoad`'s `onGenerating` callback add `this.announce(this.messages.generatingStarted);`.
  it('the start of code generation (needs onGenerating to announce messages.generatingStarted)', async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 4000 });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await until(() => deepText(el).includes('Heidi is generating codes'), 'generating');
    await announced(el, 'Heidi is generating codes…');
  });

  it('in Spanish', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { lang: 'es' } });
    await announced(el, `${cards(el).length} códigos sugeridos.`);
    const first = cards(el)[0]!;
    const code = shadow(first).querySelector('.code')!.textContent!.trim();
    button(first, 'Aceptar ').click();
    await announced(el, `${code}: Aceptado`);
  });
});

describe('states are never told by colour alone', () => {
  it('accepted, rejected and pending each have a symbol, a word, a border style and a pressed button', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const [a, r, p] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    button(a, 'Accept ').click();
    button(r, 'Reject ').click();
    await settle(el);
    const badge = (c: HTMLElement) => shadow(c).querySelector('[part="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(badge(a)).to.equal('✓ Accepted');
    expect(badge(r)).to.equal('✕ Rejected');
    expect(badge(p)).to.equal('○ To review');
    const styles = [a, r, p].map((c) => getComputedStyle(c).borderLeftStyle);
    expect(new Set(styles).size, `border styles ${styles.join(', ')}`).to.equal(3);
    expect(getComputedStyle(shadow(r).querySelector('.name')!).textDecorationLine).to.equal('line-through');
    expect(button(a, 'Accept ').getAttribute('aria-pressed')).to.equal('true');
    expect(button(r, 'Reject ').getAttribute('aria-pressed')).to.equal('true');
    expect(button(p, 'Accept ').getAttribute('aria-pressed')).to.equal('false');
    // The symbols on the buttons come from CSS `content`, so they add to what is seen without changing the name.
    expect(getComputedStyle(button(a, 'Accept '), '::before').content).to.contain('✓');
    expect(getComputedStyle(button(a, 'Reject '), '::before').content).to.contain('✕');
  });

  it('check warnings carry a ⚠ symbol and words; a sent code says "Sent"; the selected code is aria-pressed', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    const warnings = [...shadow(card(el, 'H40.10')).querySelectorAll('[part="checks"] li')];
    expect(warnings.length).to.be.greaterThan(0);
    for (const w of warnings) expect(w.textContent!.trim()).to.match(/^⚠ \S.{10,}/);
    const first = cards(el)[0]!;
    shadow(first).querySelector<HTMLButtonElement>('button.pick')!.click();
    button(first, 'Accept ').click();
    await settle(el);
    expect(shadow(first).querySelector('button.pick')!.getAttribute('aria-pressed')).to.equal('true');
    await el.commit();
    await settle(el);
    expect(deepText(first)).to.contain('✓ Sent');
  });
});

describe('reduced motion', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('the loading spinner stops spinning when the user prefers reduced motion', async () => {
    const user = newUser();
    await setScenario(user, { latencyMs: 1500 });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await el.updateComplete;
    const spinner = shadow(el).querySelector('.spinner')!;
    expect(getComputedStyle(spinner).animationName).to.equal('spin');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
    expect(getComputedStyle(spinner).animationName).to.equal('none');
    expect(getComputedStyle(spinner).transitionDuration).to.match(/^0s/);
  });
});

describe('reflow', () => {
  /** Every element of the element's shadow trees stays inside the host's box (and each card's inside that card). */
  function overflows(el: HeidiClinicalCodes): string[] {
    const problems: string[] = [];
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`host scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    const hostBox = el.getBoundingClientRect();
    const check = (root: ShadowRoot, box: DOMRect, where: string) => {
      for (const node of root.querySelectorAll<HTMLElement>('*')) {
        const rect = node.getBoundingClientRect();
        if (rect.width === 0 || node.classList.contains('visually-hidden')) continue;
        if (rect.right > box.right + 1 || rect.left < box.left - 1) {
          problems.push(
            `${where} ${node.localName}.${[...node.classList].join('.')} spans ${Math.round(rect.left)}–${Math.round(rect.right)}, box ${Math.round(box.left)}–${Math.round(box.right)}`,
          );
        }
        if (node.shadowRoot) check(node.shadowRoot, rect, node.localName);
      }
    };
    check(shadow(el), hostBox, 'host');
    for (const c of cards(el)) {
      if (c.scrollWidth > c.clientWidth + 1) problems.push(`card ${c.dataset.id} scrollWidth ${c.scrollWidth} > ${c.clientWidth}`);
    }
    return problems;
  }

  async function everythingOpen(el: HeidiClinicalCodes): Promise<void> {
    await expandAll(el);
    toolbarButton(el, 'Accept filtered').click();
    toolbarButton(el, 'Keyboard shortcuts').click();
    await settle(el);
  }

  for (const density of ['comfortable', 'compact']) {
    it(`fits a 320 px wide panel with no horizontal scrolling, every card inside it (${density})`, async () => {
      const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: { density } });
      el.parentElement!.style.width = '320px';
      await everythingOpen(el);
      expect(el.getBoundingClientRect().width).to.equal(320);
      expect(overflows(el)).to.deep.equal([]);
    });
  }

  it('fits at 200 % zoom (640 px wide, text twice the size)', async () => {
    const root = document.documentElement;
    root.style.fontSize = '200%';
    try {
      const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
      const wrapper = el.parentElement!;
      wrapper.style.width = '640px';
      wrapper.style.fontSize = '200%';
      await everythingOpen(el);
      // The host sizes its text in rem (`--heidi-font-size`, default 0.9375rem): only the root font size scales it.
      expect(getComputedStyle(el).fontSize).to.equal('30px');
      expect(overflows(el)).to.deep.equal([]);
    } finally {
      root.style.fontSize = '';
    }
  });
});
