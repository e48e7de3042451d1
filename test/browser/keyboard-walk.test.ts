/**
 * The whole review by keyboard alone, with real key presses (the browser's own
 * Tab navigation and focus-visible heuristics, not synthetic events): into the
 * element, through the list, decisions, batch accept, and Send.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { HeidiCodeCard } from '../../src/elements/code-card/code-card.ts';
import type { CodeReviewDetail } from '../../src/events.ts';
import { SHORTCUTS } from '../../src/controllers/roving-focus.ts';
import { cards, deepText, newUser, shadow, tokenUrl, until } from './helpers.ts';

type Region = 'before' | 'header' | 'panel' | 'list' | 'source' | 'footer' | 'after' | 'elsewhere';

interface Page {
  el: HeidiClinicalCodes;
  before: HTMLButtonElement;
  after: HTMLButtonElement;
}

// Decisions persist per session in sessionStorage: every test starts clean and leaves nothing behind
// (review.test.ts once saw a restored decision it had not made).
// These walks check that focus stays on the decided card: the advance-after-a-decision setting (issue 12,
// on by default) is turned off here; test/browser/evidence-glance.test.ts walks it on.
beforeEach(() => {
  sessionStorage.clear();
  localStorage.setItem('heidi-clinical-codes:advance', 'false');
});
afterEach(() => {
  sessionStorage.clear();
  localStorage.removeItem('heidi-clinical-codes:advance');
});

/** The element between two host-page buttons, loaded. */
async function page(sessionId = 'fx-knee-oa', attrs: Record<string, string> = {}): Promise<Page> {
  const user = newUser('kbd');
  const loaded = new Promise((resolve) => document.addEventListener('heidi-codes-load', resolve, { once: true }));
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <button id="before">Host page control before</button>
    <heidi-clinical-codes api-base="/mock-heidi" token-url=${tokenUrl(user)} session-id=${sessionId}></heidi-clinical-codes>
    <button id="after">Host page control after</button>
  </div>`);
  const el = wrapper.querySelector<HeidiClinicalCodes>('heidi-clinical-codes')!;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  await loaded;
  await settle(el);
  return { el, before: wrapper.querySelector('#before')!, after: wrapper.querySelector('#after')! };
}

type Updatable = HTMLElement & { updateComplete: Promise<unknown> };

async function settle(el: HeidiClinicalCodes): Promise<void> {
  await el.updateComplete;
  await Promise.all(cards(el).map((c) => (c as Updatable).updateComplete));
  await (shadow(el).querySelector('heidi-source-view') as Updatable | null)?.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
}

/** The focused element, through every open shadow root. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function hostOf(node: Element): Element | undefined {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : undefined;
}

/** Which part of the widget (or host page) an element belongs to. */
function regionOf(node: Element | null, p: Page): Region {
  if (!node) return 'elsewhere';
  if (node === p.before) return 'before';
  if (node === p.after) return 'after';
  let at: Element | undefined = node;
  while (at && at !== p.el) {
    if (at.localName === 'heidi-code-card') return 'list';
    if (at.localName === 'heidi-source-view') return 'source';
    if (at.closest('[part~="footer"]')) return 'footer';
    if (at.closest('[part~="header"]')) return 'header';
    if (at.closest('section.panel')) return 'panel';
    at = at.parentElement ?? hostOf(at);
  }
  return 'elsewhere';
}

function label(node: Element | null): string {
  if (!node) return '(nothing)';
  const name = node.getAttribute('aria-label') ?? node.closest('label')?.textContent ?? node.textContent ?? '';
  return `${node.localName}${node.className ? `.${String(node.className).split(' ').join('.')}` : ''} "${name.replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
}

/** The focused element shows where it is: it matches :focus-visible and draws a real outline. */
function expectVisibleFocus(what: string): Element {
  const node = focused();
  expect(node, `${what}: something has focus`).to.exist;
  expect(node!.matches(':focus-visible'), `${what}: ${label(node)} matches :focus-visible`).to.equal(true);
  const style = getComputedStyle(node!);
  expect(style.outlineStyle, `${what}: ${label(node)} outline`).not.to.equal('none');
  expect(parseFloat(style.outlineWidth), `${what}: ${label(node)} outline width`).to.be.at.least(2);
  return node!;
}

