/**
 * A code keeps its decision and its sent state whichever engine answered first (review pass 3, bug 1):
 * a card's id is Heidi's when Heidi answered, else a peer's, so an engine down on a reload used to drop
 * the decision and make the next send withdraw the code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditEntry } from '../../src/core/audit.ts';
import { heldWithoutCard, matchStaleIds } from '../../src/core/card-match.ts';
import type { CodeView, EntityView } from '../../src/core/model.ts';
import { ReviewState } from '../../src/core/review.ts';
import { sendDiff } from '../../src/core/send-diff.ts';
import { mergeEngineResults } from '../../src/core/engines/merge.ts';
import { MemoryStorage } from './memory-storage.ts';

const code = (codeSystem: string, c: string, system = 'http://hl7.org/fhir/sid/icd-10-cm'): CodeView =>
  ({ system, code: c, display: c, codeSystem, systemLabel: codeSystem, kind: 'diagnosis', score: 0.9, metadata: undefined }) as CodeView;
const card = (id: string, primary: CodeView, similar: CodeView[] = []): EntityView => ({ id, primary, similar }) as unknown as EntityView;

const KNEE = code('icd_10_cm', 'M17.11');
const OBESITY = code('icd_10_cm', 'E66.9');
const heidiCards = [card('ent-knee', KNEE), card('ent-obesity', OBESITY)];
// Heidi down: the same codes, as Sully named them.
const sullyCards = [card('sully:ICD-10-CM:M17.11', code('ICD-10-CM', 'M17.11')), card('sully:ICD-10-CM:E66.9', code('ICD-10-CM', 'E66.9'))];

function decideAndSend(storage: MemoryStorage): void {
  const review = new ReviewState('s1', { storage });
  for (const entity of heidiCards) {
    const [change] = review.setStatuses([entity], 'ACCEPTED');
    review.log([
      auditEntry(
        { entityId: entity.id, statusBefore: 'PENDING', statusAfter: 'ACCEPTED', codeBefore: change!.code, codeAfter: change!.code },
        { at: '2026-12-01T10:00:00.000Z', engines: ['heidi'], score: 0.9, reviewer: undefined },
      ),
    ]);
  }
  review.markSent(heidiCards.map((e) => ({ entityId: e.id, ...e.primary })));
  review.flush();
}

describe('a decision follows its code to another card id', () => {
  it('on a reload where Heidi failed, the peer cards with the same codes are accepted and sent, and nothing is withdrawn', () => {
    const storage = new MemoryStorage();
    decideAndSend(storage);
    const reloaded = new ReviewState('s1', { storage });
    assert.equal(reloaded.rebase(sullyCards), 2);
    assert.deepEqual(
      sullyCards.map((e) => [reloaded.status(e.id), reloaded.isSent(e)]),
      [
        ['ACCEPTED', true],
        ['ACCEPTED', true],
      ],
    );
    // What the next send computes: nothing new, nothing gone.
    const held = sullyCards.map((e) => ({ entityId: e.id, ...e.primary }));
    const diff = sendDiff(reloaded.sentCodes, held);
    assert.deepEqual([diff.added, diff.removed], [[], []]);
    // The audit follows too, so the Provenance of the card still has its decision time.
    assert.equal(reloaded.lastDecisionTime('sully:ICD-10-CM:M17.11'), '2026-12-01T10:00:00.000Z');
  });

  it('comes back to the Heidi card when Heidi answers again, and survives a reload in between', () => {
    const storage = new MemoryStorage();
    decideAndSend(storage);
    new ReviewState('s1', { storage }).rebase(sullyCards);
    const back = new ReviewState('s1', { storage });
    assert.equal(back.rebase(sullyCards), 0, 'saved under the peer ids');
    assert.equal(back.rebase(heidiCards), 2);
    assert.deepEqual(
      heidiCards.map((e) => [back.status(e.id), back.isSent(e)]),
      [
        ['ACCEPTED', true],
        ['ACCEPTED', true],
      ],
    );
  });

  it('never takes a card that has a decision of its own, and a code no card has keeps its decision for later', () => {
    const storage = new MemoryStorage();
    decideAndSend(storage);
    const review = new ReviewState('s1', { storage });
    review.setStatuses([sullyCards[0]!], 'REJECTED');
    assert.equal(review.rebase([sullyCards[0]!]), 0);
    assert.equal(review.status('sully:ICD-10-CM:M17.11'), 'REJECTED', 'the decision made on this card stands');
    assert.equal(review.status('ent-knee'), 'ACCEPTED', 'kept, not applied, not lost');
  });

  it('matches one old id per card, in order (an engine repeating a code keeps two cards)', () => {
    const twice = [card('a', KNEE), card('a#2', KNEE)];
    const codes = new Map([
      ['x', KNEE],
      ['y', KNEE],
      ['z', KNEE],
    ]);
    assert.deepEqual(
      [
        ...matchStaleIds(
          ['x', 'y', 'z'],
          (id) => codes.get(id),
          twice,
          () => false,
        ),
      ],
      [
        ['x', 'a'],
        ['y', 'a#2'],
      ],
    );
  });
});

describe('what cannot follow its code stays where it was', () => {
  it("a swap to a code the peer card does not list is not moved (nor dropped): it is there when Heidi's card is back", () => {
    const storage = new MemoryStorage();
    const review = new ReviewState('s1', { storage });
    const knee = card('ent-knee', KNEE, [code('icd_10_cm', 'M17.10')]);
    review.swap(knee, knee.similar[0]!);
    review.log([
      auditEntry(
        { entityId: 'ent-knee', statusBefore: 'PENDING', statusAfter: 'ACCEPTED', codeBefore: KNEE, codeAfter: knee.similar[0]! },
        { at: '2026-12-01T10:00:00.000Z', engines: ['heidi'], score: 0.5, reviewer: undefined },
      ),
    ]);
    assert.equal(review.rebase([sullyCards[0]!]), 0);
    assert.equal(review.status(sullyCards[0]!.id), 'PENDING');
    assert.deepEqual(review.snapshot.get('ent-knee'), { status: 'ACCEPTED', swappedTo: { codeSystem: 'icd_10_cm', code: 'M17.10' } });
    assert.equal(review.rebase([knee]), 0);
    assert.equal(review.chosenCode(knee).code, 'M17.10');
  });

  it('a sent code no card of this load has, under any id, is still held: neither sent again nor withdrawn', () => {
    const sent = [
      { entityId: 'ent-knee', ...KNEE },
      { entityId: 'ent-ulcer', ...code('icd_10_cm', 'K27.9') },
    ];
    // Heidi down: the peers suggest M17.11 (under another id) but not K27.9.
    assert.deepEqual(
      heldWithoutCard(sent, sullyCards).map((c) => c.code),
      ['K27.9'],
    );
    assert.deepEqual(
      heldWithoutCard(sent, [...heidiCards, card('ent-ulcer', code('icd_10_cm', 'K27.9'))]),
      [],
      'a card with the id decides',
    );
  });
});

describe('merged cards', () => {
  it('two engines quoting the same words give one quote, located or not', () => {
    const quote = { location: 'exact', text: 'Right knee osteoarthritis', start: 0, end: 25 } as const;
    const lost = { location: 'unlocated', text: 'knee pain on stairs' } as const;
    const heidi = { ...card('ent-knee', KNEE), transcript: [], note: [quote], context: [], engines: [{ engine: 'heidi' }] };
    const sully = {
      ...card('sully:ICD-10-CM:M17.11', code('ICD-10-CM', 'M17.11')),
      transcript: [],
      note: [quote, lost, lost],
      context: [],
      engines: [{ engine: 'sully' }],
    };
    const [merged, ...rest] = mergeEngineResults([
      { engine: 'heidi', entities: [heidi as unknown as EntityView], discarded: [], runId: undefined },
      { engine: 'sully', entities: [sully as unknown as EntityView], discarded: [], runId: undefined },
    ]);
    assert.equal(rest.length, 0);
    assert.deepEqual(merged!.note, [quote, lost]);
  });
});
