/**
 * The clinical codes are read a slice at a time (issue 16 at load): a 2,000-code answer (6.5 MB) read in one
 * go was one task of 50 ms and more. The client gives the event loop back between slices, reads exactly what
 * the one-go schema reads (the same entities, the same dropped counts, the same errors), and an abort stops it.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeidiClient } from '../../src/core/client.ts';
import { TokenManager } from '../../src/core/token.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { ClinicalCodesResponse, explainSchemaError } from '../../src/core/schemas.ts';
import { buildGenerated, parseGeneratedId } from '../../demo/mock-heidi/generated.ts';

const API_BASE = 'https://heidi.test/api';
const realFetch = globalThis.fetch;

/** The body the next codes request is answered with, and what runs once the client has read it as text. */
let body: string;
let onRead: () => void;

/** A response that says when its text has been read: from then on the client only parses. */
class WatchedResponse extends Response {
  override async text(): Promise<string> {
    const text = await super.text();
    onRead();
    return text;
  }
}

beforeEach(() => {
  onRead = () => {};
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    assert.match(request.url, /\/clinical-codes$/);
    return new WatchedResponse(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

function client(): HeidiClient {
  const tokens = new TokenManager({
    source: () => ({
      kind: 'provider',
      provide: async () => ({ token: 't', expiration_time: new Date(Date.now() + 600_000).toISOString() }),
    }),
    onHostTokenNeeded: () => {},
  });
  return new HeidiClient({ apiBase: API_BASE, tokens, maxRetryDelayMs: 0 });
}

/** 2,000 generated codes, every 97th entity without a readable primary code and every 89th with a bad score. */
function largeBody(): unknown {
  const codes = structuredClone(buildGenerated(parseGeneratedId('generated-2000')!).clinicalCodes) as unknown as {
    clinical_entities: Record<string, unknown>[];
  };
  codes.clinical_entities.forEach((entity, i) => {
    if (i % 97 === 5) entity.primary_code = { code_name: 'no code' };
    else if (i % 89 === 3) entity.relevance_score = 'high';
  });
  return codes;
}

describe('the clinical codes are read in slices', () => {
  it('a large answer gives the event loop back while it is read, and reads exactly what the one-go schema reads', async () => {
    const raw = largeBody();
    body = JSON.stringify(raw);
    let timerRan = false;
    // Queued once the text is in: without slices the whole answer is read before any timer can run.
    onRead = () => setTimeout(() => (timerRan = true), 0);
    const read = await client().getClinicalCodes('s1');
    assert.equal(timerRan, true, 'no macrotask ran while the codes were read');
    const whole = ClinicalCodesResponse.parse(JSON.parse(body));
    assert.deepEqual(read, whole);
    assert.equal(read.clinical_entities.length, 2000 - 21);
    assert.deepEqual(read.dropped, { entities: 21, similarCodes: 0, evidence: 0, fields: 23 });
  });

  it('an abort while it is read stops it at the next slice', async () => {
    body = JSON.stringify(largeBody());
    const controller = new AbortController();
    onRead = () => setTimeout(() => controller.abort(), 0);
    await assert.rejects(client().getClinicalCodes('s1', controller.signal), (e: Error) => e.name === 'AbortError');
  });

  const wrong: [string, string][] = [
    ['entities as a string', JSON.stringify({ session_id: 's', clinical_entities: 'none' })],
    ['no session id', JSON.stringify({ clinical_entities: [] })],
    ['an array body', JSON.stringify([])],
    [
      'not one entity readable (a renamed field)',
      JSON.stringify({ session_id: 's', clinical_entities: [{ code: { code: 'A', code_system: 'x' } }, { primary: {} }] }),
    ],
    [
      'not one of 2,000 entities readable',
      JSON.stringify({ session_id: 's', clinical_entities: Array.from({ length: 2000 }, () => ({ id: 'x' })) }),
    ],
  ];
  for (const [name, text] of wrong) {
    it(`a body wrong as a whole is the same invalid-response as before: ${name}`, async () => {
      body = text;
      const parsed = ClinicalCodesResponse.safeParse(JSON.parse(text));
      assert.equal(parsed.success, false);
      const expected = `Heidi sent the clinical codes in an unexpected shape (${explainSchemaError(parsed.error!)}).`;
      await assert.rejects(
        client().getClinicalCodes('s1'),
        (e: unknown) => e instanceof HeidiError && e.code === 'invalid-response' && e.message === expected,
      );
    });
  }

  it('a body that is not JSON is the same invalid-response as before', async () => {
    body = '{"session_id": "s", "clinical_entities": [';
    await assert.rejects(
      client().getClinicalCodes('s1'),
      (e: unknown) =>
        e instanceof HeidiError && e.code === 'invalid-response' && e.message === 'The response to the clinical codes is not valid JSON.',
    );
  });
});
