/**
 * The controllers with no DOM of their own (review, commit, list view), driven through a
 * fake host: what they fire, what they ask the host to re-render, and what they derive.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type CodingModel, type EntityView } from '../../src/core/model.ts';
import { ReviewController } from '../../src/controllers/review.ts';
import { CommitController } from '../../src/controllers/commit.ts';
import { ListViewController } from '../../src/controllers/list-view.ts';
import { SelectionController } from '../../src/controllers/selection.ts';
import { en } from '../../src/i18n/en.ts';
import type { CodeReviewDetail, CodeSelectDetail, CodesCommitDetail } from '../../src/events.ts';

const NOTE = 'Right knee osteoarthritis. Obesity.';

class FakeHost extends EventTarget {
  readonly = false;
  ehrPatientId = '';
  codeSystems = '';
  updates = 0;
  readonly controllers: unknown[] = [];
  readonly updateComplete = Promise.resolve(true);
  addController(controller: unknown) {
    this.controllers.push(controller);
  }
  removeController() {}
  requestUpdate() {
    this.updates += 1;
  }
  events<T>(type: string): T[] {
    const seen: T[] = [];
    this.addEventListener(type, (e) => seen.push((e as CustomEvent<T>).detail));
    return seen;
  }
}

function model(session: Record<string, unknown> | null = { consult_note: { result: NOTE }, ehr_patient_id: 'P1' }): CodingModel {
  const code = (c: string, system = 'icd_10_cm', score = 0.9) => ({ code: c, code_name: c, code_system: system, score });
  return buildModel(
    {
      session_id: 'S1',
      clinical_entities: [
        {
          id: 'knee',
          primary_code: code('M17.11'),
          similar_codes: [code('M17.9', 'icd_10_cm', 0.5)],
          relevance: 'HIGH',
          location_in_note: [{ start: 0, end: 25 }],
        },
        { id: 'bmi', primary_code: code('E66.9', 'icd_10_cm', 0.4), relevance: 'LOW' },
        { id: 'inj', primary_code: code('20610', 'cpt_2025', 0.95), relevance: 'HIGH', location_in_note: [{ start: 27, end: 34 }] },
      ],
    } as never,
    undefined,
    (session ?? undefined) as never,
  );
}

function setup(session?: Record<string, unknown> | null) {
  const host = new FakeHost();
  const loaded = model(session);
  const announced: string[] = [];
  const review = new ReviewController(host as never, {
    onChange: (change) => announced.push(change.code.code),
    locale: { messages: en },
    announcer: { announce: () => undefined, announceNotice: () => undefined },
  });
  const loadedSession = { model: loaded };
  const list = new ListViewController(host as never, { session: loadedSession, review });
  const commit = new CommitController(host as never, {
    review,
    session: loadedSession,
    list,
    locale: { messages: en },
    announcer: { announce: (m) => void announced.push(m) },
  });
  review.open('S1');
  return { host, loaded, review, list, commit, announced, entity: (id: string) => loaded.entities.find((e) => e.id === id)! };
}

describe('ReviewController', () => {
  it('fires heidi-code-review per change and asks for a render; the state snapshot changes identity, a no-op does not', () => {
    const { host, review, entity, announced } = setup();
    const fired = host.events<CodeReviewDetail>('heidi-code-review');
    const before = review.state!.snapshot;
    review.setStatus(entity('knee'), 'ACCEPTED');
    const after = review.state!.snapshot;
    assert.notEqual(after, before);
    review.setStatus(entity('knee'), 'ACCEPTED'); // already accepted: nothing
    assert.equal(review.state!.snapshot, after);
    review.swap(entity('knee'), entity('knee').similar[0]!);
    assert.deepEqual(
      fired.map((d) => [d.sessionId, d.entityId, d.status, d.code.code, d.previousCode?.code]),
      [
        ['S1', 'knee', 'ACCEPTED', 'M17.11', undefined],
        ['S1', 'knee', 'ACCEPTED', 'M17.9', 'M17.11'],
      ],
    );
    assert.equal(host.updates, 2);
    assert.deepEqual(announced, ['M17.11', 'M17.9']);
  });

  it('readonly: no decision is taken; the same session keeps its state, another gets its own', () => {
    const { host, review, entity } = setup();
    const state = review.state;
    assert.equal(review.open('S1'), state);
    host.readonly = true;
    review.setStatus(entity('knee'), 'REJECTED');
    assert.equal(review.state!.status('knee'), 'PENDING');
    assert.notEqual(review.open('S2'), state);
  });
});

describe('ListViewController', () => {
  it('derives the view once per change of its inputs, and again after a decision or a filter change', () => {
    const { host, list, review, entity } = setup();
    const first = list.view;
    assert.equal(list.view, first, 'memoised');
    assert.deepEqual(
      first.list.map((e) => e.id),
      ['knee', 'bmi', 'inj'],
    );
    assert.deepEqual(
      first.groups?.map((g) => g.kind),
      ['diagnosis', 'procedure'],
    );
    review.setStatus(entity('bmi'), 'REJECTED');
    list.set({ status: 'PENDING', grouped: false, sort: 'score' });
    assert.ok(host.updates >= 2);
    assert.deepEqual(
      list.view.list.map((e) => e.id),
      ['inj', 'knee'],
    );
  });

  it('code-systems narrows shown, the list, the systems offered and the batch candidates alike', () => {
    const { host, list } = setup();
    assert.deepEqual(list.view.systems, ['ICD-10-CM', 'CPT']);
    assert.deepEqual(
      list.candidates.map((e) => e.id),
      ['knee', 'inj'],
    );
    host.codeSystems = 'cpt_2025';
    assert.deepEqual(
      list.shown.map((e) => e.id),
      ['inj'],
    );
    assert.deepEqual(
      list.view.list.map((e) => e.id),
      ['inj'],
    );
    assert.deepEqual(list.view.systems, ['CPT']);
    assert.deepEqual(
      list.candidates.map((e) => e.id),
      ['inj'],
    );
  });

  it('warnings are cached per entity until its chosen code changes', () => {
    const { list, review, entity } = setup();
    const warnings = list.warningsFor(entity('knee'));
    assert.equal(list.warningsFor(entity('knee')), warnings);
    review.swap(entity('knee'), entity('knee').similar[0]!);
    assert.notEqual(list.warningsFor(entity('knee')), warnings);
  });
});

describe('CommitController', () => {
  it('sends the accepted codes with their located evidence, waits for the host, then marks them sent', async () => {
    const { host, review, commit, entity } = setup();
    review.setStatus(entity('knee'), 'ACCEPTED');
    let finish!: () => void;
    host.addEventListener('heidi-codes-commit', (e) =>
      (e as CustomEvent<CodesCommitDetail>).detail.waitUntil(new Promise<void>((r) => (finish = r))),
    );
    const sent = host.events<CodesCommitDetail>('heidi-codes-commit');
    const done = commit.commit();
    assert.equal(commit.phase, 'sending');
    assert.deepEqual(
      sent[0]!.codes.map((c) => [c.entityId, c.code, c.evidence.note.map((n) => n.text)]),
      [['knee', 'M17.11', ['Right knee osteoarthritis']]],
    );
    finish();
    assert.equal(await done, true);
    assert.equal(commit.phase, 'sent');
    assert.equal(review.state!.isSent(entity('knee')), true);
  });

  it('the wrong-patient guard blocks; a vetoed or failed send says so; a decision resets the outcome', async () => {
    const { host, review, commit, entity } = setup();
    review.setStatus(entity('knee'), 'ACCEPTED');
    host.ehrPatientId = 'P2';
    assert.equal(commit.blocked, true);
    assert.equal(await commit.commit(), false);
    assert.equal(commit.phase, 'blocked');
    host.ehrPatientId = 'P1';
    const veto = (e: Event) => e.preventDefault();
    host.addEventListener('heidi-codes-commit', veto);
    assert.equal(await commit.commit(), false);
    assert.equal(commit.phase, 'cancelled');
    host.removeEventListener('heidi-codes-commit', veto);
    host.addEventListener('heidi-codes-commit', (e) =>
      (e as CustomEvent<CodesCommitDetail>).detail.waitUntil(Promise.reject(new Error('EHR down'))),
    );
    assert.equal(await commit.commit(), false);
    assert.equal(commit.phase, 'failed');
    assert.match(commit.message, /EHR down/);
    commit.onReviewChange();
    assert.equal(commit.phase, 'idle');
  });

  it('a SNOMED CT code is filed as a Condition, or as a Procedure when its engine listed it as a procedure', async () => {
    const { host, review, commit, loaded } = setup();
    const snomed = (kind: 'procedure' | 'clinical-term', code: string): EntityView => {
      const base = loaded.entities[0]!;
      const primary = { ...base.primary, system: 'http://snomed.info/sct', codeSystem: 'snomed_ct', code, kind, systemLabel: 'SNOMED CT' };
      return { ...base, id: `snomed-${code}`, primary, similar: [] };
    };
    const finding = snomed('clinical-term', '239873007');
    const procedure = snomed('procedure', '71388002');
    (loaded.entities as EntityView[]).push(finding, procedure);
    review.setStatus(finding, 'ACCEPTED');
    review.setStatus(procedure, 'ACCEPTED');
    const sent = host.events<CodesCommitDetail>('heidi-codes-commit');
    await commit.commit();
    const fhir = sent[0]!.fhir as { entry: { resource: { resourceType: string; code?: { coding: { code: string }[] } } }[] };
    const typeOf = (code: string) => fhir.entry.find((e) => e.resource.code?.coding[0]?.code === code)?.resource.resourceType;
    assert.equal(typeOf('239873007'), 'Condition');
    assert.equal(typeOf('71388002'), 'Procedure');
  });

  it('without the session a host patient id blocks (it cannot be proved to be this patient)', () => {
    const { host, commit } = setup(null);
    assert.equal(commit.blocked, false);
    host.ehrPatientId = 'P1';
    assert.equal(commit.blocked, true);
  });
});

describe('SelectionController', () => {
  it('selecting a note-only code after the reviewer chose the transcript tab shows the note with that evidence focused', () => {
    const { host, loaded, review, entity } = setup();
    const focused: string[] = [];
    const selection = new SelectionController(host as never, {
      session: { model: loaded },
      review,
      onSelect: (e) => void focused.push(e.id),
    });
    const fired = host.events<CodeSelectDetail>('heidi-code-select');
    selection.reset(loaded, false);
    assert.equal(selection.kind, 'note');
    selection.showSource('transcript');
    assert.equal(selection.kind, 'transcript');
    selection.select(entity('knee'));
    assert.equal(selection.kind, 'note');
    assert.deepEqual(selection.focus, { kind: 'note', id: 0 });
    assert.deepEqual(selection.ranges.note, [{ start: 0, end: 25, id: 0 }]);
    assert.deepEqual(focused, ['knee']);
    assert.deepEqual(
      fired.map((d) => [d.sessionId, d.entityId, d.code.code]),
      [['S1', 'knee', 'M17.11']],
    );
  });

  it('a code with no located evidence keeps the tab shown; opening evidence expands and selects; another session forgets both', () => {
    const { host, loaded, review, entity } = setup();
    const selection = new SelectionController(host as never, { session: { model: loaded }, review, onSelect: () => {} });
    selection.showSource('transcript');
    selection.select(entity('bmi'));
    assert.equal(selection.kind, 'transcript');
    selection.setExpanded(entity('inj'), true);
    assert.equal(selection.selectedId, 'inj');
    assert.deepEqual([...selection.expanded], ['inj']);
    selection.reset(undefined, true);
    assert.equal(selection.selectedId, undefined);
    assert.equal(selection.expanded.size, 0);
  });
});
