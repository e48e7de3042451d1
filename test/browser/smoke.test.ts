import { expect } from '@open-wc/testing';
import { card, cards, deepText, mountLoaded } from './helpers.ts';

describe('smoke', () => {
  it('attaches to a fixture session and shows its codes', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    expect(cards(el).length).to.be.greaterThan(3);
    expect(deepText(el)).to.contain('M17');
    expect(card(el, cards(el)[0]!.shadowRoot!.querySelector('.code')!.textContent!.trim())).to.exist;
    await expect(el).to.be.accessible();
  });
});
