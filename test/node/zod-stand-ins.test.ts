/**
 * schemas.ts builds `oneOf`, `nonEmptyString` and its boolean from zod checks instead of `z.union`,
 * `z.minLength` and `z.boolean` (fewer zod schema kinds in the bundle, issue 16).
 * They must accept and produce exactly what the zod originals do, on any input: a fixed-seed property
 * test against the originals (the originals are only imported here, never by src/).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod/mini';
import { nonEmptyString, oneOf, Session } from '../../src/core/schemas.ts';

const SEED = 20261201;
const anyValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, undefined, '', 0, -0, Number.NaN, true, false, [], {}),
  fc.record({ name: fc.oneof(fc.string(), fc.constant(null)), gender: fc.option(fc.string()) }),
);

/** Same success, same data, and (unless `sameIssues` says otherwise) issues at the same paths with the same messages. */
function sameOutcome(ours: z.ZodMiniType, theirs: z.ZodMiniType, value: unknown, sameIssues = true): void {
  const a = ours.safeParse(value);
  const b = theirs.safeParse(value);
  assert.equal(a.success, b.success, `success for ${JSON.stringify(value)}`);
  if (a.success && b.success) assert.deepEqual(a.data, b.data);
  if (!a.success && !b.success && sameIssues) {
    const shape = (issues: readonly z.core.$ZodIssue[]) => issues.map((i) => [i.path.join('.'), i.message]);
    assert.deepEqual(shape(a.error.issues), shape(b.error.issues));
  }
}

describe('the zod stand-ins in schemas.ts', () => {
  const object = z.object({ name: z.string(), age: z.optional(z.number()) });
  // z.minLength also measures a non-string that has a length (an array) and adds a second "too small"
  // issue after the type issue; the refinement does not run on a value that is not a string. So for
  // nonEmptyString the issues are compared for strings, and success and data for every value.
  const cases: [string, z.ZodMiniType, z.ZodMiniType, ((value: unknown) => boolean)?][] = [
    ['oneOf inside z.nullish', z.nullish(oneOf(z.string(), z.number())), z.nullish(z.union([z.string(), z.number()]))],
    ['oneOf(string, number)', oneOf(z.string(), z.number()), z.union([z.string(), z.number()])],
    ['oneOf(number, object)', oneOf(z.number(), object), z.union([z.number(), object])],
    ['nonEmptyString', nonEmptyString, z.string().check(z.minLength(1)), (value) => typeof value === 'string'],
  ];
  for (const [name, ours, theirs, issuesComparable = () => true] of cases) {
    it(`${name} behaves as its zod original on any value`, () => {
      fc.assert(
        fc.property(anyValue, (value) => sameOutcome(ours, theirs, value, issuesComparable(value))),
        { seed: SEED, numRuns: 400 },
      );
    });
  }

  it('inside an object, a nullish field of a stand-in-built schema reports its inner issue at the inner path', () => {
    const parsed = Session.safeParse({ session_id: 's1', patient: { name: 7 } });
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error!.issues.map((i) => i.path.join('.')),
      ['patient.name'],
    );
  });
});
