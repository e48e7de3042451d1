/**
 * Mock Heidi: the session, transcript and clinical-codes routes, routing
 * errors, and per-user isolation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClinicalCodesResponse,
  CreateSessionResponse,
  ErrorResponse,
  LinkedSessionsResponse,
  SessionResponse,
  TranscriptResponse,
} from '../../src/core/schemas.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { createMockHeidi } from '../../demo/mock-heidi/index.ts';
import { createMockHarness } from '../../demo/mock-heidi/testing.ts';

const fixture = FIXTURES[0]!;
const FX = fixture.session.session_id;
const JSON_HEADERS = { 'content-type': 'application/json' };

const patch = (body: unknown): RequestInit => ({ method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify(body) });
const post = (body: unknown): RequestInit => ({ method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });

async function ok<T>(response: Response, schema: { parse(value: unknown): T }): Promise<T> {
  assert.equal(response.status, 200, await response.clone().text());
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return schema.parse(await response.json());
}

async function error(response: Response, status: number) {
  assert.equal(response.status, status, await response.clone().text());
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return ErrorResponse.parse(await response.json());
}

describe('mock Heidi: fixtures and reads', () => {
  it('serves every fixture as the full seed session shape', async () => {
    const call = createMockHarness().as('u');
    for (const f of FIXTURES) {
      const raw = await (await call(`/sessions/${f.session.session_id}`)).clone().json();
      const { session } = await ok(await call(`/sessions/${f.session.session_id}`), SessionResponse);
      assert.equal(session.session_id, f.session.session_id);
      // Seed fields the schema does not name are served too.
      for (const key of ['audio', 'documents', 'ehr_provider', 'consult_note']) assert.ok(key in raw.session, key);
      assert.deepEqual(raw.session, f.session);
    }
  });

  it('serves the transcript and the clinical codes exactly as stored in the fixture', async () => {
    const call = createMockHarness().as('u');
    const { transcript } = await ok(await call(`/sessions/${FX}/transcript`), TranscriptResponse);
    assert.equal(transcript, fixture.transcript);
    const codes = await ok(await call(`/sessions/${FX}/clinical-codes`), ClinicalCodesResponse);
    assert.equal(codes.session_id, FX);
    assert.ok(codes.clinical_entities.length > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(codes)), JSON.parse(JSON.stringify(ClinicalCodesResponse.parse(fixture.clinicalCodes))));
  });

  it('builds generated-<n> sessions on demand: generated-500 has 500 entities', async () => {
    const call = createMockHarness().as('u');
    const codes = await ok(await call('/sessions/generated-500/clinical-codes'), ClinicalCodesResponse);
    assert.equal(codes.session_id, 'generated-500');
    assert.equal(codes.clinical_entities.length, 500);
    const { session } = await ok(await call('/sessions/generated-500'), SessionResponse);
    assert.equal(session.session_id, 'generated-500');
    const { transcript } = await ok(await call('/sessions/generated-500/transcript'), TranscriptResponse);
    assert.ok(transcript && transcript.length > 0);
    assert.equal((await ok(await call('/sessions/generated-0/clinical-codes'), ClinicalCodesResponse)).clinical_entities.length, 0);
    assert.equal((await ok(await call('/sessions/generated-5000'), SessionResponse)).session.session_id, 'generated-5000');
  });

  it('answers SessionNotFoundError for unknown ids, out-of-range and non-canonical generated ids', async () => {
    const call = createMockHarness().as('u');
    for (const id of [
      'nope',
      'generated-10001',
      'generated-10-t11m',
      'generated-10-t0k',
      'generated-01',
      'generated--1',
      'linked-user-x',
    ]) {
      for (const suffix of ['', '/transcript', '/clinical-codes']) {
        const body = await error(await call(`/sessions/${id}${suffix}`), 404);
        assert.deepEqual(body, { detail: { msg: 'Session not found', type: 'SessionNotFoundError' } });
      }
    }
    await error(await call('/sessions/nope', patch({ duration: 1 })), 404);
  });
});

describe('mock Heidi: POST /sessions', () => {
  it('creates an empty consultation with the seed shape and the EHR appointment id', async () => {
    const h = createMockHarness();
    const call = h.as('u');
    const { session_id } = await ok(
      await call('/sessions', post({ patient_profile_id: 'p1', ehr_appointment_id: 'EHR1234' })),
      CreateSessionResponse,
    );
    assert.match(session_id, /^\d{39}$/);
    const raw = (await (await call(`/sessions/${session_id}`)).clone().json()) as { session: Record<string, unknown> };
    const { session } = SessionResponse.parse(raw);
    assert.equal(session.ehr_appt_id, 'EHR1234');
    assert.deepEqual(session.clinician_notes, []);
    assert.ok(session.consult_note?.result);
    assert.equal(session.created_at, '2025-01-01T09:00:00.000000');
    for (const key of ['audio', 'documents', 'ehr_provider', 'duration', 'language_code']) assert.ok(key in raw.session, key);
    assert.equal((await ok(await call(`/sessions/${session_id}/transcript`), TranscriptResponse)).transcript, '');
    const codes = await ok(await call(`/sessions/${session_id}/clinical-codes`), ClinicalCodesResponse);
    assert.equal(codes.session_id, session_id);
    assert.deepEqual(codes.clinical_entities, []);
  });

  it('accepts an empty body and gives each session its own id', async () => {
    const call = createMockHarness().as('u');
    const a = await ok(await call('/sessions', { method: 'POST' }), CreateSessionResponse);
    const b = await ok(await call('/sessions', post({})), CreateSessionResponse);
    assert.notEqual(a.session_id, b.session_id);
    assert.equal((await ok(await call(`/sessions/${a.session_id}`), SessionResponse)).session.ehr_appt_id, null);
  });

  it('answers 422 for invalid JSON, a non-object body and wrongly typed fields', async () => {
    const call = createMockHarness().as('u');
    for (const body of [
      '{oops',
      '[]',
      '"text"',
      '42',
      'null',
      JSON.stringify({ ehr_appointment_id: 42 }),
      JSON.stringify({ patient_profile_id: ['x'] }),
    ]) {
      const detail = (await error(await call('/sessions', { method: 'POST', headers: JSON_HEADERS, body }), 422)).detail;
      assert.ok(Array.isArray(detail), body);
    }
  });
});

describe('mock Heidi: PATCH /sessions/{id}', () => {
  const FULL = {
    duration: 60,
    language_code: 'es',
    output_language_code: 'en',
    transcribe_mode: 'dictation',
    patient: { name: 'John Doe', gender: 'MALE', dob: '1990-01-01', demographic_details: 'Retired teacher' },
    clinician_notes: ['Note 1', 'Note 2'],
    ehr_patient_id: 'PAT-9',
    ehr_appt_id: 'APPT-7',
    generate_output_without_recording: true,
    recording_status: 'STOPPED',
    session_status: 'COMPLETED',
    is_consent: true,
    created_time_local: '2025-01-01T20:00:00+11:00',
    linked_sessions_for_context: ['generated-1'],
  };

  it('persists every documented field and returns the updated session', async () => {
    const h = createMockHarness();
    const call = h.as('u');
    h.clock.now += 60_000;
    const returned = await (await call(`/sessions/${FX}`, patch(FULL))).json();
    SessionResponse.parse(returned);
    const read = await (await call(`/sessions/${FX}`)).json();
    assert.deepEqual(read, returned);
    for (const [key, value] of Object.entries(FULL)) assert.deepEqual(read.session[key], value, key);
    assert.equal(read.session.updated_at, '2025-01-01T09:01:00.000000');
    // Untouched fields keep their fixture values.
    assert.equal(read.session.session_name, fixture.session.session_name);
    assert.deepEqual(read.session.consult_note, fixture.session.consult_note);
  });

  it('merges the patient field by field and accepts null', async () => {
    const call = createMockHarness().as('u');
    await call(`/sessions/${FX}`, patch({ patient: { name: 'Jane Roe' } }));
    let { session } = await ok(await call(`/sessions/${FX}`), SessionResponse);
    assert.equal(session.patient?.name, 'Jane Roe');
    assert.equal(session.patient?.dob, fixture.session.patient?.dob);
    assert.equal(session.patient?.gender, fixture.session.patient?.gender);
    await call(`/sessions/${FX}`, patch({ patient: { gender: 'OTHER', dob: null }, ehr_appt_id: null }));
    ({ session } = await ok(await call(`/sessions/${FX}`), SessionResponse));
    assert.deepEqual(
      [session.patient?.name, session.patient?.gender, session.patient?.dob, session.ehr_appt_id],
      ['Jane Roe', 'OTHER', null, null],
    );
  });

  it('answers 422 with the offending field for wrong types and changes nothing', async () => {
    const call = createMockHarness().as('u');
    const before = await (await call(`/sessions/${FX}`)).json();
    const cases: [unknown, (string | number)[]][] = [
      [{ patient: { gender: 'male' } }, ['body', 'patient', 'gender']],
      [{ patient: { dob: '01/01/1990' } }, ['body', 'patient', 'dob']],
      [{ patient: { dob: '1990-02-30' } }, ['body', 'patient', 'dob']],
      [{ patient: { name: 7 } }, ['body', 'patient', 'name']],
      [{ patient: 'John' }, ['body', 'patient']],
      [{ clinician_notes: 'one note' }, ['body', 'clinician_notes']],
      [{ clinician_notes: ['ok', 2] }, ['body', 'clinician_notes', 1]],
      [{ duration: '60' }, ['body', 'duration']],
      [{ language_code: 1 }, ['body', 'language_code']],
      [{ is_consent: 'yes' }, ['body', 'is_consent']],
      [{ generate_output_without_recording: 0 }, ['body', 'generate_output_without_recording']],
      [{ linked_sessions_for_context: 'x' }, ['body', 'linked_sessions_for_context']],
      [{ ehr_appt_id: 12 }, ['body', 'ehr_appt_id']],
      [[1, 2], ['body']],
    ];
    for (const [body, loc] of cases) {
      const detail = (await error(await call(`/sessions/${FX}`, patch(body)), 422)).detail;
      assert.ok(Array.isArray(detail));
      assert.deepEqual(detail[0]?.loc, loc, JSON.stringify(body));
    }
    // A valid field next to an invalid one is not applied either.
    await error(await call(`/sessions/${FX}`, patch({ duration: 99, patient: { gender: 'X' } })), 422);
    await error(await call(`/sessions/${FX}`, { method: 'PATCH', body: '{bad json' }), 422);
    assert.deepEqual(await (await call(`/sessions/${FX}`)).json(), before);
  });

  it('copies a generated session on write, for this user only', async () => {
    const h = createMockHarness();
    await h.as('a')('/sessions/generated-3', patch({ clinician_notes: ['only for a'] }));
    assert.deepEqual((await ok(await h.as('a')('/sessions/generated-3'), SessionResponse)).session.clinician_notes, ['only for a']);
    assert.notDeepEqual((await ok(await h.as('b')('/sessions/generated-3'), SessionResponse)).session.clinician_notes, ['only for a']);
  });
});

describe('mock Heidi: GET /sessions/linked-user', () => {
  it('pages through created sessions (newest first) then the fixtures', async () => {
    const call = createMockHarness().as('u');
    const created: string[] = [];
    for (let i = 0; i < 12; i++) created.push((await ok(await call('/sessions', post({})), CreateSessionResponse)).session_id);
    const total = 12 + FIXTURES.length;
    const seen: string[] = [];
    let page: number | null = 1;
    while (page !== null) {
      const raw = await (await call(`/sessions/linked-user?page_size=5&page=${page}`)).clone().json();
      const body = LinkedSessionsResponse.parse(raw);
      assert.equal(body.total_count, total);
      assert.equal(body.count, body.sessions.length);
      assert.equal(body.has_next_page, body.next_page !== null);
      // Full session objects, not only ids.
      for (const s of raw.sessions) SessionResponse.parse({ session: s });
      seen.push(...body.sessions.map((s) => s.session_id));
      page = body.next_page === null || body.next_page === undefined ? null : Number(body.next_page);
    }
    assert.deepEqual(seen, [...created.reverse(), ...FIXTURES.map((f) => f.session.session_id)]);
  });

  it('defaults to page 1 of 10 and returns an empty page past the end', async () => {
    const call = createMockHarness().as('u');
    const first = await ok(await call('/sessions/linked-user'), LinkedSessionsResponse);
    assert.equal(first.count, Math.min(10, FIXTURES.length));
    const past = await ok(await call('/sessions/linked-user?page=99'), LinkedSessionsResponse);
    assert.deepEqual([past.sessions, past.count, past.has_next_page, past.next_page], [[], 0, false, null]);
  });

  it('answers 422 for bad paging parameters', async () => {
    const call = createMockHarness().as('u');
    for (const query of ['page_size=0', 'page_size=abc', 'page_size=101', 'page=0', 'page=-1', 'page=1.5']) {
      await error(await call(`/sessions/linked-user?${query}`), 422);
    }
  });

  it('answers NoLinkedUserException for users whose id starts with "unlinked"', async () => {
    const call = createMockHarness().as('unlinked-dr-who');
    const body = await error(await call('/sessions/linked-user'), 400);
    assert.deepEqual(body, { detail: { msg: 'error: no linked user', type: 'NoLinkedUserException' } });
    // Their other routes work as usual.
    await ok(await call(`/sessions/${FX}`), SessionResponse);
  });

  it('is never read as a session id', async () => {
    const call = createMockHarness().as('u');
    const body = await error(await call('/sessions/linked-user', patch({ duration: 1 })), 405);
    assert.deepEqual(body, { detail: 'Method Not Allowed' });
  });
});

describe('mock Heidi: routing', () => {
  it('declines paths outside the base path', async () => {
    const mock = createMockHeidi();
    for (const path of ['/', '/mock-heidix/jwt', '/api/sessions', '/ehr/heidi-token']) {
      assert.equal(await mock.handle(new Request(`http://x${path}`)), undefined, path);
    }
    const custom = createMockHeidi({ basePath: '/api/heidi/' });
    assert.equal(await custom.handle(new Request('http://x/mock-heidi/jwt')), undefined);
    assert.equal((await custom.handle(new Request('http://x/api/heidi/jwt')))?.status, 401);
  });

  it('answers 404 {"detail":"Not Found"} under the base path, before any auth', async () => {
    const h = createMockHarness();
    for (const path of ['', '/', '/nope', '/sessions/', '/sessions/x/y', '/sessions/x/transcript/more', '/__nope']) {
      assert.deepEqual(await error(await h.fetch(path), 404), { detail: 'Not Found' }, path);
    }
  });

  it('answers 405 {"detail":"Method Not Allowed"} with Allow for a wrong method', async () => {
    const h = createMockHarness();
    const cases: [string, string, string][] = [
      ['POST', '/jwt', 'GET'],
      ['GET', '/sessions', 'POST'],
      ['DELETE', '/sessions/x', 'GET, PATCH'],
      ['POST', '/sessions/x/transcript', 'GET'],
      ['PUT', '/sessions/x/clinical-codes', 'GET'],
      ['PUT', '/__scenario', 'GET, POST'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await h.fetch(path, { method });
      assert.deepEqual(await error(response, 405), { detail: 'Method Not Allowed' }, `${method} ${path}`);
      assert.equal(response.headers.get('allow'), allow);
    }
  });
});

describe('mock Heidi: per-user isolation', () => {
  it('keeps sessions, changes and created sessions apart per token subject', async () => {
    const h = createMockHarness();
    const alice = h.as('alice');
    const bob = h.as('bob');
    await alice(`/sessions/${FX}`, patch({ clinician_notes: ['alice only'] }));
    const { session_id } = await ok(await alice('/sessions', post({})), CreateSessionResponse);
    assert.deepEqual((await ok(await bob(`/sessions/${FX}`), SessionResponse)).session.clinician_notes, fixture.session.clinician_notes);
    await error(await bob(`/sessions/${session_id}`), 404);
    assert.equal((await ok(await bob('/sessions/linked-user'), LinkedSessionsResponse)).total_count, FIXTURES.length);
    assert.equal((await ok(await alice('/sessions/linked-user'), LinkedSessionsResponse)).total_count, FIXTURES.length + 1);
    // The fixture module itself was never touched.
    assert.notDeepEqual(fixture.session.clinician_notes, ['alice only']);
  });

  it('POST /__reset clears one user back to the fixtures; mock.reset() clears everyone', async () => {
    const h = createMockHarness();
    const alice = h.as('alice');
    const bob = h.as('bob');
    await alice(`/sessions/${FX}`, patch({ duration: 1 }));
    await bob(`/sessions/${FX}`, patch({ duration: 2 }));
    await ok(await h.fetch('/__reset', post({ user: 'alice' })), { parse: (v: unknown) => v });
    assert.equal((await ok(await alice(`/sessions/${FX}`), SessionResponse)).session.duration, fixture.session.duration);
    assert.equal((await ok(await bob(`/sessions/${FX}`), SessionResponse)).session.duration, 2);
    h.mock.reset();
    assert.equal((await ok(await bob(`/sessions/${FX}`), SessionResponse)).session.duration, fixture.session.duration);
    await error(await h.fetch('/__reset', post({})), 422);
  });

  it('keeps at most 1000 users, dropping the least recently used', async () => {
    const h = createMockHarness();
    const first = h.as('user-0');
    await first(`/sessions/${FX}`, patch({ duration: 123 }));
    for (let i = 1; i <= 1000; i++) await h.setScenario({ user: `user-${i}` });
    // user-0 was the least recently used and has been dropped: back to the fixture.
    assert.equal((await ok(await first(`/sessions/${FX}`), SessionResponse)).session.duration, fixture.session.duration);
  });
});
