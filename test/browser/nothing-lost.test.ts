/**
 * Nothing lost: decisions made while the network is gone, or while the
 * host's write-back fails, survive a reload (the element re-created on the
 * same session restores them from sessionStorage) and are sent once the
 * host's commit succeeds. Commits are idempotent: every successful commit
 * sends the whole accepted set (already-sent codes included, each once),
 * and sent codes stay marked sent, across reloads too.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { storageKey } from '../../src/core/review.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { button, cards, mountLoaded, newUser, shadow, until, settle } from './helpers.ts';

const SESSION = 'fx-knee-oa';

const codeOf = (c: HTMLElement) => shadow(c).querySelector('.code')!.textContent!.trim();
const cardFor = (el: HeidiClinicalCodes, entityId: string) => cards(el).find((c) => c.getAttribute('data-id') === entityId)!;

function statuses(el: HeidiClinicalCodes): Record<string, string> {
  return Object.fromEntries(cards(el).map((c) => [c.getAttribute('data-id')!, c.getAttribute('status')!]));
}

function sentIds(el: HeidiClinicalCodes): string[] {
  return cards(el)
    .filter((c) => shadow(c).querySelector('.sent'))
    .map((c) => c.getAttribute('data-id')!)
    .sort();
}

/** Commit with the host's write-back resolving or rejecting; returns what commit() resolved and the event detail. */
async function commitWith(
  el: HeidiClinicalCodes,
  hostWrite: () => Promise<unknown>,
): Promise<{ ok: boolean; detail: CodesCommitDetail | undefined }> {
  let detail: CodesCommitDetail | undefined;
  el.addEventListener(
    'heidi-codes-commit',
    (e) => {
      detail = e.detail;
      e.detail.waitUntil(hostWrite());
    },
    { once: true },
  );
  const ok = await el.commit();
  await settle(el);
  return { ok, detail };
}

const sentSet = (detail: CodesCommitDetail | undefined) =>
  (detail?.codes ?? []).map((c) => `${c.entityId}|${c.codeSystem}|${c.code}`).sort();

/** Remove the element (a page reload, as far as it is concerned) and create it again on the same session. */
async function reload(el: HeidiClinicalCodes, user: string): Promise<HeidiClinicalCodes> {
  el.parentElement?.remove();
  const { el: again } = await mountLoaded({ user, sessionId: SESSION });
  await settle(again);
  return again;
}

