/**
 * Code systems are what they say: a `code_system` maps to a FHIR family only when it IS that family (any case,
 * `-`, `_`, `.` or spaces, optional separator between letters and the first number) followed by the edition
 * grammar: up to two numeric parts (`_2025`, `_13`, `_410`, `_4_10`, `_v3`) and, for SNOMED CT and ACHI, a
 * country or edition name (`_au`, `_us`, `_international`). Anything else is unknown: kept raw, sent as
 * `urn:heidi:code-system:<value>`, no kind. A procedure classification never becomes a diagnosis.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeSystemInfo, codeSystemMatches } from '../../src/core/code-systems.ts';

const ACCEPTED: Record<string, readonly string[]> = {
  'ICD-10-CM': ['icd_10_cm', 'ICD-10-CM', 'icd10cm', 'icd_10_cm_2025', 'ICD-10-CM 2024', 'icd-10-cm-2025', 'icd_10_cm_v2025'],
  'ICD-10-AM': ['icd_10_am', 'ICD-10-AM', 'icd_10_am_13', 'icd10am_12'],
  'ICD-10': ['icd_10', 'ICD-10', 'icd10', 'icd_10_2019', 'ICD 10'],
  'ICD-9-CM': ['icd_9_cm', 'ICD-9-CM', 'icd9cm'],
  'ICD-9': ['icd_9', 'ICD-9', 'icd9'],
  'SNOMED CT': [
    'snomed',
    'SNOMED',
    'snomed_ct',
    'SNOMED-CT',
    'snomedct',
    'snomed_ct_au',
    'snomed_ct_us',
    'snomed_ct_international',
    'snomed_ct_20250301',
  ],
  CPT: ['cpt', 'CPT', 'cpt_2025', 'CPT-2025', 'cpt2025', 'cpt_4', 'cpt4'],
  'OPCS-4': ['opcs', 'opcs_4', 'opcs_410', 'OPCS-410', 'opcs_4_10', 'opcs4', 'OPCS-4.10'],
  ACHI: ['achi', 'achi_13', 'ACHI-13', 'achi_13_au', 'achi13'],
};

/** Neighbours of a family that are NOT it: each must be unknown, with no borrowed URI and no kind. */
const UNKNOWN = [
  'icd_10_pcs', // ICD-10-PCS is a procedure classification
  'icd_10_pcs_2025',
  'icd10pcs',
  'icd_10_cm_pcs',
  'icd_10_cmx',
  'icd_10_ca',
  'icd_11',
  'icd_100',
  'icd_10_au', // a country suffix is SNOMED/ACHI grammar, not ICD's: ICD-10-AM is its own family
  'icd_9_pcs',
  'cpt_like_thing',
  'cptx',
  'cpt_2025_draft',
  'hcpcs',
  'snomedish',
  'snomed_ct_fr_draft',
  'snomed_rt',
  'opcs_4_10_x',
  'opcs_5',
  'achi_13_au_draft',
  'achievement',
  'loinc',
  'loinc_277',
  '',
  '   ',
  '_icd_10',
  'constructor',
  '__proto__',
];

describe('code systems: accepted forms', () => {
  for (const [label, forms] of Object.entries(ACCEPTED)) {
    it(`${label}: ${forms.join(', ')}`, () => {
      const uri = codeSystemInfo(forms[0]!).uri;
      assert.ok(!uri.startsWith('urn:heidi:'), uri);
      for (const form of forms) {
        const info = codeSystemInfo(form);
        assert.equal(info.label, label, form);
        assert.equal(info.uri, uri, form);
        assert.equal(info.known, true, form);
      }
    });
  }
});

describe('code systems: neighbours are unknown, never borrowed', () => {
  for (const value of UNKNOWN) {
    it(JSON.stringify(value), () => {
      const info = codeSystemInfo(value);
      assert.equal(info.known, false);
      assert.equal(info.kind, undefined);
      // Padding is no part of the name (code-system-identity.test.ts).
      assert.equal(info.label, value.trim());
      assert.equal(info.uri, `urn:heidi:code-system:${encodeURIComponent(value.trim())}`);
    });
  }

  it('a code-systems filter for one family never selects a neighbour', () => {
    assert.ok(!codeSystemMatches('ICD-10', 'icd_10_pcs'));
    assert.ok(!codeSystemMatches('icd_10_pcs', 'icd_10'));
    assert.ok(!codeSystemMatches('CPT', 'cpt_like_thing'));
    assert.ok(!codeSystemMatches('SNOMED CT', 'snomedish'));
    assert.ok(codeSystemMatches('icd_10_pcs', 'ICD_10_PCS'));
    assert.ok(codeSystemMatches('OPCS-4', 'opcs_4_10'));
  });
});
