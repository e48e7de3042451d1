/**
 * Mock Sully: credentials, the documented shapes, status progression over
 * polls or time, scenarios, and honest codes for the fixtures and free text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMockSully, MOCK_SULLY_ACCOUNT_ID, MOCK_SULLY_API_KEY, type MockSullyOptions } from '../../demo/mock-sully/index.ts';
import { codeSystemInfo } from '../../src/core/code-systems.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { SullyCoding, SullyCodingResponse, SullyItem } from '../../src/core/engines/sully-schemas.ts';

const ORIGIN = 'http://mock.test';
const KEYS = { 'x-api-key': MOCK_SULLY_API_KEY, 'x-account-id': MOCK_SULLY_ACCOUNT_ID };

function harness(options: MockSullyOptions = {}) {
  const mock = createMockSully(options);
  const call = async (path: string, init: RequestInit = {}, headers: Record<string, string> = KEYS) => {
    const response = await mock.handle(
      new Request(`${ORIGIN}/mock-sully${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } }),
    );
    assert.ok(response, `mock declined ${path}`);
    return response;
  };
  const create = async (text: string, headers: Record<string, string> = KEYS) => {
    const response = await call('/v1/codings', { method: 'POST', body: JSON.stringify({ text }) }, headers);
    assert.equal(response.status, 201, await response.clone().text());
    const body = SullyCodingResponse.parse(await response.json());
    return body.data.id!;
  };
  const poll = async (id: string, headers: Record<string, string> = KEYS) => {
    const response = await call(`/v1/codings/${id}`, {}, headers);
    return { response, body: SullyCodingResponse.parse(await response.clone().json()) };
  };
  const scenario = (body: unknown) => call('/__scenario', { method: 'POST', body: JSON.stringify(body) }, {});
  return { mock, call, create, poll, scenario };
}

/** Every item's codings and span, checked by the engine's own schemas. */
function items(result: { diagnoses?: unknown[] | null; procedures?: unknown[] | null }) {
  const parse = (raw: unknown) => {
    const item = SullyItem.parse(raw);
    return { ...item, codings: item.code.coding.map((c) => SullyCoding.parse(c)) };
  };
  return { diagnoses: (result.diagnoses ?? []).map(parse), procedures: (result.procedures ?? []).map(parse) };
}

describe('mock Sully: credentials', () => {
  for (const [name, headers] of [
    ['no headers', {}],
    ['a wrong key', { ...KEYS, 'x-api-key': 'nope' }],
    ['no account id', { 'x-api-key': MOCK_SULLY_API_KEY }],
  ] as const) {
    it(`answers 401 {error, message} with ${name}`, async () => {
      const h = harness();
      const response = await h.call('/v1/codings', { method: 'POST', body: '{"text":"x"}' }, headers);
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { error: 401, message: 'Invalid or missing X-API-KEY or X-ACCOUNT-ID' });
    });
  }

  it('leaves paths outside /mock-sully to the next handler', async () => {
    assert.equal(await createMockSully().handle(new Request(`${ORIGIN}/mock-heidi/jwt`)), undefined);
  });
});

