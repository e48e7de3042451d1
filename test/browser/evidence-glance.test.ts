/**
 * Issue 12, evidence at a glance: every card shows its best quote before any click, the quote leads to its
 * words in the view, warnings sit on the words they concern, compact lists fit 6 cards in 400 × 900 (5 at
 * 1280 × 900 in the default density), focus moves on after a decision, and the view is a drawer when narrow.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import { findFixture } from '../../demo/fixtures/index.ts';
import { ADVANCE_STORAGE_KEY } from '../../src/controllers/roving-focus.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { button, card, cards, deepText, mountLoaded, settle, shadow, until } from './helpers.ts';

type Updatable = HTMLElement & { updateComplete: Promise<unknown> };

const sourceView = (el: HeidiClinicalCodes) => shadow(el).querySelector<Updatable>('heidi-source-view')!;

async function settled(el: HeidiClinicalCodes): Promise<void> {
  await settle(el);
  await Promise.all(cards(el).map((c) => (c as Updatable).updateComplete));
  await sourceView(el)?.updateComplete;
  // Until the frame is painted: the cards are \`content-visibility: auto\`, and which of them are in view is
  // settled in the frame itself, so a layout read from an earlier rAF callback sees their placeholder sizes.
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

/** The focused element, through every open shadow root. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Cards whose box (and their first quote's) is wholly inside the viewport and above the drawer, if one overlaps. */
function fullyVisible(el: HeidiClinicalCodes): HTMLElement[] {
  const view = sourceView(el).getBoundingClientRect();
  const drawerTop = getComputedStyle(sourceView(el)).bottom === '0px' ? view.top : innerHeight;
  const bottom = Math.min(innerHeight, drawerTop);
  return cards(el).filter((c) => {
    const box = c.getBoundingClientRect();
    const quote = shadow(c).querySelector('[part="quote"]')?.getBoundingClientRect();
    return !!quote && box.top >= 0 && box.bottom <= bottom && quote.top >= box.top && quote.bottom <= box.bottom;
  });
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.removeItem(ADVANCE_STORAGE_KEY);
});
afterEach(async () => {
  localStorage.removeItem(ADVANCE_STORAGE_KEY);
  await setViewport({ width: 800, height: 600 });
});

describe('the best quote on every card, without a click', () => {
  it('right after heidi-codes-load each card shows a quote whose marked words are the API located span, with its speaker', async () => {
    const fixture = findFixture('fx-knee-oa')!;
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await settled(el);
    const list = cards(el);
    expect(list).to.have.length(fixture.clinicalCodes.clinical_entities.length);
    for (const c of list) {
      const code = shadow(c).querySelector('.code')!.textContent!.trim();
      const entity = fixture.clinicalCodes.clinical_entities.find((e) => e.primary_code.code === code)!;
      const ref = entity.reference_in_transcript![0]!;
      const span = fixture.transcript.slice(ref.location_in_transcript!.start, ref.location_in_transcript!.end);
      const quote = shadow(c).querySelector('[part="quote"]')!;
      expect(quote.querySelector('mark:not(.cue)')!.textContent, `${code}: marked words`).to.equal(span);
      expect(quote.querySelector('.who')!.textContent, `${code}: speaker`).to.match(/^(Doctor|Patient)$/);
      // No evidence section was opened to see it.
      expect(shadow(c).querySelector('details[part="evidence"]')!.hasAttribute('open')).to.equal(false);
    }
    await expect(el).to.be.accessible();
  });

  it('the seed: 11200-00 shows its transcript snippet before any click, and 92016-00 Tonometry is one click away', async () => {
    const seedCodes = (await (await fetch('/test/data/seed-clinical-codes.json')).json()) as {
      clinical_entities: { primary_code: { code: string }; reference_in_transcript: { transcript_text: string }[] }[];
    };
    const spy = spyOnFetch((request) =>
      request.url.endsWith('/sessions/1234567890/clinical-codes') ? Response.json(seedCodes) : undefined,
    );
    try {
      const { el } = await mountLoaded({ sessionId: '1234567890' });
      await settled(el);
      const c = card(el, '11200-00');
      const snippet = seedCodes.clinical_entities.find((e) => e.primary_code.code === '11200-00')!.reference_in_transcript[0]!
        .transcript_text;
      const quote = shadow(c).querySelector('[part="quote"]')!;
      expect(quote.querySelector('mark')!.textContent).to.equal(snippet);
      // The transcript could not be loaded here: the snippet is still shown, marked as such.
      expect(quote.textContent).to.contain('Transcript unavailable');
      expect(deepText(c)).not.to.contain('Tonometry');
      shadow(c).querySelector<HTMLButtonElement>('button.pick')!.click();
      await settled(el);
      expect(deepText(c)).to.contain('92016-00').and.contain('Tonometry');
      expect(shadow(c).querySelector('details[part="similar"]')!.hasAttribute('open')).to.equal(true);
      await expect(el).to.be.accessible();
    } finally {
      spy.restore();
    }
  });

  it('clicking a quote selects its code and focuses its words in the view', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await settled(el);
    const third = cards(el)[2]!;
    const said = shadow(third).querySelector<HTMLButtonElement>('[part="quote"] button.said')!;
    const selected = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('heidi-code-select', resolve as EventListener, { once: true }),
    );
    said.click();
    expect((await selected).detail.entityId).to.equal(third.dataset.id);
    await settled(el);
    expect(third.hasAttribute('selected')).to.equal(true);
    const mark = focused()!;
    expect(mark.localName, 'focus is on a mark in the view').to.equal('mark');
    expect(mark.getRootNode() === shadow(sourceView(el)), 'the mark is in the view').to.equal(true);
    expect(mark.getAttribute('data-i')).to.equal(said.dataset.index);
    expect(mark.textContent).to.equal(said.querySelector('mark')!.textContent);
    expect(shadow(sourceView(el)).querySelector('button[aria-pressed="true"]')!.textContent).to.contain('Transcript');
    await expect(el).to.be.accessible();
  });

  it('a negation / family warning is drawn inside the quote it concerns: the cue marked, the warning beside it', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-t2dm-review' });
    await settled(el);
    const flagged = cards(el).flatMap((c) => [...shadow(c).querySelectorAll('[part="quote"]')].filter((q) => q.querySelector('.warn')));
    expect(flagged.length, 'some quotes carry a warning').to.be.greaterThan(0);
    for (const quote of flagged) {
      const cue = quote.querySelector('mark.cue')!;
      expect(cue, 'the cue is marked in the quote').to.exist;
      expect(quote.querySelector('.warn')!.textContent).to.contain(`“${cue.textContent}”`);
    }
    for (const c of cards(el)) expect(deepText(c)).not.to.match(/snippet \d|passage \d/i);
    await expect(el).to.be.accessible();
  });
});

