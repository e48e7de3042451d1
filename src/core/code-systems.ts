/**
 * The one place Heidi's `code_system` values map to FHIR system URIs and short
 * labels. Heidi sends lowercase families with optional edition suffixes
 * (`achi_13_au`, `icd_10_cm`, `cpt_2025`). A value maps to a family only when
 * it is exactly that family plus the edition grammar below: a neighbour
 * (`icd_10_pcs`, `snomedish`, `cpt_like_thing`) is unknown, never a borrowed
 * URI or kind. An unknown system is kept and shown raw, never dropped.
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
  /** The family's own name, normalised (`_` between parts, optional where letters meet digits). */
  readonly name: string;
  /** Country or edition names this family is published under (`snomed_ct_au`, `achi_13_au`). */
  readonly regions?: string;
  /** False when the name already spells every edition (OPCS-4's are `4.n`: `opcs_5` is another classification). */
  readonly editions?: false;
  readonly uri: string;
  readonly label: string;
  readonly kind: CodeKind;
}

const FAMILIES: readonly Family[] = [
  // ICD-10-CM, -AM, ICD-10, ICD-9-CM, ICD-9: HL7's URI and the label spell the edition the same way.
  ...['10-cm', '10-am', '10', '9-cm', '9'].map((edition): Family => ({
    name: `icd_?${edition.replace('-', '_?')}`,
    uri: `http://hl7.org/fhir/sid/icd-${edition}`,
    label: `ICD-${edition.toUpperCase()}`,
    kind: 'diagnosis',
  })),
  {
    name: 'snomed(?:_?ct)?',
    regions: 'au|nz|us|uk|gb|ca|ie|int|intl|international',
    uri: 'http://snomed.info/sct',
    label: 'SNOMED CT',
    kind: 'clinical-term',
  },
  { name: 'cpt(?:_?4)?', uri: 'http://www.ama-assn.org/go/cpt', label: 'CPT', kind: 'procedure' },
  // No OPCS-4 or ACHI URI is registered with HL7: these are the ones in use (README, "Code systems").
  { name: 'opcs(?:_?4(?:_?\\d{1,2})?)?', editions: false, uri: 'https://fhir.nhs.uk/Id/opcs-4', label: 'OPCS-4', kind: 'procedure' },
  { name: 'achi', regions: 'au', uri: 'http://www.ihacpa.gov.au/achi', label: 'ACHI', kind: 'procedure' },
];

/**
 * The edition grammar after a family name: up to two numbers (`_2025`, `_13`, `_410`, `_4_10`, `_v3`,
 * `_20250301`), the first one's `_` optional after a letter (`cpt2025`), then the family's region, if it has any.
 * Numbers right after a family's own number need the `_` (`icd_10_2019`, never `icd_102019`).
 */
function familyPattern(family: Family): RegExp {
  const edition = family.editions === false ? '' : String.raw`(?:(?:(?<=[a-z])_?|_)v?\d{1,8}(?:_\d{1,8})?)?`;
  const region = family.regions ? `(?:_(?:${family.regions}))?` : '';
  return new RegExp(`^(?:${family.name})${edition}${region}$`);
}

const MATCHERS = FAMILIES.map((family) => ({ family, pattern: familyPattern(family) }));

/** Any case; spaces, `-` and `.` are `_`; runs collapse (`ICD-10-CM 2025`, `OPCS-4.10`). */
function normalise(codeSystem: string): string {
  return codeSystem.toLowerCase().replace(/[\s._-]+/g, '_');
}

// Keyed by text from the API, so bounded: a response naming 100,000 systems must not grow memory for the page's life.
const CACHE_LIMIT = 512;
const cache = new Map<string, CodeSystemInfo>();

/**
 * Map a Heidi `code_system` (any case, `-` or `_`, optional edition suffix) to its FHIR URI and label. Padding is
 * no part of the name (a host's own value may have it): ` foo ` is `foo`, never `urn:heidi:code-system:%20foo%20`.
 */
export function codeSystemInfo(codeSystem: string): CodeSystemInfo {
  let info = cache.get(codeSystem);
  if (info) return info;
  const raw = codeSystem.trim();
  const family = MATCHERS.find((m) => m.pattern.test(normalise(raw)))?.family;
  info = family
    ? { uri: family.uri, label: family.label, kind: family.kind, known: true }
    : { uri: `urn:heidi:code-system:${pathSegment(raw)}`, label: raw, kind: undefined, known: false };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(codeSystem, info);
  return info;
}

/**
 * What two code systems are the same by: a known family's URI (its editions and spellings are one system, as
 * they are one FHIR `Coding.system`); an unknown one's name in any case, as known names are matched. The
 * `code-systems` filter, the merge of engines' cards, same-code checks and sent-code keys all compare this.
 * (The URN sent for an unknown system keeps the name as given.)
 */
export function codeSystemKey(codeSystem: string): string {
  const info = codeSystemInfo(codeSystem);
  return info.known ? info.uri : info.label.toLowerCase();
}

/** Does a `code-systems` attribute entry (e.g. `ICD-10-CM` or `icd_10_cm`) select this Heidi code_system? */
export function codeSystemMatches(filterEntry: string, codeSystem: string): boolean {
  return !!filterEntry.trim() && codeSystemKey(filterEntry) === codeSystemKey(codeSystem);
}

/**
 * The FHIR resource an accepted code becomes: `Procedure` for procedure systems, `Condition` for diagnoses.
 * Only a system without a fixed kind (SNOMED CT, an unknown one) takes the code's own `kind` into account.
 */
export function fhirResourceType(codeSystem: string, kind?: CodeKind): 'Condition' | 'Procedure' {
  const systemKind = codeSystemInfo(codeSystem).kind;
  return (systemKind && systemKind !== 'clinical-term' ? systemKind : kind) === 'procedure' ? 'Procedure' : 'Condition';
}

/**
 * The family of a FHIR system URI (peer engines send URIs, not Heidi's names); undefined for a URI
 * the table does not know. Scheme, case and a trailing slash are ignored. `codeSystem` is the
 * family's label, which `codeSystemInfo` and the `code-systems` filter read like Heidi's names.
 */
export function codeSystemForUri(uri: string): (CodeSystemInfo & { readonly codeSystem: string }) | undefined {
  const key = comparableUri(uri);
  const family = FAMILIES.find((f) => comparableUri(f.uri) === key);
  return family && { ...codeSystemInfo(family.label), codeSystem: family.label };
}

function comparableUri(uri: string): string {
  return uri
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
}
