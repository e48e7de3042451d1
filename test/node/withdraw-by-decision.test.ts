/**
 * Review rv5b, with the real ReviewController, ListViewController and CommitController on a fake host:
 * a sent code is withdrawn only by the reviewer's decision (never because the one engine that suggested it is
 * down while a Heidi card lists the same code as an alternative); each warning kind is listed once; a code
 * another engine discarded carries a `discarded` warning everywhere warnings act; the Send button counts codes,
 * as the send does; and the FHIR resource type follows the chosen code after a swap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodingModel, EntityView } from '../../src/core/model.ts';
import { mergeEngineResults } from '../../src/core/engines/merge.ts';
import { peerEntity } from '../../src/core/engines/peer-http.ts';
import type { DiscardedCode, EngineResult } from '../../src/core/engines/types.ts';
import { DEFAULT_BATCH_FILTER, batchCandidates } from '../../src/core/filters.ts';
import { heldWithoutCard } from '../../src/core/card-match.ts';
import { arrived, at, code, codesOf, kneeUlcerModel, setUp } from './review-harness.ts';

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';

/** fx-knee-oa's shape: Heidi's K27.9 lists Z87.11 (personal history of peptic ulcer) as an alternative. */
const heidiModel = (entities: object[] = []): CodingModel => kneeUlcerModel(true, entities);

const peer = (engine: 'sully' | 'omniscribe', system: string, c: string, procedure = false) =>
  peerEntity(engine, { system, code: c, display: `name ${c}`, score: 0.8, procedure }, [], new Set(), undefined);

function merged(heidi: CodingModel, peers: EntityView[]): CodingModel {
  const results = [
    { engine: 'heidi', entities: heidi.entities, discarded: [], runId: undefined },
    { engine: 'sully', entities: peers, discarded: [], runId: undefined },
  ] as EngineResult[];
  return { ...heidi, entities: mergeEngineResults(results) };
}

/** Heidi and Sully: Sully's own card for Z87.11. */
const threeEngines = () => merged(heidiModel(), [peer('sully', ICD, 'Z87.11')]);
const SULLY_Z87 = 'sully:ICD-10-CM:Z87.11';