describe('a negation by contraction', () => {
  it('"We won\'t need any of the special electrical tests of the eye" is flagged on the quote: the cue marked, May be negated', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    await settled(el);
    const quote = shadow(card(el, '11204-00')).querySelector('[part="quote"]')!;
    expect(quote.textContent).to.contain('special electrical tests');
    expect(quote.querySelector('mark.cue')!.textContent).to.equal("won't need");
    expect(quote.querySelector('.warn')!.textContent).to.contain("May be negated (“won't need”)");
    await expect(el).to.be.accessible();
  });
});

describe('density', () => {
  it('compact, 400 × 900: at least 6 cards with their quote (one each, no warnings) are fully visible; hit targets ≥ 24 × 24', async () => {
    await setViewport({ width: 400, height: 900 });
    // A long synthetic consultation (20 codes, each with two transcript snippets and five similar codes).
    const { el } = await mountLoaded({ sessionId: 'generated-20', attrs: { density: 'compact' } });
    await settled(el);
    const visible = fullyVisible(el);
    const heights = cards(el).map((c) => Math.round(c.getBoundingClientRect().height));
    console.log(
      `compact 400x900: ${visible.length} cards fully visible; card heights ${heights.join(', ')}; list top ${Math.round(cards(el)[0]!.getBoundingClientRect().top)}`,
    );
    expect(visible.length).to.be.at.least(6);
    // What the README promises it for: cards that show one quote and no check warning.
    for (const c of visible.slice(0, 6)) expect(shadow(c).querySelectorAll('.quote, .checks, .warn').length).to.equal(1);
    for (const c of cards(el)) {
      for (const target of shadow(c).querySelectorAll<HTMLElement>('button, summary')) {
        const box = target.getBoundingClientRect();
        if (box.width === 0) continue; // inside a closed disclosure
        expect(box.width, `${target.textContent?.trim()} width`).to.be.at.least(24);
        expect(box.height, `${target.textContent?.trim()} height`).to.be.at.least(24);
      }
      const code = shadow(c).querySelector('.code')!.textContent!.trim();
      expect(button(c, `Accept ${code}`)).to.exist;
    }
    await expect(el).to.be.accessible();
  });

  it('compact: a long name takes two lines, and all of it once its card is selected', async () => {
    await setViewport({ width: 400, height: 900 });
    const { el } = await mountLoaded({ sessionId: 'fx-t2dm-review', attrs: { density: 'compact' } });
    await settled(el);
    const name = (code: string) => shadow(card(el, code)).querySelector<HTMLElement>('.name')!;
    const whole = (n: HTMLElement) => n.scrollHeight <= n.clientHeight + 1 && n.scrollWidth <= n.clientWidth + 1;
    const lines = (n: HTMLElement) => Math.round(n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight));
    // What tells E11.65 from E11.9, and I10's whole name, are shown without a click.
    for (const code of ['E11.65', 'I10', 'E78.5']) expect(whole(name(code)), `${code}: ${name(code).textContent}`).to.equal(true);
    const long = name('O24.410');
    expect(long.textContent).to.equal('Gestational diabetes mellitus in pregnancy, diet controlled');
    expect(lines(long)).to.be.at.most(2);
    shadow(card(el, 'O24.410')).querySelector<HTMLButtonElement>('button.pick')!.click();
    await settled(el);
    expect(whole(long), 'selected: the whole name').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('compact: a name too long for two lines is cut until its card is selected', async () => {
    await setViewport({ width: 400, height: 900 });
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { density: 'compact' } });
    await settled(el);
    const name = shadow(card(el, 'K27.9')).querySelector<HTMLElement>('.name')!;
    const lineHeight = parseFloat(getComputedStyle(name).lineHeight);
    expect(name.getBoundingClientRect().height).to.be.at.most(2 * lineHeight + 1);
    expect(name.scrollHeight, 'cut').to.be.greaterThan(name.clientHeight + 1);
    shadow(card(el, 'K27.9')).querySelector<HTMLButtonElement>('button.pick')!.click();
    await settled(el);
    expect(name.getBoundingClientRect().height).to.be.greaterThan(2 * lineHeight + 1);
    expect(name.scrollHeight, 'whole').to.be.at.most(name.clientHeight + 1);
    await expect(el).to.be.accessible();
  });

  it('default density, 1280 × 900: at least 5 cards with their quotes are fully visible, beside the view', async () => {
    await setViewport({ width: 1280, height: 900 });
    const { el } = await mountLoaded({ sessionId: 'generated-20' });
    await settled(el);
    const visible = fullyVisible(el);
    console.log(
      `default 1280x900: ${visible.length} cards fully visible; card heights ${cards(el)
        .map((c) => Math.round(c.getBoundingClientRect().height))
        .join(', ')}`,
    );
    expect(visible.length).to.be.at.least(5);
    const list = shadow(el).querySelector('ul[part="list"]')!.getBoundingClientRect();
    const view = sourceView(el).getBoundingClientRect();
    expect(view.left, 'the view is beside the list').to.be.at.least(list.right);
    expect(view.top).to.be.lessThan(list.top + 80);
  });
});

