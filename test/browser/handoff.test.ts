/**
 * Issue 14, the hand-off an EHR can file, as the host sees it: the commit's
 * FHIR bundle and audit, `added` / `removed` since the last send, the
 * `reviewState` a host keeps and gives back, and two pages on one session
 * converging (two elements of the BUILT bundle in two same-origin iframes).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail, ErrorDetail } from '../../src/events.ts';
import type { FhirCondition, FhirProcedure, FhirProvenance } from '../../src/core/fhir.ts';
import { renderHandoff } from '../../demo/page/handoff.ts';
import { button, cards, mountLoaded, newUser, settle, shadow, tokenUrl, until } from './helpers.ts';

const SESSION = 'fx-knee-oa';
const REVIEWER = { reference: 'Practitioner/dr-lee', display: 'Dr Lee' };

const codeOf = (c: Element): string => shadow(c).querySelector('.code')!.textContent!.trim();
const idOf = (c: Element): string => c.getAttribute('data-id')!;
const statusOf = (el: HeidiClinicalCodes, id: string): string | null =>
  cards(el)
    .find((c) => idOf(c) === id)
    ?.getAttribute('status') ?? null;
const notices = (el: HeidiClinicalCodes): string[] => [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent!.trim());

/** Commit, the host confirming at once; returns what commit() resolved and the detail. */
async function commitWith(el: HeidiClinicalCodes): Promise<{ ok: boolean; detail: CodesCommitDetail }> {
  let detail: CodesCommitDetail | undefined;
  el.addEventListener(
    'heidi-codes-commit',
    (e) => {
      detail = e.detail;
      e.detail.waitUntil(Promise.resolve());
    },
    { once: true },
  );
  const ok = await el.commit();
  await settle(el);
  if (!detail) throw new Error('no heidi-codes-commit');
  return { ok, detail };
}

function swapFirstSimilar(c: HTMLElement): void {
  shadow(c).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
}

afterEach(() => sessionStorage.clear());

