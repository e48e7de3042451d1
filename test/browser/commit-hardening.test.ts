/**
 * Issue 15, items 1, 8, 9 and 11, as the host and the reviewer see them:
 * a commit belongs to its session; sending is idempotent; `waitUntil` has
 * ExtendableEvent's rule; and the wrong-patient guard links an unlinked
 * session to the host's patient and sends only once they match.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { storageKey } from '../../src/core/review.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { button, cards, mountLoaded, newUser, oneEvent, requestLog, setScenario, settle, shadow, tokenUrl, until } from './helpers.ts';

const S1 = 'fx-knee-oa';
const S2 = 'fx-t2dm-review';

const footerText = (el: HeidiClinicalCodes): string => shadow(el).querySelector('.commit-msg')?.textContent?.trim() ?? '';
const sendButton = (el: HeidiClinicalCodes): HTMLButtonElement => shadow(el).querySelector<HTMLButtonElement>('button.send')!;
const liveText = (el: HeidiClinicalCodes): string => shadow(el).querySelector('[role="status"][aria-live="polite"]')?.textContent ?? '';
const footerRetry = (el: HeidiClinicalCodes): HTMLButtonElement | undefined =>
  [...shadow(el).querySelectorAll<HTMLButtonElement>('.footer button')].find((b) => b.textContent?.trim() === 'Retry');
const sentCount = (el: HeidiClinicalCodes): number => cards(el).filter((c) => shadow(c).querySelector('.sent')).length;
const storedSent = (sessionId: string): unknown[] =>
  (JSON.parse(sessionStorage.getItem(storageKey(sessionId)) ?? '{"sent":[]}') as { sent: unknown[] }).sent;

async function acceptTwo(el: HeidiClinicalCodes): Promise<void> {
  for (const c of cards(el).slice(0, 2)) button(c, 'Accept ').click();
  await settle(el);
}

function countCommits(el: HeidiClinicalCodes): { readonly count: number; details: CodesCommitDetail[] } {
  const details: CodesCommitDetail[] = [];
  el.addEventListener('heidi-codes-commit', (e) => details.push(e.detail));
  return {
    get count() {
      return details.length;
    },
    details,
  };
}

async function switchSession(el: HeidiClinicalCodes, sessionId: string): Promise<void> {
  const loaded = oneEvent(el, 'heidi-codes-load');
  el.sessionId = sessionId;
  await loaded;
  await settle(el);
}

afterEach(() => sessionStorage.clear());

/** S1's two codes sent, S2 shown while the host holds its answer, then the host confirms (`ok`) or fails ("EHR offline"). */
async function sendThenSwitch(ok: boolean): Promise<HeidiClinicalCodes> {
  const { el } = await mountLoaded({ sessionId: S1 });
  await acceptTwo(el);
  let answer!: () => void;
  const held = new Promise<void>((resolve, reject) => (answer = ok ? resolve : () => reject(new Error('EHR offline'))));
  el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(held), { once: true });
  const committing = el.commit();
  await switchSession(el, S2);
  answer();
  expect(await committing).to.equal(ok);
  await settle(el);
  return el;
}

describe('a commit belongs to its session (issue 15.1)', () => {
  it("switching session mid-commit: S1's answer never shows in S2, and S1's codes are marked sent in S1 when the host confirms", async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    await acceptTwo(el);
    let confirm!: () => void;
    el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(new Promise<void>((r) => (confirm = r))), { once: true });
    const committing = el.commit();
    await settle(el);
    expect(footerText(el)).to.contain('Sending');
    await switchSession(el, S2);
    expect(footerText(el)).to.not.contain('Sending');
    confirm();
    expect(await committing).to.equal(true);
    await settle(el);
    expect(footerText(el)).to.not.contain('Sent');
    expect(storedSent(S1), "marked sent in S1's stored review").to.have.length(2);
    expect(storedSent(S2)).to.have.length(0);
    // Back on S1: shown as sent, and the next commit adds nothing.
    await switchSession(el, S1);
    expect(sentCount(el)).to.equal(2);
    const commits = countCommits(el);
    await el.commit();
    expect(commits.details[0]!.added).to.deep.equal([]);
  });

  it('a host failure for S1 after switching to S2 is not shown in S2, nor is anything marked sent', async () => {
    const el = await sendThenSwitch(false);
    expect(footerText(el)).to.not.contain('did not receive');
    expect(storedSent(S1)).to.have.length(0);
  });
});