/** One key press; `Shift+Tab` as down/press/up (Puppeteer's `press` takes single keys only). */
/** Identity check without handing DOM nodes to chai (its diff of two elements is slow). */
function expectFocusOn(node: Element | null | undefined, what: string): void {
  expect(focused() === node, `focus on ${what}, not on ${label(focused())}`).to.equal(true);
}

async function press(key: string): Promise<void> {
  if (key === 'Shift+Tab') {
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
  } else {
    await sendKeys({ press: key });
  }
}

/** Press Tab (or Shift+Tab) until `predicate` holds for the focused element; fails after `max` presses. */
async function tabUntil(predicate: (node: Element | null) => boolean, what: string, { back = false, max = 30 } = {}): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await press(back ? 'Shift+Tab' : 'Tab');
    expectVisibleFocus(`tabbing to ${what}, stop ${i}`);
    if (predicate(focused())) return i;
  }
  throw new Error(`${what} not reached in ${max} presses; focus on ${label(focused())}`);
}

function cardCode(c: Element): string {
  return shadow(c).querySelector('.code')!.textContent!.trim();
}

/** Every Tab stop from the control before the element to the one after it. */
async function tabStops(p: Page): Promise<Element[]> {
  p.before.focus();
  const stops: Element[] = [];
  for (let i = 0; i < 60; i++) {
    await press('Tab');
    const node = focused();
    if (!node || node === p.after || node === document.body) break;
    stops.push(node);
  }
  return stops;
}

