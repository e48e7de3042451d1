/**
 * Accepted codes as a FHIR R4 `Bundle` (type `collection`) an EHR can file:
 * a `Condition` per diagnosis or finding, a `Procedure` per procedure, and a
 * `Provenance` per resource naming the suggesting engines as authors and the
 * reviewer as verifier, labelled AI-asserted (`AIAST`, HL7 AI Transparency IG).
 *
 * Pure: the caller passes only accepted codes. The code-system table
 * (`code-systems.ts`) decides the URI and the resource type.
 */
import type { AuditEntry, Reviewer } from './audit.ts';
import { isoNow, lastDecisionTimes } from './audit.ts';
import { isIsoDateTime } from './dates.ts';
import { codeSystemInfo, fhirResourceType, type CodeKind } from './code-systems.ts';
import { readScore } from './model.ts';
import { randomUuid } from './ids.ts';
import { HeidiError } from './errors.ts';
import { engineLabel } from './engines/types.ts';
import { pathSegment, plainText } from './text.ts';

export interface FhirEngineSuggestion {
  /** `heidi`, `sully`, `omniscribe`: the Device is named after it. */
  readonly engine: string;
  /** 0..1 */
  readonly score?: number;
  /** The engine's id for its run: Sully coding id, Omniscribe `run_id`. */
  readonly runId?: string;
  /** The engine's reasoning (Omniscribe's `justification`), kept as a note. */
  readonly justification?: string;
}

/** An accepted code: the element's `CommittedCode`, or the same shape rebuilt from stored decisions. */
export interface FhirCodeInput {
  readonly system: string;
  readonly code: string;
  readonly display: string;
  /** Heidi's `code_system`; picks the URI and the resource type. */
  readonly codeSystem: string;
  readonly entityId: string;
  readonly evidence?: {
    readonly transcript: readonly { readonly text: string }[];
    readonly note: readonly { readonly text: string }[];
  };
  /** Check warnings the reviewer saw and accepted anyway. */
  readonly warnings?: readonly string[];
  /** Default: Heidi alone. */
  readonly engines?: readonly FhirEngineSuggestion[];
  /** Decides Condition or Procedure for systems without a fixed kind (SNOMED CT). */
  readonly kind?: CodeKind;
  /** ISO time of the acceptance; default: the entity's latest audit entry, else `recorded`. */
  readonly decidedAt?: string;
}

export interface FhirContext {
  readonly sessionId: string;
  readonly patient?: { readonly id?: string | undefined; readonly display?: string | undefined } | undefined;
  readonly encounterId?: string | undefined;
  readonly reviewer?: Reviewer | undefined;
  /** ISO time the bundle was made; default now. */
  readonly recorded?: string;
  readonly audit?: readonly AuditEntry[];
  /**
   * UUIDs for `fullUrl`s; default `crypto.randomUUID`. Each call must give a new UUID (any case; written lowercase):
   * anything else throws a `config` HeidiError naming it, rather than make a Bundle FHIR refuses.
   */
  readonly idFactory?: () => string;
}

export interface FhirCoding {
  system?: string;
  code?: string;
  display?: string;
}
export interface FhirCodeableConcept {
  coding?: FhirCoding[];
  text?: string;
}
export interface FhirReference {
  reference?: string;
  /** The referenced resource's type, on a reference by `identifier` alone. */
  type?: 'Patient' | 'Encounter';
  display?: string;
  identifier?: { system?: string; value?: string };
}
export interface FhirMeta {
  security?: FhirCoding[];
}
export interface FhirCondition {
  resourceType: 'Condition';
  meta: FhirMeta;
  clinicalStatus: FhirCodeableConcept;
  verificationStatus: FhirCodeableConcept;
  category: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: FhirReference;
  encounter?: FhirReference;
  recordedDate: string;
  note?: { text: string }[];
}
export interface FhirProcedure {
  resourceType: 'Procedure';
  meta: FhirMeta;
  status: 'completed';
  code: FhirCodeableConcept;
  subject: FhirReference;
  encounter?: FhirReference;
  note?: { text: string }[];
}
export interface FhirDevice {
  resourceType: 'Device';
  id: string;
  deviceName: { name: string; type: 'user-friendly-name' }[];
  property?: { type: FhirCodeableConcept; valueQuantity: { value: number }[] }[];
}
export interface FhirProvenance {
  resourceType: 'Provenance';
  meta: FhirMeta;
  contained: FhirDevice[];
  target: FhirReference[];
  recorded: string;
  agent: { type: FhirCodeableConcept; who: FhirReference }[];
  entity: { role: 'source'; what: FhirReference }[];
}
export type FhirResource = FhirCondition | FhirProcedure | FhirProvenance;
export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirResource }[];
}