describe("a commit's answer waits in its session", () => {
  it('a host failure for S1 while S2 is shown is not said in S2, and is shown back on S1 (its review reopened, not changed)', async () => {
    const el = await sendThenSwitch(false);
    expect(liveText(el)).to.not.contain('did not receive');
    await switchSession(el, S1);
    expect(footerText(el)).to.contain('The EHR did not receive the codes: EHR offline.');
    await expect(el).to.be.accessible();
    // A decision since: the answer no longer applies.
    button(cards(el)[2]!, 'Accept ').click();
    await settle(el);
    expect(footerText(el)).to.not.contain('did not receive');
  });

  it('"Sent…" for S1, confirmed while S2 is shown, is shown back on S1', async () => {
    const el = await sendThenSwitch(true);
    expect(footerText(el)).to.not.contain('Sent');
    await switchSession(el, S1);
    expect(footerText(el)).to.contain('Sent 2 codes to the EHR.');
  });
});

describe('sending is idempotent (issue 15.8)', () => {
  it('a double click on Send fires one heidi-codes-commit', async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    await acceptTwo(el);
    const commits = countCommits(el);
    sendButton(el).dispatchEvent(new MouseEvent('click', { detail: 1, bubbles: true, composed: true }));
    await settle(el);
    sendButton(el).dispatchEvent(new MouseEvent('click', { detail: 2, bubbles: true, composed: true }));
    await settle(el);
    expect(commits.count).to.equal(1);
  });

  it('commit() from inside a commit listener does not recurse; Send is disabled while a send is in flight', async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    await acceptTwo(el);
    let nested: Promise<boolean> | undefined;
    let release!: () => void;
    const commits = countCommits(el);
    el.addEventListener(
      'heidi-codes-commit',
      (e) => {
        nested = el.commit();
        e.detail.waitUntil(new Promise<void>((r) => (release = r)));
      },
      { once: true },
    );
    const first = el.commit();
    expect(await nested).to.equal(false);
    await settle(el);
    expect(sendButton(el).getAttribute('aria-disabled')).to.equal('true');
    sendButton(el).click();
    expect(await el.commit()).to.equal(false);
    expect(commits.count).to.equal(1);
    await expect(el).to.be.accessible();
    release();
    expect(await first).to.equal(true);
    await settle(el);
    expect(sendButton(el).getAttribute('aria-disabled')).to.equal('false');
  });

  it('the same code on two entities is sent once per commit, and both are marked sent', async () => {
    // Heidi answers the same code twice (two entities): both cards show, the EHR gets it once.
    const original = window.fetch.bind(window);
    const spy = spyOnFetch((request) => {
      if (!request.url.endsWith('/clinical-codes')) return undefined;
      return original(request).then(async (response) => {
        const body = (await response.json()) as { clinical_entities: unknown[] };
        body.clinical_entities = [body.clinical_entities[0], ...body.clinical_entities];
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      });
    });
    let el: HeidiClinicalCodes;
    try {
      ({ el } = await mountLoaded({ sessionId: S1 }));
    } finally {
      spy.restore();
    }
    const code = (c: Element) => shadow(c).querySelector('.code')!.textContent!.trim();
    const [a, b] = cards(el);
    const twins = cards(el).filter((c) => code(c) === code(a!));
    expect(twins.length, 'two cards with one code').to.equal(2);
    for (const c of [...twins, b!].filter((c, i, all) => all.indexOf(c) === i)) button(c, 'Accept ').click();
    await settle(el);
    const commits = countCommits(el);
    expect(await el.commit()).to.equal(true);
    const detail = commits.details[0]!;
    expect(detail.codes.filter((c) => c.code === code(a!))).to.have.length(1);
    expect(detail.added.filter((c) => c.code === code(a!))).to.have.length(1);
    expect(
      detail.fhir.entry.filter((e) => e.resource.resourceType === 'Condition' && e.resource.code.coding?.[0]?.code === code(a!)),
    ).to.have.length(1);
    await settle(el);
    expect(twins.every((c) => shadow(c).querySelector('.sent'))).to.equal(true);
    // Rejecting one twin removes nothing: the other still holds the code.
    button(twins[0]!, 'Reject ').click();
    await settle(el);
    await el.commit();
    expect(commits.details[1]!.removed).to.deep.equal([]);
  });
});

