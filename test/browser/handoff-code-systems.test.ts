/**
 * A narrower `code-systems` hides codes, it never withdraws them: a code sent earlier and still accepted goes
 * on being listed in `codes` and `fhir` (a host that replaces its list with `codes` keeps it), is never in
 * `removed` and not in `added` again. A hidden code that was never sent is not sent until it is shown.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { button, card, mountLoaded, settle } from './helpers.ts';

/** Commit, the host confirming at once: the detail it received. */
async function commitWith(el: HeidiClinicalCodes): Promise<CodesCommitDetail> {
  let detail: CodesCommitDetail | undefined;
  el.addEventListener('heidi-codes-commit', (e) => (detail = e.detail), { once: true });
  expect(await el.commit()).to.equal(true);
  await settle(el);
  return detail!;
}

async function decide(el: HeidiClinicalCodes, code: string, action: 'Accept ' | 'Reject '): Promise<void> {
  button(card(el, code), action).click();
  await settle(el);
}

const codesOf = (list: readonly { code: string }[]): string[] => list.map((c) => c.code);
/** The coded resources of the bundle, by code (Provenance left out). */
const fhirCodes = (detail: CodesCommitDetail): string[] =>
  detail.fhir.entry.flatMap((e) =>
    'code' in e.resource ? (e.resource.code.coding ?? []).map((c) => `${e.resource.resourceType} ${c.code}`) : [],
  );

afterEach(() => sessionStorage.clear());

describe('hand-off: a narrower code-systems hides, it does not withdraw', () => {
  it('a sent CPT code stays in codes and fhir after code-systems narrows to ICD-10-CM, and leaves only when rejected', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    await decide(el, 'M17.11', 'Accept ');
    await decide(el, '20610', 'Accept ');
    const first = await commitWith(el);
    expect(codesOf(first.codes)).to.deep.equal(['M17.11', '20610']);

    // Accepted after that send, then hidden before the next: never sent, so not sent while hidden.
    await decide(el, '414916001', 'Accept ');
    el.setAttribute('code-systems', 'ICD-10-CM');
    await settle(el);
    await decide(el, 'K27.9', 'Accept ');
    const second = await commitWith(el);
    expect(codesOf(second.codes), 'every code the host holds, in the order of the suggestions').to.deep.equal(['M17.11', '20610', 'K27.9']);
    expect(fhirCodes(second)).to.deep.equal(['Condition M17.11', 'Procedure 20610', 'Condition K27.9']);
    expect([codesOf(second.added), codesOf(second.removed)]).to.deep.equal([['K27.9'], []]);
    const held = second.codes.find((c) => c.code === '20610')!;
    expect([held.codeSystem, held.evidence.transcript.length > 0, held.engines]).to.deep.equal(['cpt_2025', true, ['heidi']]);

    // Shown again, the hidden CPT code is still sent and not added again; the SNOMED one is added now.
    el.removeAttribute('code-systems');
    await settle(el);
    await decide(el, '20610', 'Reject ');
    const third = await commitWith(el);
    expect(codesOf(third.codes)).to.deep.equal(['M17.11', '414916001', 'K27.9']);
    expect([codesOf(third.added), codesOf(third.removed)]).to.deep.equal([['414916001'], ['20610']]);
  });
});