describe('mock Sully: the coding flow', () => {
  it('creates pending, then processing, then completed on the second poll by default', async () => {
    const h = harness();
    const id = await h.create('Type 2 diabetes.');
    assert.match(id, /^coding_/);
    const first = await h.poll(id);
    assert.equal(first.body.data.status, 'processing');
    assert.equal(first.body.data.codingId, id);
    assert.equal(first.body.data.result, undefined);
    const second = await h.poll(id);
    assert.equal(second.body.data.status, 'completed');
    assert.ok(second.body.data.result);
  });

  it('moves pending → processing → completed over time with completeAfterMs', async () => {
    const clock = { now: 1_000_000 };
    const h = harness({ now: () => clock.now });
    await h.scenario({ completeAfterMs: 10_000 });
    const id = await h.create('Asthma.');
    const statuses: (string | null | undefined)[] = [];
    for (const step of [5_000, 3_000, 2_000]) {
      statuses.push((await h.poll(id)).body.data.status);
      clock.now += step;
    }
    statuses.push((await h.poll(id)).body.data.status);
    assert.deepEqual(statuses, ['pending', 'processing', 'processing', 'completed']);
  });

  it('takes pollsToComplete polls and sends Retry-After on in-progress answers when told to', async () => {
    const h = harness();
    await h.scenario({ pollsToComplete: 3, retryAfterSeconds: 4 });
    const id = await h.create('Asthma.');
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const { response, body } = await h.poll(id);
      seen.push([body.data.status, response.headers.get('retry-after')]);
    }
    assert.deepEqual(seen, [
      ['processing', '4'],
      ['processing', '4'],
      ['completed', null],
    ]);
  });

  it('answers 404 for an unknown coding, 405 for a wrong method, 400 for a body without text', async () => {
    const h = harness();
    assert.equal((await h.call('/v1/codings/coding_nope')).status, 404);
    assert.equal((await h.call('/v1/codings', { method: 'GET' })).status, 405);
    const empty = await h.call('/v1/codings', { method: 'POST', body: JSON.stringify({ text: '  ' }) });
    assert.equal(empty.status, 400);
    assert.deepEqual(await empty.json(), { error: 400, message: 'text is required and must be a non-empty string' });
    assert.equal((await h.call('/v1/codings', { method: 'POST', body: 'not json' })).status, 400);
  });

  it('keeps each user’s codings and scenario apart (by the forwarder’s x-doctor)', async () => {
    const h = harness();
    await h.scenario({ user: 'slow', pollsToComplete: 5 });
    const mine = await h.create('Asthma.', { ...KEYS, 'x-doctor': 'slow' });
    const theirs = await h.create('Asthma.', { ...KEYS, 'x-doctor': 'fast' });
    assert.equal((await h.poll(theirs, { ...KEYS, 'x-doctor': 'fast' })).body.data.status, 'processing');
    assert.equal((await h.poll(theirs, { ...KEYS, 'x-doctor': 'fast' })).body.data.status, 'completed');
    assert.equal((await h.poll(mine, { ...KEYS, 'x-doctor': 'slow' })).body.data.status, 'processing');
    assert.equal((await h.poll(mine, { ...KEYS, 'x-doctor': 'slow' })).body.data.status, 'processing');
    assert.equal((await h.call(`/v1/codings/${mine}`, {}, { ...KEYS, 'x-doctor': 'fast' })).status, 404, 'another user cannot see it');
  });
});

