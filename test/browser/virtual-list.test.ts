/**
 * The windowed list (issue 16): a 2,000-code consultation keeps only a window of cards in the DOM, and the
 * keyboard, focus, the tab stop, announcements and the screen-reader attributes still behave as if every
 * card were there. Behaviour only: no timing (the bench times it).
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import { MAX_CARDS } from '../../src/controllers/progressive.ts';
import { cards, mountLoaded, shadow, until } from './helpers.ts';

beforeEach(() => sessionStorage.clear());
afterEach(() => sessionStorage.clear());

const SESSION = 'generated-2000';

/** Group sizes from the headers (`Diagnoses (1200)`), in display order. */
function groupSizes(el: HeidiClinicalCodes): number[] {
  return [...shadow(el).querySelectorAll('h3')].map((h) => Number(/\((\d+)\)/.exec(h.textContent ?? '')![1]));
}

/** Where flat list index `index` is: its group and its 1-based position in it. */
function placeOf(sizes: readonly number[], index: number): { group: number; position: number } {
  let rest = index;
  for (let group = 0; group < sizes.length; group++) {
    if (rest < sizes[group]!) return { group, position: rest + 1 };
    rest -= sizes[group]!;
  }
  throw new Error(`index ${index} is past the list`);
}

function focusedCard(el: HeidiClinicalCodes): HTMLElement | undefined {
  const active = shadow(el).activeElement;
  return active?.localName === 'heidi-code-card' ? (active as HTMLElement) : undefined;
}

/** The focused card's group (by the list it is in) and position. */
function placeOfFocused(el: HeidiClinicalCodes): { group: number; position: number } | undefined {
  const card = focusedCard(el);
  if (!card) return undefined;
  const lists = [...shadow(el).querySelectorAll('ul.list')];
  return { group: lists.indexOf(card.parentElement!), position: Number(card.getAttribute('aria-posinset')) };
}

function liveText(el: HeidiClinicalCodes): string {
  return shadow(el).querySelector('[role="status"][aria-live="polite"]')?.textContent?.trim() ?? '';
}

async function press(key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await sendKeys({ press: key });
}