describe('review flow', () => {
  it('after Accept or Reject focus moves to the next card to review; n / p jump between pending cards', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await settled(el);
    const list = cards(el);
    const progress = () => shadow(el).querySelector('progress')!;
    expect(progress().max).to.equal(list.length);
    expect(progress().value).to.equal(0);
    button(list[0]!, 'Accept ').click();
    await settled(el);
    expect(focused() === list[1], 'focus on the second card after accepting the first').to.equal(true);
    button(list[2]!, 'Reject ').click();
    await settled(el);
    expect(focused() === list[3], 'focus on the card after the rejected one').to.equal(true);
    expect(progress().value).to.equal(2);
    expect(progress().getAttribute('aria-label')).to.equal(`2 of ${list.length} reviewed`);
    // p from the fourth: back to the second (the first and third are decided); n: on to the fourth again.
    list[3]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', bubbles: true, composed: true }));
    await settled(el);
    expect(focused() === list[1], 'p: the previous card to review').to.equal(true);
    list[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true, composed: true }));
    await settled(el);
    expect(focused() === list[3], 'n: the next card to review').to.equal(true);
    // a from the keyboard advances too.
    list[3]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true, composed: true }));
    await settled(el);
    expect(focused() === list[4], 'a: on to the next card').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('the setting turns the advance off, and the browser remembers only that boolean', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await settled(el);
    const setting = [...shadow(el).querySelectorAll<HTMLInputElement>('.review-progress input[type="checkbox"]')][0]!;
    expect(setting.checked, 'on by default').to.equal(true);
    setting.click();
    await settled(el);
    expect(localStorage.getItem(ADVANCE_STORAGE_KEY)).to.equal('false');
    const first = cards(el)[0]!;
    first.focus();
    button(first, 'Accept ').click();
    await settled(el);
    expect(focused() === first || focused()?.getRootNode() === shadow(first), 'focus stays on the decided card').to.equal(true);
    el.remove();
    const { el: again } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await settled(again);
    expect(shadow(again).querySelector<HTMLInputElement>('.review-progress input[type="checkbox"]')!.checked).to.equal(false);
  });
});

