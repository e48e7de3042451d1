/**
 * Issue 16's cheaper paths give the same answers as the plain ones: the chunked source text, the transcript
 * folded in slices, and the entities built in slices with the main thread given back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prepareText, segmentText } from '../../src/core/evidence.ts';
import { buildEntities, buildEntitiesInSlices, noteOf } from '../../src/core/model.ts';
import { chunkContents, chunkText } from '../../src/core/text-chunks.ts';
import { buildGenerated, parseGeneratedId } from '../../demo/mock-heidi/generated.ts';

/** Flatten chunk contents back to segments (plain chunks as unmarked text), merging neighbours of one mark. */
function flatten(contents: ReturnType<typeof chunkContents>): { text: string; mark: number }[] {
  const out: { text: string; mark: number }[] = [];
  for (const content of contents) {
    for (const s of typeof content === 'string' ? [{ text: content, mark: -1 }] : content) {
      const last = out.at(-1);
      if (last && last.mark === s.mark) out[out.length - 1] = { text: last.text + s.text, mark: s.mark };
      else out.push({ ...s });
    }
  }
  return out;
}

describe('chunked source text', () => {
  const text = Array.from({ length: 400 }, (_, i) => `[doctor] line ${i} 😀 with some words, ${'x'.repeat(i % 50)}`).join('\n');

  it('cuts the text into pieces that join back to it, after line breaks, never inside a surrogate pair', () => {
    const chunks = chunkText(text, 300);
    assert.equal(chunks.plain.join(''), text);
    assert.ok(chunks.plain.length > 10);
    chunks.plain.forEach((piece, i) => {
      assert.equal(chunks.starts[i], text.indexOf(piece, chunks.starts[i]));
      const unit = piece.charCodeAt(0);
      assert.ok(!(unit >= 0xdc00 && unit <= 0xdfff), `chunk ${i} starts inside a pair`);
    });
    assert.ok(chunks.plain.slice(0, -1).filter((p) => p.endsWith('\n')).length > chunks.plain.length / 2);
    assert.equal(chunkText(text, 300), chunks, 'the same text is chunked once');
    // A single unbroken run is still cut.
    assert.equal(chunkText('a'.repeat(1000), 300).plain.join(''), 'a'.repeat(1000));
  });

  it('marks the same characters as segmentText, a mark across a boundary drawn in both chunks', () => {
    const chunks = chunkText(text, 300);
    const boundary = chunks.starts[3]!;
    const ranges = [
      { start: 10, end: 40, id: 0 },
      { start: boundary - 5, end: boundary + 5, id: 1 },
      { start: 35, end: 60, id: 2 }, // overlaps 0: the earliest wins its characters
      { start: text.length - 8, end: text.length, id: 3 },
      { start: -1, end: 5, id: 4 }, // outside: ignored
    ];
    const contents = chunkContents(chunks, ranges);
    assert.deepEqual(flatten(contents), segmentText(text, ranges));
    assert.equal(typeof contents[1], 'string', 'a chunk without marks is its plain string');
    assert.equal(contents[1], chunks.plain[1]);
    const across = [contents[2], contents[3]].map((c) => (c === undefined || typeof c === 'string' ? [] : c.filter((s) => s.mark === 1)));
    assert.equal(across[0]!.length + across[1]!.length, 2);
  });
});

describe('evidence located in slices', () => {
  for (const id of ['generated-60-t300k-missing', 'generated-60-t300k']) {
    it(`${id}: the same entities as buildEntities, pausing between slices`, async () => {
      const fixture = buildGenerated(parseGeneratedId(id)!);
      const codes = fixture.clinicalCodes as Parameters<typeof buildEntities>[0];
      let pauses = 0;
      const sliced = await buildEntitiesInSlices(
        codes,
        fixture.transcript,
        noteOf(fixture.session as Parameters<typeof noteOf>[0]),
        undefined,
        async () => {
          pauses += 1;
        },
      );
      assert.deepEqual(sliced, buildEntities(codes, fixture.transcript, noteOf(fixture.session as Parameters<typeof noteOf>[0])));
      // A transcript whose snippets all need a search is folded in slices; exact offsets need no folding.
      if (id.endsWith('-missing')) assert.ok(pauses >= 4, `paused ${pauses} times`);
    });
  }

  it('a transcript folded in slices finds what the whole fold finds', async () => {
    const text = Array.from({ length: 30_000 }, (_, i) => `[patient] The KNEE\u00a0 hurts  on day ${i}.\r\n`).join('');
    const whole = prepareText(text);
    const sliced = prepareText(text);
    await sliced.prepareInSlices(async () => undefined);
    assert.equal(sliced.folded().text, whole.folded().text);
    assert.deepEqual(sliced.folded().toOriginal, whole.folded().toOriginal);
    for (const needle of ['the knee hurts on day 29999.', 'day 12', 'hurts on', 'not there', 'knee hurts on day 7. [patient]'])
      assert.equal(sliced.mayContain(needle), whole.mayContain(needle), needle);
  });

  it('stops when the load is aborted', async () => {
    const fixture = buildGenerated(parseGeneratedId('generated-60-t300k-missing')!);
    const controller = new AbortController();
    const codes = fixture.clinicalCodes as Parameters<typeof buildEntities>[0];
    const building = buildEntitiesInSlices(
      codes,
      fixture.transcript,
      noteOf(fixture.session as Parameters<typeof noteOf>[0]),
      controller.signal,
      async () => controller.abort(),
    );
    await assert.rejects(building, (e: Error) => e.name === 'AbortError');
  });
});