const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem/';
/** HL7 AI Transparency IG: "Artificial Intelligence asserted", for `meta.security`. */
export const AI_ASSERTED: Readonly<FhirCoding> = {
  system: `${TERMINOLOGY}v3-ObservationValue`,
  code: 'AIAST',
  display: 'Artificial Intelligence asserted',
};
/** `Provenance.entity` identifier systems: the Heidi session, and each engine's run. */
export const SESSION_ID_SYSTEM = 'urn:heidi:session-id';
export const runIdSystem = (engine: string): string => `urn:heidi:run-id:${pathSegment(engine.toLowerCase())}`;

const concept = (cs: string, code: string): FhirCodeableConcept => ({ coding: [{ system: TERMINOLOGY + cs, code }] });
const participant = (code: 'author' | 'verifier'): FhirCodeableConcept => concept('provenance-participant-type', code);

/** FHIR strings may not be empty and may not hold control characters (`plainText`); the quote is still kept. */
function fhirText(text: string | undefined): string | undefined {
  return (text && plainText(text)) || undefined;
}

/**
 * `time` as a FHIR instant in UTC, or undefined when it is not an ISO date-time a bundle can carry
 * (a host's own audit may hold anything): left out, the next time in line is used instead.
 */
function instant(time: string | undefined): string | undefined {
  if (typeof time !== 'string' || !isIsoDateTime(time)) return undefined;
  const utc = new Date(time).toISOString();
  // An offset can carry a time over the edge: 0001-01-01T00:30+01:00 is in year 0, 9999-12-31T23:30-01:00 in +010000.
  return /^(?!0000)\d{4}-/.test(utc) ? utc : undefined;
}

// RFC 3986: a scheme, `:`, then only URI characters (no space, no control character); `urn:oid:…` is one too.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** `text` is an absolute URI, as FHIR requires of `Coding.system`. */
export function isAbsoluteUri(text: string): boolean {
  return ABSOLUTE_URI.test(text);
}

/**
 * A literal reference FHIR can resolve: `Type/id` (FHIR's id rule), the `urn:uuid:` or `urn:oid:` a bundle links
 * by, or an http(s) URL. Not a `#fragment`: a host's resource is never contained here, and `#engine1` would name the
 * engine's Device as the verifier.
 */
const LITERAL_REFERENCE =
  /^(?:[A-Z][A-Za-z]*\/[A-Za-z0-9\-.]{1,64}|urn:uuid:[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}|urn:oid:[0-2](?:\.(?:0|[1-9]\d*))+)$/;

/**
 * A record the host names (`reviewer.reference`, or with `type` a bare `ehr-patient-id` as `Patient/{id}`): a literal
 * reference when it is one, else (`Dr Smith`, `PT 10/02`) a logical reference by identifier, which keeps what the
 * host gave without a literal reference FHIR refuses.
 */
function hostReference(given: string | undefined, type?: 'Patient' | 'Encounter'): FhirReference | undefined {
  const value = fhirText(given);
  if (!value) return undefined;
  const literal = type ? `${type}/${value}` : value;
  return LITERAL_REFERENCE.test(literal) || (/^https?:\/\/\w/.test(literal) && isAbsoluteUri(literal))
    ? { reference: literal }
    : { ...(type && { type }), identifier: { value } };
}

/** `reference` with its display, or a display-only reference (`fallback` when there is no name either). */
function named(reference: FhirReference | undefined, display: string | undefined, fallback: string): FhirReference {
  const name = fhirText(display);
  return reference ? { ...reference, ...(name && { display: name }) } : { display: name ?? fallback };
}

function notes(code: FhirCodeInput, engines: readonly FhirEngineSuggestion[]): { text: string }[] {
  const texts = [
    ...(code.evidence?.transcript ?? []).map((t) => ['Transcript: "', t.text, '"']),
    ...(code.evidence?.note ?? []).map((n) => ['Note: "', n.text, '"']),
    ...engines.map((e) => [`${engineLabel(e.engine)} justification: `, e.justification, '']),
    ['Accepted despite check warnings: ', (code.warnings ?? []).map(fhirText).filter(Boolean).join(', '), ''],
  ].flatMap(([label, text, close]) => {
    const clean = fhirText(text);
    return clean ? [label + clean + close] : [];
  });
  return [...new Set(texts)].map((text) => ({ text }));
}

function coding(code: FhirCodeInput): FhirCodeableConcept {
  const info = codeSystemInfo(code.codeSystem);
  // FHIR `code`: no leading, trailing or doubled whitespace.
  const value = code.code.trim().replace(/\s+/g, ' ');
  const display = fhirText(code.display);
  // An unknown system keeps the code's own URI when it is one (a peer's LOINC), else it is the table's urn.
  const own = fhirText(code.system);
  return {
    coding: [
      {
        system: !info.known && own && isAbsoluteUri(own) ? own : info.uri,
        ...(value && { code: value }),
        ...(display && { display }),
      },
    ],
    ...(display && { text: display }),
  };
}