describe('hand-off: the commit an EHR can file', () => {
  it('carries a FHIR R4 bundle (subject, encounter, reviewer as verifier, the session id) and the audit of every decision', async () => {
    const { el } = await mountLoaded({
      sessionId: SESSION,
      attrs: { 'ehr-patient-id': 'EHR-PT-1001', 'ehr-appointment-id': 'APPT-77' },
      props: { reviewer: REVIEWER },
    });
    const [a, b, c] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    button(a, 'Accept ').click();
    button(b, 'Reject ').click();
    button(c, 'Accept ').click();
    await settle(el);
    const { ok, detail } = await commitWith(el);
    expect(ok).to.equal(true);

    const bundle = detail.fhir;
    expect(bundle.resourceType).to.equal('Bundle');
    expect(bundle.type).to.equal('collection');
    const resources = bundle.entry.map((e) => e.resource);
    const coded = resources.filter((r) => r.resourceType !== 'Provenance');
    expect(coded.map((r) => ('code' in r ? r.code.coding?.[0]?.code : ''))).to.deep.equal(detail.codes.map((x) => x.code));
    expect(detail.codes.map((x) => x.entityId)).to.deep.equal([idOf(a), idOf(c)]);
    for (const r of coded as (FhirCondition | FhirProcedure)[]) {
      expect(r.subject.reference).to.equal('Patient/EHR-PT-1001');
      expect(r.encounter?.reference).to.equal('Encounter/APPT-77');
    }
    const provenance = resources.filter((r): r is FhirProvenance => r.resourceType === 'Provenance');
    expect(provenance).to.have.length(coded.length);
    const urls = bundle.entry.filter((e) => e.resource.resourceType !== 'Provenance').map((e) => e.fullUrl);
    expect(provenance.map((p) => p.target[0]!.reference)).to.deep.equal(urls);
    for (const p of provenance) {
      expect(p.agent.at(-1)!.who).to.deep.equal(REVIEWER);
      expect(p.agent[0]!.who.display).to.equal('Heidi');
      expect(p.entity[0]!.what.identifier).to.deep.equal({ system: 'urn:heidi:session-id', value: SESSION });
      expect(p.meta.security?.[0]?.code).to.equal('AIAST');
    }

    // The audit: every decision in order, with codes, statuses, engine, score and reviewer.
    expect(detail.audit.map((e) => [e.entityId, e.statusBefore, e.statusAfter])).to.deep.equal([
      [idOf(a), 'PENDING', 'ACCEPTED'],
      [idOf(b), 'PENDING', 'REJECTED'],
      [idOf(c), 'PENDING', 'ACCEPTED'],
    ]);
    for (const entry of detail.audit) {
      expect(Number.isNaN(Date.parse(entry.at))).to.equal(false);
      expect(entry.engines).to.deep.equal(['heidi']);
      expect(entry.reviewer).to.deep.equal(REVIEWER);
      expect(entry.codeAfter?.code).to.be.a('string');
      expect(entry.score).to.be.a('number');
    }
    // The Provenance is dated by the decision.
    expect(provenance[0]!.recorded).to.equal(detail.audit[0]!.at);
    // The demo's "Received by the EHR" panel reads every part of the real detail.
    const parts = renderHandoff(detail);
    expect(parts.map((p) => p.dataset.part ?? p.querySelector<HTMLElement>('[data-part]')?.dataset.part)).to.deep.equal([
      'fhir',
      'diff',
      'audit',
    ]);
    expect(parts.some((p) => p.classList.contains('handoff-unreadable'))).to.equal(false);
    // The detail is plain JSON a host can store as it is.
    expect(JSON.parse(JSON.stringify({ fhir: detail.fhir, audit: detail.audit }))).to.deep.equal({
      fhir: detail.fhir,
      audit: detail.audit,
    });
  });

  it('a second commit after one change carries only that change in added / removed; sent codes stay marked sent', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    const [a, b] = cards(el) as [HTMLElement, HTMLElement];
    const [idA, idB] = [idOf(a), idOf(b)];
    button(a, 'Accept ').click();
    button(b, 'Accept ').click();
    await settle(el);
    const first = await commitWith(el);
    expect(first.detail.added.map((x) => x.entityId)).to.deep.equal([idA, idB]);
    expect(first.detail.removed).to.deep.equal([]);
    expect(shadow(a).querySelector('.sent'), 'marked sent').to.not.equal(null);

    // One change: B rejected. Only B is removed; nothing is added.
    button(
      cards(el).find((x) => idOf(x) === idB)!,
      'Reject ',
    ).click();
    await settle(el);
    const second = await commitWith(el);
    expect(second.detail.added).to.deep.equal([]);
    expect(second.detail.removed.map((x) => [x.entityId, x.code, x.display !== ''])).to.deep.equal([[idB, codeOf(b), true]]);

    // Another: A swapped. The new code is added, the old one removed.
    const before = codeOf(a);
    swapFirstSimilar(a);
    await until(() => !!shadow(a).querySelector('details[part="similar"] button'), 'similar codes');
    shadow(a).querySelector<HTMLButtonElement>('details[part="similar"] button')!.click();
    await settle(el);
    const after = codeOf(cards(el).find((x) => idOf(x) === idA)!);
    const third = await commitWith(el);
    expect(third.detail.added.map((x) => x.code)).to.deep.equal([after]);
    expect(third.detail.removed.map((x) => x.code)).to.deep.equal([before]);
    // No change at all: nothing added or removed (the codes are still all listed, for an upsert).
    const fourth = await commitWith(el);
    expect([fourth.detail.added, fourth.detail.removed]).to.deep.equal([[], []]);
    expect(fourth.detail.codes.map((x) => x.code)).to.deep.equal([after]);
  });
});

describe('hand-off: warnings the reviewer accepted anyway', () => {
  it('each kind once: R50.9, flagged on two quotes, says "negated" once in codes[].warnings and in its FHIR note', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    await settle(el);
    const fever = cards(el).find((c) => codeOf(c) === 'R50.9')!;
    expect(shadow(fever).querySelectorAll('.warn').length, 'flagged on more than one quote').to.be.greaterThan(1);
    button(fever, 'Accept ').click();
    await settle(el);
    const { detail } = await commitWith(el);
    expect(detail.codes.find((c) => c.code === 'R50.9')!.warnings).to.deep.equal(['negated']);
    const condition = detail.fhir.entry.map((e) => e.resource).find((r) => JSON.stringify(r).includes('"R50.9"')) as FhirCondition;
    expect(condition.note!.map((n) => n.text)).to.include('Accepted despite check warnings: negated');
  });
});

