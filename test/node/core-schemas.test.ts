import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  ClinicalCodesResponse,
  CreateSessionResponse,
  ErrorResponse,
  JwtResponse,
  LinkedSessionsResponse,
  SessionResponse,
  TranscriptResponse,
  describeErrorBody,
  explainSchemaError,
} from '../../src/core/schemas.ts';
import { codeSystemInfo, codeSystemMatches } from '../../src/core/code-systems.ts';

const seed = (name: string): unknown => JSON.parse(readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8'));

describe('schemas accept the seed examples verbatim', () => {
  it('clinical codes (heidi-coding seed, elided entries removed)', () => {
    const parsed = ClinicalCodesResponse.parse(seed('seed-clinical-codes.json'));
    const entity = parsed.clinical_entities[0]!;
    assert.equal(entity.primary_code.code, '11200-00');
    assert.equal(entity.similar_codes?.[0]?.code_name, 'Tonometry');
    assert.equal(entity.primary_code.metadata?.sibling_code?.length, 9);
  });
  it('session GET and PATCH responses, and the linked-user list', () => {
    assert.equal(SessionResponse.parse(seed('seed-session-get.json')).session.session_id, '1234567890');
    assert.equal(SessionResponse.parse(seed('seed-session-patch.json')).session.patient?.gender, 'MALE');
    assert.equal(LinkedSessionsResponse.parse(seed('seed-linked-user.json')).has_next_page, true);
  });
  it('JWT, create-session and transcript bodies', () => {
    assert.deepEqual(JwtResponse.parse({ token: 'JWT_TOKEN', expiration_time: '2024-08-01T00:00:00.000Z' }), {
      token: 'JWT_TOKEN',
      expiration_time: '2024-08-01T00:00:00.000Z',
    });
    assert.equal(CreateSessionResponse.parse({ session_id: '1234567890' }).session_id, '1234567890');
    assert.equal(TranscriptResponse.parse({ transcript: '[doctor] hello' }).transcript, '[doctor] hello');
  });
  it('both documented error forms, and FastAPI validation lists', () => {
    assert.deepEqual(describeErrorBody({ detail: { msg: 'Session not found', type: 'SessionNotFoundError' } }), {
      message: 'Session not found',
      type: 'SessionNotFoundError',
    });
    assert.deepEqual(describeErrorBody({ detail: 'Could not validate credentials' }), { message: 'Could not validate credentials' });
    assert.equal(
      describeErrorBody({ detail: [{ loc: ['query', 'email'], msg: 'Field required', type: 'missing' }] })?.message,
      'Field required',
    );
    assert.equal(describeErrorBody('<html>502</html>'), undefined);
    assert.equal(ErrorResponse.safeParse({ detail: 42 }).success, false);
  });
  it('keeps unknown extra fields harmless', () => {
    const body = { ...(seed('seed-clinical-codes.json') as object), brand_new_field: { nested: true } };
    assert.equal(ClinicalCodesResponse.safeParse(body).success, true);
  });
});

describe('schemas reject wrong types with a readable message', () => {
  const cases: [string, { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, unknown, RegExp][] = [
    ['token as a number', JwtResponse, { token: 42, expiration_time: 'x' }, /token/],
    ['empty token', JwtResponse, { token: '', expiration_time: 'x' }, /token/],
    ['entities as a string', ClinicalCodesResponse, { session_id: 's', clinical_entities: 'none' }, /clinical_entities/],
    [
      'missing code_system',
      ClinicalCodesResponse,
      { session_id: 's', clinical_entities: [{ primary_code: { code: 'A', code_name: 'a' } }] },
      /code_system/,
    ],
    ['session id as a number', SessionResponse, { session: { session_id: 12 } }, /session\.session_id/],
  ];
  for (const [name, schema, body, pattern] of cases) {
    it(name, () => {
      const result = schema.safeParse(body);
      assert.equal(result.success, false);
      const message = explainSchemaError(result.error as Parameters<typeof explainSchemaError>[0]);
      assert.match(message, pattern);
    });
  }
});

describe('code systems map to FHIR URIs in one place', () => {
  const expected: [string, string, string][] = [
    ['icd_10_cm', 'http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM'],
    ['ICD-10-CM', 'http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM'],
    ['icd_10', 'http://hl7.org/fhir/sid/icd-10', 'ICD-10'],
    ['icd_9_cm', 'http://hl7.org/fhir/sid/icd-9-cm', 'ICD-9-CM'],
    ['snomed_ct', 'http://snomed.info/sct', 'SNOMED CT'],
    ['SNOMED', 'http://snomed.info/sct', 'SNOMED CT'],
    ['cpt_2025', 'http://www.ama-assn.org/go/cpt', 'CPT'],
    ['achi_13_au', 'http://www.ihacpa.gov.au/achi', 'ACHI'],
    ['opcs_410', 'https://fhir.nhs.uk/Id/opcs-4', 'OPCS-4'],
  ];
  for (const [system, uri, label] of expected) {
    it(`${system} → ${label}`, () => {
      assert.equal(codeSystemInfo(system).uri, uri);
      assert.equal(codeSystemInfo(system).label, label);
    });
  }
  it('keeps an unknown system raw, never drops it', () => {
    const info = codeSystemInfo('loinc_2.77');
    assert.equal(info.known, false);
    assert.equal(info.label, 'loinc_2.77');
    assert.match(info.uri, /^urn:heidi:code-system:loinc_2\.77$/);
  });
  it('matches code-systems attribute entries by family', () => {
    assert.ok(codeSystemMatches('ICD-10-CM', 'icd_10_cm_2025'));
    assert.ok(codeSystemMatches('cpt_2025', 'cpt_2024'));
    assert.ok(!codeSystemMatches('ICD-10', 'icd_10_cm'));
    assert.ok(codeSystemMatches('weird_system', 'WEIRD_SYSTEM'));
    assert.ok(!codeSystemMatches('', 'icd_10_cm'));
  });
});
