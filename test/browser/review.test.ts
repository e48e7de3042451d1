import { expect, nextFrame } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodeReviewDetail, CodesCommitDetail } from '../../src/events.ts';
import { storageKey } from '../../src/core/review.ts';
import { en } from '../../src/i18n/en.ts';
import { button, card, cards, deepText, mountLoaded, newUser, oneEvent, shadow, settle } from './helpers.ts';

function code(c: HTMLElement): string {
  return shadow(c).querySelector('.code')!.textContent!.trim();
}

function collect<T>(target: EventTarget, type: string): T[] {
  const seen: T[] = [];
  target.addEventListener(type, (e) => seen.push((e as CustomEvent<T>).detail));
  return seen;
}

function sendButton(el: HeidiClinicalCodes): HTMLButtonElement {
  return shadow(el).querySelector<HTMLButtonElement>('button.send')!;
}

function press(target: Element, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
}

afterEach(() => sessionStorage.clear());

describe('decisions', () => {
  it('accept, reject, undo and swap each fire heidi-code-review with the right detail', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const reviews = collect<CodeReviewDetail>(el, 'heidi-code-review');
    const first = cards(el)[0]!;
    const primary = code(first);
    button(first, `Accept ${primary}`).click();
    await settle(el);
    expect(first.getAttribute('status')).to.equal('ACCEPTED');
    expect(deepText(first)).to.contain('Accepted');
    button(first, `Reject ${primary}`).click();
    await settle(el);
    expect(deepText(first)).to.contain('Rejected');
    button(first, `Undo decision on ${primary}`).click();
    await settle(el);
    expect(deepText(first)).to.contain('To review');
    shadow(first).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await nextFrame();
    const use = [...shadow(first).querySelectorAll<HTMLButtonElement>('details[part="similar"] button')][0]!;
    use.click();
    await settle(el);
    const swappedTo = code(first);
    expect(swappedTo).not.to.equal(primary);
    expect(deepText(first)).to.contain(`Swapped from ${primary}`);
    expect(reviews.map((r) => [r.status, r.code.code, r.previousCode?.code])).to.deep.equal([
      ['ACCEPTED', primary, undefined],
      ['REJECTED', primary, undefined],
      ['PENDING', primary, undefined],
      ['ACCEPTED', swappedTo, primary],
    ]);
    expect(reviews.every((r) => r.sessionId === 'fx-knee-oa' && r.entityId === reviews[0]!.entityId)).to.equal(true);
    expect(reviews[0]!.code.system).to.match(/^http/);
    await expect(el).to.be.accessible();
  });

  it('states differ by more than colour: text, symbol and border style', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const [a, b] = cards(el) as [HTMLElement, HTMLElement];
    button(a, 'Accept ').click();
    button(b, 'Reject ').click();
    await settle(el);
    expect(shadow(a).querySelector('[part="status"]')!.textContent).to.match(/✓\s*Accepted/);
    expect(shadow(b).querySelector('[part="status"]')!.textContent).to.match(/✕\s*Rejected/);
    expect(getComputedStyle(a).borderLeftStyle).to.equal('double');
    expect(getComputedStyle(b).borderLeftStyle).to.equal('dotted');
    expect(button(a, 'Accept ').getAttribute('aria-pressed')).to.equal('true');
  });

  it('shows parent, children and sibling codes from metadata', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    const c = card(el, 'H40.10');
    shadow(c).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await nextFrame();
    expect(deepText(c)).to.contain('More specific').and.contain('H40.10X0');
  });

  it('re-renders only the card that changed', async () => {
    const { el } = await mountLoaded({ sessionId: 'generated-60' });
    // Count card renders by wrapping the card's render, as the benchmark does with the built bundle.
    const proto = customElements.get('heidi-code-card')!.prototype as { render: () => unknown };
    const render = proto.render;
    let renders = 0;
    proto.render = function (this: unknown) {
      renders += 1;
      return render.call(this);
    };
    try {
      button(cards(el)[5]!, 'Accept ').click();
      await settle(el);
    } finally {
      proto.render = render;
    }
    expect(renders).to.equal(1);
  });
});