describe('hand-off: removing what was sent', () => {
  it('with every sent code undone, Send stays enabled and tells the host they were removed', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    const a = cards(el)[0]!;
    button(a, 'Accept ').click();
    await settle(el);
    await commitWith(el);
    button(a, 'Undo ').click();
    await settle(el);
    const send = shadow(el).querySelector<HTMLButtonElement>('button.send')!;
    expect(send.disabled).to.equal(false);
    let detail: CodesCommitDetail | undefined;
    el.addEventListener('heidi-codes-commit', (e) => (detail = e.detail), { once: true });
    send.click();
    await settle(el);
    expect(detail!.codes).to.deep.equal([]);
    expect(detail!.removed.map((x) => x.entityId)).to.deep.equal([idOf(a)]);
    expect(send.disabled, 'nothing left to tell').to.equal(true);
  });
});

describe('hand-off: reviewState, the draft the host keeps', () => {
  it('round-trips through a host that saves it on each heidi-code-review and restores it on a fresh page', async () => {
    const user = newUser('draft');
    let saved = '';
    const save = (e: Event) => (saved = JSON.stringify((e.target as HeidiClinicalCodes).reviewState));
    document.addEventListener('heidi-code-review', save);
    try {
      const { el } = await mountLoaded({ user, sessionId: SESSION, props: { reviewer: REVIEWER } });
      const [a, b] = cards(el) as [HTMLElement, HTMLElement];
      button(a, 'Accept ').click();
      button(b, 'Reject ').click();
      await settle(el);
      const state = JSON.parse(saved) as { sessionId: string; decisions: Record<string, { status: string }>; audit: unknown[] };
      expect(state.sessionId).to.equal(SESSION);
      expect(state.decisions[idOf(a)]!.status).to.equal('ACCEPTED');
      expect(state.decisions[idOf(b)]!.status).to.equal('REJECTED');
      expect(state.audit).to.have.length(2);
      const [idA, idB] = [idOf(a), idOf(b)];
      el.parentElement!.remove();
      // Another workstation: nothing in this browser's storage.
      sessionStorage.clear();
      // The host sets it before the codes load: applied when they load.
      const { el: fresh } = await mountLoaded({ user, sessionId: SESSION, props: { reviewState: JSON.parse(saved) } });
      await settle(fresh);
      expect(statusOf(fresh, idA)).to.equal('ACCEPTED');
      expect(statusOf(fresh, idB)).to.equal('REJECTED');
      expect(fresh.reviewState!.audit.map((e) => e.statusAfter)).to.deep.equal(['ACCEPTED', 'REJECTED']);
      expect(fresh.reviewState!.audit[0]!.reviewer).to.deep.equal(REVIEWER);
      // And the audit goes on from there.
      const { detail } = await commitWith(fresh);
      expect(detail.audit).to.have.length(2);
      expect(detail.codes.map((x) => x.entityId)).to.deep.equal([idA]);
    } finally {
      document.removeEventListener('heidi-code-review', save);
    }
  });

  it("the codes sent keep their names in reviewState once the review is read back from this browser's storage", async () => {
    const user = newUser('draft');
    const { el } = await mountLoaded({ user, sessionId: SESSION });
    const [a, b] = cards(el) as [HTMLElement, HTMLElement];
    button(a, 'Accept ').click();
    button(b, 'Accept ').click();
    await settle(el);
    const { detail } = await commitWith(el);
    const names = detail.codes.map((c) => [c.code, c.display]).sort();
    expect(names.every(([, display]) => !!display)).to.equal(true);
    el.parentElement!.remove();
    // The page reloads: the review comes back from sessionStorage, which keeps no names.
    const { el: fresh } = await mountLoaded({ user, sessionId: SESSION });
    await settle(fresh);
    const sent = fresh.reviewState!.sent!.codes.map((c) => [c.code, c.display]).sort();
    expect(sent).to.deep.equal(names);
  });

  it('names in a notice the decisions whose entity no longer exists, and applies the rest', async () => {
    const { el } = await mountLoaded({ sessionId: SESSION });
    const first = cards(el)[0]!;
    const at = new Date().toISOString();
    el.reviewState = {
      sessionId: SESSION,
      decisions: { [idOf(first)]: { status: 'REJECTED', at }, 'icd_10_cm:GONE.1': { status: 'ACCEPTED', at } },
      audit: [],
    };
    await settle(el);
    expect(statusOf(el, idOf(first))).to.equal('REJECTED');
    expect(notices(el).join(' ')).to.contain('1 saved decision is for codes no longer suggested');
    await expect(el).to.be.accessible();
  });

  for (const [name, value] of [
    ['another session', { sessionId: 'fx-other', decisions: {}, audit: [] }],
    ['corrupt JSON text', '{"sessionId": "fx-knee-oa", "decis'],
    ['a wrong shape', { sessionId: SESSION, decisions: { x: { status: 'MAYBE', at: 'never' } }, audit: 'all of it' }],
    ['not an object', 42],
  ] as const) {
    it(`${name} is a config heidi-error, never a crash`, async () => {
      const { el } = await mountLoaded({ sessionId: SESSION });
      const before = cards(el).map((c) => c.getAttribute('status'));
      const error = new Promise<ErrorDetail>((resolve) => el.addEventListener('heidi-error', (e) => resolve(e.detail), { once: true }));
      el.reviewState = value;
      const detail = await error;
      expect(detail.code).to.equal('config');
      expect(detail.message).to.contain('reviewState');
      await settle(el);
      expect(cards(el).map((c) => c.getAttribute('status'))).to.deep.equal(before);
    });
  }
});

