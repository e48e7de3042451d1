/** Issue 15 item 4: every property the host sets is type-checked at the door, by one table keyed by name. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkProperty, checkedProperties } from '../../src/core/config-check.ts';

const jwt = async () => ({ token: 't', expiration_time: '2030-01-01T00:00:00Z' });

/** [property, values that pass, values that are refused] */
const CASES: [string, unknown[], unknown[]][] = [
  ['clinicianNotes', [['Follow-up'], []], ['Follow-up for hypertension', [1], [['a']], { 0: 'a' }]],
  ['tokenProvider', [jwt], ['/ehr/heidi-token', { token: 't' }, true]],
  ['token', ['eyJ.a.b'], [42, { token: 't' }, ['t']]],
  ['patient', [{ name: 'Ada', dob: '1990-01-01' }, {}, { name: null }], ['Ada', ['Ada'], { name: 42 }, { dob: new Date() }]],
  [
    'timeouts',
    [{ request: 5000 }, { hostToken: 1000, codes: 60000 }, {}],
    [30000, { request: '5000' }, { hostToken: -1 }, { codes: Infinity }, { request: 0 }],
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
  it('names outside the table (internal state) and prototype names pass', () => {
    assert.equal(checkProperty('batchOpen', 'x'), undefined);
    assert.equal(checkProperty('constructor', 1), undefined);
    assert.equal(checkProperty('__proto__', 1), undefined);
  });
});