describe('nothing lost', () => {
  // wtr reuses a window across test files, and sessionStorage lives as long as the window: start clean.
  beforeEach(() => sessionStorage.clear());
  afterEach(() => sessionStorage.clear());

  it('decisions made offline (every request failing) survive a reload and are sent once the host commit succeeds', async () => {
    const user = newUser('lost');
    const { el } = await mountLoaded({ user, sessionId: SESSION });
    const [a, b, c] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    const [idA, idB, idC] = [a, b, c].map((x) => x.getAttribute('data-id')!) as [string, string, string];
    // The network goes away.
    const offline = spyOnFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    try {
      button(a, 'Accept ').click();
      button(b, 'Accept ').click();
      button(c, 'Reject ').click();
      await settle(el);
      // The host cannot write either while offline: the element says so and keeps everything.
      const failed = await commitWith(el, () => Promise.reject(new Error('EHR unreachable')));
      expect(failed.ok).to.equal(false);
      expect(sentIds(el)).to.deep.equal([]);
      // A reload attempt fails (network error) without touching the decisions.
      const error = new Promise<CustomEvent>((r) => el.addEventListener('heidi-error', (e) => r(e as CustomEvent), { once: true }));
      void el.refresh();
      expect((await error).detail.code).to.equal('network');
      expect(offline.calls.length).to.be.greaterThan(0);
    } finally {
      offline.restore();
    }
    const stored = JSON.parse(sessionStorage.getItem(storageKey(SESSION))!) as { d: Record<string, { s: string }>; sent: string[] };
    expect(stored.d[idA]?.s).to.equal('ACCEPTED');
    expect(stored.d[idC]?.s).to.equal('REJECTED');
    expect(stored.sent).to.deep.equal([]);

    // Back online, the page reloads: the element restores the decisions.
    const again = await reload(el, user);
    expect(statuses(again)).to.include({ [idA]: 'ACCEPTED', [idB]: 'ACCEPTED', [idC]: 'REJECTED' });
    expect(sentIds(again)).to.deep.equal([]);
    const sent = await commitWith(again, () => Promise.resolve());
    expect(sent.ok).to.equal(true);
    expect(sent.detail!.codes.map((x) => x.entityId).sort()).to.deep.equal([idA, idB].sort());
    expect(sentIds(again)).to.deep.equal([idA, idB].sort());
  });

  it('a decision made while a commit is failing survives a reload; nothing is marked sent until the host succeeds', async () => {
    const user = newUser('lost');
    const { el } = await mountLoaded({ user, sessionId: SESSION });
    const [a, b, c] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    const [idA, idB, idC] = [a, b, c].map((x) => x.getAttribute('data-id')!) as [string, string, string];
    button(a, 'Accept ').click();
    button(b, 'Accept ').click();
    await settle(el);
    // The host's write is slow and will fail; meanwhile the reviewer changes their mind and accepts another.
    let fail!: (e: Error) => void;
    let detail: CodesCommitDetail | undefined;
    el.addEventListener(
      'heidi-codes-commit',
      (e) => {
        detail = e.detail;
        e.detail.waitUntil(new Promise((_, reject) => (fail = reject)));
      },
      { once: true },
    );
    const committing = el.commit();
    await settle(el);
    expect(detail!.codes.map((x) => x.entityId).sort()).to.deep.equal([idA, idB].sort());
    button(cardFor(el, idB), 'Reject ').click();
    button(cardFor(el, idC), 'Accept ').click();
    await settle(el);
    fail(new Error('EHR returned 503'));
    expect(await committing).to.equal(false);
    await settle(el);
    expect(sentIds(el)).to.deep.equal([]);

    const again = await reload(el, user);
    expect(statuses(again)).to.include({ [idA]: 'ACCEPTED', [idB]: 'REJECTED', [idC]: 'ACCEPTED' });
    expect(sentIds(again)).to.deep.equal([]);
    const sent = await commitWith(again, () => Promise.resolve());
    expect(sent.ok).to.equal(true);
    expect(sent.detail!.codes.map((x) => x.entityId).sort()).to.deep.equal([idA, idC].sort());
    expect(sentIds(again)).to.deep.equal([idA, idC].sort());
  });

  it('commit is idempotent: the same set each time, no duplicates, sent stays sent (across a reload too)', async () => {
    const user = newUser('lost');
    const { el } = await mountLoaded({ user, sessionId: SESSION });
    const [a, b, c] = cards(el) as [HTMLElement, HTMLElement, HTMLElement];
    const [idA, idB, idC] = [a, b, c].map((x) => x.getAttribute('data-id')!) as [string, string, string];
    button(a, 'Accept ').click();
    // A swapped code is sent as the chosen code.
    shadow(b).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await until(() => !!shadow(b).querySelector('details[part="similar"] button'), 'similar codes');
    shadow(b).querySelector<HTMLButtonElement>('details[part="similar"] button')!.click();
    await settle(el);
    const swappedCode = codeOf(cardFor(el, idB));

    const first = await commitWith(el, () => Promise.resolve());
    expect(first.ok).to.equal(true);
    expect(first.detail!.codes.find((x) => x.entityId === idB)!.code).to.equal(swappedCode);
    expect(sentIds(el)).to.deep.equal([idA, idB].sort());

    // Again with no change: resolves true and sends the same set again (the host must treat it as an upsert).
    const second = await commitWith(el, () => Promise.resolve());
    expect(second.ok).to.equal(true);
    expect(sentSet(second.detail)).to.deep.equal(sentSet(first.detail));
    expect(new Set(second.detail!.codes.map((x) => x.entityId)).size, 'no duplicates in the detail').to.equal(second.detail!.codes.length);
    expect(sentIds(el)).to.deep.equal([idA, idB].sort());
    expect(deepEqualCodes(second.detail!, first.detail!)).to.equal(true);

    // One more accepted: the whole accepted set is sent, each code once; the earlier ones stay sent.
    button(c, 'Accept ').click();
    await settle(el);
    expect(sentIds(el)).to.deep.equal([idA, idB].sort());
    const third = await commitWith(el, () => Promise.resolve());
    expect(third.detail!.codes.map((x) => x.entityId).sort()).to.deep.equal([idA, idB, idC].sort());
    expect(new Set(third.detail!.codes.map((x) => x.entityId)).size).to.equal(3);
    expect(sentIds(el)).to.deep.equal([idA, idB, idC].sort());
    const stored = JSON.parse(sessionStorage.getItem(storageKey(SESSION))!) as { sent: string[] };
    expect(stored.sent).to.have.length(3);
    expect(new Set(stored.sent).size).to.equal(3);

    // After a reload the sent marks are still there, and a commit sends the same set again.
    const again = await reload(el, user);
    expect(sentIds(again)).to.deep.equal([idA, idB, idC].sort());
    const fourth = await commitWith(again, () => Promise.resolve());
    expect(fourth.ok).to.equal(true);
    expect(sentSet(fourth.detail)).to.deep.equal(sentSet(third.detail));
    expect((JSON.parse(sessionStorage.getItem(storageKey(SESSION))!) as { sent: string[] }).sent).to.have.length(3);
  });
  it('a review too large to save on every key is saved when the page is hidden or left, and when the element goes', async () => {
    const user = newUser('lost');
    const ids = new Promise<string[]>((resolve) =>
      document.addEventListener('heidi-codes-load', (e) => resolve(e.detail.entities.map((x) => x.entityId)), { once: true }),
    );
    const { el } = await mountLoaded({ user, sessionId: 'generated-2000' });
    const all = await ids;
    const at = new Date().toISOString();
    // Every code decided (another workstation's review): 2,000 decisions, over SAVE_AT_ONCE_UP_TO with their audit.
    el.reviewState = {
      sessionId: 'generated-2000',
      decisions: Object.fromEntries(all.map((id) => [id, { status: 'REJECTED' as const, at }])),
      audit: all
        .slice(0, 10)
        .map((entityId) => ({ at, entityId, statusBefore: 'PENDING' as const, statusAfter: 'REJECTED' as const, engines: ['heidi'] })),
    };
    await settle(el);
    const stored = () =>
      JSON.parse(sessionStorage.getItem(storageKey('generated-2000')) ?? '{"d":{}}') as { d: Record<string, { s: string }> };
    dispatchEvent(new Event('pagehide'));
    const first = cards(el)[0]!;
    const id = first.dataset.id!;
    expect(stored().d[id]?.s, 'saved when the page was left').to.equal('REJECTED');
    button(first, 'Accept ').click();
    await settle(el);
    expect(stored().d[id]?.s, 'not yet written: saved with the next burst').to.equal('REJECTED');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(stored().d[id]?.s, 'saved when the page was hidden').to.equal('ACCEPTED');
    button(first, 'Undo ').click();
    await settle(el);
    el.remove();
    await Promise.resolve();
    expect(stored().d[id], 'saved when the element left (an undo)').to.equal(undefined);
  });
});

function deepEqualCodes(a: CodesCommitDetail, b: CodesCommitDetail): boolean {
  const norm = (d: CodesCommitDetail) => JSON.stringify([...d.codes].sort((x, y) => x.entityId.localeCompare(y.entityId)));
  return norm(a) === norm(b);
}
