/**
 * A code keeps its decision and its sent state whichever engine answered first (review pass 3, bug 1):
 * a card's id is Heidi's when Heidi answered, else a peer's, so an engine down on a reload used to drop
 * the decision and make the next send withdraw the code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditEntry } from '../../src/core/audit.ts';
import { matchStaleIds } from '../../src/core/card-match.ts';
import type { CodeView, EntityView } from '../../src/core/model.ts';
import { ReviewState } from '../../src/core/review.ts';
import { sendDiff } from '../../src/core/send-diff.ts';
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
