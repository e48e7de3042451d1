/**
 * One identity for a code system everywhere: padding is trimmed once, where the value comes in (Heidi's
 * `code_system`, Sully's coding `system`, a host's own `codeSystem` given to `toFhirBundle`), and an unknown
 * system is the same system in any case, as a known one is. The filter, the merge of engines' cards, the
 * toolbar's systems, same-code checks and the send diff all agree.
 * Run: node --import tsx --test test/node/code-system-identity.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClinicalCodesResponse } from '../../src/core/schemas.ts';
import { SullyCoding } from '../../src/core/engines/sully-schemas.ts';
import { peerEntity } from '../../src/core/engines/peer-http.ts';
import { mergeEngineResults } from '../../src/core/engines/merge.ts';
import { buildModel, sameCode } from '../../src/core/model.ts';
import { allowedEntities, systemLabels } from '../../src/core/filters.ts';
import { codeSystemInfo, codeSystemMatches } from '../../src/core/code-systems.ts';
import { sendDiff } from '../../src/core/send-diff.ts';
import { toFhirBundle, type FhirCondition } from '../../src/core/fhir.ts';
import { fhirErrors } from './fhir-validator.ts';

function heidiModel(codeSystems: readonly string[]) {
  const parsed = ClinicalCodesResponse.safeParse({
    session_id: 'S1',
    clinical_entities: codeSystems.map((code_system, i) => ({
      id: `h${i}`,
      primary_code: { code: 'X1', code_name: 'Lab thing', code_system, score: 0.9 },
    })),
  });
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  return buildModel(parsed.data, undefined, undefined);
}

function sullyEntity(system: unknown) {
  const coding = SullyCoding.safeParse({ system, code: 'X1', display: 'Lab thing' });
  assert.ok(coding.success);
  return peerEntity('sully', { ...coding.data, code: 'X1', display: 'Lab thing', score: undefined, procedure: false }, [], new Set());
}

describe('code systems: padding is no part of the name', () => {
  it("Heidi's padded code_system is trimmed at the schema: the host sees `foo`, sent as urn:heidi:code-system:foo", () => {
    const [entity] = heidiModel([' foo ']).entities;
    assert.equal(entity!.primary.codeSystem, 'foo');
    assert.equal(entity!.primary.systemLabel, 'foo');
    assert.equal(entity!.primary.system, 'urn:heidi:code-system:foo');
    assert.equal(heidiModel([' icd_10_cm ']).entities[0]!.primary.codeSystem, 'icd_10_cm');
  });

  it('a blank code_system is as missing as an empty one (refused), for Heidi and for a Sully coding', () => {
    const body = { session_id: 'S1', clinical_entities: [{ primary_code: { code: 'X1', code_name: 'x', code_system: '   ' } }] };
    assert.equal(ClinicalCodesResponse.safeParse(body).success, false);
    assert.equal(SullyCoding.safeParse({ system: ' \t', code: 'X1' }).success, false);
  });

  it("a Sully coding's padded system is trimmed: a known URI keeps its family, an unknown name its URN without %20", () => {
    assert.equal(sullyEntity(' http://hl7.org/fhir/sid/icd-10-cm ').primary.codeSystem, 'ICD-10-CM');
    const local = sullyEntity('  Local Lab  ').primary;
    assert.equal(local.codeSystem, 'Local Lab');
    assert.equal(local.system, 'urn:heidi:code-system:Local%20Lab');
    assert.equal(sullyEntity(' http://loinc.org ').primary.system, 'http://loinc.org');
  });

  it("a host's padded codeSystem given to toFhirBundle (and codeSystemInfo) is the trimmed one: valid FHIR", () => {
    assert.deepEqual([codeSystemInfo(' foo ').uri, codeSystemInfo(' foo ').label], ['urn:heidi:code-system:foo', 'foo']);
    const bundle = toFhirBundle([{ system: '', code: 'X1', display: 'Lab thing', codeSystem: ' foo ', entityId: 'e1' }], {
      sessionId: 'S1',
      recorded: '2026-03-01T11:00:00.000Z',
    });
    const condition = bundle.entry[0]!.resource as FhirCondition;
    assert.equal(condition.code.coding?.[0]?.system, 'urn:heidi:code-system:foo');
    assert.deepEqual(fhirErrors(bundle), []);
  });
});

describe('code systems: an unknown system in another case is the same system', () => {
  it("Heidi's `Local` and Sully's `LOCAL` code X1 are one card, which a `local` filter selects", () => {
    const heidi = heidiModel(['Local']);
    const merged = mergeEngineResults([
      { engine: 'heidi', entities: heidi.entities, discarded: [], runId: undefined },
      { engine: 'sully', entities: [sullyEntity('LOCAL')], discarded: [], runId: 'R1' },
    ]);
    assert.equal(merged.length, 1, 'one card');
    assert.deepEqual(
      merged[0]!.engines.map((s) => s.engine),
      ['heidi', 'sully'],
    );
    assert.equal(allowedEntities(merged, ['local']).length, 1);
    assert.ok(codeSystemMatches(' local ', 'LOCAL'));
  });

  it('the toolbar lists one system for `Local` and `LOCAL` (the first label seen), and known spellings as one label', () => {
    const { entities } = heidiModel(['Local', 'LOCAL', 'icd_10_cm', 'ICD-10-CM 2025']);
    assert.deepEqual(systemLabels(entities), ['Local', 'ICD-10-CM']);
  });

  it("same code: a peer's ICD-10-CM label and Heidi's icd_10_cm, an unknown system in any case; not a neighbour", () => {
    assert.ok(sameCode({ codeSystem: 'ICD-10-CM', code: 'I10' }, { codeSystem: 'icd_10_cm', code: 'I10' }));
    assert.ok(sameCode({ codeSystem: 'Local', code: 'X1' }, { codeSystem: 'LOCAL', code: 'X1' }));
    assert.ok(!sameCode({ codeSystem: 'icd_10', code: 'I10' }, { codeSystem: 'icd_10_cm', code: 'I10' }));
    assert.ok(!sameCode({ codeSystem: 'Local', code: 'X1' }, { codeSystem: 'Local', code: 'X2' }));
  });

  it('the send diff: a code the host holds as `LOCAL` and now accepted as `Local` is not sent again, nor removed', () => {
    const held = { entityId: 'e1', system: 'urn:heidi:code-system:LOCAL', code: 'X1', display: '', codeSystem: 'LOCAL' };
    const diff = sendDiff([held], [{ ...held, system: 'urn:heidi:code-system:Local', codeSystem: 'Local' }]);
    assert.deepEqual([diff.added.length, diff.removed.length], [0, 0]);
  });
});