describe('layout follows the space', () => {
  it('narrow: the view is a closed drawer until a selection; it never pushes the list; Close returns focus; axe open and closed', async () => {
    await setViewport({ width: 400, height: 900 });
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { density: 'compact' } });
    await settled(el);
    const view = sourceView(el);
    const text = () => shadow(view).querySelector<HTMLElement>('.text')!;
    expect(view.hasAttribute('open')).to.equal(false);
    expect(text().getBoundingClientRect().height, 'closed: no text shown').to.equal(0);
    await expect(el).to.be.accessible();
    const first = cards(el)[0]!;
    // Where the card is on the page: the drawer takes no room in the list (the page may scroll to keep the
    // selected card above it, which moves the view, not the list).
    const top = first.getBoundingClientRect().top + scrollY;
    shadow(first).querySelector<HTMLButtonElement>('button.pick')!.click();
    await settled(el);
    expect(view.hasAttribute('open')).to.equal(true);
    expect(text().getBoundingClientRect().height).to.be.greaterThan(40);
    expect(first.getBoundingClientRect().top + scrollY, 'the list did not move').to.equal(top);
    const drawer = view.getBoundingClientRect();
    expect(drawer.bottom).to.be.at.most(innerHeight + 1);
    expect(drawer.height).to.be.at.most(innerHeight * 0.6);
    await expect(el).to.be.accessible();
    shadow(view).querySelector<HTMLButtonElement>('button.close')!.click();
    await settled(el);
    expect(view.hasAttribute('open')).to.equal(false);
    expect(focused() === first, 'focus back on the card').to.equal(true);
    // A quote opens it again with focus on the words; Escape closes it.
    shadow(first).querySelector<HTMLButtonElement>('button.said')!.click();
    await settled(el);
    expect(focused()!.localName).to.equal('mark');
    focused()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await settled(el);
    expect(view.hasAttribute('open')).to.equal(false);
    expect(focused() === first).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('narrow: the card whose quote opened the drawer is moved into the space above it, not covered', async () => {
    await setViewport({ width: 400, height: 900 });
    const { el } = await mountLoaded({ sessionId: 'fx-t2dm-review', attrs: { density: 'compact' } });
    await settled(el);
    const third = cards(el)[2]!;
    const view = sourceView(el);
    shadow(third).querySelector<HTMLButtonElement>('button.said')!.click();
    await settled(el);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(view.hasAttribute('open')).to.equal(true);
    const drawer = view.getBoundingClientRect();
    const box = third.getBoundingClientRect();
    expect(box.top, 'the card is in view').to.be.at.least(0);
    expect(box.bottom, `the card (${box.top}–${box.bottom}) ends above the drawer (${drawer.top}–${drawer.bottom})`).to.be.at.most(
      drawer.top + 0.5,
    );
    expect(drawer.bottom).to.be.at.most(innerHeight + 1);
    expect(focused()!.localName, 'focus on the quoted words in the drawer').to.equal('mark');
    await expect(el).to.be.accessible();
    window.scrollTo(0, 0);
  });

  it('narrow: with the drawer open, the card j / k / End move the focus to is never under the drawer', async () => {
    await setViewport({ width: 400, height: 900 });
    const { el } = await mountLoaded({ sessionId: 'generated-30', attrs: { density: 'compact' } });
    await settled(el);
    const view = sourceView(el);
    shadow(cards(el)[0]!).querySelector<HTMLButtonElement>('button.said')!.click();
    await settled(el);
    expect(view.hasAttribute('open')).to.equal(true);
    cards(el)[0]!.focus();
    const obscured: string[] = [];
    for (const key of [...Array<string>(8).fill('j'), 'End', 'k', 'k']) {
      await sendKeys({ press: key });
      await settled(el);
      const card = focused()?.closest('heidi-code-card') ?? (focused() as HTMLElement | null);
      const box = card!.getBoundingClientRect();
      const drawer = view.getBoundingClientRect();
      if (!view.hasAttribute('open')) continue;
      if (box.top < -0.5 || box.bottom > drawer.top + 0.5)
        obscured.push(`${key}: card ${box.top}–${box.bottom}, drawer from ${drawer.top}`);
    }
    expect(obscured, 'focused cards under the drawer or off screen').to.deep.equal([]);
    await expect(el).to.be.accessible();
    window.scrollTo(0, 0);
  });

  it('wide: the view sticks beside the list while the page scrolls', async () => {
    await setViewport({ width: 1280, height: 700 });
    const { el } = await mountLoaded({ sessionId: 'generated-30' });
    await settled(el);
    const view = sourceView(el);
    const start = view.getBoundingClientRect().top;
    window.scrollTo(0, start + 900);
    await until(() => Math.abs(view.getBoundingClientRect().top) < 2, 'the view stuck at the top');
    const list = shadow(el).querySelector('ul[part="list"]')!.getBoundingClientRect();
    expect(list.top).to.be.lessThan(-800);
    window.scrollTo(0, 0);
  });
});
