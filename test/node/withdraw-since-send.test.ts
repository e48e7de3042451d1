/**
 * Review rv6a items 2 and 3, with the real controllers on a fake host (review-harness.ts): a sent code leaves the
 * host's list only through a decision made after it was sent, on the card it was sent under or on a card offering it
 * as its suggested or chosen code; and `codes`, `fhir` and the Send count list what the host holds after the send,
 * codes kept from an earlier send that no card holds included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, code, codesOf, kneeUlcerModel, setUp } from './review-harness.ts';

const heidiModel = kneeUlcerModel;

/** Swap the ulcer to Z87.11 and send it; Heidi then answers without Z87.11 (the swap is dropped, the card pending). */
async function sentSwapThenDropped(extra: object[] = []) {
  const t = setUp(heidiModel(true, extra));
  const ulcer = t.entity('ulcer');
  t.review.swap(ulcer, ulcer.similar[0]!);
  assert.equal(await t.commit.commit(), true);
  t.reload(heidiModel(false, extra));
  assert.equal(t.review.state!.status('ulcer'), 'PENDING', 'the swap was dropped');
  return t;
}

const held = (t: { review: { state?: { sentCodes: { code: string }[] } } }) => codesOf(t.review.state!.sentCodes).sort();

describe('a sent code is withdrawn by a decision made since the send', () => {
  it('a dropped swap: rejecting the card it was sent under withdraws it', async () => {
    const t = await sentSwapThenDropped();
    assert.equal(t.commit.withdrawals, 0, 'dropped by the system: nothing to withdraw');
    t.review.setStatus(t.entity('ulcer'), 'REJECTED');
    assert.equal(t.commit.withdrawals, 1, 'the reviewer rejected the card that sent Z87.11');
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual([codesOf(t.last().added), codesOf(t.last().removed), codesOf(t.last().codes)], [['M17.11'], ['Z87.11'], ['M17.11']]);
    assert.deepEqual(held(t), ['M17.11']);
  });

  it('a dropped swap: accepting the card with its other code replaces it (never both for one entity)', async () => {
    const t = await sentSwapThenDropped();
    t.review.setStatus(t.entity('ulcer'), 'ACCEPTED');
    assert.equal(t.commit.withdrawals, 1);
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual([codesOf(t.last().added), codesOf(t.last().removed)], [['K27.9'], ['Z87.11']]);
    assert.deepEqual(held(t), ['K27.9']);
  });

  it('a decision made while the host is writing is one since the send: it withdraws what that send sent', async () => {
    const t = setUp(heidiModel());
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    let confirm!: () => void;
    t.host.addEventListener('heidi-codes-commit', (e) => (e as CustomEvent).detail.waitUntil(new Promise<void>((r) => (confirm = r))));
    const sending = t.commit.commit();
    t.review.setStatus(t.entity('knee'), 'REJECTED');
    confirm();
    assert.equal(await sending, true);
    assert.deepEqual(held(t), ['M17.11'], 'the host confirmed what it was sent');
    assert.equal(t.commit.withdrawals, 1, 'the rejection came after the codes were taken');
  });

  it('another card offering the code as its suggestion, rejected since the send, withdraws it', async () => {
    const z87 = { id: 'history', primary_code: code('Z87.11'), location_in_note: [at('Old ulcer')] };
    const t = await sentSwapThenDropped([z87]);
    assert.equal(t.commit.withdrawals, 0, 'pending and undecided: Z87.11 stays');
    t.review.setStatus(t.entity('history'), 'REJECTED');
    assert.equal(t.commit.withdrawals, 1);
    t.review.setStatus(t.entity('history'), 'ACCEPTED');
    assert.equal(t.commit.withdrawals, 0, 'accepted: a card holds it');
  });
});

describe('a kept code and a card that chose it since the send', () => {
  it('swapped to it and back again (accepted with another code): withdrawn; swapped to it: a card holds it', async () => {
    const z87 = { id: 'history', primary_code: code('Z87.11'), location_in_note: [at('Old ulcer')] };
    // Sent from its own card (as a peer's), which this load lacks: the ulcer card lists it as an alternative only.
    const t = setUp(heidiModel(true, [z87]));
    t.review.setStatus(t.entity('history'), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    t.reload(heidiModel(true));
    assert.deepEqual([t.commit.withdrawals, t.list.sendCount], [0, 1], 'kept, and counted');
    const ulcer = t.entity('ulcer');
    t.review.swap(ulcer, ulcer.similar[0]!);
    assert.deepEqual([t.commit.withdrawals, t.list.sendCount], [0, 1], 'the ulcer card holds Z87.11 now');
    t.review.swap(ulcer, ulcer.primary);
    assert.deepEqual([t.commit.withdrawals, t.list.sendCount], [1, 1], 'the card that chose Z87.11 was accepted with K27.9');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual([codesOf(t.last().codes), codesOf(t.last().removed)], [['K27.9'], ['Z87.11']]);
  });
});

describe('codes, fhir and the Send count describe what the host holds after the send', () => {
  it('a code kept from the last send that no card holds is in codes and fhir, with its decision time and engine', async () => {
    const t = await sentSwapThenDropped();
    const swappedAt = t.review.state!.lastDecisionTime('ulcer');
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    assert.equal(t.list.sendCount, 2, 'M17.11, and Z87.11 kept');
    assert.equal(await t.commit.commit(), true);
    const { codes, fhir, added, removed } = t.last();
    assert.deepEqual([codesOf(codes), codesOf(added), codesOf(removed)], [['M17.11', 'Z87.11'], ['M17.11'], []]);
    assert.equal(codes.length, t.list.sendCount);
    const z87 = codes.find((c) => c.code === 'Z87.11')!;
    assert.deepEqual(
      [z87.entityId, z87.display, z87.system, z87.engines, z87.evidence],
      ['ulcer', 'name Z87.11', 'http://hl7.org/fhir/sid/icd-10-cm', ['heidi'], { transcript: [], note: [] }],
    );
    const conditions = fhir.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Condition');
    const condition = conditions.find((r) => JSON.stringify(r).includes('"Z87.11"')) as { recordedDate: string } | undefined;
    assert.equal(condition?.recordedDate, swappedAt, 'the decision that sent it');
    assert.equal(fhir.entry.filter((e) => e.resource.resourceType === 'Provenance').length, 2);
    assert.deepEqual(held(t), ['M17.11', 'Z87.11']);
  });

  it('nothing else accepted: the kept code alone is still what a send carries', async () => {
    const t = await sentSwapThenDropped();
    assert.equal(t.list.sendCount, 1);
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual([codesOf(t.last().codes), codesOf(t.last().added), codesOf(t.last().removed)], [['Z87.11'], [], []]);
  });
});