describe('windowed list (2,000 codes)', function () {
  this.timeout(60_000);

  it('renders a window of cards, each saying where it is in its group, with spacers hidden from assistive technology', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    const sizes = groupSizes(el);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(2000);
    const rendered = cards(el);
    expect(rendered.length).to.be.greaterThan(0).and.at.most(MAX_CARDS);
    const lists = [...shadow(el).querySelectorAll('ul.list')];
    for (const card of rendered) {
      const group = lists.indexOf(card.parentElement!);
      expect(card.getAttribute('role')).to.equal('listitem');
      expect(card.getAttribute('aria-setsize')).to.equal(String(sizes[group]));
    }
    // The first group's cards are numbered from 1, in order.
    const first = [...lists[0]!.children].map((c) => Number(c.getAttribute('aria-posinset')));
    expect(first.slice(0, 3)).to.deep.equal([1, 2, 3]);
    const spacers = [...shadow(el).querySelectorAll<HTMLElement>('.spacer')];
    expect(spacers.length).to.be.greaterThan(0);
    for (const spacer of spacers) {
      expect(spacer.getAttribute('aria-hidden')).to.equal('true');
      expect(spacer.getBoundingClientRect().height).to.be.greaterThan(0);
    }
    // One tab stop.
    expect(rendered.filter((c) => c.tabIndex === 0).length).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('End, Home and the arrows reach the right card, focused, with the window following', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    const sizes = groupSizes(el);
    cards(el)[0]!.focus();
    await press('End');
    await until(() => placeOfFocused(el)?.position === sizes.at(-1), 'the last card focused');
    expect(placeOfFocused(el)).to.deep.equal({ group: sizes.length - 1, position: sizes.at(-1) });
    expect(cards(el).length).to.be.at.most(MAX_CARDS);
    expect(shadow(el).querySelector('.more')).to.equal(null);
    await expect(el).to.be.accessible();

    await press('Home');
    await until(() => placeOfFocused(el)?.group === 0 && placeOfFocused(el)?.position === 1, 'the first card focused');
    expect(cards(el).length).to.be.at.most(MAX_CARDS);

    // Past the first window by arrows and j: each step one card, the window moving along.
    await press('ArrowDown', 45);
    await press('j', 15);
    await until(() => JSON.stringify(placeOfFocused(el)) === JSON.stringify(placeOf(sizes, 60)), 'the 61st card focused');
    await press('ArrowUp', 2);
    await until(() => JSON.stringify(placeOfFocused(el)) === JSON.stringify(placeOf(sizes, 58)), 'the 59th card focused');
    expect(cards(el).filter((c) => c.tabIndex === 0)).to.deep.equal([focusedCard(el)]);
  });

  it('the focused card is on screen once painted, after End, Home, the arrows and j', async () => {
    // Cards off screen are `content-visibility: auto` with a placeholder height: the scroll that focus makes
    // must still land on the card, whatever the real heights of the cards around it turn out to be.
    const { el } = await mountLoaded({ sessionId: SESSION });
    cards(el)[0]!.focus();
    const onScreen = async (what: string) => {
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const box = focusedCard(el)!.getBoundingClientRect();
      expect(
        box.top >= -1 && box.bottom <= innerHeight + 1, // a pixel for sub-pixel rounding
        `${what}: the focused card at ${box.top}..${box.bottom} of ${innerHeight}`,
      ).to.equal(true);
    };
    for (const key of ['End', 'ArrowUp', 'Home', 'End']) {
      const before = focusedCard(el);
      await press(key);
      await until(() => focusedCard(el) !== undefined && focusedCard(el) !== before, `${key} to move the focus`);
      await onScreen(key);
    }
    await press('Home');
    await until(() => placeOfFocused(el)?.position === 1 && placeOfFocused(el)?.group === 0, 'the first card focused');
    await press('j', 30);
    await until(() => JSON.stringify(placeOfFocused(el)) === JSON.stringify(placeOf(groupSizes(el), 30)), 'the 31st card focused');
    await onScreen('j x 30');
  });

  it('a decision on a far card is announced and keeps the focus on that card', async () => {
    // With the advance-after-a-decision setting (issue 12, on by default) focus would wrap to the first card to review.
    localStorage.setItem('heidi-clinical-codes:advance', 'false');
    try {
      const { el } = await mountLoaded({ sessionId: SESSION });
      cards(el)[0]!.focus();
      await press('End');
      await until(
        () =>
          focusedCard(el) !== undefined && focusedCard(el)!.getAttribute('aria-posinset') === focusedCard(el)!.getAttribute('aria-setsize'),
        'the last card focused',
      );
      const last = focusedCard(el)!;
      const id = last.dataset.id;
      const code = shadow(last).querySelector('.code')!.textContent!.trim();
      await press('a');
      await until(() => liveText(el) === `${code}: Accepted`, `the live region to say "${code}: Accepted" (says "${liveText(el)}")`);
      expect(focusedCard(el)?.dataset.id).to.equal(id);
      await expect(el).to.be.accessible();
    } finally {
      localStorage.removeItem('heidi-clinical-codes:advance');
    }
  });

  it('scrolling far renders the cards scrolled to, and the tab stop stays on a rendered card', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    const firstId = cards(el)[0]!.dataset.id;
    const bottom = [...shadow(el).querySelectorAll<HTMLElement>('.spacer')].at(-1)!;
    bottom.scrollIntoView({ block: 'end' });
    await until(() => cards(el).every((c) => c.dataset.id !== firstId), 'the window to move down');
    expect(cards(el).length).to.be.at.most(MAX_CARDS);
    // The first card is not rendered now: a rendered card holds the list's tab stop.
    expect(cards(el).filter((c) => c.tabIndex === 0).length).to.equal(1);
    await expect(el).to.be.accessible();
    shadow(el).querySelector('h3')!.scrollIntoView({ block: 'start' });
    await until(() => cards(el)[0]?.dataset.id === firstId, 'the first card rendered again');
    expect(
      cards(el)
        .filter((c) => c.tabIndex === 0)
        .map((c) => c.dataset.id),
    ).to.deep.equal([firstId]);
  });
});
