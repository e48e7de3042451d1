/**
 * The one rule for a calendar day (a patient's date of birth, the day of an audit or sync time): `YYYY-MM-DD` in
 * years 0001 to 9999 (FHIR's `date` and `instant` take no year 0000, nor five digits), months 01 to 12, and a
 * day its month has (February 29 only in a leap year). Counted, not rolled through a `Date`: `new Date` reads
 * `2023-02-30` as 1 March and takes year 0000, and a restored audit checks every entry's time this way (formatting
 * a Date each time was a third of the restore).
 */
const CALENDAR_DATE = /^(?!0000)(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `date` is `YYYY-MM-DD`, a real day in years 0001 to 9999. */
export function isCalendarDate(date: string): boolean {
  const [, year, month, day] = CALENDAR_DATE.exec(date)?.map(Number) ?? [];
  if (!day) return false;
  const leap = !(year! % 4) && (!!(year! % 100) || !(year! % 400));
  // The pattern lets every month have 31 days: the day must be in its month.
  return day <= (month === 2 ? 28 + +leap : 30 + ((month! + (month! >> 3)) & 1));
}

// After the day: hours and minutes, seconds optional; `Z` or an offset in FHIR's -14:00..+14:00.
const TIME_OF_DAY = /^T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))$/;

/**
 * `time` is an ISO 8601 date-time with `Z` or a numeric offset on a real calendar day (`isCalendarDate`): the same
 * instant in every time zone and engine, and one a FHIR bundle can carry. (`Date.parse` alone reads `1` as a
 * local time, rolls `02-30` over, and takes years 0000 and +010000.)
 */
export function isIsoDateTime(time: string): boolean {
  return isCalendarDate(time.slice(0, 10)) && TIME_OF_DAY.test(time.slice(10));
}
