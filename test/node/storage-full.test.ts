/**
 * A browser storage that refuses a write (QuotaExceededError) is told, once, not swallowed: the review's save and
 * the tab sync's storage transport report it (`onStored(false)`), keep everything in memory, try again at the
 * next save, and report when a write is taken again (`onStored(true)`). What the element shows and says of it:
 * test/browser/storage-full.test.ts.
 * Run: node --import tsx --test test/node/storage-full.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/core/model.ts';
import { ReviewState, SAVE_AT_ONCE_UP_TO, SAVE_DELAY_MS, storageKey } from '../../src/core/review.ts';
import { ReviewSync } from '../../src/core/review-sync.ts';
import { MemoryStorage } from './memory-storage.ts';

/** A storage that throws what a full one throws while `full` is set. */
class FullableStorage extends MemoryStorage {
  full = false;
  refused = 0;
  override setItem(key: string, value: string): void {
    if (this.full) {
      this.refused++;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    super.setItem(key, value);
  }
}

const { entities } = buildModel(
  {
    session_id: 's1',
    clinical_entities: ['M17.11', 'E66.9', 'I10'].map((code, i) => ({
      id: `e${i}`,
      primary_code: { code, code_name: code, code_system: 'icd_10_cm', score: 0.9 },
    })),
  },
  undefined,
  undefined,
);
const [knee, obesity, htn] = entities as [(typeof entities)[0], (typeof entities)[0], (typeof entities)[0]];

describe('ReviewState: a refused save', () => {
  it('is told once, keeps every decision in memory, is tried again at the next save, and its recovery is told', () => {
    const storage = new FullableStorage();
    const told: boolean[] = [];
    const review = new ReviewState('s1', { storage, onStored: (stored) => told.push(stored) });
    review.setStatus(knee, 'ACCEPTED');
    assert.deepEqual(told, [], 'a save that is written says nothing');

    storage.full = true;
    review.setStatus(obesity, 'REJECTED');
    review.setStatus(htn, 'ACCEPTED');
    assert.deepEqual(told, [false], 'told once, not at every refused save');
    assert.equal(storage.refused, 2, 'each save tried again');
    assert.deepEqual([review.status(obesity.id), review.status(htn.id)], ['REJECTED', 'ACCEPTED'], 'nothing lost in memory');
    // The stored copy is behind: a reload now would see only the first decision.
    assert.equal(new ReviewState('s1', { storage }).status(obesity.id), 'PENDING');

    storage.full = false;
    review.setStatus(htn, 'REJECTED');
    assert.deepEqual(told, [false, true]);
    const reloaded = new ReviewState('s1', { storage });
    assert.deepEqual(
      [knee, obesity, htn].map((e) => reloaded.status(e.id)),
      ['ACCEPTED', 'REJECTED', 'REJECTED'],
      'the next save wrote everything kept meanwhile',
    );
  });

  it('a flush (page hidden or left) tries a refused save again, with no change to make', () => {
    const storage = new FullableStorage();
    const told: boolean[] = [];
    const review = new ReviewState('s1', { storage, onStored: (stored) => told.push(stored) });
    storage.full = true;
    review.setStatus(knee, 'ACCEPTED');
    storage.full = false;
    review.flush();
    assert.deepEqual(told, [false, true]);
    assert.equal(new ReviewState('s1', { storage }).status(knee.id), 'ACCEPTED');
    review.flush();
    assert.equal(storage.refused, 1, 'a flush with nothing refused or pending writes nothing');
    assert.ok(storage.getItem(storageKey('s1')));
  });

  it('a large review, saved SAVE_DELAY_MS after a burst, tells the refusal of that delayed save', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const storage = new FullableStorage();
    const told: boolean[] = [];
    const review = new ReviewState('s1', { storage, onStored: (stored) => told.push(stored) });
    const many = Array.from({ length: SAVE_AT_ONCE_UP_TO + 1 }, (_, i) => ({ ...knee, id: `m${i}` }));
    review.setStatuses(many, 'ACCEPTED');
    storage.full = true;
    review.setStatus(knee, 'REJECTED');
    assert.deepEqual(told, []);
    t.mock.timers.tick(SAVE_DELAY_MS);
    assert.deepEqual(told, [false]);
  });
});

describe('ReviewSync: the storage transport refuses a message', () => {
  it('is told once while it refuses, and again when a message is taken', () => {
    const storage = new FullableStorage();
    const told: boolean[] = [];
    const sync = new ReviewSync({ sessionId: 's1', onRemote: () => {}, channel: null, storage, onStored: (stored) => told.push(stored) });
    try {
      sync.publish(knee.id, { status: 'ACCEPTED' });
      storage.full = true;
      sync.publish(knee.id, { status: 'REJECTED' });
      sync.publish(obesity.id, { status: 'REJECTED' });
      assert.deepEqual(told, [false]);
      storage.full = false;
      sync.publish(htn.id, { status: 'ACCEPTED' });
      assert.deepEqual(told, [false, true]);
      assert.equal(sync.lastAt(obesity.id) !== undefined, true, 'the decision still counts in this tab');
    } finally {
      sync.close();
    }
  });
});
