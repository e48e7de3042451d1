/**
 * Review rv6a item 3: a code the EHR holds from an earlier send that no card shows now is counted by the Send
 * button and listed in `codes` and `fhir`, as what the EHR holds after the send; only a decision withdraws it.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { en } from '../../src/i18n/en.ts';
import { button, cards, mountLoaded, settle, shadow } from './helpers.ts';

afterEach(() => sessionStorage.clear());

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
/** Sent from a card this load has no card for (another engine's, down now). */
const KEPT = {
  entityId: 'sully:ICD-10-CM:Z99.89',
  system: ICD,
  code: 'Z99.89',
  display: 'Dependence on other enabling machines',
  codeSystem: 'ICD-10-CM',
};

const sendButton = (el: HeidiClinicalCodes) => shadow(el).querySelector<HTMLButtonElement>('button.send')!;

describe('a kept code is what the EHR holds', () => {
  it('restored as sent with no card: Send counts it, the send lists it in codes and fhir, withdraws nothing', async () => {
    const at = '2026-12-01T10:00:00.000Z';
    const reviewState = {
      sessionId: 'fx-glaucoma-check',
      decisions: { [KEPT.entityId]: { status: 'ACCEPTED' as const, at } },
      audit: [],
      sent: { at, codes: [KEPT] },
    };
    const { el } = await mountLoaded({
      sessionId: 'fx-glaucoma-check',
      attrs: { 'ehr-patient-id': 'EHR-PT-1003' },
      props: { reviewState },
    });
    await settle(el);
    expect(sendButton(el).textContent!.trim()).to.equal(en.sendCount(1));
    button(cards(el)[0]!, 'Accept ').click();
    await settle(el);
    expect(sendButton(el).textContent!.trim()).to.equal(en.sendCount(2));
    await expect(el).to.be.accessible();

    let detail: CodesCommitDetail | undefined;
    el.addEventListener('heidi-codes-commit', (e) => (detail = e.detail), { once: true });
    expect(await el.commit()).to.equal(true);
    await settle(el);
    expect(detail!.codes).to.have.length(2);
    const kept = detail!.codes.find((c) => c.code === 'Z99.89')!;
    expect([kept.entityId, kept.display, kept.evidence]).to.deep.equal([KEPT.entityId, KEPT.display, { transcript: [], note: [] }]);
    expect(detail!.removed).to.deep.equal([]);
    const condition = detail!.fhir.entry.find((e) => JSON.stringify(e.resource).includes('"Z99.89"'))!.resource as {
      recordedDate?: string;
    };
    expect(condition.recordedDate, 'its decision time, not the send time').to.equal(at);
    expect(shadow(el).querySelector('[part="footer"]')!.textContent).to.contain(en.sentOk(2, 0));
    await expect(el).to.be.accessible();
  });
});
