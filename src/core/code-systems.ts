/**
 * The one place Heidi's `code_system` values map to FHIR system URIs and short
 * labels. Heidi sends lowercase families with optional edition suffixes
 * (`achi_13_au`, `icd_10_cm`, `cpt_2025`), so matching is by family prefix.
 * An unknown system is kept and shown raw, never dropped.
 */
import { pathSegment } from './text.ts';

export type CodeKind = 'diagnosis' | 'procedure' | 'clinical-term';

export interface CodeSystemInfo {
  /** FHIR `Coding.system` URI. For an unknown system, a `urn:heidi:code-system:` URN that keeps the raw value. */
  readonly uri: string;
  /** Short human label, e.g. `ICD-10-CM`. */
  readonly label: string;
  readonly kind: CodeKind | undefined;
  readonly known: boolean;
}

interface Family {
  readonly pattern: RegExp;
  readonly uri: string;
  readonly label: string;
  readonly kind: CodeKind;
}

// Most specific first: `icd_10_cm` must win over `icd_10`.
const FAMILIES: readonly Family[] = [
  { pattern: /^icd_?10_?cm/, uri: 'http://hl7.org/fhir/sid/icd-10-cm', label: 'ICD-10-CM', kind: 'diagnosis' },
  { pattern: /^icd_?10_?am/, uri: 'http://hl7.org/fhir/sid/icd-10-am', label: 'ICD-10-AM', kind: 'diagnosis' },
  { pattern: /^icd_?10/, uri: 'http://hl7.org/fhir/sid/icd-10', label: 'ICD-10', kind: 'diagnosis' },
  { pattern: /^icd_?9_?cm/, uri: 'http://hl7.org/fhir/sid/icd-9-cm', label: 'ICD-9-CM', kind: 'diagnosis' },
  { pattern: /^icd_?9/, uri: 'http://hl7.org/fhir/sid/icd-9', label: 'ICD-9', kind: 'diagnosis' },
  { pattern: /^snomed/, uri: 'http://snomed.info/sct', label: 'SNOMED CT', kind: 'clinical-term' },
  { pattern: /^cpt/, uri: 'http://www.ama-assn.org/go/cpt', label: 'CPT', kind: 'procedure' },
  // No OPCS-4 or ACHI URI is registered with HL7: these are the ones in use (README, "Code systems").
  { pattern: /^opcs/, uri: 'https://fhir.nhs.uk/Id/opcs-4', label: 'OPCS-4', kind: 'procedure' },
  { pattern: /^achi/, uri: 'http://www.ihacpa.gov.au/achi', label: 'ACHI', kind: 'procedure' },
];

const cache = new Map<string, CodeSystemInfo>();

/** Map a Heidi `code_system` (any case, `-` or `_`, optional edition suffix) to its FHIR URI and label. */
export function codeSystemInfo(codeSystem: string): CodeSystemInfo {
  let info = cache.get(codeSystem);
  if (info) return info;
  const normalized = codeSystem.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const family = FAMILIES.find((f) => f.pattern.test(normalized));
  info = family
    ? { uri: family.uri, label: family.label, kind: family.kind, known: true }
    : { uri: `urn:heidi:code-system:${pathSegment(codeSystem)}`, label: codeSystem, kind: undefined, known: false };
  cache.set(codeSystem, info);
  return info;
}

/** Does a `code-systems` attribute entry (e.g. `ICD-10-CM` or `icd_10_cm`) select this Heidi code_system? */
export function codeSystemMatches(filterEntry: string, codeSystem: string): boolean {
  const wanted = filterEntry.trim();
  if (!wanted) return false;
  if (wanted.toLowerCase() === codeSystem.toLowerCase()) return true;
  const a = codeSystemInfo(wanted);
  const b = codeSystemInfo(codeSystem);
  return a.known && b.known && a.uri === b.uri;
}

/**
 * The FHIR resource an accepted code becomes: `Procedure` for procedure systems, `Condition` for diagnoses.
 * Only a system without a fixed kind (SNOMED CT, an unknown one) takes the code's own `kind` into account.
 */
export function fhirResourceType(codeSystem: string, kind?: CodeKind): 'Condition' | 'Procedure' {
  const systemKind = codeSystemInfo(codeSystem).kind;
  const effective = systemKind === 'diagnosis' || systemKind === 'procedure' ? systemKind : kind;
  return effective === 'procedure' ? 'Procedure' : 'Condition';
}