describe('waitUntil has rules (issue 15.9)', () => {
  it('called after the listener returned, it throws InvalidStateError', async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    await acceptTwo(el);
    let kept!: CodesCommitDetail;
    el.addEventListener('heidi-codes-commit', (e) => (kept = e.detail), { once: true });
    expect(await el.commit()).to.equal(true);
    let thrown: unknown;
    try {
      kept.waitUntil(new Promise(() => undefined));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(DOMException);
    expect((thrown as DOMException).name).to.equal('InvalidStateError');
  });
});

describe('the wrong-patient guard guards (issue 15.11)', () => {
  /** Make the fixture session unlinked (`ehr_patient_id: null`) for this user, as a session started elsewhere may be. */
  async function unlink(user: string): Promise<string> {
    const { token } = (await (await fetch(tokenUrl(user))).json()) as { token: string };
    const response = await fetch(`/mock-heidi/sessions/${S1}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ehr_patient_id: null }),
    });
    expect(response.ok).to.equal(true);
    return token;
  }

  /** An unlinked session whose one link attempt fails, two codes accepted, the footer saying so. */
  async function withFailedLink(): Promise<{ el: HeidiClinicalCodes; user: string }> {
    const user = newUser('link');
    await unlink(user);
    await setScenario(user, { failures: [{ route: 'patch-session', count: 1, status: 500 }] });
    const { el } = await mountLoaded({ user, sessionId: S1, attrs: { 'ehr-patient-id': 'EHR-PT-42' } });
    await acceptTwo(el);
    await until(() => footerText(el).includes('linking it failed'), 'the footer to say the link failed');
    return { el, user };
  }

  it("an unlinked session is linked to the host's patient on attach, and sending is allowed once they match", async () => {
    const user = newUser('link');
    const token = await unlink(user);
    const { el } = await mountLoaded({ user, sessionId: S1, attrs: { 'ehr-patient-id': 'EHR-PT-42' } });
    await acceptTwo(el);
    await until(() => !sendButton(el).disabled, 'the session to be linked');
    const patches = (await requestLog(user)).filter((e) => e.route === 'patch-session' && e.status === 200);
    expect(patches.length, 'the unlink and the link').to.equal(2);
    const session = (await (await fetch(`/mock-heidi/sessions/${S1}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      session: { ehr_patient_id: string | null };
    };
    expect(session.session.ehr_patient_id).to.equal('EHR-PT-42');
    expect(sendButton(el).disabled).to.equal(false);
    const commits = countCommits(el);
    expect(await el.commit()).to.equal(true);
    expect(commits.count).to.equal(1);
  });

  it('when the link fails, sending is blocked with a message that says why', async () => {
    const user = newUser('link');
    await unlink(user);
    await setScenario(user, { failures: [{ route: 'patch-session', count: 5, status: 500 }] });
    const { el } = await mountLoaded({ user, sessionId: S1, attrs: { 'ehr-patient-id': 'EHR-PT-42' } });
    await acceptTwo(el);
    const commits = countCommits(el);
    expect(sendButton(el).disabled).to.equal(true);
    expect(footerText(el)).to.contain('not linked to the patient open in the EHR');
    expect(await el.commit()).to.equal(false);
    expect(commits.count).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it("a failed link is asked again by the footer's Retry (not on every render), and sending opens once it succeeds", async () => {
    const { el, user } = await withFailedLink();
    const linkPatches = async () => (await requestLog(user)).filter((e) => e.route === 'patch-session').length;
    // The unlink, and the one failed link: renders (two decisions) asked nothing more.
    expect(await linkPatches()).to.equal(2);
    expect(sendButton(el).disabled).to.equal(true);
    const retry = footerRetry(el)!;
    expect(retry, 'a Retry button beside the message').to.exist;
    // Said as what it retries.
    expect(shadow(el).getElementById(retry.getAttribute('aria-describedby')!)?.textContent).to.contain('linking it failed');
    await expect(el).to.be.accessible();
    retry.focus();
    retry.click();
    await until(() => !sendButton(el).disabled, 'the session to be linked');
    await until(() => shadow(el).activeElement === sendButton(el), 'focus on Send, the Retry pressed being gone');
    expect(await linkPatches()).to.equal(3);
    expect(shadow(el).querySelector('.footer button:not(.send)'), 'no Retry once linked').to.equal(null);
    expect(await el.commit()).to.equal(true);
  });

  it('a session that could not be read blocks sending with a message that says so, and Retry reads it again', async () => {
    const user = newUser('unread');
    await setScenario(user, { failures: [{ route: 'get-session', count: 1, status: 500 }] });
    const { el } = await mountLoaded({ user, sessionId: S1, attrs: { 'ehr-patient-id': 'EHR-PT-1001' } });
    await acceptTwo(el);
    expect(footerText(el)).to.contain('could not be read');
    expect(sendButton(el).disabled).to.equal(true);
    const retry = footerRetry(el)!;
    retry.click();
    // Retry reloads (the footer is back once the codes are): the session read this time, and it is this patient's.
    await until(() => sendButton(el)?.disabled === false, 'the session read and matched');
    expect(cards(el).filter((c) => c.getAttribute('status') === 'ACCEPTED').length, 'the decisions kept').to.equal(2);
  });

  it("when the footer's Retry reloads and the reload fails, focus goes to the error's Retry, not the page", async () => {
    const user = newUser('unread');
    await setScenario(user, { failures: [{ route: 'get-session', count: 1, status: 500 }] });
    const { el } = await mountLoaded({ user, sessionId: S1, attrs: { 'ehr-patient-id': 'EHR-PT-1001' } });
    await acceptTwo(el);
    await setScenario(user, { failures: [{ route: 'clinical-codes', count: 1, status: 500 }] });
    const retry = footerRetry(el)!;
    retry.focus();
    retry.click();
    // While it loads, focus is on the status line (FocusKeeper); then on the error's Retry.
    await until(() => shadow(el).activeElement?.matches('[part="status"] button') === true, 'focus on the Retry of the error shown');
    expect(shadow(el).activeElement!.textContent!.trim()).to.equal('Retry');
  });

  it('a failed link is announced as what it blocks, not as codes that could not be shown (they are)', async () => {
    const user = newUser('link');
    await unlink(user);
    await setScenario(user, { failures: [{ route: 'patch-session', count: 1, status: 500 }] });
    const { el } = await mountLoaded({ user, sessionId: S1, attrs: { 'ehr-patient-id': 'EHR-PT-42' } });
    await until(() => liveText(el).includes('linking it failed'), `the live region to say the link failed (says "${liveText(el)}")`);
    expect(liveText(el)).not.to.contain('could not be shown');
  });

  it('a patient the EHR set after load that Heidi did not save is announced as that, not as codes that could not be shown', async () => {
    const user = newUser('context');
    const { el } = await mountLoaded({ user, sessionId: S1 });
    await setScenario(user, { failures: [{ route: 'patch-session', count: 1, status: 500 }] });
    el.patient = { name: 'Late Patient', gender: 'FEMALE', dob: '1960-01-01' };
    await until(
      () => liveText(el).includes('were not saved in Heidi'),
      `the live region to say the details were not saved (says "${liveText(el)}")`,
    );
    expect(liveText(el)).not.to.contain('could not be shown');
    expect(cards(el).length, 'the codes still shown').to.be.greaterThan(0);
  });

  it('refresh() asks again for a link that failed', async () => {
    const { el } = await withFailedLink();
    await el.refresh();
    await until(() => !sendButton(el).disabled, 'the session to be linked after refresh()');
    expect(cards(el).filter((c) => c.getAttribute('status') === 'ACCEPTED').length, 'the decisions kept').to.equal(2);
  });
});

describe('a send that only withdraws codes is a send', () => {
  const confirmEach = (el: HeidiClinicalCodes) => {
    const details: CodesCommitDetail[] = [];
    el.addEventListener('heidi-codes-commit', (e) => {
      details.push(e.detail);
      e.detail.waitUntil(Promise.resolve());
    });
    return details;
  };
  const codeOf = (card: HTMLElement) => shadow(card).querySelector('.code')!.textContent!.trim();

  it('lang="es": accept M17.11, send, u: the footer says the send withdraws it, and after it that it was withdrawn', async () => {
    const { el } = await mountLoaded({ sessionId: S1, attrs: { lang: 'es' } });
    const details = confirmEach(el);
    const knee = cards(el).find((c) => codeOf(c) === 'M17.11')!;
    button(knee, 'Aceptar ').click();
    await settle(el);
    expect(await el.commit()).to.equal(true);
    await settle(el);
    expect(footerText(el)).to.equal('Se envió 1 código a la historia clínica.');
    knee.focus();
    await sendKeys({ press: 'u' });
    await settle(el);
    expect(knee.getAttribute('status')).to.equal('PENDING');
    expect(sendButton(el).disabled).to.equal(false);
    expect(footerText(el)).to.equal('Al enviar se retirará 1 código de la historia clínica.');
    await expect(el).to.be.accessible();
    sendButton(el).click();
    await until(() => details.length === 2, 'the second commit');
    await until(() => !!shadow(el).querySelector('.commit-msg.sent'), 'sent');
    expect(details[1]!.codes).to.deep.equal([]);
    expect(details[1]!.removed.map((c) => c.code)).to.deep.equal(['M17.11']);
    expect(footerText(el)).to.equal('Se retiró 1 código de la historia clínica.');
    expect(liveText(el)).to.contain('Se retiró 1 código');
    await expect(el).to.be.accessible();
  });

  it('sent three, one rejected since: "Sent 2 codes to the EHR and withdrew 1."; nothing changed since: nothing to withdraw', async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    const details = confirmEach(el);
    const [a, b, c] = cards(el);
    for (const card of [a!, b!, c!]) button(card, 'Accept ').click();
    await settle(el);
    await el.commit();
    await settle(el);
    expect(footerText(el)).to.equal('Sent 3 codes to the EHR.');
    button(c!, 'Reject ').click();
    await settle(el);
    expect(footerText(el)).to.equal('Sending withdraws 1 code from the EHR.');
    button(c!, 'Accept ').click();
    await settle(el);
    expect(footerText(el), 'accepted again as sent: nothing to withdraw').to.equal('');
    button(c!, 'Reject ').click();
    await settle(el);
    await el.commit();
    await settle(el);
    expect(details[1]!.codes).to.have.length(2);
    expect(details[1]!.removed.map((x) => x.code)).to.deep.equal([codeOf(c!)]);
    expect(footerText(el)).to.equal('Sent 2 codes to the EHR and withdrew 1.');
  });
});

