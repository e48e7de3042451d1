/**
 * The engines as the element loads them: `engines` parsed (unknown names are `config`), peers built
 * from their forwarder URLs, one engine cancelled on its own, the host's note coded without Heidi
 * (discarded codes flagged on another engine's card, skipped and dropped counted), agreement filters.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeidiError } from '../../src/core/errors.ts';
import { createPeers, parseEngines } from '../../src/core/engines/configure.ts';
import { cancellable } from '../../src/core/engines/pipeline.ts';
import { peerEntity } from '../../src/core/engines/peer-http.ts';
import type { CodingEngine, EngineName, EngineResult } from '../../src/core/engines/types.ts';
import { loadNoteCodes, noteReviewId } from '../../src/core/session-loader.ts';
import { agreement, batchCandidates, narrowEntities, relevanceRated, type BatchFilter } from '../../src/core/filters.ts';
import { mergeEngineResults } from '../../src/core/engines/merge.ts';
import { loadedEntity } from '../../src/core/payloads.ts';
import type { EntityView } from '../../src/core/model.ts';
import { ReviewState } from '../../src/core/review.ts';

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const settings = { sullyBase: '/ehr/sully', omniscribeBase: '/ehr/omniscribe', omniscribeModel: '', patientId: '', pollMs: undefined };

function isConfig(error: unknown): boolean {
  return error instanceof HeidiError && error.code === 'config' && error.retryable === false;
}

function engine(name: EngineName, result: Omit<EngineResult, 'engine' | 'runId'> & { dropped?: number }): CodingEngine {
  return { name, code: async () => ({ engine: name, runId: undefined, ...result }) };
}

const code = (engineName: EngineName, value: string, score: number, used = new Set<string>()) =>
  peerEntity(engineName, { system: ICD, code: value, display: value, score, procedure: false }, [], used);

describe('engines: settings', () => {
  it('parses engines in display order, each once, default heidi; an unknown name is config', () => {
    assert.deepEqual(parseEngines(''), ['heidi']);
    assert.deepEqual(parseEngines(' Sully , heidi,sully,omniscribe '), ['sully', 'heidi', 'omniscribe']);
    assert.throws(
      () => parseEngines('heidi,watson'),
      (e) => isConfig(e) && /watson/.test((e as Error).message),
    );
    assert.throws(() => parseEngines('constructor'), isConfig);
  });

  it('builds the peers in order; a peer without its base or an unknown model is config', () => {
    assert.deepEqual(
      createPeers(['omniscribe', 'heidi', 'sully'], settings).map((e) => e.name),
      ['omniscribe', 'sully'],
    );
    assert.throws(() => createPeers(['sully'], { ...settings, sullyBase: '' }), isConfig);
    assert.throws(() => createPeers(['omniscribe'], { ...settings, omniscribeBase: '' }), isConfig);
    assert.throws(() => createPeers(['omniscribe'], { ...settings, omniscribeModel: 'huge' }), isConfig);
  });

  it('cancellable: aborting the engine alone rejects with an AbortError while the run goes on', async () => {
    const own = new AbortController();
    const slow: CodingEngine = { name: 'sully', code: () => new Promise(() => {}) };
    const run = cancellable(slow, own.signal).code({ note: 'x', transcript: undefined }, new AbortController().signal, () => {});
    own.abort();
    await assert.rejects(run, (e) => e instanceof DOMException && e.name === 'AbortError');
  });
});

describe('engines: the host note without Heidi', () => {
  it('merges, flags a code another engine discarded, lists the discarded, counts dropped', async () => {
    const sully = engine('sully', { entities: [code('sully', 'E11.9', 0.8), code('sully', 'Z79.4', 0.5)], discarded: [], dropped: 2 });
    const omniscribe = engine('omniscribe', {
      entities: [code('omniscribe', 'E11.9', 0.92)],
      discarded: [{ engine: 'omniscribe', system: ICD, code: 'Z79.4', display: 'Insulin', justification: 'Not on insulin.', score: 0.03 }],
      dropped: 0,
    });
    const result = await loadNoteCodes({ note: 'Type 2 diabetes.', peers: [sully, omniscribe], signal: new AbortController().signal });
    const { entities } = result.model;
    assert.deepEqual(
      entities.map((e) => [e.primary.code, e.engines.map((s) => [s.engine, s.score])]),
      [
        [
          'E11.9',
          [
            ['sully', 0.8],
            ['omniscribe', 0.92],
          ],
        ],
        ['Z79.4', [['sully', 0.5]]],
      ],
    );
    assert.deepEqual(
      entities[1]!.discardedBy?.map((d) => d.justification),
      ['Not on insulin.'],
    );
    assert.equal(entities[0]!.discardedBy, undefined);
    assert.deepEqual(
      result.discarded.map((d) => d.code),
      ['Z79.4'],
    );
    assert.deepEqual(result.peerDropped, [{ engine: 'sully', count: 2 }]);
    assert.equal(result.model.hostNote, true);
    assert.equal(result.model.sessionId, noteReviewId('Type 2 diabetes.'));
  });

  it('an empty note skips the peers (no codes, no error); every peer failing is the load failing', async () => {
    const sully = engine('sully', { entities: [code('sully', 'E11.9', 0.8)], discarded: [] });
    const skipped = await loadNoteCodes({ note: '  ', peers: [sully], signal: new AbortController().signal });
    assert.deepEqual(skipped.skipped, ['sully']);
    assert.equal(skipped.model.entities.length, 0);
    const failing: CodingEngine = {
      name: 'omniscribe',
      code: async () => Promise.reject(new HeidiError('invalid-request', 'too large', { status: 413 })),
    };
    await assert.rejects(
      loadNoteCodes({ note: 'x', peers: [failing], signal: new AbortController().signal }),
      (e) => e instanceof HeidiError && e.code === 'invalid-request',
    );
  });

  it('the review of a host note is keyed by whose note it is too: one templated note for two patients is two reviews', async () => {
    const note = 'Type 2 diabetes. Plan: review in 3 months.';
    assert.equal(noteReviewId(note, ['PT-BOB', 'APPT-1', '']), noteReviewId(note, ['PT-BOB', 'APPT-1', '']));
    assert.notEqual(noteReviewId(note, ['PT-BOB', 'APPT-1', '']), noteReviewId(note, ['PT-ALICE', 'APPT-1', '']));
    assert.notEqual(noteReviewId(note, ['PT-BOB', 'APPT-1', '']), noteReviewId(note, ['PT-BOB', 'APPT-2', '']));
    // The ids are not run together: "A" + "B\nC" is not "A\nB" + "C".
    assert.notEqual(noteReviewId(note, ['A', 'B\nC']), noteReviewId(note, ['A\nB', 'C']));
    const sully = engine('sully', { entities: [code('sully', 'E11.9', 0.8)], discarded: [] });
    const signal = new AbortController().signal;
    const bob = await loadNoteCodes({ note, context: ['PT-BOB'], peers: [sully], signal });
    const alice = await loadNoteCodes({ note, context: ['PT-ALICE'], peers: [sully], signal });
    assert.notEqual(bob.model.sessionId, alice.model.sessionId);
    // More than 32 bits (a 32-bit FNV-1a collision is found in about a second): 2,000 near-identical notes, 2,000
    // ids, most of them beyond 2^32.
    const ids = [...new Set(Array.from({ length: 2000 }, (_, i) => noteReviewId(`BMI ${i}.`, ['PT-1'])))];
    assert.equal(ids.length, 2000);
    assert.ok(ids.filter((id) => parseInt(id.slice('note-'.length), 36) > 2 ** 32).length > 1900);
  });

  it('the review of a host note is keyed by the note: the same note the same id, another note another', () => {
    assert.equal(noteReviewId('a note'), noteReviewId('a note'));
    assert.notEqual(noteReviewId('a note'), noteReviewId('a note.'));
  });
});

describe('engines: agreement', () => {
  it('filters and sorts by how many engines suggested a code; the batch filter takes at least N engines', () => {
    const used = new Set<string>();
    const one = code('sully', 'A00', 0.95, used);
    const two = { ...code('heidi', 'B00', 0.95, used), relevance: 'HIGH' };
    const both = { ...two, engines: [...two.engines, ...code('omniscribe', 'B00', 0.9, used).engines] };
    const review = new ReviewState('s');
    assert.equal(agreement(both), 2);
    const sorted = narrowEntities([{ ...one, relevance: 'HIGH' }, both], review, { system: undefined, status: 'ALL', sort: 'agreement' });
    assert.deepEqual(
      sorted.map((e) => e.primary.code),
      ['B00', 'A00'],
    );
    assert.deepEqual(
      narrowEntities([one, both], review, { system: undefined, status: 'ALL', sort: 'document', minEngines: 2 }).map((e) => e.primary.code),
      ['B00'],
    );
    const filter = { minRelevance: 'HIGH' as const, minScore: 0.5, requireEvidence: false, excludeWarnings: false };
    const candidates = (minEngines: number) =>
      batchCandidates([{ ...one, relevance: 'HIGH' }, both], review, () => [], { ...filter, minEngines }).map((e) => e.primary.code);
    assert.deepEqual(candidates(1), ['A00', 'B00']);
    assert.deepEqual(candidates(2), ['B00']);
  });
});

describe("engines: a merged card's score and relevance", () => {
  const used = () => new Set<string>();
  const sully = (value: string) =>
    peerEntity('sully', { system: ICD, code: value, display: value, score: undefined, procedure: false }, [], used());
  const heidi = (value: string, score: number | undefined, relevance: string | undefined, scoreOutOfRange?: number) => {
    const e = code('heidi', value, 0, used());
    const primary = { ...e.primary, score, ...(scoreOutOfRange !== undefined && { scoreOutOfRange }) };
    return { ...e, primary, relevance, engines: [{ ...e.engines[0]!, score }] };
  };
  const merged = (...results: [EngineName, EntityView[]][]) =>
    mergeEngineResults(results.map(([engine, entities]) => ({ engine, entities, discarded: [], runId: undefined })));
  const loose = { minRelevance: 'HIGH' as const, minScore: 0, requireEvidence: false, excludeWarnings: false };

  it("is the first score its engines gave, in engine order (Heidi's, else Omniscribe's), never a blend; relevance is Heidi's", () => {
    const [peersOnly] = merged(['sully', [sully('E66.9')]], ['omniscribe', [code('omniscribe', 'E66.9', 0.88)]]);
    assert.equal(peersOnly!.primary.score, 0.88, "Sully gives none: Omniscribe's is the card's");
    assert.deepEqual(
      peersOnly!.engines.map((s) => [s.engine, s.score]),
      [
        ['sully', undefined],
        ['omniscribe', 0.88],
      ],
    );
    const [heidiFirst] = merged(['heidi', [heidi('M17.11', 0.6, 'HIGH')]], ['omniscribe', [code('omniscribe', 'M17.11', 0.95)]]);
    assert.equal(heidiFirst!.primary.score, 0.6, "Heidi's score stays the card's, however sure Omniscribe is");
    assert.equal(heidiFirst!.relevance, 'HIGH');
    const [unscoredHeidi] = merged(['heidi', [heidi('I10', undefined, 'LOW')]], ['omniscribe', [code('omniscribe', 'I10', 0.9)]]);
    assert.equal(unscoredHeidi!.primary.score, 0.9);
    // A score Heidi sent outside 0..1 keeps its flag: the card's score is still Heidi's, still never batch-taken.
    const [flagged] = merged(['heidi', [heidi('J45', 1, 'HIGH', 79)]], ['omniscribe', [code('omniscribe', 'J45', 0.9)]]);
    assert.deepEqual([flagged!.primary.score, flagged!.primary.scoreOutOfRange], [1, 79]);
    // What the host is told and what the audit records read the same card score.
    assert.equal(loadedEntity(peersOnly!, new ReviewState('s')).score, 0.88);
  });

  it('the batch filter takes a code no engine rated for relevance on its score; Sully alone (no score) never; unrated Heidi never', () => {
    const all = merged(
      ['heidi', [heidi('A01', 0.9, undefined), heidi('A02', 0.9, 'LOW')]],
      ['sully', [sully('E66.9'), sully('Z87.11')]],
      ['omniscribe', [code('omniscribe', 'E66.9', 0.88)]],
    );
    // A01: Heidi without a relevance; A02: Heidi, Low; E66.9: Sully and Omniscribe (88 %); Z87.11: Sully alone, no score.
    assert.deepEqual(
      all.map((e) => [e.primary.code, relevanceRated(e)]),
      [
        ['A01', true],
        ['A02', true],
        ['E66.9', false],
        ['Z87.11', false],
      ],
    );
    const review = new ReviewState('s');
    const taken = (filter: BatchFilter) => batchCandidates(all, review, () => [], filter).map((e) => e.primary.code);
    assert.deepEqual(taken(loose), ['E66.9']);
    assert.deepEqual(taken({ ...loose, minRelevance: 'LOW' }), ['A02', 'E66.9']);
    assert.deepEqual(taken({ ...loose, minScore: 0.9 }), [], "the peers' card is still held to the score");
    assert.deepEqual(taken({ ...loose, minEngines: 2 }), ['E66.9']);
    // Sorting by score reads the same card score: E66.9 (88 %) among the scored, the unscored Sully card last.
    assert.deepEqual(
      narrowEntities(all, review, { system: undefined, status: 'ALL', sort: 'score' }).map((e) => e.primary.code),
      ['A02', 'A01', 'E66.9', 'Z87.11'],
    );
  });
});
