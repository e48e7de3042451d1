/**
 * The audit trail is bounded (MAX_AUDIT_ENTRIES): a host-set `reviewState` with more entries is a `config` error
 * decided before any entry is read (nothing applied; the host still holds its copy), and the trail kept in memory
 * and read back from storage holds the newest entries, with a notice saying how many older ones were not kept.
 * Run: node --import tsx --test test/node/audit-bound.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_AUDIT_ENTRIES, type AuditEntry } from '../../src/core/audit.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { buildModel } from '../../src/core/model.ts';
import { ReviewState, storageKey } from '../../src/core/review.ts';
import { parseReviewSnapshot } from '../../src/core/review-snapshot.ts';
import { ReviewController } from '../../src/controllers/review.ts';
import { en } from '../../src/i18n/en.ts';
import { MemoryStorage } from './memory-storage.ts';

const START = Date.parse('2026-01-01T00:00:00Z');
/** `count` distinct entries about `entityId`, one a second from `from` seconds after START. */
const entries = (count: number, from = 0, entityId = 'knee'): AuditEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    at: new Date(START + (from + i) * 1000).toISOString(),
    entityId,
    statusBefore: 'PENDING',
    statusAfter: 'ACCEPTED',
    engines: ['heidi'],
  }));

describe('a reviewState over the bound', () => {
  it('is a config error, decided from its length alone: no entry is read', () => {
    const audit = entries(MAX_AUDIT_ENTRIES + 1);
    let read = 0;
    const watched = new Proxy(audit, {
      get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && read++, Reflect.get(target, key, receiver)),
    });
    const result = parseReviewSnapshot({ sessionId: 'S1', decisions: {}, audit: watched }, 'S1');
    assert.ok(result instanceof HeidiError);
    assert.equal(result.code, 'config');
    assert.equal(result.retryable, false);
    assert.match(result.message, new RegExp(`audit: ${MAX_AUDIT_ENTRIES + 1} entries, more than ${MAX_AUDIT_ENTRIES}`));
    assert.equal(read, 0);
  });

  it('at the bound it is a saved review', () => {
    const result = parseReviewSnapshot({ sessionId: 'S1', decisions: {}, audit: entries(MAX_AUDIT_ENTRIES) }, 'S1');
    assert.ok(!(result instanceof HeidiError));
    assert.equal(result.audit.length, MAX_AUDIT_ENTRIES);
  });
});

class FakeHost extends EventTarget {
  readonly = false;
  isConnected = false;
  apiBase = 'https://api';
  tokenUrl = '/t';
  sessionId = 'S1';
  reviewer = undefined;
  addController(): void {}
  requestUpdate(): void {}
}

function opened() {
  const model = buildModel(
    {
      session_id: 'S1',
      clinical_entities: [{ id: 'knee', primary_code: { code: 'M17.11', code_name: 'OA knee', code_system: 'icd_10_cm', score: 0.9 } }],
    } as never,
    undefined,
    undefined,
  );
  const host = new FakeHost();
  const errors: { code: string; message: string }[] = [];
  host.addEventListener('heidi-error', (e) => errors.push((e as CustomEvent<{ code: string; message: string }>).detail));
  const review = new ReviewController(host as never, {
    onChange: () => undefined,
    locale: { messages: en },
    announcer: { announce: () => undefined, announceNotice: () => undefined },
  });
  const state = review.open('S1', model.entities);
  return { review, state, errors };
}

describe('restoring through the element', () => {
  it('a reviewState over the bound applies nothing and is a heidi-error', () => {
    const { review, state, errors } = opened();
    state.log(entries(2));
    review.restore({
      sessionId: 'S1',
      decisions: { knee: { status: 'ACCEPTED', at: '2026-06-01T00:00:00Z' } },
      audit: entries(MAX_AUDIT_ENTRIES + 1, 100),
    });
    assert.deepEqual(
      errors.map((e) => e.code),
      ['config'],
    );
    assert.equal(state.status('knee'), 'PENDING');
    assert.equal(state.audit.length, 2);
    assert.deepEqual(review.notices, []);
  });

  it('a merge past the bound keeps the newest entries and says how many older ones were not kept', () => {
    const { review, state, errors } = opened();
    state.log(entries(3));
    review.restore({ sessionId: 'S1', decisions: {}, audit: entries(MAX_AUDIT_ENTRIES, 10) });
    assert.deepEqual(errors, []);
    assert.equal(state.audit.length, MAX_AUDIT_ENTRIES);
    assert.equal(state.audit[0]!.at, entries(1, 10)[0]!.at, 'the three oldest, the local ones, are the ones left out');
    assert.equal(state.auditDropped, 3);
    assert.deepEqual(review.notices, [en.auditTrimmed(3, MAX_AUDIT_ENTRIES)]);
  });
});

describe('the stored trail', () => {
  it('read back over the bound: the newest entries are kept, and the decisions', () => {
    const storage = new MemoryStorage();
    const stored = entries(MAX_AUDIT_ENTRIES + 5);
    storage.setItem(storageKey('S1'), JSON.stringify({ v: 1, d: { knee: { s: 'ACCEPTED' } }, sent: [], a: stored }));
    const state = new ReviewState('S1', { storage });
    assert.equal(state.status('knee'), 'ACCEPTED');
    assert.equal(state.audit.length, MAX_AUDIT_ENTRIES);
    assert.deepEqual(state.audit.at(0), stored[5]);
    assert.deepEqual(state.audit.at(-1), stored.at(-1));
    assert.equal(state.auditDropped, 5);
    assert.equal(state.lastDecisionTime('knee'), stored.at(-1)!.at);
  });

  it('never grows past the bound as decisions are logged, so what is saved can be read back whole', () => {
    const storage = new MemoryStorage();
    const state = new ReviewState('S1', { storage });
    state.log(entries(MAX_AUDIT_ENTRIES));
    state.log(entries(2, MAX_AUDIT_ENTRIES));
    assert.equal(state.audit.length, MAX_AUDIT_ENTRIES);
    assert.equal(state.auditDropped, 2);
    state.flush();
    const reread = new ReviewState('S1', { storage });
    assert.equal(reread.audit.length, MAX_AUDIT_ENTRIES);
    assert.equal(reread.auditDropped, 0);
  });
});