describe('a send no one can hear, and sends on two sessions at once', () => {
  it('commit() on an element taken out of the page resolves false, says why, and marks nothing sent', async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    await acceptTwo(el);
    const parent = el.parentElement!;
    const commits: CodesCommitDetail[] = [];
    const errors: { code: string; message: string }[] = [];
    el.addEventListener('heidi-codes-commit', (e) => commits.push(e.detail));
    el.addEventListener('heidi-error', (e) => errors.push(e.detail));
    el.remove(); // e.g. a React unmount, or a "save and close" that removes the panel first
    expect(await el.commit()).to.equal(false);
    expect(commits, 'no heidi-codes-commit on a node no page listener can hear').to.have.length(0);
    expect(errors).to.have.length(1);
    expect(errors[0]!.code).to.equal('config');
    expect(errors[0]!.message).to.contain('not in the page');
    expect(el.reviewState?.sent, 'nothing marked sent').to.equal(undefined);
    expect(storedSent(S1)).to.have.length(0);
    // Back in the page (it loads again), the next send still gives the host both codes.
    const reloaded = oneEvent(el, 'heidi-codes-load');
    parent.append(el);
    await reloaded;
    await settle(el);
    expect(await el.commit()).to.equal(true);
    expect(commits[0]!.added).to.have.length(2);
  });

  it("two sessions sending at once: the first one's answer leaves the second's 'Sending…' and its disabled Send alone", async () => {
    const { el } = await mountLoaded({ sessionId: S1 });
    await acceptTwo(el);
    const confirms: (() => void)[] = [];
    el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(new Promise<void>((r) => confirms.push(r))));
    const first = el.commit();
    await settle(el);
    await switchSession(el, S2);
    await acceptTwo(el);
    const second = el.commit();
    await settle(el);
    expect(footerText(el)).to.contain('Sending');
    confirms[0]!(); // the host confirms S1's send while S2's is still in flight
    expect(await first).to.equal(true);
    await settle(el);
    expect(footerText(el), "S2 still says it is sending, not S1's answer").to.contain('Sending');
    expect(sendButton(el).getAttribute('aria-disabled')).to.equal('true');
    confirms[1]!();
    expect(await second).to.equal(true);
    await settle(el);
    expect(footerText(el)).to.equal('Sent 2 codes to the EHR.');
    expect(sendButton(el).getAttribute('aria-disabled')).to.equal('false');
  });
});