describe('filtered batch accept', () => {
  it('shows a count for the default filter, can be changed, and accepts only what passes', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    const reviews = collect<CodeReviewDetail>(el, 'heidi-code-review');
    [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.includes('Accept filtered'))!.click();
    await el.updateComplete;
    const panel = shadow(el).querySelector('section.panel')!;
    // Default: HIGH relevance, score ≥ 70 %, direct evidence, no warnings. In this consultation only 92016-00 passes.
    expect(panel.textContent).to.contain('1 pending code passes');
    const score = panel.querySelector<HTMLInputElement>('input[type="number"]')!;
    const [evidence, warnings] = [...panel.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')] as [
      HTMLInputElement,
      HTMLInputElement,
    ];
    warnings.click();
    await el.updateComplete;
    expect(panel.textContent).to.contain('2 pending codes pass', 'H40.10 has warnings');
    score.value = '95';
    score.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(panel.textContent).to.contain('0 pending codes pass');
    expect(panel.querySelector<HTMLButtonElement>('button.batch-confirm')!.disabled).to.equal(true);
    score.value = '70';
    score.dispatchEvent(new Event('input'));
    warnings.click();
    await el.updateComplete;
    expect(evidence.checked).to.equal(true);
    await expect(el).to.be.accessible();
    panel.querySelector<HTMLButtonElement>('button.batch-confirm')!.click();
    await settle(el);
    expect(reviews.map((r) => [r.status, r.code.code])).to.deep.equal([['ACCEPTED', '92016-00']]);
    expect(card(el, '92016-00').getAttribute('status')).to.equal('ACCEPTED');
    expect(card(el, 'H40.10').getAttribute('status')).to.equal('PENDING');
  });
});

describe('filter, sort, group', () => {
  it('code-systems limits what is shown; the toolbar narrows by system and status; groups tell diagnoses from procedures', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { 'code-systems': 'ICD-10-CM' } });
    expect(cards(el).every((c) => deepText(c).includes('ICD-10-CM'))).to.equal(true);
    el.codeSystems = '';
    await settle(el);
    const headings = [...shadow(el).querySelectorAll('h3')].map((h) => h.textContent);
    expect(headings.some((h) => h?.startsWith('Diagnoses'))).to.equal(true);
    expect(headings.some((h) => h?.startsWith('Procedures'))).to.equal(true);
    button(cards(el)[0]!, 'Accept ').click();
    await settle(el);
    const status = [...shadow(el).querySelectorAll('select')].find((s) => s.closest('label')?.textContent?.includes('Status'))!;
    status.value = 'ACCEPTED';
    status.dispatchEvent(new Event('change'));
    await settle(el);
    expect(cards(el)).to.have.length(1);
    status.value = 'ALL';
    status.dispatchEvent(new Event('change'));
    const sort = [...shadow(el).querySelectorAll('select')].find((s) => s.closest('label')?.textContent?.includes('Sort'))!;
    sort.value = 'score';
    sort.dispatchEvent(new Event('change'));
    await settle(el);
    const scores = cards(el).map((c) => Number(/Score (\d+)%/.exec(deepText(c))?.[1]));
    for (const group of [scores]) expect(group.length).to.be.greaterThan(0);
  });

  it('code-systems hiding every suggested code says so, not "no codes suggested"', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const suggested = cards(el).length;
    el.codeSystems = 'OPCS-4';
    await settle(el);
    expect(cards(el)).to.have.length(0);
    expect(deepText(el)).to.contain(en.emptyHidden(suggested)).and.not.contain(en.empty);
    // A load that shows none says the same.
    const loaded = oneEvent(el, 'heidi-codes-load');
    void el.refresh();
    await loaded;
    await settle(el);
    expect(shadow(el).querySelector('#live')!.textContent).to.contain(en.emptyHidden(suggested));
    await expect(el).to.be.accessible();
  });
});

describe('focus never falls to the page', () => {
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  afterEach(() => localStorage.removeItem('heidi-clinical-codes:advance'));

  it('Undo removes the button that had focus: focus goes to its card', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const first = cards(el)[0]!;
    button(first, 'Accept ').click();
    await settle(el);
    const undo = button(
      cards(el).find((c) => c.dataset.id === first.dataset.id)!,
      'Undo ',
    );
    undo.focus();
    undo.click();
    await settle(el);
    await painted();
    expect(shadow(el).activeElement?.getAttribute('data-id'), `focus on ${document.activeElement?.localName}`).to.equal(first.dataset.id);
  });

  it('a decision under the "To review" filter, with no advance, hides the card: focus goes to the card now in its place', async () => {
    localStorage.setItem('heidi-clinical-codes:advance', 'false');
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const status = [...shadow(el).querySelectorAll('select')].find((s) => s.closest('label')?.textContent?.includes('Status'))!;
    status.value = 'PENDING';
    status.dispatchEvent(new Event('change'));
    await settle(el);
    const [first, second] = cards(el) as [HTMLElement, HTMLElement];
    const accept = button(first, 'Accept ');
    accept.focus();
    accept.click();
    await settle(el);
    await painted();
    expect(
      cards(el).some((c) => c.dataset.id === first.dataset.id),
      'the accepted card is filtered out',
    ).to.equal(false);
    expect(shadow(el).activeElement?.getAttribute('data-id')).to.equal(second.dataset.id);
  });
});

