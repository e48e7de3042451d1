/**
 * reviewState carries what was sent (review pass 3, bug 2): restored on another workstation, a code sent before is
 * marked sent and not in the next added. (The three-engine cases, where cards follow their code when Heidi is
 * down, are in engines.test.ts beside the other peer tests.)
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { button, cards, mountLoaded, newUser, settle, shadow } from './helpers.ts';

async function commitDetail(el: HeidiClinicalCodes): Promise<CodesCommitDetail | undefined> {
  let detail: CodesCommitDetail | undefined;
  el.addEventListener('heidi-codes-commit', (e) => (detail = e.detail), { once: true });
  await el.commit();
  return detail;
}

afterEach(() => sessionStorage.clear());

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