describe('a sent code is withdrawn by a decision, never by an engine being down', () => {
  it('the peers down on a reload: the code only they suggested stays held though Heidi lists it as an alternative', async () => {
    const t = setUp(threeEngines());
    for (const id of [SULLY_Z87, 'knee']) t.review.setStatus(t.entity(id), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual(codesOf(t.last().added).sort(), ['M17.11', 'Z87.11']);
    t.reload(heidiModel());
    assert.equal(t.commit.withdrawals, 0, 'the footer has nothing to withdraw');
    assert.equal(await t.commit.commit(), true);
    // rv6a item 3: `codes` lists what the host holds after the send, Z87.11 kept (was ['M17.11'], the old rule).
    assert.deepEqual([codesOf(t.last().added), codesOf(t.last().removed), codesOf(t.last().codes)], [[], [], ['M17.11', 'Z87.11']]);
    assert.deepEqual(codesOf(t.review.state!.sentCodes).sort(), ['M17.11', 'Z87.11'], 'the host still holds Z87.11');
  });

  it('a card that takes the code as its chosen one decides for it: swapped to it and rejected, it withdraws it, named', async () => {
    // A reviewState saved with the peers, restored where only Heidi answered: its sent codes carry no names.
    const t = setUp(heidiModel());
    const sent = [
      { entityId: SULLY_Z87, system: ICD, code: 'Z87.11', display: '', codeSystem: 'ICD-10-CM' },
      { entityId: 'knee', system: ICD, code: 'M17.11', display: '', codeSystem: 'icd_10_cm' },
    ];
    const decided = { status: 'ACCEPTED', at: '2026-12-01T10:00:00.000Z' };
    t.review.restore({
      sessionId: 'S1',
      decisions: { [SULLY_Z87]: decided, knee: decided },
      audit: [],
      sent: { at: decided.at, codes: sent },
    });
    assert.equal(t.commit.withdrawals, 0);
    const ulcer = t.entity('ulcer');
    t.review.swap(ulcer, ulcer.similar[0]!);
    assert.equal(t.commit.withdrawals, 0, 'accepted as Z87.11: the host keeps it');
    t.review.setStatus(ulcer, 'REJECTED');
    assert.equal(t.commit.withdrawals, 1, 'the reviewer rejected the card that chose Z87.11');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual(
      t.last().removed.map((c) => [c.code, c.display]),
      [['Z87.11', 'name Z87.11']],
      'named from the card that lists it',
    );
    // Without a review, the suggested codes stand for themselves: an alternative alone never does.
    assert.deepEqual(codesOf(heldWithoutCard(sent, heidiModel().entities)), ['Z87.11']);
  });

  it('a sent swap dropped because Heidi no longer lists its code is not withdrawn: no decision withdrew it', async () => {
    const t = setUp(heidiModel());
    const ulcer = t.entity('ulcer');
    t.review.swap(ulcer, ulcer.similar[0]!);
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual(codesOf(t.last().added), ['Z87.11']);
    // Heidi answers again with other alternatives for K27.9: the swap cannot be kept (the card is pending again).
    const other = heidiModel();
    t.reload({ ...other, entities: other.entities.map((e) => (e.id === 'ulcer' ? { ...e, similar: [] } : e)) });
    assert.equal(t.review.state!.status('ulcer'), 'PENDING');
    assert.equal(t.commit.withdrawals, 0);
    t.review.setStatus(t.entity('knee'), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual([codesOf(t.last().added), codesOf(t.last().removed)], [['M17.11'], []]);
  });

  it('two tabs whose engines differ: the Heidi-only tab sends without withdrawing what the other sent', async () => {
    const a = setUp(threeEngines(), { apiBase: 'rv5b-tabs' });
    const b = setUp(heidiModel(), { apiBase: 'rv5b-tabs' });
    try {
      a.review.setStatus(a.entity(SULLY_Z87), 'ACCEPTED');
      assert.equal(await a.commit.commit(), true);
      await arrived(() => b.review.state!.sentCodes.length === 1, "tab A's send");
      b.review.setStatus(b.entity('knee'), 'ACCEPTED');
      assert.equal(b.commit.withdrawals, 0);
      assert.equal(await b.commit.commit(), true);
      assert.deepEqual([codesOf(b.last().added), codesOf(b.last().removed)], [['M17.11'], []]);
    } finally {
      a.review.close();
      b.review.close();
    }
  });
});

describe('warnings as the host receives them', () => {
  const fever = { id: 'fever', primary_code: code('R50.9'), relevance: 'HIGH', location_in_note: [at('No fever'), at('No chills')] };

  it('each kind once, however many quotes it flagged: in codes[].warnings and in the FHIR note', async () => {
    const t = setUp(heidiModel([fever]));
    assert.deepEqual(
      t.list.warningsFor(t.entity('fever')).map((w) => w.kind),
      ['negated', 'negated'],
      'the card shows each quote',
    );
    t.review.setStatus(t.entity('fever'), 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual(t.last().codes[0]!.warnings, ['negated']);
    const fhir = JSON.stringify(t.last().fhir);
    assert.match(fhir, /Accepted despite check warnings: negated"/);
  });

  it('a code another engine discarded: a `discarded` warning on the card, kept out of a batch accept, in codes and FHIR', async () => {
    const injection = { id: 'inj', primary_code: code('20610', 'cpt_2025', 0.95), relevance: 'HIGH', location_in_note: [at('Injection')] };
    const model = heidiModel([injection]);
    const discardedBy: DiscardedCode[] = [
      { engine: 'omniscribe', system: ICD, code: 'M17.11', display: 'x', justification: 'M17.12 is the side documented.', score: 0.3 },
    ];
    const withDiscard = {
      ...model,
      entities: model.entities.map((e) => (e.id === 'knee' ? ({ ...e, discardedBy } as EntityView) : e)),
    } as CodingModel;
    const t = setUp(withDiscard);
    const knee = t.entity('knee');
    const warnings = t.list.warningsFor(knee);
    assert.deepEqual(
      warnings.map((w) => [w.kind, w.params]),
      [['discarded', { engine: 'omniscribe', reason: 'M17.12 is the side documented.' }]],
    );
    const batch = (m: CodingModel) => batchCandidates(m.entities, t.review.state!, (e) => t.list.warningsFor(e), DEFAULT_BATCH_FILTER);
    assert.deepEqual(
      batch(withDiscard).map((e) => e.id),
      ['inj'],
      '"No check warnings" leaves the discarded code out',
    );
    t.review.setStatus(knee, 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual(t.last().codes[0]!.warnings, ['discarded']);
    assert.match(JSON.stringify(t.last().fhir), /Accepted despite check warnings: discarded"/);
  });
});

describe('the Send button counts what the send sends', () => {
  it('one per code: a code two cards hold is one; a sent code hidden by code-systems is still one the host holds', async () => {
    const twice = { id: 'knee-again', primary_code: code('M17.11'), relevance: 'HIGH', location_in_note: [at('Old ulcer')] };
    const t = setUp(heidiModel([twice, { id: 'inj', primary_code: code('20610', 'cpt_2025'), location_in_note: [at('Injection')] }]));
    for (const id of ['knee', 'knee-again']) t.review.setStatus(t.entity(id), 'ACCEPTED');
    assert.deepEqual([t.list.counts.ACCEPTED, t.list.sendCount], [2, 1]);
    t.review.setStatus(t.entity('inj'), 'ACCEPTED');
    assert.equal(t.list.sendCount, 2);
    assert.equal(await t.commit.commit(), true);
    assert.equal(t.last().codes.length, 2);
    t.host.codeSystems = 'icd_10_cm';
    assert.deepEqual([t.list.counts.ACCEPTED, t.list.sendCount], [2, 2], '20610 is hidden, not withdrawn');
    assert.equal(await t.commit.commit(), true);
    assert.equal(t.last().codes.length, t.list.sendCount);
  });

  it('a swap to the code another card holds: one code', async () => {
    const t = setUp(threeEngines());
    const ulcer = t.entity('ulcer');
    t.review.swap(ulcer, ulcer.similar[0]!);
    t.review.setStatus(t.entity(SULLY_Z87), 'ACCEPTED');
    assert.equal(t.list.sendCount, 1);
    assert.equal(await t.commit.commit(), true);
    assert.deepEqual(codesOf(t.last().codes), ['Z87.11']);
  });
});

describe('FHIR resource type after a swap', () => {
  it("a SNOMED CT code Sully called a procedure, swapped to Heidi's alternative: the alternative is a Condition", async () => {
    const heidi = heidiModel([
      {
        id: 'sct',
        primary_code: code('80146002', 'snomed_ct'),
        similar_codes: [code('235595009', 'snomed_ct', 0.5)],
        location_in_note: [at('Injection')],
      },
    ]);
    const t = setUp(merged(heidi, [peer('sully', SCT, '80146002', true)]));
    const sct = t.entity('sct');
    assert.equal(sct.primary.kind, 'procedure', 'Sully lists it among procedures');
    const resourceOf = (c: string) =>
      t.last().fhir.entry.find((e) => JSON.stringify(e.resource).includes(`"code":"${c}"`))!.resource.resourceType;
    t.review.setStatus(sct, 'ACCEPTED');
    assert.equal(await t.commit.commit(), true);
    assert.equal(resourceOf('80146002'), 'Procedure');
    t.review.swap(sct, sct.similar[0]!);
    assert.equal(await t.commit.commit(), true);
    assert.equal(resourceOf('235595009'), 'Condition', "the alternative's own kind, not the primary's");
  });
});