describe('keyboard-first review', () => {
  it('arrows and j/k move, a/r/u decide, digits swap, Enter opens evidence, ? shows the sheet', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const reviews = collect<CodeReviewDetail>(el, 'heidi-code-review');
    const list = () => cards(el);
    list()[0]!.focus();
    press(list()[0]!, 'j');
    await settle(el);
    expect(shadow(el).activeElement).to.equal(list()[1]);
    expect(list()[1]!.tabIndex).to.equal(0);
    expect(list()[0]!.tabIndex).to.equal(-1);
    press(list()[1]!, 'ArrowDown');
    await settle(el);
    press(list()[2]!, 'k');
    await settle(el);
    press(list()[1]!, 'ArrowUp');
    await settle(el);
    const first = list()[0]!;
    expect(shadow(el).activeElement).to.equal(first);
    press(first, 'a');
    await settle(el);
    press(first, 'r');
    await settle(el);
    press(first, 'u');
    await settle(el);
    press(first, '1');
    await settle(el);
    expect(reviews.map((r) => r.status)).to.deep.equal(['ACCEPTED', 'REJECTED', 'PENDING', 'ACCEPTED']);
    expect(reviews[3]!.previousCode).to.exist;
    const selected = oneEvent(el, 'heidi-code-select');
    press(first, 'Enter');
    await selected;
    await settle(el);
    expect(shadow(first).querySelector('details[part="evidence"]')!.hasAttribute('open')).to.equal(true);
    press(first, '?');
    await settle(el);
    expect(deepText(el)).to.contain('Keyboard shortcuts').and.contain('Use the n-th similar code');
    expect(button(first, 'Accept ').title).to.contain('(a)');
  });

  it('a key acts on the card it was pressed on, even if another card was focused before', async () => {
    // Focus stays on the decided card with the advance-after-a-decision setting off (issue 12; on by default).
    localStorage.setItem('heidi-clinical-codes:advance', 'false');
    try {
      const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
      const reviews = collect<CodeReviewDetail>(el, 'heidi-code-review');
      const [first, third] = [cards(el)[0]!, cards(el)[2]!];
      first.focus();
      press(third, 'a');
      await settle(el);
      expect(reviews.map((r) => r.entityId)).to.deep.equal([third.dataset.id]);
      expect(third.tabIndex).to.equal(0, 'it becomes the tab stop');
    } finally {
      localStorage.removeItem('heidi-clinical-codes:advance');
    }
  });

  it('shortcuts never fire while typing in an input', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    const reviews = collect<CodeReviewDetail>(el, 'heidi-code-review');
    [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.includes('Accept filtered'))!.click();
    await el.updateComplete;
    const input = shadow(el).querySelector<HTMLInputElement>('section.panel input[type="number"]')!;
    input.focus();
    press(input, 'a');
    press(input, 'r');
    await settle(el);
    expect(reviews).to.have.length(0);
  });
});

