/**
 * A peer's large answer is read a slice at a time, as Heidi's codes are (codes-in-slices.test.ts): 2,000 Sully
 * codings located in the note, or 2,000 Omniscribe assessments, read in one go were one long task. The engine
 * gives the event loop back between slices (a timer queued once the answer is in runs before the result), reads
 * every item as before (the same entities, the same dropped count), and an abort stops it at the next slice.
 * Run: node --import tsx --test test/node/peer-answers-in-slices.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSullyEngine } from '../../src/core/engines/sully.ts';
import { createOmniscribeEngine } from '../../src/core/engines/omniscribe.ts';
import type { FetchFunction } from '../../src/core/engines/peer-http.ts';
import { isLocated } from '../../src/core/evidence.ts';
import { ORIGIN } from './peer-testing.ts';

const COUNT = 2000;
const line = (i: number) => `Finding ${i}: condition number ${i} noted on examination.`;
const NOTE = Array.from({ length: COUNT }, (_, i) => line(i)).join('\n');

/** An answer that says when its body has been read: from then on the engine only converts it. */
function answering(body: unknown, onRead: () => void): FetchFunction {
  class WatchedResponse extends Response {
    override async text(): Promise<string> {
      const text = await super.text();
      onRead();
      return text;
    }
  }
  return async () => new WatchedResponse(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

/** 2,000 diagnoses, each quoting its own line (every other one by text only, so it is searched for); every 97th unreadable. */
function sullyAnswer(): unknown {
  let at = 0;
  const diagnoses = Array.from({ length: COUNT }, (_, i) => {
    const text = `condition number ${i} noted`;
    const start = NOTE.indexOf(text, at);
    at = start;
    if (i % 97 === 5) return { code: { text: 'no coding list' } };
    return {
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: `R${String(i).padStart(4, '0')}`, display: text }], text },
      text_span: i % 2 ? { text } : { start_char: start, end_char: start + text.length, text },
    };
  });
  return { data: { codingId: 'cod_1', status: 'completed', result: { diagnoses, procedures: [] } } };
}

function omniscribeAnswer(): unknown {
  const assessment = (i: number) =>
    i % 89 === 3
      ? { code: 42 }
      : { code: `R${String(i).padStart(4, '0')}`, description: `Condition ${i}`, justification: line(i), confidence_percent: i % 100 };
  return {
    run_id: 'run_1',
    final_code_assessments: Array.from({ length: COUNT }, (_, i) => assessment(i)),
    discarded_code_assessments: Array.from({ length: 200 }, (_, i) => assessment(COUNT + i)),
  };
}

const unreadable = (count: number, every: number, from: number) =>
  Array.from({ length: count }, (_, i) => i).filter((i) => i % every === from).length;

describe("a peer's large answer is read in slices", () => {
  it('Sully: 2,000 codings give the event loop back while they are read, and all are read', async () => {
    let timerRan = false;
    const fetch = answering(sullyAnswer(), () => setTimeout(() => (timerRan = true), 0));
    const result = await createSullyEngine({ base: `${ORIGIN}/sully`, fetch }).code(
      { note: NOTE, transcript: undefined },
      new AbortController().signal,
      () => {},
    );
    assert.equal(timerRan, true, 'no macrotask ran while the codings were read');
    const dropped = unreadable(COUNT, 97, 5);
    assert.equal(result.dropped, dropped);
    assert.equal(result.entities.length, COUNT - dropped);
    const last = result.entities.at(-1)!;
    assert.equal(last.primary.code, `R${COUNT - 1}`);
    const quote = `condition number ${COUNT - 1} noted`;
    assert.deepEqual(
      last.note.map((n) => [n.location, n.text, isLocated(n) && n.start]),
      [['moved', quote, NOTE.indexOf(quote)]],
      'found in the note (no offsets: searched for)',
    );
    assert.deepEqual(
      result.entities[0]!.note.map((n) => n.location),
      ['exact'],
      'its offsets',
    );
  });

  it('Omniscribe: 2,200 assessments give the event loop back while they are read, and all are read', async () => {
    let timerRan = false;
    const fetch = answering(omniscribeAnswer(), () => setTimeout(() => (timerRan = true), 0));
    const result = await createOmniscribeEngine({ base: `${ORIGIN}/omniscribe`, fetch }).code(
      { note: NOTE, transcript: undefined },
      new AbortController().signal,
      () => {},
    );
    assert.equal(timerRan, true, 'no macrotask ran while the assessments were read');
    const droppedFinal = unreadable(COUNT, 89, 3);
    const droppedDiscarded = Array.from({ length: 200 }, (_, i) => COUNT + i).filter((i) => i % 89 === 3).length;
    assert.equal(result.entities.length, COUNT - droppedFinal);
    assert.equal(result.discarded.length, 200 - droppedDiscarded);
    assert.equal(result.dropped, droppedFinal + droppedDiscarded);
    assert.equal(result.runId, 'run_1');
    assert.deepEqual(
      [result.entities[1]!.primary.code, result.entities[1]!.primary.score, result.entities[1]!.justification],
      ['R0001', 0.01, line(1)],
    );
  });

  it('an abort while a peer answer is read stops it at the next slice', async () => {
    const engines: [(fetch: FetchFunction) => { code: ReturnType<typeof createSullyEngine>['code'] }, unknown][] = [
      [(fetch) => createSullyEngine({ base: `${ORIGIN}/sully`, fetch }), sullyAnswer()],
      [(fetch) => createOmniscribeEngine({ base: `${ORIGIN}/omniscribe`, fetch }), omniscribeAnswer()],
    ];
    for (const [make, body] of engines) {
      const controller = new AbortController();
      const engine = make(answering(body, () => setTimeout(() => controller.abort(), 0)));
      await assert.rejects(
        engine.code({ note: NOTE, transcript: undefined }, controller.signal, () => {}),
        (e: Error) => e.name === 'AbortError',
      );
    }
  });
});