describe('keyboard-only review', () => {
  it('Tab in, arrows and j/k, Enter, a, r, 1, the batch panel and Send: all by key presses, focus always visible', async () => {
    const p = await page('fx-knee-oa');
    const { el } = p;
    const reviews: CodeReviewDetail[] = [];
    el.addEventListener('heidi-code-review', (e) => reviews.push(e.detail));

    // Tab into the element: the first stop is a header control.
    p.before.focus();
    await press('Tab');
    expect(regionOf(expectVisibleFocus('first Tab'), p)).to.equal('header');

    // On to the list: one stop for the whole list (roving tabindex), on the first card.
    await tabUntil((n) => n?.localName === 'heidi-code-card', 'the list');
    const list = cards(el);
    expect(
      list.filter((c) => c.tabIndex === 0),
      'cards in the tab order',
    ).to.have.length(1);
    expectFocusOn(list[0], 'the first card');

    // Arrows and j/k move focus and the roving tabindex with it.
    const moves: [string, number][] = [
      ['ArrowDown', 1],
      ['j', 2],
      ['k', 1],
      ['ArrowUp', 0],
      ['End', list.length - 1],
      ['Home', 0],
    ];
    for (const [key, index] of moves) {
      await press(key);
      await settle(el);
      expectFocusOn(cards(el)[index], `card ${index} after ${key}`);
      expectVisibleFocus(`after ${key}`);
      expect(
        cards(el)
          .map((c) => c.tabIndex)
          .filter((t) => t === 0),
        `one tab stop after ${key}`,
      ).to.have.length(1);
      expect(cards(el)[index]!.tabIndex).to.equal(0);
    }

    // Enter opens the evidence and marks it in the source view.
    const first = cards(el)[0] as HeidiCodeCard;
    const primary = cardCode(first);
    await press('Enter');
    await settle(el);
    expect(first.expanded).to.equal(true);
    expect(shadow(first).querySelector('details[part="evidence"]')!.hasAttribute('open')).to.equal(true);
    expect(first.hasAttribute('selected')).to.equal(true);
    expect(shadow(shadow(el).querySelector('heidi-source-view')!).querySelectorAll('mark').length).to.be.greaterThan(0);
    expectVisibleFocus('after Enter');

    // a, r, 1: accept, reject, swap to the first similar code. Focus stays on the card.
    await press('a');
    await settle(el);
    expect(first.getAttribute('status')).to.equal('ACCEPTED');
    await press('r');
    await settle(el);
    expect(first.getAttribute('status')).to.equal('REJECTED');
    await press('1');
    await settle(el);
    expect(first.getAttribute('status')).to.equal('ACCEPTED');
    expect(cardCode(first)).not.to.equal(primary);
    expectFocusOn(first, 'the decided card');
    expectVisibleFocus('after the decisions');
    expect(reviews.map((r) => r.status)).to.deep.equal(['ACCEPTED', 'REJECTED', 'ACCEPTED']);
    expect(reviews[2]!.previousCode?.code).to.equal(primary);

    // Back to the toolbar, open the batch panel, walk into it and confirm: Enter on each button.
    await tabUntil((n) => !!n?.textContent?.includes('Accept filtered'), 'Accept filtered…', { back: true });
    await press('Enter');
    await settle(el);
    const toggle = focused()!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const before = reviews.length;
    await tabUntil((n) => !!n?.classList.contains('batch-confirm'), 'the batch confirm button');
    const confirm = focused() as HTMLButtonElement;
    expect(confirm.disabled).to.equal(false);
    const count = Number(/\d+/.exec(confirm.textContent!)![0]);
    await press('Enter');
    await settle(el);
    expect(shadow(el).querySelector('section.panel')).to.equal(null);
    expect(reviews.length - before).to.equal(count);
    expect(reviews.slice(before).every((r) => r.status === 'ACCEPTED')).to.equal(true);

    // Send: Tab to "Send to EHR" and press Enter.
    const accepted = cards(el).filter((c) => c.getAttribute('status') === 'ACCEPTED').length;
    const commit = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('heidi-codes-commit', resolve as EventListener, { once: true }),
    );
    await tabUntil((n) => !!n?.classList.contains('send'), 'Send to EHR', { max: 40 });
    expect(focused()!.textContent).to.contain(`Send ${accepted} to EHR`);
    await press('Enter');
    expect((await commit).detail.codes).to.have.length(accepted);
    await settle(el);
    expect(deepText(el)).to.contain(`Sent ${accepted} codes to the EHR`);
    expectVisibleFocus('after Send');
  });

  it('? opens and closes the shortcuts sheet from the list', async () => {
    const p = await page('fx-knee-oa');
    p.before.focus();
    await tabUntil((n) => n?.localName === 'heidi-code-card', 'the list');
    await press('?');
    await settle(p.el);
    expect(deepText(p.el)).to.contain('Keyboard shortcuts').and.contain('Move between codes');
    expect(label(focused())).to.match(/^heidi-code-card/);
    await press('?');
    await settle(p.el);
    expect(deepText(p.el)).not.to.contain('Move between codes');
  });

  it('the tab order goes header controls → list (one card) → source view → footer', async () => {
    const p = await page('fx-knee-oa');
    // Send is disabled (so not a stop) until a code is accepted: accept the second card, by keyboard.
    p.before.focus();
    await tabUntil((n) => n?.localName === 'heidi-code-card', 'the list');
    await press('ArrowDown');
    await settle(p.el);
    await press('a');
    await settle(p.el);
    expect(cards(p.el)[1]!.getAttribute('status')).to.equal('ACCEPTED');
    const stops = await tabStops(p);
    const regions = stops.map((s) => regionOf(s, p));
    const order = regions.filter((r, i) => r !== regions[i - 1]);
    expect(order, stops.map((s, i) => `${regions[i]}: ${label(s)}`).join('\n')).to.deep.equal(['header', 'list', 'source', 'footer']);
    // The list is one stop: the focused card, then only that card's own controls.
    const listStops = stops.filter((s) => regionOf(s, p) === 'list');
    expect(listStops[0]!.localName).to.equal('heidi-code-card');
    const owners = new Set(listStops.map((s) => (s.localName === 'heidi-code-card' ? s : hostOf(s))));
    expect(owners.size, 'every list stop belongs to one card').to.equal(1);
    expect(listStops[0] === cards(p.el)[1], 'the list stop is the card last focused').to.equal(true);
    // The header controls: status and sort filters, grouping, batch accept, shortcuts (plus a system filter when there are several).
    const header = stops.filter((s) => regionOf(s, p) === 'header').map(label);
    expect(header.join('\n')).to.contain('select').and.contain('Accept filtered').and.contain('Keyboard shortcuts');
    expect(regionOf(stops.at(-1)!, p)).to.equal('footer');
    expect(stops.at(-1)!.classList.contains('send')).to.equal(true);
  });

  it('Shift+Tab walks the same stops backwards', async () => {
    const p = await page('fx-t2dm-review');
    const forward = await tabStops(p);
    p.after.focus();
    const backward: Element[] = [];
    for (let i = 0; i < 60; i++) {
      await press('Shift+Tab');
      const node = focused();
      if (!node || node === p.before || node === document.body) break;
      backward.push(node);
    }
    expect(backward.reverse().map(label)).to.deep.equal(forward.map(label));
    expect(backward.every((node, i) => node === forward[i])).to.equal(true);
  });
});

