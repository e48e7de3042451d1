/**
 * The hand-off's pure parts: audit entries, the reviewState snapshot (round
 * trip, corrupt and foreign input, unknown entities) and the send diff.
 * Run: node --import tsx --test test/node/handoff-core.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { auditEntry, lastDecisionTimes, type AuditEntry } from '../../src/core/audit.ts';
import { parseReviewSnapshot, reviewSnapshot, splitSnapshot, type ReviewSnapshot } from '../../src/core/review-snapshot.ts';
import { sendDiff, type SentCode } from '../../src/core/send-diff.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { FUZZ_SEED } from './fuzz-arbitraries.ts';

const knee = {
  system: 'http://hl7.org/fhir/sid/icd-10-cm',
  code: 'M17.11',
  display: 'Unilateral primary osteoarthritis, right knee',
  codeSystem: 'icd_10_cm',
};
const kneeBilateral = {
  system: 'http://hl7.org/fhir/sid/icd-10-cm',
  code: 'M17.0',
  display: 'Bilateral primary osteoarthritis of knee',
  codeSystem: 'icd_10_cm',
};

describe('audit entries', () => {
  it('records time, entity, code and status before and after, engines, score and reviewer, as plain JSON', () => {
    const codeView = { ...kneeBilateral, systemLabel: 'ICD-10-CM', kind: 'diagnosis', score: 0.7, metadata: undefined };
    const entry = auditEntry(
      { entityId: 'e1', statusBefore: 'ACCEPTED', statusAfter: 'ACCEPTED', codeBefore: knee, codeAfter: codeView },
      {
        at: '2026-05-01T08:00:00.000Z',
        engines: ['heidi', 'sully'],
        score: 0.7,
        reviewer: { reference: 'Practitioner/9', display: 'Dr Nine' },
      },
    );
    assert.deepEqual(entry, {
      at: '2026-05-01T08:00:00.000Z',
      entityId: 'e1',
      codeBefore: knee,
      codeAfter: kneeBilateral, // a CodeView's labels and metadata stay out of the log
      statusBefore: 'ACCEPTED',
      statusAfter: 'ACCEPTED',
      engines: ['heidi', 'sully'],
      score: 0.7,
      reviewer: { reference: 'Practitioner/9', display: 'Dr Nine' },
    });
    assert.deepEqual(JSON.parse(JSON.stringify(entry)), entry);
  });

  it('leaves out what it does not know, and defaults the time to now', () => {
    const before = Date.now();
    const entry = auditEntry({ entityId: 'e1', statusBefore: 'PENDING', statusAfter: 'REJECTED' }, { score: Number.NaN });
    assert.deepEqual(Object.keys(entry).sort(), ['at', 'engines', 'entityId', 'statusAfter', 'statusBefore']);
    assert.ok(Date.parse(entry.at) >= before && Date.parse(entry.at) <= Date.now());
  });

  it('gives each entity its latest decision time, by time even when entries arrive out of order', () => {
    const e = (entityId: string, at: string) => auditEntry({ entityId, statusBefore: 'PENDING', statusAfter: 'ACCEPTED' }, { at });
    const times = lastDecisionTimes([
      e('a', '2026-01-01T10:00:00Z'),
      e('b', '2026-01-01T09:00:00Z'),
      e('a', '2026-01-01T11:00:00Z'),
      e('a', '2026-01-01T10:30:00Z'),
    ]);
    assert.deepEqual(
      [...times],
      [
        ['a', '2026-01-01T11:00:00Z'],
        ['b', '2026-01-01T09:00:00Z'],
      ],
    );
  });
});

describe('reviewState snapshot', () => {
  const audit: AuditEntry[] = [
    auditEntry(
      { entityId: 'e1', statusBefore: 'PENDING', statusAfter: 'ACCEPTED', codeBefore: knee, codeAfter: knee },
      { at: '2026-05-01T08:00:00.000Z', engines: ['heidi'] },
    ),
    auditEntry(
      { entityId: '__proto__', statusBefore: 'PENDING', statusAfter: 'REJECTED' },
      { at: '2026-05-01T08:01:00.000Z', engines: ['heidi'] },
    ),
  ];
  const snapshot = reviewSnapshot(
    'sess-1',
    new Map([
      ['e1', { status: 'ACCEPTED' as const, swappedTo: { codeSystem: 'icd_10_cm', code: 'M17.0' } }],
      ['__proto__', { status: 'REJECTED' as const }],
      ['constructor', { status: 'ACCEPTED' as const }],
    ]),
    audit,
    '2026-05-01T09:00:00.000Z',
  );

  it('is JSON that survives a round trip through a host, entity ids like __proto__ included', () => {
    const restored = parseReviewSnapshot(JSON.parse(JSON.stringify(snapshot)), 'sess-1');
    assert.ok(!(restored instanceof HeidiError), String(restored));
    assert.deepEqual({ ...restored.decisions }, { ...snapshot.decisions });
    assert.deepEqual(Object.keys(restored.decisions), ['e1', '__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(restored.decisions), null);
    assert.deepEqual(restored.decisions['__proto__'], { status: 'REJECTED', at: '2026-05-01T08:01:00.000Z' });
    assert.deepEqual(restored.audit, audit);
    // The JSON text works as well as the object.
    const fromText = parseReviewSnapshot(JSON.stringify(snapshot), 'sess-1');
    assert.ok(!(fromText instanceof HeidiError));
    assert.deepEqual(Object.keys(fromText.decisions), ['e1', '__proto__', 'constructor']);
  });

  it("dates each decision by its entity's latest audit entry, else the snapshot time", () => {
    assert.equal(snapshot.decisions['e1']?.at, '2026-05-01T08:00:00.000Z');
    assert.equal(snapshot.decisions['constructor']?.at, '2026-05-01T09:00:00.000Z');
  });

  it('a foreign session is a config error naming both sessions', () => {
    const result = parseReviewSnapshot(snapshot, 'sess-2');
    assert.ok(result instanceof HeidiError);
    assert.equal(result.code, 'config');
    assert.equal(result.retryable, false);
    assert.match(result.message, /sess-1.*sess-2/);
  });

  const corrupt: [string, unknown, RegExp][] = [
    ['not JSON text', '{"sessionId":', /not JSON/],
    ['null', null, /reviewState/],
    ['an array', [], /reviewState/],
    ['no decisions', { sessionId: 'sess-1', audit: [] }, /decisions/],
    ['decisions that are an array', { sessionId: 'sess-1', decisions: [], audit: [] }, /decisions/],
    ['decisions that are text', { sessionId: 'sess-1', decisions: 'ACCEPTED', audit: [] }, /decisions/],
    [
      'a bad status',
      { sessionId: 'sess-1', decisions: { e1: { status: 'MAYBE', at: '2026-01-01T00:00:00Z' } }, audit: [] },
      /decisions\["e1"\]\.status/,
    ],
    ['a bad time', { sessionId: 'sess-1', decisions: { e1: { status: 'ACCEPTED', at: 'yesterday' } }, audit: [] }, /decisions\["e1"\]\.at/],
    ['a decision that is a string', { sessionId: 'sess-1', decisions: { __proto__x: 'ACCEPTED' }, audit: [] }, /__proto__x/],
    [
      'an audit entry without an entity',
      {
        sessionId: 'sess-1',
        decisions: {},
        audit: [{ at: '2026-01-01T00:00:00Z', statusBefore: 'PENDING', statusAfter: 'ACCEPTED', engines: [] }],
      },
      /audit\.0\.entityId/,
    ],
  ];
  for (const [name, value, message] of corrupt) {
    it(`${name} is a config error, not an exception`, () => {
      const result = parseReviewSnapshot(value, 'sess-1');
      assert.ok(result instanceof HeidiError, `${name}: expected a HeidiError`);
      assert.equal(result.code, 'config');
      assert.match(result.message, message);
    });
  }

  it('never throws, whatever it is given (fuzzed, fixed seed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.json()), (value) => {
        const result = parseReviewSnapshot(value, 'sess-1');
        assert.ok(result instanceof HeidiError || result.sessionId === 'sess-1');
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });

  it('splits decisions into those for entities that exist and the ids of those that do not', () => {
    const { applicable, unknown } = splitSnapshot(snapshot, new Set(['e1', 'constructor', 'e9']));
    assert.deepEqual(
      applicable.map(([id]) => id),
      ['e1', 'constructor'],
    );
    assert.deepEqual(applicable[0]?.[1].swappedTo, { codeSystem: 'icd_10_cm', code: 'M17.0' });
    assert.deepEqual(unknown, ['__proto__']);
  });

  it('a snapshot typed by hand from the documented shape parses', () => {
    const byHand: ReviewSnapshot = { sessionId: 's', decisions: { x: { status: 'PENDING', at: '2026-01-01T00:00:00+10:00' } }, audit: [] };
    assert.ok(!(parseReviewSnapshot(byHand, 's') instanceof HeidiError));
  });
});

describe('send diff: nothing sent twice', () => {
  const code = (entityId: string, c: typeof knee, extra: object = {}): SentCode & { evidence?: unknown } => ({ entityId, ...c, ...extra });
  const cpt = { system: 'http://www.ama-assn.org/go/cpt', code: '20610', display: 'Arthrocentesis, major joint', codeSystem: 'cpt_2025' };

  it('the first send carries everything accepted, all of it added', () => {
    const accepted = [code('e1', knee, { evidence: 'x' }), code('e2', cpt)];
    const diff = sendDiff([], accepted);
    assert.deepEqual(diff.toSend, accepted); // the full commit objects, untouched
    assert.deepEqual(diff.added, [code('e1', knee), code('e2', cpt)]);
    assert.deepEqual(diff.removed, []);
  });

  it('an unchanged code is not sent again; a new one is', () => {
    const diff = sendDiff([code('e1', knee)], [code('e1', knee), code('e2', cpt)]);
    assert.deepEqual(diff.toSend, [code('e2', cpt)]);
    assert.deepEqual(diff.added, [code('e2', cpt)]);
    assert.deepEqual(diff.removed, []);
  });

  it('a swap sends the new code and removes the old one', () => {
    const diff = sendDiff([code('e1', knee), code('e2', cpt)], [code('e1', kneeBilateral), code('e2', cpt)]);
    assert.deepEqual(diff.added, [code('e1', kneeBilateral)]);
    assert.deepEqual(diff.removed, [code('e1', knee)]);
  });

  it('a rejected or undone code is removed, and nothing is sent', () => {
    const diff = sendDiff([code('e1', knee), code('e2', cpt)], [code('e2', cpt)]);
    assert.deepEqual(diff.toSend, []);
    assert.deepEqual(diff.removed, [code('e1', knee)]);
  });

  it('the same code on another entity is a different code', () => {
    const diff = sendDiff([code('e1', knee)], [code('e1#2', knee)]);
    assert.deepEqual(diff.added, [code('e1#2', knee)]);
    assert.deepEqual(diff.removed, [code('e1', knee)]);
  });

  it('applying every diff in turn leaves the host with exactly what is accepted (fuzzed, fixed seed)', () => {
    const pool = [knee, kneeBilateral, cpt];
    const stateArb = fc
      .array(fc.tuple(fc.constantFrom('e1', 'e2', 'e3', '__proto__'), fc.constantFrom(0, 1, 2)), { maxLength: 4 })
      .map((pairs) => {
        const byEntity = new Map(pairs.map(([id, i]) => [id, code(id, pool[i]!)]));
        return [...byEntity.values()];
      });
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 6 }), (states) => {
        const key = (c: SentCode) => `${c.entityId}|${c.codeSystem}|${c.code}`;
        const host = new Map<string, SentCode>();
        let lastSent: SentCode[] = [];
        for (const accepted of states) {
          const diff = sendDiff(lastSent, accepted);
          for (const c of diff.toSend) assert.ok(!lastSent.some((s) => key(s) === key(c)), 'nothing sent twice');
          for (const r of diff.removed) host.delete(key(r));
          for (const a of diff.added) host.set(key(a), a);
          lastSent = accepted;
          assert.deepEqual([...host.keys()].sort(), accepted.map(key).sort());
        }
      }),
      { seed: FUZZ_SEED, numRuns: 500 },
    );
  });
});

describe('random UUIDs', () => {
  it('are v4 UUIDs even where crypto.randomUUID is missing (pages served over plain http)', async () => {
    const { randomUuid } = await import('../../src/core/ids.ts');
    const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(globalThis.crypto), 'randomUUID');
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 500 }, randomUuid);
      for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(new Set(ids).size, ids.length);
    } finally {
      delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID; // back to the prototype's
      assert.ok(descriptor && typeof globalThis.crypto.randomUUID === 'function');
    }
  });
});
