/**
 * Storage full: a decision the browser refuses to store is kept on the page, and the reviewer is told once,
 * in a notice and through the live region (after the decision's own announcement, not instead of it). The next
 * decision tries again; once a save is written the notice goes. The core side: test/node/storage-full.test.ts.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import { storageKey } from '../../src/core/review.ts';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';
import { button, cards, mountLoaded, shadow, settle, until } from './helpers.ts';

/** sessionStorage refuses every write, as a full one does, while `full` is set. */
let full = false;
const setItem = Storage.prototype.setItem;
beforeEach(() => {
  full = false;
  Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
    if (full && this === sessionStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    setItem.call(this, key, value);
  };
});
afterEach(() => {
  Storage.prototype.setItem = setItem;
  sessionStorage.clear();
});

const notices = (el: HeidiClinicalCodes) => [...shadow(el).querySelectorAll('p.notice')].map((p) => p.textContent ?? '');
const live = (el: HeidiClinicalCodes) => shadow(el).querySelector('#live')?.textContent ?? '';
const codeOf = (card: HTMLElement) => shadow(card).querySelector('.code')!.textContent!.trim();

async function decide(el: HeidiClinicalCodes, card: HTMLElement, action: 'Accept' | 'Reject'): Promise<void> {
  button(card, `${action} ${codeOf(card)}`).click();
  await settle(el);
}

describe('storage full', () => {
  it('a refused save is shown and said once, nothing is lost on the page, and the notice goes when a save is written', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const [first, second, third] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    full = true;
    await decide(el, first, 'Accept');
    expect(notices(el)).to.deep.equal([en.notStored]);
    // Said after the decision, in one announcement: neither replaces the other.
    await until(() => live(el).includes(en.notStored), 'the notice in the live region');
    expect(live(el)).to.contain(`${codeOf(first)}: ${en.status.ACCEPTED}`);
    await expect(el).to.be.accessible();

    await decide(el, second, 'Reject');
    expect(notices(el), 'shown once').to.deep.equal([en.notStored]);
    expect(live(el), 'said once: the next decision is said alone').not.to.contain(en.notStored);
    expect([first, second].map((c) => c.getAttribute('status'))).to.deep.equal(['ACCEPTED', 'REJECTED']);
    expect(sessionStorage.getItem(storageKey('fx-knee-oa')), 'nothing stored yet').to.equal(null);

    full = false;
    await decide(el, third, 'Accept');
    expect(notices(el), 'the notice goes once a save is written').to.deep.equal([]);
    const stored = JSON.parse(sessionStorage.getItem(storageKey('fx-knee-oa'))!) as { d: Record<string, { s: string }> };
    expect(Object.values(stored.d).map((d) => d.s)).to.deep.equal(['ACCEPTED', 'REJECTED', 'ACCEPTED']);
    await expect(el).to.be.accessible();
  });

  it('the notice is in the element’s language', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { lang: 'es' } });
    full = true;
    const first = cards(el)[0]!;
    button(first, `${es.accept} ${codeOf(first)}`).click();
    await settle(el);
    expect(notices(el)).to.deep.equal([es.notStored]);
  });

  it('a review storage refused is kept on the page when the session changes: coming back shows it, and still says so', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    full = true;
    const [first, second] = cards(el) as [HTMLElement, HTMLElement];
    const ids = [first, second].map((c) => c.getAttribute('data-id'));
    await decide(el, first, 'Accept');
    await decide(el, second, 'Reject');
    const switched = (id: string) =>
      new Promise<void>((resolve) => {
        el.addEventListener('heidi-codes-load', () => resolve(), { once: true });
        el.sessionId = id;
      });
    await switched('fx-t2dm-review');
    await settle(el);
    await switched('fx-knee-oa');
    await settle(el);
    const statusOf = (id: string | null) =>
      cards(el)
        .find((c) => c.getAttribute('data-id') === id)
        ?.getAttribute('status');
    expect(ids.map(statusOf)).to.deep.equal(['ACCEPTED', 'REJECTED']);
    expect(notices(el)).to.include(en.notStored);
    await expect(el).to.be.accessible();
  });
});