describe('shortcuts act on the card that has focus', () => {
  // Needs an element change (see report): a click on a card's text focuses that card (tabindex=-1), but
  // onListKeydown acts on `focusedId`, the roving card, so `a` accepts a different code than the one focused.
  // Fix in src/heidi-clinical-codes.ts `onListKeydown`: take the entity from the card in `event.composedPath()`
  // (its `data-id`) and set `focusedId` to it; or keep `focusedId` in sync with a `@focusin` on the list wrapper.
  it('after a click on the third card, a accepts the third card and it becomes the tab stop', async () => {
    const p = await page('fx-knee-oa');
    const third = cards(p.el)[2]!;
    third.scrollIntoView({ block: 'center' });
    await settle(p.el);
    const meta = shadow(third).querySelector('.meta')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(meta.left + 2), Math.round(meta.top + meta.height / 2)] });
    expectFocusOn(third, 'the clicked card');
    await press('a');
    await settle(p.el);
    expect(cards(p.el).map((c) => c.getAttribute('status'))).to.deep.equal(cards(p.el).map((c) => (c === third ? 'ACCEPTED' : 'PENDING')));
    expect(third.tabIndex).to.equal(0);
  });
});

describe('focus is never lost when a panel closes', () => {
  // Needs an element change (see report): confirming or cancelling the batch panel, or closing the shortcuts
  // sheet, removes the focused button from the DOM and focus falls to <body>. Fix in src/heidi-clinical-codes.ts:
  // after `this.batchOpen = false` / `this.shortcutsOpen = false` (confirmBatch, the Cancel and Close handlers),
  // `await this.updateComplete` and focus the toolbar toggle that opened the panel.
  it('batch confirm, batch Cancel and shortcuts Close return focus to the toolbar toggle', async () => {
    const p = await page('fx-glaucoma-check');
    const openAndLeave = async (toggleText: string, buttonMatch: (n: Element | null) => boolean) => {
      p.before.focus();
      await tabUntil((n) => !!n?.textContent?.includes(toggleText), toggleText);
      const toggle = focused();
      await press('Enter');
      await settle(p.el);
      await tabUntil(buttonMatch, `the button closing ${toggleText}`);
      await press('Enter');
      await settle(p.el);
      expectFocusOn(toggle, `the ${toggleText} toggle after closing it`);
      expectVisibleFocus(`after closing ${toggleText}`);
    };
    await openAndLeave('Accept filtered', (n) => n?.textContent?.trim() === 'Cancel');
    await openAndLeave('Accept filtered', (n) => !!n?.classList.contains('batch-confirm'));
    await openAndLeave('Keyboard shortcuts', (n) => n?.textContent?.trim() === 'Close');
  });
});

