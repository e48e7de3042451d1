/**
 * One rule for a real calendar day (`isCalendarDate`, src/core/dates.ts), read by every place that needs one: the
 * host's `patient.dob` at the door, the audit / sync / snapshot times (`isIsoDateTime`), and the age the checks
 * compute from a date of birth. The edges: February 29 in leap and non-leap years (centuries too), month 13,
 * day 0, a 31st in a 30-day month, and years 0000 / 0001 / 9999 / 10000.
 * Run: node --import tsx --test test/node/calendar-date.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCalendarDate, isIsoDateTime } from '../../src/core/dates.ts';
import { checkProperty, heidiPatient } from '../../src/core/config-check.ts';
import { ageInYears } from '../../src/core/checks.ts';

const REAL = ['2024-02-29', '2000-02-29', '2023-02-28', '2024-12-31', '2024-04-30', '2024-01-31', '0001-01-01', '9999-12-31'];
const NOT_REAL = [
  '2023-02-29', // not a leap year
  '1900-02-29', // a century not divisible by 400
  '2024-02-30',
  '2024-04-31',
  '2024-13-01',
  '2024-00-10',
  '2024-01-00',
  '2024-01-32',
  '0000-01-01', // no year 0000 in FHIR's date or instant
  '0000-02-29',
  '10000-01-01',
  '2024-1-05',
  '2024-01-5',
  '',
];

describe('isCalendarDate', () => {
  for (const date of REAL) it(`${date} is a day`, () => assert.equal(isCalendarDate(date), true));
  for (const date of NOT_REAL) it(`${JSON.stringify(date)} is not`, () => assert.equal(isCalendarDate(date), false));
});

describe('every reader of a calendar day agrees with it', () => {
  for (const date of [...REAL, ...NOT_REAL]) {
    const real = isCalendarDate(date);
    it(`${JSON.stringify(date)}: dob ${real ? 'taken' : 'refused'}, audit time ${real ? 'taken' : 'refused'}, age ${real ? 'read' : 'none'}`, () => {
      assert.equal(heidiPatient({ dob: date }).dob, real ? date : undefined, 'patient.dob as Heidi takes it');
      if (date) assert.equal(!checkProperty('patient', { dob: date }), real, 'patient.dob at the door');
      assert.equal(isIsoDateTime(`${date}T10:00:00Z`), real, 'an audit / sync time on that day');
      assert.equal(isIsoDateTime(`${date}T10:00+14:00`), real);
      assert.equal(ageInYears(date, '9999-12-31T00:00:00Z') !== undefined, real, 'an age from that date of birth');
    });
  }

  it('a time is still checked after its day: hours, minutes, the offset', () => {
    assert.equal(isIsoDateTime('2024-02-29T23:59:59.999Z'), true);
    assert.equal(isIsoDateTime('2024-02-29T24:00:00Z'), false);
    assert.equal(isIsoDateTime('2024-02-29T10:00:00'), false, 'no zone: a local time');
    assert.equal(isIsoDateTime('2024-02-29T10:00:00+14:01'), false);
    assert.equal(isIsoDateTime('2024-02-29'), false, 'a date is no date-time');
  });

  it('born on 29 February: a year old on 1 March of a non-leap year, not on 28 February', () => {
    assert.equal(ageInYears('2024-02-29', '2025-02-28'), 0);
    assert.equal(ageInYears('2024-02-29', '2025-03-01'), 1);
    assert.equal(ageInYears('2023-02-29', '2025-03-01'), undefined, 'no such day of birth: no age, not one from 1 March');
  });
});
