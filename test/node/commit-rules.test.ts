/**
 * The pure rules under the hand-off and the commit hardening: the
 * wrong-patient guard (issue 15.11) and the review's audit trail and
 * "what the host holds" as they are kept in storage (issue 14).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditEntry } from '../../src/core/audit.ts';
import { patientBlock } from '../../src/core/payloads.ts';
import { ReviewState, storageKey } from '../../src/core/review.ts';
import type { Session } from '../../src/core/schemas.ts';
import { MemoryStorage } from './memory-storage.ts';

const session = (ehr_patient_id: string | null | undefined) => ({ session_id: 's1', ehr_patient_id }) as Session;
const KNEE = {
  system: 'http://hl7.org/fhir/sid/icd-10-cm',
  code: 'M17.11',
  display: 'Unilateral primary osteoarthritis, right knee',
  codeSystem: 'icd_10_cm',
};

describe('the wrong-patient guard', () => {
  it('sends only once the session patient equals the host patient', () => {
    assert.equal(patientBlock('', session('P1')), undefined, 'no host patient: nothing to guard');
    assert.equal(patientBlock('P1', session('P1')), undefined);
    assert.equal(patientBlock('P1', session('P2')), 'other');
    for (const unlinked of [null, undefined, '']) assert.equal(patientBlock('P1', session(unlinked)), 'unlinked', String(unlinked));
    assert.equal(patientBlock('P1', undefined), 'unlinked', 'a session that could not be read cannot be proved');
  });
});

describe('the review keeps its audit trail and what the host holds', () => {
  it('survives a reload, without code names or reviewer names in storage', () => {
    const storage = new MemoryStorage();
    const first = new ReviewState('s1', { storage });
    const entry = auditEntry(
      { entityId: 'e1', statusBefore: 'PENDING', statusAfter: 'ACCEPTED', codeBefore: KNEE, codeAfter: KNEE },
      {
        at: '2026-12-01T10:00:00.000Z',
        engines: ['heidi'],
        score: 0.9,
        reviewer: { reference: 'Practitioner/7', display: 'Dr Mother Name' },
      },
    );
    first.apply('e1', { status: 'ACCEPTED' }, entry);
    first.markSent([{ entityId: 'e1', ...KNEE }]);
    first.flush();
    const raw = storage.getItem(storageKey('s1'))!;
    assert.doesNotMatch(raw, /osteoarthritis|knee|Mother|Dr /i);
    const again = new ReviewState('s1', { storage });
    assert.equal(again.status('e1'), 'ACCEPTED');
    assert.deepEqual(
      again.audit.map((e) => [e.at, e.entityId, e.statusBefore, e.statusAfter, e.codeAfter?.code, e.score, e.reviewer?.reference]),
      [['2026-12-01T10:00:00.000Z', 'e1', 'PENDING', 'ACCEPTED', 'M17.11', 0.9, 'Practitioner/7']],
    );
    assert.deepEqual(again.sentCodes, [{ entityId: 'e1', codeSystem: 'icd_10_cm', code: 'M17.11', system: KNEE.system, display: '' }]);
  });

  it('markSent is what the host holds now (a later send replaces it); apply of an undo removes the decision', () => {
    const review = new ReviewState('s1', { storage: null });
    review.markSent([
      { entityId: 'e1', codeSystem: 'icd_10_cm', code: 'A' },
      { entityId: 'e2', codeSystem: 'icd_10_cm', code: 'B' },
    ]);
    review.markSent([{ entityId: 'e2', codeSystem: 'icd_10_cm', code: 'B' }]);
    assert.deepEqual(
      review.sentCodes.map((c) => c.entityId),
      ['e2'],
    );
    assert.equal(review.apply('e2', { status: 'REJECTED' }), true);
    assert.equal(review.apply('e2', { status: 'REJECTED' }), false, 'the same decision changes nothing');
    assert.equal(review.apply('e2', { status: 'PENDING' }), true);
    assert.equal(review.snapshot.has('e2'), false);
  });

  it('a corrupt audit in storage is dropped, the decisions kept', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey('s1'), JSON.stringify({ v: 1, d: { e1: { s: 'REJECTED' } }, sent: ['old|format'], a: [{ at: 'never' }] }));
    const review = new ReviewState('s1', { storage });
    assert.equal(review.status('e1'), 'REJECTED');
    assert.deepEqual([review.audit, review.sentCodes], [[], []]);
  });
});