describe('focus is never lost when the status filter hides the last card', () => {
  /** Show only the codes with `status` (the toolbar's Status filter, as the reviewer sets it). */
  async function filterStatus(p: Page, status: string): Promise<HTMLSelectElement> {
    const label = [...shadow(p.el).querySelectorAll('.toolbar label')].find((l) => l.textContent!.includes('Status'))!;
    const select = label.querySelector('select')!;
    select.value = status;
    select.dispatchEvent(new Event('change'));
    await settle(p.el);
    return select;
  }

  it('"To review": the last decision moves focus to Send, which can be used', async () => {
    localStorage.removeItem('heidi-clinical-codes:advance'); // the default: focus moves on after a decision
    const p = await page('fx-knee-oa');
    await filterStatus(p, 'PENDING');
    cards(p.el)[0]!.focus();
    for (const key of ['a', 'r', 'a', 'r', 'a', 'r']) {
      const before = cards(p.el).length;
      await press(key);
      await settle(p.el);
      await until(() => cards(p.el).length === before - 1 && focused() !== document.body, `focus after ${key}`);
    }
    const send = shadow(p.el).querySelector<HTMLButtonElement>('.footer .send')!;
    expect(deepText(p.el)).to.contain('No codes match these filters');
    expectFocusOn(send, 'Send');
    expect(send.textContent!.trim()).to.equal('Send 3 to EHR');
    expectVisibleFocus('Send after the last decision');
    await expect(p.el).to.be.accessible();
  });

  it('"Accepted": undoing the last accepted code, with nothing to send, moves focus to the Status filter', async () => {
    const p = await page('fx-knee-oa');
    cards(p.el)[0]!.focus();
    await press('a');
    await press('ArrowDown');
    await press('a');
    await settle(p.el);
    const select = await filterStatus(p, 'ACCEPTED');
    expect(cards(p.el).length).to.equal(2);
    cards(p.el)[0]!.focus();
    await press('u');
    await settle(p.el);
    await until(() => cards(p.el).length === 1 && focused() === cards(p.el)[0], 'focus on the accepted card left');
    await press('u');
    await settle(p.el);
    await until(() => cards(p.el).length === 0 && focused() !== document.body, 'focus after the last undo');
    expect(shadow(p.el).querySelector<HTMLButtonElement>('.footer .send')!.disabled).to.equal(true);
    expectFocusOn(select, 'the Status filter');
    expect(select.value).to.equal('ACCEPTED');
    await expect(p.el).to.be.accessible();
  });
});

