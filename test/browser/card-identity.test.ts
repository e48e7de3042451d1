/**
 * A code keeps its decision and its "sent" whichever engine answered first (review pass 3, bug 1). A card's id
 * is Heidi's when Heidi answered, else a peer's: Heidi down on a reload used to leave the accepted, sent codes
 * pending, and the next send told the EHR to remove them.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { button, card, cards, deepText, mountLoaded, newUser, setScenario, settle, shadow } from './helpers.ts';

const THREE = { engines: 'heidi,sully,omniscribe', 'sully-base': '/ehr/sully', 'omniscribe-base': '/ehr/omniscribe' };
const FAST = { timeouts: { poll: 20 } };

const statusOf = (el: HeidiClinicalCodes, code: string) => card(el, code).getAttribute('status');
const sentMark = (el: HeidiClinicalCodes, code: string) => !!shadow(card(el, code)).querySelector('.sent');

async function commitDetail(el: HeidiClinicalCodes): Promise<CodesCommitDetail | undefined> {
  let detail: CodesCommitDetail | undefined;
  el.addEventListener('heidi-codes-commit', (e) => (detail = e.detail), { once: true });
  await el.commit();
  return detail;
}

afterEach(() => sessionStorage.clear());

describe('a decision follows its code across engines', () => {
  it('Heidi down on a reload: the peer cards for the sent codes are accepted and sent, and nothing is withdrawn', async () => {
    const user = newUser();
    const first = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(first.el);
    for (const code of ['M17.11', '20610']) button(card(first.el, code), 'Accept ').click();
    await settle(first.el);
    const sent = await commitDetail(first.el);
    expect(sent!.added.map((c) => c.code).sort()).to.deep.equal(['20610', 'M17.11']);
    first.el.remove();

    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 503, count: 8 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(el);
    const engines = [...shadow(card(el, 'M17.11')).querySelectorAll('.engines li')].map((li) => li.getAttribute('data-engine'));
    expect(engines, "the card is the peers' now").to.not.include('heidi');
    for (const code of ['M17.11', '20610']) {
      expect(statusOf(el, code), code).to.equal('ACCEPTED');
      expect(sentMark(el, code), `${code} sent`).to.equal(true);
    }
    // Nothing changed since the send: the EHR is told of nothing new and nothing gone, and still holds both.
    const again = await commitDetail(el);
    expect([again!.added, again!.removed]).to.deep.equal([[], []]);
    expect(again!.codes.map((c) => c.code).sort()).to.deep.equal(['20610', 'M17.11']);
    await expect(el).to.be.accessible();
    el.remove();
  });

  it('a reviewState saved after a send, restored on another workstation where Heidi is down: sent codes stay sent', async () => {
    const user = newUser();
    const first = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(first.el);
    button(card(first.el, 'M17.11'), 'Accept ').click();
    button(card(first.el, '20610'), 'Reject ').click();
    await settle(first.el);
    await commitDetail(first.el);
    const saved = JSON.stringify(first.el.reviewState);
    first.el.remove();
    sessionStorage.clear(); // another workstation

    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 503, count: 8 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: { ...FAST, reviewState: JSON.parse(saved) } });
    await settle(el);
    expect([statusOf(el, 'M17.11'), sentMark(el, 'M17.11')]).to.deep.equal(['ACCEPTED', true]);
    expect(statusOf(el, '20610')).to.equal('REJECTED');
    // Nothing was left out: no notice of decisions whose code is gone.
    expect(deepText(el)).to.not.match(/not applied|no longer/i);
    const again = await commitDetail(el);
    expect([again!.added, again!.removed]).to.deep.equal([[], []]);
  });
});

describe('reviewState carries what was sent', () => {
  it('restored on a fresh page, a code sent before is marked sent and not in the next added', async () => {
    const user = newUser();
    const first = await mountLoaded({ user, sessionId: 'fx-glaucoma-check', attrs: { 'ehr-patient-id': 'EHR-PT-1003' } });
    await settle(first.el);
    const ids = await acceptFirstTwo(first.el);
    const sent = await commitDetail(first.el);
    expect(sent!.added).to.have.length(2);
    const saved = JSON.stringify(first.el.reviewState);
    expect(JSON.parse(saved).sent.codes.map((c: { entityId: string }) => c.entityId)).to.have.members(ids);
    first.el.remove();
    sessionStorage.clear();

    const { el } = await mountLoaded({
      user,
      sessionId: 'fx-glaucoma-check',
      attrs: { 'ehr-patient-id': 'EHR-PT-1003' },
      props: { reviewState: JSON.parse(saved) },
    });
    await settle(el);
    for (const id of ids)
      expect(
        shadow(el)
          .querySelector(`[data-id="${CSS.escape(id)}"]`)!
          .shadowRoot!.querySelector('.sent'),
      ).to.not.equal(null);
    const again = await commitDetail(el);
    expect([again!.added, again!.removed]).to.deep.equal([[], []]);
    expect(again!.codes).to.have.length(2);
  });
});

async function acceptFirstTwo(el: HeidiClinicalCodes): Promise<string[]> {
  const picked = cards(el).slice(0, 2);
  for (const c of picked) button(c, 'Accept ').click();
  await settle(el);
  return picked.map((c) => c.getAttribute('data-id')!);
}

describe('Retry Heidi', () => {
  it("Heidi failed while the peers answered: its row's Retry reloads, and a decision made on a peer card stays on Heidi's", async () => {
    const user = newUser();
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 503, count: 8 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(el);
    const row = () => shadow(el).querySelector<HTMLElement>('.engines-progress li[data-engine=heidi]')!;
    expect(row().getAttribute('data-phase')).to.equal('failed');
    button(card(el, 'M17.11'), 'Accept ').click();
    await settle(el);
    await setScenario(user, { failures: [] });
    const reloaded = new Promise((resolve) => el.addEventListener('heidi-codes-load', resolve, { once: true }));
    button(shadow(el), 'Retry Heidi').click();
    await reloaded;
    await settle(el);
    expect(row().getAttribute('data-phase')).to.equal('done');
    const engines = [...shadow(card(el, 'M17.11')).querySelectorAll('.engines li')].map((li) => li.getAttribute('data-engine'));
    expect(engines[0]).to.equal('heidi');
    expect(statusOf(el, 'M17.11')).to.equal('ACCEPTED');
    await expect(el).to.be.accessible();
  });
});