/**
 * The bundle for `codes` (accepted ones only). Without a reviewer the verifier is a display-only
 * "Unidentified reviewer" (`agent.who` is required); without a patient id the subject is display-only.
 */
export function toFhirBundle(codes: readonly FhirCodeInput[], context: FhirContext): FhirBundle {
  const newId = context.idFactory ?? randomUuid;
  const used = new Set<string>();
  // A fullUrl is `urn:uuid:` + a lowercase UUID, unique in the bundle (bdl-7): a host's idFactory is held to that.
  const newFullUrl = (): string => {
    const id = newId();
    const fullUrl = `urn:uuid:${String(id).toLowerCase()}`;
    const fault = !LITERAL_REFERENCE.test(fullUrl) ? 'is not a UUID' : used.has(fullUrl) ? 'was given twice' : '';
    if (fault) throw new HeidiError('config', `toFhirBundle: the idFactory's ${JSON.stringify(String(id))} ${fault}.`);
    used.add(fullUrl);
    return fullUrl;
  };
  const recorded = instant(context.recorded) ?? isoNow();
  const session = fhirText(context.sessionId);
  // Entries whose time is no instant are left out here, so they cannot outrank (by Date.parse) a good one.
  const decided = lastDecisionTimes((context.audit ?? []).filter((e) => instant(e.at)));
  // Made afresh for each resource, as `meta` is: a host editing one resource's reference edits no other's.
  const subject = (): FhirReference =>
    named(
      hostReference(context.patient?.id, 'Patient'),
      context.patient?.display,
      session ? `Patient of Heidi session ${session}` : 'Unidentified patient',
    );
  const encounter = (): { encounter?: FhirReference } => {
    const reference = hostReference(context.encounterId, 'Encounter');
    return reference ? { encounter: reference } : {};
  };
  const verifier = named(hostReference(context.reviewer?.reference), context.reviewer?.display, 'Unidentified reviewer');
  const meta = (): FhirMeta => ({ security: [{ ...AI_ASSERTED }] });

  const entry: FhirBundle['entry'] = [];
  for (const code of codes) {
    // Trimmed once, so the Device, the note's label and the run's system name the same engine.
    const engines = (code.engines?.length ? code.engines : [{ engine: 'heidi' }]).map((e) => ({
      ...e,
      engine: fhirText(e.engine) ?? 'coding engine',
    }));
    const at = instant(code.decidedAt) ?? instant(decided.get(code.entityId)) ?? recorded;
    const note = notes(code, engines);
    const common = { meta: meta(), code: coding(code), subject: subject(), ...encounter(), ...(note.length && { note }) };
    const resource: FhirCondition | FhirProcedure =
      fhirResourceType(code.codeSystem, code.kind) === 'Procedure'
        ? { resourceType: 'Procedure', status: 'completed', ...common }
        : {
            resourceType: 'Condition',
            clinicalStatus: concept('condition-clinical', 'active'),
            verificationStatus: concept('condition-ver-status', 'confirmed'),
            category: [concept('condition-category', 'encounter-diagnosis')],
            recordedDate: at,
            ...common,
          };
    const fullUrl = newFullUrl();
    const contained = engines.map(({ engine, score: given }, i): FhirDevice => {
      // Into 0..1 as the model clamps Heidi's scores; no score when it is none (undefined, NaN, not a number).
      const { score } = readScore(given);
      return {
        resourceType: 'Device',
        id: `engine${i + 1}`,
        deviceName: [{ name: engineLabel(engine), type: 'user-friendly-name' }],
        ...(score !== undefined && { property: [{ type: { text: 'score' }, valueQuantity: [{ value: score }] }] }),
      };
    });
    // The session, then each engine's run; a run id that is the session's own is not said twice.
    const entity = [[SESSION_ID_SYSTEM, session], ...engines.map((e) => [runIdSystem(e.engine), e.runId])].flatMap(([system, id], i) => {
      const value = fhirText(id);
      return value && !(i && value === session) ? [{ role: 'source' as const, what: { identifier: { system: system!, value } } }] : [];
    });
    const provenance: FhirProvenance = {
      resourceType: 'Provenance',
      meta: meta(),
      contained,
      target: [{ reference: fullUrl }],
      recorded: at,
      agent: [
        // Each engine is an author, named as its contained Device is.
        ...contained.map(({ id, deviceName: [device] }) => ({
          type: participant('author'),
          who: { reference: `#${id}`, display: device!.name },
        })),
        { type: participant('verifier'), who: { ...verifier } },
      ],
      entity,
    };
    entry.push({ fullUrl, resource }, { fullUrl: newFullUrl(), resource: provenance });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: recorded, entry };
}