describe('the shortcut sheet', () => {
  // A boolean, not the node: chai's message for a DOM node in a failed check is slow to build.
  const sheetOpen = (p: Page) => !!shadow(p.el).querySelector('section.panel');

  it('lists every key the list answers, each of which the list handles, and no key it ignores', async () => {
    const p = await page('fx-knee-oa');
    const first = cards(p.el)[0]!;
    first.focus();
    await press('?');
    await settle(p.el);
    const lines = [...shadow(p.el).querySelectorAll('section.panel dt')].map(
      (dt) => `${dt.textContent} ${dt.nextElementSibling!.textContent}`,
    );
    expect(lines).to.have.length(SHORTCUTS.length);
    expect(lines).to.include.members([
      '↑ ↓ k j Move between codes',
      'Home End First / last code',
      '1–9 Use the n-th similar code',
      'Esc Close this list',
    ]);
    await expect(p.el).to.be.accessible();
    const handled = (key: string) => {
      const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
      first.dispatchEvent(event);
      return event.defaultPrevented;
    };
    // Escape and ? open and close the sheet (below); every other key of the table acts on the card.
    for (const [, keys] of SHORTCUTS) for (const key of keys) if (key !== 'Escape' && key !== '?') expect(handled(key), key).to.equal(true);
    for (const key of ['x', 'Delete', 'PageDown', ' ']) expect(handled(key), key).to.equal(false);
  });

  it('? on a card opens it; Escape closes it with focus still on that card; Close returns focus to that card', async () => {
    const p = await page('fx-knee-oa');
    p.before.focus();
    await tabUntil((n) => n?.localName === 'heidi-code-card', 'the list');
    await press('ArrowDown');
    await press('ArrowDown');
    await settle(p.el);
    const third = cards(p.el)[2]!;
    expectFocusOn(third, 'the third card');
    await press('?');
    await settle(p.el);
    expect(sheetOpen(p), 'open').to.equal(true);
    expectFocusOn(third, 'the card ? was pressed on');
    await press('Escape');
    await settle(p.el);
    expect(sheetOpen(p), 'closed by Escape').to.equal(false);
    expectFocusOn(third, 'the card, after Escape');
    // Escape with the sheet closed is left to the page.
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true });
    third.dispatchEvent(escape);
    expect(escape.defaultPrevented).to.equal(false);

    await press('?');
    await settle(p.el);
    await tabUntil((n) => n?.textContent?.trim() === 'Close', "the sheet's Close", { back: true });
    await press('Enter');
    await settle(p.el);
    await until(() => focused() === third, 'focus back on the card ? was pressed on');
    expect(sheetOpen(p)).to.equal(false);
    expectVisibleFocus('the card after Close');

    // Escape inside the sheet closes it too, and focus goes back to the card.
    await press('?');
    await settle(p.el);
    await tabUntil((n) => n?.textContent?.trim() === 'Close', "the sheet's Close", { back: true });
    await press('Escape');
    await settle(p.el);
    await until(() => focused() === third, 'focus back on the card after Escape in the sheet');
    expect(sheetOpen(p)).to.equal(false);
    await expect(p.el).to.be.accessible();
  });
  it('? works anywhere in the element (toolbar, source view), not in a select; Close gives focus back to where ? was pressed', async () => {
    const p = await page('fx-knee-oa');
    const isBatch = (n: Element | null) => n?.getAttribute('data-panel') === 'batch';
    p.before.focus();
    await tabUntil(isBatch, 'the Batch accept button');
    const batch = focused();
    await press('?');
    await settle(p.el);
    expect(sheetOpen(p), 'opened from a toolbar button').to.equal(true);
    expectFocusOn(batch, 'the button ? was pressed on');
    await expect(p.el).to.be.accessible();
    await tabUntil((n) => n?.textContent?.trim() === 'Close', "the sheet's Close");
    await press('Enter');
    await settle(p.el);
    await until(() => focused() === batch, 'focus back on Batch accept, not on the Shortcuts button');
    expect(sheetOpen(p)).to.equal(false);

    // A checkbox types nothing: ? opens the sheet there too, and ? again closes it, focus staying put.
    await tabUntil((n) => n?.matches('input[type="checkbox"]') ?? false, 'a checkbox', { back: true });
    const checkbox = focused();
    await press('?');
    await settle(p.el);
    expect(sheetOpen(p), 'opened from a checkbox').to.equal(true);
    await press('?');
    await settle(p.el);
    expect(sheetOpen(p), 'closed by ? again').to.equal(false);
    expectFocusOn(checkbox, 'the checkbox');

    // A select's typed characters are its own (type-to-pick).
    await tabUntil((n) => n?.localName === 'select', 'a select', { back: true });
    await press('?');
    await settle(p.el);
    expect(sheetOpen(p), 'not from a select').to.equal(false);
    // Escape types nothing: with the sheet open, it closes it from a form control too (the re-review's case).
    const select = focused();
    shadow(p.el).querySelector<HTMLButtonElement>('[data-panel="shortcuts"]')!.click(); // a click by script: focus stays
    await settle(p.el);
    expect(sheetOpen(p), 'open, focus on the select').to.equal(true);
    await press('Escape');
    await settle(p.el);
    expect(sheetOpen(p), 'closed by Escape from the select').to.equal(false);
    expectFocusOn(select, 'the select');

    await tabUntil((n) => regionOf(n, p) === 'source', 'the source view', { max: 40 });
    const inSource = focused();
    await press('?');
    await settle(p.el);
    expect(sheetOpen(p), 'opened from the source view').to.equal(true);
    expectFocusOn(inSource, 'the source view control ? was pressed on');
    await tabUntil((n) => n?.textContent?.trim() === 'Close' && regionOf(n, p) === 'panel', "the sheet's Close", { back: true, max: 40 });
    await press('Escape');
    await settle(p.el);
    await until(() => focused() === inSource, 'focus back in the source view after Escape in the sheet');
    expect(sheetOpen(p)).to.equal(false);
  });
});