describe('hand-off: reviewState null or undefined is "not set"', () => {
  for (const value of [null, undefined]) {
    it(`${value} set after or before the codes load: no heidi-error, nothing restored, a waiting review dropped`, async () => {
      const errors: ErrorDetail[] = [];
      const onError = (e: Event) => errors.push((e as CustomEvent<ErrorDetail>).detail);
      document.addEventListener('heidi-error', onError);
      try {
        const { el } = await mountLoaded({ sessionId: SESSION });
        const id = idOf(cards(el)[0]!);
        (el as { reviewState: unknown }).reviewState = value;
        await settle(el);
        expect(errors).to.deep.equal([]);
        expect(el.reviewState!.decisions).to.deep.equal({});

        // Set before the load (a React host restoring JSON.parse(storage), which is null): the review set earlier waits no more.
        const at = new Date().toISOString();
        const late = document.createElement('heidi-clinical-codes');
        late.setAttribute('api-base', '/mock-heidi');
        late.setAttribute('token-url', tokenUrl(newUser()));
        late.setAttribute('session-id', SESSION);
        late.reviewState = { sessionId: SESSION, decisions: { [id]: { status: 'REJECTED', at } }, audit: [] };
        (late as { reviewState: unknown }).reviewState = value;
        const loaded = oneEvent(late, 'heidi-codes-load');
        (await fixture<HTMLDivElement>(html`<div></div>`)).append(late);
        await loaded;
        await settle(late);
        expect(statusOf(late, id)).to.equal('PENDING');
        expect(errors).to.deep.equal([]);
        await expect(late).to.be.accessible();
      } finally {
        document.removeEventListener('heidi-error', onError);
      }
    });
  }
});

