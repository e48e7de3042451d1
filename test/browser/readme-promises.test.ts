/**
 * README promises the sixth review (rv6b) found broken: `heidi-session-start` only for a session Heidi has
 * answered for, an empty `session-id` the host set is a `config` error, and the audit keeps its code names
 * after a reload (names are not stored; they come back from the cards).
 */
import { expect, nextFrame } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import type { AuditEntry } from '../../src/core/audit.ts';
import { button, cards, mount, mountLoaded, newUser, oneEvent, requestLog, settle, shadow } from './helpers.ts';

afterEach(() => sessionStorage.clear());

/** Every `heidi-session-start` fired while `run` runs. */
async function sessionStarts(run: () => Promise<void>): Promise<{ sessionId: string; created: boolean }[]> {
  const seen: { sessionId: string; created: boolean }[] = [];
  const onStart = (e: Event) => seen.push((e as CustomEvent<{ sessionId: string; created: boolean }>).detail);
  document.addEventListener('heidi-session-start', onStart);
  try {
    await run();
  } finally {
    document.removeEventListener('heidi-session-start', onStart);
  }
  return seen;
}

const heidiRoutes = async (user: string) => (await requestLog(user)).map((e) => e.route);

describe('heidi-session-start: a session created or attached', () => {
  for (const [sessionId, code] of [
    ['a/b', 'not-found'],
    ['?x', 'not-found'],
    ['fx-knee-oa/', 'not-found'],
    ['..', 'config'],
    ['.', 'config'],
    ['   ', 'config'],
  ] as const) {
    it(`is not fired for session-id ${JSON.stringify(sessionId)}, which fails as ${code}`, async () => {
      const user = newUser();
      const starts = await sessionStarts(async () => {
        const failed = oneEvent(document, 'heidi-error');
        await mount({ user, sessionId });
        expect((await failed).detail.code).to.equal(code);
      });
      expect(starts).to.deep.equal([]);
      if (code === 'config') expect(await heidiRoutes(user), 'nothing asked of Heidi').to.deep.equal([]);
    });
  }
});

describe('session-id set but empty', () => {
  it('as an attribute or a property it is a config error naming session-id; unset (removed, null, undefined) creates a session', async () => {
    const user = newUser();
    let el!: HeidiClinicalCodes;
    const starts = await sessionStarts(async () => {
      const failed = oneEvent(document, 'heidi-error');
      ({ el } = await mount({ user, attrs: { 'session-id': '' } }));
      const { detail } = await failed;
      expect(detail.code).to.equal('config');
      expect(detail.message).to.contain('session-id');
      expect(await heidiRoutes(user), 'no session created').to.deep.equal([]);
      await expect(el).to.be.accessible();
      const created = oneEvent(el, 'heidi-codes-load');
      el.removeAttribute('session-id');
      await created;
      const again = oneEvent(el, 'heidi-error');
      el.sessionId = '';
      expect((await again).detail.code).to.equal('config');
      const attached = oneEvent(el, 'heidi-codes-load');
      el.sessionId = undefined;
      await attached;
    });
    // The session created once, then attached again (it is this tab's for that profile and appointment).
    expect(starts.map((s) => s.created)).to.deep.equal([true, false]);
    expect((await requestLog(user)).filter((e) => e.route === 'create-session')).to.have.length(1);
  });
});

describe('the audit after a reload', () => {
  const names = (audit: readonly AuditEntry[]) => audit.map((e) => [e.codeBefore?.display, e.codeAfter?.display]);

  it('reviewState.audit and heidi-codes-commit detail.audit name their codes as the cards do', async () => {
    const user = newUser();
    const reviewer = { reference: 'Practitioner/dr-x', display: 'Dr X' };
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', props: { reviewer } });
    const [a, b, c] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    button(a, 'Accept ').click();
    shadow(b).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await nextFrame();
    shadow(b).querySelector<HTMLButtonElement>('details[part="similar"] button')!.click();
    button(c, 'Reject ').click();
    await settle(el);
    const before = names(el.reviewState!.audit);
    expect(before).to.have.length(3);
    for (const pair of before) for (const name of pair) expect(name).to.be.a('string').and.not.equal('');
    el.remove();
    // A new instance reads the review from sessionStorage, which keeps no names: as a reload does.
    const { el: again } = await mountLoaded({ user, sessionId: 'fx-knee-oa', props: { reviewer } });
    expect(names(again.reviewState!.audit)).to.deep.equal(before);
    const committed = oneEvent(again, 'heidi-codes-commit');
    void again.commit();
    expect(names(((await committed) as CustomEvent<CodesCommitDetail>).detail.audit)).to.deep.equal(before);
  });
});
