/** Issue 15 item 4: every property the host sets is type-checked at the door, by one table keyed by name. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkProperty, checkedProperties, heidiPatient } from '../../src/core/config-check.ts';

const jwt = async () => ({ token: 't', expiration_time: '2030-01-01T00:00:00Z' });

/** [property, values that pass, values that are refused] */
const CASES: [string, unknown[], unknown[]][] = [
  ['clinicianNotes', [['Follow-up'], []], ['Follow-up for hypertension', [1], [['a']], { 0: 'a' }]],
  ['tokenProvider', [jwt], ['/ehr/heidi-token', { token: 't' }, true]],
  ['token', ['eyJ.a.b'], [42, { token: 't' }, ['t']]],
  [
    'patient',
    [{ name: 'Ada', dob: '1990-01-01' }, {}, { name: null }, { gender: 'female' }, { gender: 'M' }, { gender: 'Other' }, { gender: ' ' }],
    ['Ada', ['Ada'], { name: 42 }, { dob: new Date() }, { gender: 'woman' }, { dob: '10/12/1985' }, { dob: '2023-02-30' }],
  ],
  [
    'timeouts',
    [{ request: 5000 }, { hostToken: 1000, codes: 60000 }, { poll: 50 }, {}],
    [30000, { request: '5000' }, { hostToken: -1 }, { codes: Infinity }, { request: 0 }, { poll: '2s' }],
  ],
  ['tokenUrl', ['/t', ''], [42, { url: '/t' }]],
  ['sessionId', ['s1'], [7, ['s1']]],
  ['apiBase', ['https://x'], [new URL('https://x')]],
  ['codeSystems', ['icd_10_cm'], [['icd_10_cm']]],
  ['ehrPatientId', ['p'], [12]],
  ['patientProfileId', ['p'], [12]],
  ['ehrAppointmentId', ['a'], [12]],
  ['lang', ['es'], [1]],
  ['theme', ['dark'], [true]],
  ['density', ['compact'], [0]],
  ['readonly', [true, false], ['false', 1]],
  ['note', ['Assessment: hypertension.'], [['Assessment'], { text: 'a' }]],
  ['engines', ['heidi,sully'], [['heidi', 'sully']]],
  ['sullyBase', ['/ehr/sully'], [new URL('https://sully.example'), 1]],
  ['omniscribeBase', ['/ehr/omniscribe'], [{ base: '/ehr/omniscribe' }]],
  ['omniscribeModel', ['fast', 'high-quality'], [2, ['fast']]],
  [
    'reviewer',
    [{ reference: 'Practitioner/1', display: 'Dr A' }, { reference: 'Practitioner/1' }],
    ['Dr A', {}, { reference: 1 }, { reference: 'P/1', display: 2 }],
  ],
  ['reviewState', [{ sessionId: 's', decisions: [], audit: [] }], ['{"sessionId":"s"}', [1], 5]],
];

describe('property types at the door', () => {
  it('every checked property has a case here, and every case a table entry', () => {
    assert.deepEqual(new Set(CASES.map(([name]) => name)), new Set(checkedProperties()));
  });
  for (const [name, good, bad] of CASES) {
    it(`${name}: right types pass, wrong types are a config error naming it`, () => {
      for (const value of [...good, null, undefined]) assert.equal(checkProperty(name, value), undefined, `${name} = ${String(value)}`);
      for (const value of bad) {
        const error = checkProperty(name, value);
        assert.ok(error, `${name} = ${JSON.stringify(value)} should be refused`);
        assert.equal(error.code, 'config');
        assert.equal(error.retryable, false);
        assert.match(error.message, new RegExp(`\\b${name}\\b`));
      }
    });
  }
  it('the message describes the kind of value, never its content (it may be a token or patient data)', () => {
    const error = checkProperty('token', { token: 'secret-jwt-value' });
    assert.ok(error);
    assert.doesNotMatch(error.message, /secret-jwt-value/);
    assert.match(checkProperty('clinicianNotes', 'Follow-up')!.message, /clinicianNotes must be an array of strings, not string/);
  });
  it('patient: gender and dob as Heidi takes them (MALE, FEMALE, OTHER; YYYY-MM-DD), an unusable one a config error naming the field', () => {
    // README's own example, and what the sex check already reads as female or male.
    assert.deepEqual(heidiPatient({ name: 'Ada Lovelace', gender: 'female', dob: '1985-12-10' }), {
      name: 'Ada Lovelace',
      gender: 'FEMALE',
      dob: '1985-12-10',
    });
    assert.deepEqual(
      ['F', 'f', 'FEMALE', 'm', 'Male', 'other', ' OTHER '].map((gender) => heidiPatient({ gender }).gender),
      ['FEMALE', 'FEMALE', 'FEMALE', 'MALE', 'MALE', 'OTHER', 'OTHER'],
    );
    assert.equal(heidiPatient({ dob: '1985-12-10T00:00:00Z' }).dob, '1985-12-10');
    assert.deepEqual(heidiPatient({ gender: '', dob: ' ' }), { name: undefined, gender: undefined, dob: undefined });
    const gender = checkProperty('patient', { name: 'Ada Lovelace', gender: 'unknown' })!;
    assert.equal(gender.code, 'config');
    assert.match(gender.message, /^patient\.gender must be male, female or other/);
    assert.doesNotMatch(gender.message, /unknown|Ada/, 'never the value (patient data)');
    assert.match(checkProperty('patient', { dob: '12/10/1985' })!.message, /^patient\.dob must be a date as YYYY-MM-DD\.$/);
    assert.match(checkProperty('patient', { dob: '2024-02-30' })!.message, /patient\.dob/);
    assert.equal(checkProperty('patient', { dob: '2024-02-29' }), undefined);
  });
  it('sessionId: an empty or blank id the host set is a config error naming the attribute (unset creates a session)', () => {
    for (const value of ['', '   ', '.', '..', ' .. ']) {
      const error = checkProperty('sessionId', value);
      assert.equal(error?.code, 'config', JSON.stringify(value));
      assert.match(error.message, /\bsession-id\b/);
    }
    for (const value of ['fx-knee-oa', 'a b', 'a/b', null, undefined]) assert.equal(checkProperty('sessionId', value), undefined);
  });
  it('names outside the table (internal state) and prototype names pass', () => {
    assert.equal(checkProperty('batchOpen', 'x'), undefined);
    assert.equal(checkProperty('constructor', 1), undefined);
    assert.equal(checkProperty('__proto__', 1), undefined);
  });
});