describe('mock Sully: scenarios', () => {
  it('fails the next coding when told to', async () => {
    const h = harness();
    await h.scenario({ failures: [{ kind: 'failed' }] });
    const failing = await h.create('Asthma.');
    const fine = await h.create('Asthma.');
    await h.poll(failing);
    assert.deepEqual(
      { status: (await h.poll(failing)).body.data.status, error: (await h.poll(failing)).body.data.error },
      { status: 'failed', error: 'Coding extraction failed' },
    );
    await h.poll(fine);
    assert.equal((await h.poll(fine)).body.data.status, 'completed');
  });

  it('answers scripted statuses (with Retry-After) on the route asked, then recovers', async () => {
    const h = harness();
    await h.scenario({ failures: [{ kind: 'status', status: 429, route: 'poll', count: 2, retryAfter: 3 }] });
    const id = await h.create('Asthma.');
    for (let i = 0; i < 2; i++) {
      const response = await h.call(`/v1/codings/${id}`);
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '3');
      assert.deepEqual(await response.json(), { error: 429, message: 'Too many requests' });
    }
    assert.equal((await h.poll(id)).response.status, 200);
  });

  it('can send a body that is not JSON', async () => {
    const h = harness();
    await h.scenario({ failures: [{ kind: 'malformed', route: 'create' }] });
    const response = await h.call('/v1/codings', { method: 'POST', body: '{"text":"x"}' });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  it('reads a user’s scenario back', async () => {
    const h = harness();
    await h.scenario({ user: 'dr-a', pollsToComplete: 4, failures: [{ kind: 'failed' }] });
    const read = await h.call('/__scenario?user=dr-a', {}, {});
    assert.deepEqual(await read.json(), { user: 'dr-a', pollsToComplete: 4, failures: [{ count: 1, kind: 'failed', route: 'any' }] });
    const other = await h.call('/__scenario?user=dr-b', {}, {});
    assert.deepEqual(await other.json(), { user: 'dr-b', pollsToComplete: 2, failures: [] });
  });

  it('rejects a bad scenario with 422 and every problem', async () => {
    const h = harness();
    const response = await h.scenario({ pollsToComplete: 0, failures: [{ kind: 'boom', count: 0 }] });
    assert.equal(response.status, 422);
    const body = (await response.json()) as { message: string };
    assert.match(body.message, /pollsToComplete must be at least 1/);
    assert.match(body.message, /failures\[0\]\.kind/);
    assert.match(body.message, /failures\[0\]\.count/);
  });

  it('names each bad field of each failure, and keeps the good ones with their defaults', async () => {
    const h = harness();
    const bad = await h.scenario({ failures: [{ kind: 'boom', route: 'x', status: 99, retryAfter: -1 }, 'nope'] });
    assert.equal(bad.status, 422);
    assert.equal(
      ((await bad.json()) as { message: string }).message,
      'failures[0].kind must be failed, status or malformed; failures[0].route must be create, poll or any; ' +
        'failures[0].status must be 400..599; retryAfter must be an integer >= 0; failures[1] must be an object',
    );
    const good = await h.scenario({ failures: [{ kind: 'failed' }, { status: 503, route: 'poll', retryAfter: 2, count: 2 }] });
    assert.deepEqual(((await good.json()) as { failures: unknown }).failures, [
      { route: 'any', count: 1, kind: 'failed' },
      { route: 'poll', count: 2, kind: 'status', status: 503, retryAfter: 2 },
    ]);
  });
});

describe('mock Sully: honest codes', () => {
  const completed = async (note: string) => {
    const h = harness();
    await h.scenario({ pollsToComplete: 1 });
    const id = await h.create(note);
    const { body } = await h.poll(id);
    assert.equal(body.data.status, 'completed');
    return items(body.data.result!);
  };

  for (const fixture of FIXTURES) {
    it(`${fixture.id}: every span slices its quote from the note; it shares some codes with Heidi and adds its own`, async () => {
      const note = fixture.session.consult_note!.result!;
      const { diagnoses, procedures } = await completed(note);
      assert.ok(diagnoses.length >= 3 && procedures.length >= 1);
      for (const item of [...diagnoses, ...procedures]) {
        const span = item.text_span!;
        assert.equal(note.slice(span.start_char!, span.end_char!), span.text, `span of ${item.code.text}`);
      }
      for (const p of procedures) for (const c of p.codings) assert.equal(typeof c.code, 'number', 'CPT goes out as a JSON number');

      const heidi = new Set(
        fixture.clinicalCodes.clinical_entities.map((e) => `${codeSystemInfo(e.primary_code.code_system).uri}|${e.primary_code.code}`),
      );
      const sully = [...diagnoses, ...procedures].flatMap((i) => i.codings.map((c) => `${c.system}|${c.code}`));
      const shared = sully.filter((k) => heidi.has(k));
      const own = sully.filter((k) => !heidi.has(k));
      assert.ok(own.length > 0, 'Sully adds codes Heidi does not suggest');
      assert.ok(shared.length > 0, 'Sully agrees with Heidi on some');
    });
  }

  it('codes the seed note like the seed, with offsets that are right', async () => {
    const note =
      'Patient presents with migraine headache, experiencing throbbing pain on the right side for 3 days. Photophobia and nausea present. Started on sumatriptan 50mg as needed. Follow-up visit scheduled in 2 weeks.';
    const { diagnoses, procedures } = await completed(note);
    assert.deepEqual(
      diagnoses.map((d) => [d.codings.map((c) => c.code), d.text_span!.start_char, d.text_span!.end_char, d.text_span!.text]),
      [
        [['G43.909', '37796009'], 22, 39, 'migraine headache'],
        [['R11.0', '422587007'], 115, 121, 'nausea'],
      ],
    );
    assert.deepEqual(
      procedures.map((p) => [p.codings[0]!.code, p.text_span!.start_char, p.text_span!.end_char]),
      [[99213, 170, 185]],
    );
  });

  it('codes free text by keyword, located, and not what the note negates', async () => {
    const note = 'Seen today. No diabetes. Long-standing asthma; hypertension on ramipril.';
    const { diagnoses } = await completed(note);
    assert.deepEqual(
      diagnoses.map((d) => [d.codings[0]!.code, note.slice(d.text_span!.start_char!, d.text_span!.end_char!)]),
      [
        ['I10', 'hypertension'],
        ['J45.909', 'asthma'],
      ],
    );
  });
});