describe('send to EHR', () => {
  async function acceptTwo(el: HeidiClinicalCodes): Promise<string[]> {
    const picked = cards(el).slice(0, 2);
    for (const c of picked) button(c, 'Accept ').click();
    await settle(el);
    return picked.map(code);
  }

  it('fires the cancelable heidi-codes-commit with every accepted code, waits for the host, then shows sent', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const accepted = await acceptTwo(el);
    let release!: () => void;
    let event!: CustomEvent<CodesCommitDetail>;
    // Like a service worker's waitUntil, the host calls it while handling the event.
    el.addEventListener(
      'heidi-codes-commit',
      (e) => {
        event = e;
        e.detail.waitUntil(new Promise<void>((r) => (release = r)));
      },
      { once: true },
    );
    sendButton(el).click();
    expect(event.cancelable).to.equal(true);
    const detail: CodesCommitDetail = event.detail;
    expect(detail.sessionId).to.equal('fx-knee-oa');
    expect(detail.codes.map((c) => c.code)).to.deep.equal(accepted);
    const first = detail.codes[0]!;
    expect(first).to.have.keys(['system', 'code', 'display', 'codeSystem', 'entityId', 'evidence', 'warnings', 'engines']);
    expect(first.engines).to.deep.equal(['heidi']);
    expect(first.system).to.equal('http://hl7.org/fhir/sid/icd-10-cm');
    expect(first.evidence.transcript[0]).to.have.keys(['start', 'end', 'text']);
    await settle(el);
    expect(deepText(el)).to.contain('Sending to the EHR');
    // A second click while sending does nothing.
    let second = 0;
    el.addEventListener('heidi-codes-commit', () => (second += 1));
    sendButton(el).click();
    expect(await el.commit()).to.equal(false);
    expect(second).to.equal(0);
    release();
    await new Promise((r) => setTimeout(r));
    await settle(el);
    expect(deepText(el)).to.contain('Sent 2 codes to the EHR');
    expect(cards(el).filter((c) => deepText(c).includes('✓ Sent'))).to.have.length(2);
    await expect(el).to.be.accessible();
  });

  it("on the host's failure shows it and keeps every decision", async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const accepted = await acceptTwo(el);
    el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(Promise.reject(new Error('EHR is offline'))), { once: true });
    expect(await el.commit()).to.equal(false);
    await settle(el);
    expect(deepText(el)).to.contain('EHR is offline').and.contain('decisions are kept');
    expect(accepted.every((c) => card(el, c).getAttribute('status') === 'ACCEPTED')).to.equal(true);
    expect(deepText(el)).not.to.contain('✓ Sent');
    // Sent once the host's commit succeeds.
    expect(await el.commit()).to.equal(true);
  });

  it('if the host cancels, nothing is marked sent', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await acceptTwo(el);
    el.addEventListener('heidi-codes-commit', (e) => e.preventDefault(), { once: true });
    expect(await el.commit()).to.equal(false);
    await settle(el);
    expect(deepText(el)).to.contain('declined').and.not.contain('✓ Sent');
  });

  it("is blocked for another patient's session, with a clear message", async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { 'ehr-patient-id': 'EHR-PT-9999' } });
    await acceptTwo(el);
    let fired = 0;
    el.addEventListener('heidi-codes-commit', () => (fired += 1));
    expect(sendButton(el).disabled).to.equal(true);
    expect(deepText(el)).to.contain('belongs to another patient');
    expect(await el.commit()).to.equal(false);
    expect(fired).to.equal(0);
    el.ehrPatientId = 'EHR-PT-1001';
    await settle(el);
    expect(sendButton(el).disabled).to.equal(false);
  });
});

describe('nothing lost', () => {
  it('restores decisions and swaps when the element is re-created, matched by entity even in another order', async () => {
    const user = newUser();
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa' });
    const [a, b] = cards(el) as [HTMLElement, HTMLElement];
    const rejected = code(b);
    button(b, 'Reject ').click();
    shadow(a).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await nextFrame();
    shadow(a).querySelector<HTMLButtonElement>('details[part="similar"] button')!.click();
    await settle(el);
    const swapped = code(a);
    const stored = sessionStorage.getItem(storageKey('fx-knee-oa'))!;
    expect(stored).to.not.match(/knee|osteoarthritis|patient|token|ey[A-Za-z0-9]{10}/i);
    el.remove();
    const { el: again } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: { 'code-systems': '' } });
    // Reverse the display order: restore follows entities, not positions.
    const sort = [...shadow(again).querySelectorAll('select')].find((s) => s.closest('label')?.textContent?.includes('Sort'))!;
    sort.value = 'score';
    sort.dispatchEvent(new Event('change'));
    await settle(again);
    expect(card(again, rejected).getAttribute('status')).to.equal('REJECTED');
    expect(card(again, swapped).getAttribute('status')).to.equal('ACCEPTED');
  });
});

describe('read-only', () => {
  it('hides every review control and keeps codes, evidence and checks', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: { readonly: '' } });
    const text = deepText(el);
    expect(text).to.contain('H40.10').and.contain('Not a valid code');
    for (const c of cards(el)) expect(shadow(c).querySelector('.actions')).to.equal(null);
    expect(shadow(el).querySelector('button.send')).to.equal(null);
    expect([...shadow(el).querySelectorAll('button')].some((b) => b.textContent?.includes('Accept filtered'))).to.equal(false);
    const c = card(el, 'H40.10');
    shadow(c).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await nextFrame();
    expect(shadow(c).querySelectorAll('details[part="similar"] button')).to.have.length(0);
    press(c, 'a');
    await settle(el);
    expect(c.getAttribute('status')).to.equal('PENDING');
    await expect(el).to.be.accessible();
    // The shortcut sheet lists what the keys still do here: moving and reading, not deciding.
    press(c, '?');
    await settle(el);
    const listed = [...shadow(el).querySelectorAll('section.panel dd')].map((dd) => dd.textContent);
    expect(listed).to.include.members([en.shortcutList.move, en.shortcutList.open, en.shortcutList.close]);
    for (const what of ['accept', 'reject', 'undo', 'swap'] as const) expect(listed, what).to.not.include(en.shortcutList[what]);
    await expect(el).to.be.accessible();
  });
});