describe('hand-off: two pages, one review', () => {
  const frames: HTMLIFrameElement[] = [];
  afterEach(() => frames.splice(0).forEach((f) => f.remove()));

  /** A same-origin page with the built element on `sessionId`, loaded. */
  async function page(user: string): Promise<HeidiClinicalCodes> {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<!doctype html><html lang="en"><script type="module" src="/dist/heidi-clinical-codes.js"></script><body></body></html>';
    const ready = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    frames.push(frame);
    await ready;
    const win = frame.contentWindow!;
    await win.customElements.whenDefined('heidi-clinical-codes');
    const el = win.document.createElement('heidi-clinical-codes') as HeidiClinicalCodes;
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('token-url', tokenUrl(user));
    el.setAttribute('session-id', SESSION);
    const loaded = new Promise((resolve) => el.addEventListener('heidi-codes-load', resolve, { once: true }));
    win.document.body.append(el);
    await loaded;
    await el.updateComplete;
    return el;
  }

  it('a decision in one page shows in the other within a second; the later one wins, and the page that lost says so', async () => {
    const user = newUser('tabs');
    const one = await page(user);
    const two = await page(user);
    const id = idOf(cards(one)[0]!);
    const cardIn = (el: HeidiClinicalCodes) => cards(el).find((c) => idOf(c) === id)!;
    const code = codeOf(cardIn(one));

    button(cardIn(one), 'Accept ').click();
    await until(() => statusOf(two, id) === 'ACCEPTED', 'the accept to reach the other page', 1000);
    const live = (el: HeidiClinicalCodes) => shadow(el).querySelector('#live')!.textContent!;
    expect(live(one)).to.contain(`${code}: Accepted`);

    // A later, different decision on the same code in the other page wins in both.
    const t = Date.now();
    while (Date.now() === t); // a later millisecond: "later" is decided by the decision time
    button(cardIn(two), 'Reject ').click();
    await until(() => statusOf(one, id) === 'REJECTED', 'the reject to reach the first page', 1000);
    await settle(one);
    expect(statusOf(two, id)).to.equal('REJECTED');
    expect(notices(one).join(' ')).to.contain(`${code} was changed in another tab or window`);
    // Said, not only shown: the live region of the page that lost no longer says its own, overridden, accept.
    expect(live(one)).to.contain(`${code} was changed in another tab or window`);
    expect(live(one)).not.to.contain('Accepted');
    expect(notices(two)).to.deep.equal([]);
    // Both pages hold both decisions in their audit.
    expect(one.reviewState!.audit.map((e) => e.statusAfter)).to.deep.equal(['ACCEPTED', 'REJECTED']);
    expect(one.reviewState!.decisions[id]!.status).to.equal('REJECTED');
  });

  it("a decision or a send in the other page takes away this page's stale 'Sent' (it no longer says what the EHR holds)", async () => {
    const user = newUser('tabs');
    const one = await page(user);
    const two = await page(user);
    const id = idOf(cards(one)[0]!);
    const cardIn = (el: HeidiClinicalCodes) => cards(el).find((c) => idOf(c) === id)!;
    const footer = (el: HeidiClinicalCodes) => shadow(el).querySelector('.commit-msg')?.textContent?.trim() ?? '';
    button(cardIn(two), 'Accept ').click();
    await settle(two);
    await commitWith(two);
    expect(footer(two)).to.equal('Sent 1 code to the EHR.');
    await until(() => statusOf(one, id) === 'ACCEPTED', 'the accept to reach the other page', 1000);
    // The first page undoes it: the second page's "Sent 1 code" is stale at once.
    button(cardIn(one), 'Undo ').click();
    await until(() => statusOf(two, id) === 'PENDING', 'the undo to reach the second page', 1000);
    await settle(two);
    expect(footer(two)).to.not.contain('Sent 1 code');
    // And a send there (the withdrawal) leaves no "Sent" behind either, though it was already gone.
    await commitWith(one);
    expect(footer(one)).to.equal('Withdrew 1 code from the EHR.');
    await until(() => !shadow(cardIn(two)).querySelector('.sent'), 'the withdrawal to reach the second page', 1000);
    await settle(two);
    expect(footer(two)).to.not.contain('Sent');
  });

  it('a page opened after decisions were made shows them within a second, audit included', async () => {
    const user = newUser('late-tab');
    const one = await page(user);
    const [first, second] = cards(one).map(idOf);
    const cardIn = (el: HeidiClinicalCodes, id: string) => cards(el).find((c) => idOf(c) === id)!;
    button(cardIn(one, first!), 'Accept ').click();
    button(cardIn(one, second!), 'Reject ').click();
    await settle(one);

    // Frames in one tab share sessionStorage; another tab would not. Emptied, it holds nothing of the
    // first page's review, so everything the new page shows came from the open page.
    sessionStorage.clear();
    const two = await page(user);
    await until(() => statusOf(two, first!) === 'ACCEPTED' && statusOf(two, second!) === 'REJECTED', 'the late page to catch up', 1000);
    expect(two.reviewState!.audit.map((e) => [e.entityId, e.statusAfter])).to.deep.equal([
      [first, 'ACCEPTED'],
      [second, 'REJECTED'],
    ]);
    expect(notices(two)).to.deep.equal([]);

    // And it is one review from then on: a decision in the late page reaches the first.
    button(cardIn(two, first!), 'Undo ').click();
    await until(() => statusOf(one, first!) === 'PENDING', 'the undo to reach the first page', 1000);
    expect(one.reviewState!.audit.map((e) => e.statusAfter)).to.deep.equal(['ACCEPTED', 'REJECTED', 'PENDING']);
  });
});
