/**
 * The hand-off's review rules with the real ReviewController, ListViewController and CommitController on a
 * fake host: a swap to a code that is no longer suggested is never applied (it would send the code swapped
 * away from), a swapped-to code is credited to the engine that listed it with its own score, and a narrower
 * `code-systems` hides codes without withdrawing them from the EHR.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildModel, type CodingModel } from '../../src/core/model.ts';
import { mergeEngineResults } from '../../src/core/engines/merge.ts';
import { peerEntity } from '../../src/core/engines/peer-http.ts';
import type { EngineResult } from '../../src/core/engines/types.ts';
import type { FhirProvenance } from '../../src/core/fhir.ts';
import { en } from '../../src/i18n/en.ts';
import { arrived, code, codesOf, setUp } from './review-harness.ts';
import { syncChannelName } from '../../src/core/review-sync.ts';

function heidiModel(similar = [code('M17.9', 'icd_10_cm', 0.5)]): CodingModel {
  return buildModel(
    {
      session_id: 'S1',
      clinical_entities: [
        { id: 'knee', primary_code: code('M17.11'), similar_codes: similar, relevance: 'HIGH', location_in_note: [{ start: 0, end: 25 }] },
        { id: 'inj', primary_code: code('20610', 'cpt_2025', 0.95), relevance: 'HIGH', location_in_note: [{ start: 27, end: 34 }] },
      ],
    } as never,
    undefined,
    { consult_note: { result: 'Right knee osteoarthritis. Injection.' }, ehr_patient_id: 'P1' } as never,
  );
}

describe('hand-off review rules', () => {
  it('a restored swap to a code the entity no longer has is not applied, and the notice says so', async () => {
    const t = setUp(heidiModel());
    t.review.restore({
      sessionId: 'S1',
      decisions: { knee: { status: 'ACCEPTED', swappedTo: { codeSystem: 'icd_10_cm', code: 'M17.0' }, at: '2026-01-01T00:00:00.000Z' } },
      audit: [],
    });
    assert.equal(t.review.state!.status('knee'), 'PENDING', 'not accepted with the primary in its place');
    assert.match(t.review.notices.map((n) => n(en)).join(' '), /1 saved decision is for codes no longer suggested/);
    assert.equal(await t.commit.commit(), false, 'nothing to send');
  });

  it('a kept swap whose code this load no longer suggests is dropped when the codes load again', async () => {
    const t = setUp(heidiModel());
    t.review.swap(t.entity('knee'), t.entity('knee').similar[0]!);
    assert.equal(t.review.state!.status('knee'), 'ACCEPTED');
    // The same session loads again, Heidi now suggesting other alternatives.
    const reloaded = heidiModel([code('M17.0', 'icd_10_cm', 0.4)]);
    t.review.open('S1', reloaded.entities);
    assert.equal(t.review.state!.status('knee'), 'PENDING');
    assert.equal(t.review.notices.length, 1);
  });

  it("a swapped-to code is credited to the engine that listed it, with that code's score, in codes, audit and Provenance", async () => {
    const heidi = heidiModel();
    const sully = peerEntity(
      'sully',
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M17.11', display: 'x', score: 0.99, procedure: false },
      [],
      new Set(),
      undefined,
    );
    const results = [
      { engine: 'heidi', entities: heidi.entities, discarded: [] },
      { engine: 'sully', entities: [sully], discarded: [] },
    ] as unknown as EngineResult[];
    const model = { ...heidi, entities: mergeEngineResults(results), runIds: new Map([['sully', 'SULLY-RUN-1']]) } as CodingModel;
    const t = setUp(model);
    const knee = t.entity('knee');
    assert.deepEqual(
      knee.engines.map((s) => s.engine),
      ['heidi', 'sully'],
    );
    t.review.swap(knee, knee.similar[0]!);
    assert.equal(await t.commit.commit(), true);
    const detail = t.commits[0]!;
    assert.deepEqual(codesOf(detail.codes), ['M17.9']);
    assert.deepEqual(detail.codes[0]!.engines, ['heidi'], 'Sully never suggested M17.9');
    assert.deepEqual(detail.audit.at(-1)!.engines, ['heidi']);
    assert.equal(detail.audit.at(-1)!.score, 0.5);
    const provenance = detail.fhir.entry.map((e) => e.resource).find((r): r is FhirProvenance => r.resourceType === 'Provenance')!;
    const text = JSON.stringify(provenance);
    assert.ok(!text.includes('sully') && !text.includes('SULLY-RUN-1'), `no Sully author or run id: ${text}`);
    assert.ok(text.includes('0.5'), "the swapped-to code's score");
    assert.ok(!text.includes('0.9'), "not the primary's score");
  });

  it('a narrower code-systems hides codes without withdrawing them: still in codes and fhir, not in removed, not re-added later', async () => {
    const t = setUp(heidiModel());
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    t.review.setStatus(t.entity('inj'), 'ACCEPTED');
    await t.commit.commit();
    t.host.codeSystems = 'icd_10_cm';
    t.review.setStatus(t.entity('knee'), 'REJECTED');
    await t.commit.commit();
    t.host.codeSystems = '';
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    await t.commit.commit();
    const brief = t.commits.map((d) => [codesOf(d.codes), codesOf(d.added), codesOf(d.removed)]);
    assert.deepEqual(brief, [
      [['M17.11', '20610'], ['M17.11', '20610'], []],
      // The hidden 20610 is what the host goes on holding: `codes` says so, as `removed` does by leaving it out.
      [['20610'], [], ['M17.11']],
      [['M17.11', '20610'], ['M17.11'], []],
    ]);
    const procedures = t.commits[1]!.fhir.entry.filter((e) => e.resource.resourceType === 'Procedure');
    assert.equal(procedures.length, 1, 'the hidden procedure is in the bundle too');
  });

  it("a decision made after another tab's, whose clock runs ahead, still wins there: both tabs agree", async () => {
    const a = setUp(heidiModel(), { apiBase: 'skew' });
    const b = setUp(heidiModel(), { apiBase: 'skew' });
    const other = new BroadcastChannel(syncChannelName('S1', 'skew /t'));
    try {
      // A third tab, 60 s ahead, rejects the injection (no audit entry with it).
      const ahead = new Date(Date.now() + 60_000).toISOString();
      other.postMessage({ sessionId: 'S1', entityId: 'inj', decision: { status: 'REJECTED' }, at: ahead, tabId: 'X' });
      await arrived(() => a.review.state!.status('inj') === 'REJECTED' && b.review.state!.status('inj') === 'REJECTED', 'the rejection');
      a.review.setStatus(a.entity('inj'), 'ACCEPTED');
      await arrived(() => b.review.state!.status('inj') === 'ACCEPTED', 'the later decision to win in the other tab too');
      assert.equal(a.review.state!.status('inj'), 'ACCEPTED');
      assert.ok(Date.parse(a.review.state!.audit.at(-1)!.at) > Date.parse(ahead), 'stamped after the decision it overrides');
    } finally {
      other.close();
      a.review.close();
      b.review.close();
    }
  });

  it("a restored review's older entries go into the audit in time order, each once", () => {
    const t = setUp(heidiModel());
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    const entry = { at: '2020-01-01T00:00:00.000Z', entityId: 'inj', statusBefore: 'PENDING', statusAfter: 'REJECTED', engines: ['heidi'] };
    t.review.restore({ sessionId: 'S1', decisions: {}, audit: [entry, entry] });
    const audit = t.review.state!.audit;
    assert.deepEqual(
      audit.map((e) => e.entityId),
      ['inj', 'knee'],
    );
    assert.ok(audit.every((e, i) => i === 0 || Date.parse(audit[i - 1]!.at) <= Date.parse(e.at)));
  });

  it("a send confirmed in one tab is known in the other: its next commit does not add the first tab's codes again", async () => {
    const a = setUp(heidiModel(), { apiBase: 'sent' });
    const b = setUp(heidiModel(), { apiBase: 'sent' });
    try {
      a.review.setStatus(a.entity('knee'), 'ACCEPTED');
      await arrived(() => b.review.state!.status('knee') === 'ACCEPTED', "the first tab's decision");
      assert.equal(await a.commit.commit(), true);
      await arrived(() => b.review.state!.isSent(b.entity('knee')), "the first tab's send");
      b.review.setStatus(b.entity('inj'), 'ACCEPTED');
      assert.equal(await b.commit.commit(), true);
      const last = b.commits.at(-1)!;
      assert.deepEqual(codesOf(last.added), ['20610']);
      assert.deepEqual(codesOf(last.removed), []);
    } finally {
      a.review.close();
      b.review.close();
    }
  });

  it('a decision restored without its audit entry keeps its time in reviewState, read after read', () => {
    const t = setUp(heidiModel());
    const at = '2026-01-01T10:00:00.000Z';
    t.review.restore({ sessionId: 'S1', decisions: { knee: { status: 'ACCEPTED', at } }, audit: [] });
    assert.equal(t.review.state!.status('knee'), 'ACCEPTED');
    assert.equal(t.review.snapshot!.decisions.knee!.at, at);
    assert.equal(t.review.snapshot!.decisions.knee!.at, at);
    // A decision made here afterwards has its own time (from the audit), not the restored one.
    t.review.setStatus(t.entity('knee'), 'REJECTED');
    assert.notEqual(t.review.snapshot!.decisions.knee!.at, at);
  });

  it('a tab opened after a send learns it from the greeting: its first commit adds only its own codes', async () => {
    const a = setUp(heidiModel(), { apiBase: 'late-sent' });
    let c: ReturnType<typeof setUp> | undefined;
    try {
      a.review.setStatus(a.entity('knee'), 'ACCEPTED');
      assert.equal(await a.commit.commit(), true);
      c = setUp(heidiModel(), { apiBase: 'late-sent' });
      const late = c;
      await arrived(() => late.review.state!.isSent(late.entity('knee')), 'the open tab to answer with its send');
      late.review.setStatus(late.entity('inj'), 'ACCEPTED');
      assert.equal(await late.commit.commit(), true);
      assert.deepEqual(codesOf(late.commits.at(-1)!.added), ['20610']);
      // And the first tab hears of that later send: nothing of it is added again there.
      await arrived(() => a.review.state!.sentCodes.length === 2, "the later tab's send");
    } finally {
      a.review.close();
      c?.review.close();
    }
  });
});

describe('a code two entities hold', () => {
  it('is sent once, carrying the evidence of both (Heidi suggested it twice, with other evidence)', async () => {
    const model = buildModel(
      {
        session_id: 'S1',
        clinical_entities: [
          { id: 'knee', primary_code: code('M17.11'), relevance: 'HIGH', location_in_note: [{ start: 0, end: 25 }] },
          { id: 'knee-again', primary_code: code('M17.11'), relevance: 'HIGH', location_in_note: [{ start: 27, end: 46 }] },
        ],
      } as never,
      undefined,
      { consult_note: { result: 'Right knee osteoarthritis. Worse on the stairs.' }, ehr_patient_id: 'P1' } as never,
    );
    const t = setUp(model);
    for (const id of ['knee', 'knee-again']) t.review.setStatus(t.entity(id), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    const [detail] = t.commits;
    assert.deepEqual(codesOf(detail!.codes), ['M17.11']);
    assert.deepEqual(
      detail!.codes[0]!.evidence.note.map((n) => n.text),
      ['Right knee osteoarthritis', 'Worse on the stairs'],
    );
    const conditions = detail!.fhir.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Condition');
    assert.equal(conditions.length, 1);
    const noteText = JSON.stringify((conditions[0] as { note?: unknown }).note);
    assert.match(noteText, /Right knee osteoarthritis/);
    assert.match(noteText, /Worse on the stairs/);
    // The host holds the code through both entities: undoing one withdraws nothing.
    t.review.setStatus(t.entity('knee-again'), 'PENDING');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual([t.commits[1]!.added, t.commits[1]!.removed], [[], []]);
  });
});

/** The same session with Heidi down: Sully suggests the knee code (M17.11) only. */
function heidiDown() {
  const sully = peerEntity(
    'sully',
    { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M17.11', display: 'x', score: undefined, procedure: false },
    [],
    new Set(),
    undefined,
  );
  const entities = mergeEngineResults([{ engine: 'sully', entities: [sully], discarded: [], runId: undefined } satisfies EngineResult]);
  return { sully, peerModel: { ...heidiModel(), entities } as CodingModel };
}

describe('two tabs whose engines answered differently', () => {
  it("a decision on a code reaches the other tab's card for that code, under its own id, and back", async () => {
    const a = setUp(heidiModel(), { apiBase: 'ids' });
    // Tab B: Heidi was down, so its card for M17.11 is Sully's.
    const { sully, peerModel } = heidiDown();
    const b = setUp(peerModel, { apiBase: 'ids' });
    try {
      a.review.setStatus(a.entity('knee'), 'ACCEPTED');
      await arrived(() => b.review.state!.status(sully.id) === 'ACCEPTED', "tab A's decision on tab B's card");
      assert.equal(b.review.state!.audit.at(-1)!.entityId, sully.id, "logged under this tab's card");
      // A send from tab B marks tab A's card for the code as sent.
      assert.equal(await b.commit.commit(), true);
      await arrived(() => a.review.state!.isSent(a.entity('knee')), "tab B's send on tab A's card");
      b.review.setStatus(b.entity(sully.id), 'REJECTED');
      await arrived(() => a.review.state!.status('knee') === 'REJECTED', "tab B's decision on tab A's card");
    } finally {
      a.review.close();
      b.review.close();
    }
  });
});

describe('an engine down on a reload', () => {
  it('a sent code only that engine suggested is neither withdrawn nor sent again', async () => {
    const t = setUp(heidiModel());
    for (const id of ['knee', 'inj']) t.review.setStatus(t.entity(id), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    const { sully, peerModel } = heidiDown();
    // The same page loads again (the list follows the model it is given).
    t.session.model = peerModel;
    t.review.open('S1', peerModel.entities);
    const u = t;
    assert.equal(u.review.state!.status(sully.id), 'ACCEPTED', 'the knee decision followed its code');
    assert.equal(u.commit.withdrawals, 0, 'the footer has nothing to withdraw');
    assert.equal(await u.commit.commit(), true);
    const detail = u.commits[1]!;
    assert.deepEqual([codesOf(detail.added), codesOf(detail.removed)], [[], []]);
    assert.deepEqual(u.review.state!.sentCodes.map((c) => c.code).sort(), ['20610', 'M17.11'], 'the host still holds the injection');
  });
});
