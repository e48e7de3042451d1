/**
 * What the host receives about codes (the `heidi-codes-load` entities and the
 * committed-code payload) and the wrong-patient guard on sending.
 */
import type { CheckWarning } from './checks.ts';
import { isLocated, type NoteEvidence, type TranscriptEvidence } from './evidence.ts';
import { codeRef, sameCode, type CodeRef, type CodeView, type EntityView } from './model.ts';
import type { ReviewState } from './review.ts';
import type { Session } from './schemas.ts';
import { ENGINE_NAMES, type EngineName, type EngineSuggestion } from './engines/types.ts';
import type { AuditEntry } from './audit.ts';
import type { SentCode } from './send-diff.ts';
import type { CodesLoadEntity, CommittedCode, EvidenceSpan } from '../events.ts';

/** A shown entity as `heidi-codes-load` lists it: the code the reviewer has chosen so far, and its status. */
export function loadedEntity(entity: EntityView, review: ReviewState): CodesLoadEntity {
  const chosen = review.chosenCode(entity);
  return {
    entityId: entity.id,
    code: codeRef(chosen),
    similarCodes: entity.similar.map(codeRef),
    relevance: entity.relevance,
    score: chosen.score,
    status: review.status(entity.id),
    engines: engineNames(entity, chosen),
  };
}

/** An accepted entity as a send reads it: the code chosen, the engines behind it, the warnings the reviewer saw. */
export interface AcceptedPick {
  readonly entity: EntityView;
  readonly chosen: CodeView;
  readonly suggestions: readonly EngineSuggestion[];
  readonly warnings: readonly CheckWarning[];
}

/** One code is one FHIR system + code, as the host upserts it, whichever entities hold it. */
export const fhirCodeKey = (c: Pick<CodeRef, 'system' | 'code'>): string => `${c.system}|${c.code}`;

/**
 * One pick per FHIR system + code, as the host upserts: a code two entities hold (Heidi suggested it twice, with
 * other evidence) carries the evidence, engines and warnings of both, the first entity's first.
 */
export function perCode(picks: readonly AcceptedPick[]): AcceptedPick[] {
  const byCode = new Map<string, AcceptedPick>();
  for (const pick of picks) {
    const key = fhirCodeKey(pick.chosen);
    const first = byCode.get(key);
    const { entity } = pick;
    byCode.set(
      key,
      first
        ? {
            ...first,
            entity: {
              ...first.entity,
              transcript: [...first.entity.transcript, ...entity.transcript],
              note: [...first.entity.note, ...entity.note],
            },
            suggestions: [...first.suggestions, ...pick.suggestions.filter((s) => !first.suggestions.some((f) => f.engine === s.engine))],
            warnings: [...first.warnings, ...pick.warnings.filter((w) => !first.warnings.some((f) => f.kind === w.kind))],
          }
        : pick,
    );
  }
  return [...byCode.values()];
}

/**
 * What the host receives for one accepted code: the chosen code, its located evidence, the warnings seen, and the
 * engines behind it (`suggestions`: `suggestionsFor(entity, chosen)`, which the caller's FHIR bundle reads too).
 */
export function committedCode(
  entity: EntityView,
  chosen: CodeView,
  warnings: readonly CheckWarning[],
  suggestions: readonly EngineSuggestion[],
): CommittedCode {
  return {
    ...codeRef(chosen),
    entityId: entity.id,
    evidence: { transcript: evidenceSpans(entity.transcript), note: evidenceSpans(entity.note) },
    warnings: [...new Set(warnings.map((w) => w.kind))],
    engines: namesOf(suggestions),
  };
}

/**
 * A code the host keeps from an earlier send that no card holds now (heldWithoutCard), as `codes` lists it: no
 * evidence or warnings (no card shows it), the engines and time of the last decision on its entity (`decided`,
 * the audit's latest entry per entity id).
 */
export function keptCode(code: SentCode, decided: ReadonlyMap<string, AuditEntry>): { code: CommittedCode; decidedAt?: string } {
  const entry = decided.get(code.entityId);
  const engines = ENGINE_NAMES.filter((name) => entry?.engines.includes(name));
  return {
    code: { ...codeRef(code), entityId: code.entityId, evidence: { transcript: [], note: [] }, warnings: [], engines },
    ...(entry && { decidedAt: entry.at }),
  };
}

/**
 * The engines' suggestions behind the code chosen for `entity`: the entity's own for its primary code; for
 * a similar code the reviewer swapped to, the engine that listed that alternative (only Heidi lists any:
 * the peers' entities have none) with that code's own score, never the primary's engines and score.
 */
export function suggestionsFor(entity: EntityView, chosen: CodeView): readonly EngineSuggestion[] {
  if (sameCode(chosen, entity.primary)) return entity.engines;
  const lister = entity.engines.find((s) => s.engine === 'heidi') ?? entity.engines[0];
  return lister ? [{ ...lister, score: chosen.score }] : [];
}

/** The names of the engines that suggested the entity's chosen code (its primary unless given), each once, in display order. */
export function engineNames(entity: EntityView, chosen: CodeView = entity.primary): EngineName[] {
  return namesOf(suggestionsFor(entity, chosen));
}

const namesOf = (suggestions: readonly EngineSuggestion[]): EngineName[] => [...new Set(suggestions.map((s) => s.engine))];

function evidenceSpans(evidence: readonly (TranscriptEvidence | NoteEvidence)[]): EvidenceSpan[] {
  return evidence.filter(isLocated).map((e) => ({ start: e.start, end: e.end, text: e.text }));
}

/**
 * Why sending is blocked for the host's patient, if it is: `other` (the session is another patient's) or
 * `unlinked` (not read, or not linked to any patient: it cannot be proved to be this one's). Sending is
 * allowed only once the session's patient id equals the host's.
 */
export function patientBlock(ehrPatientId: string, session: Session | undefined): 'other' | 'unlinked' | undefined {
  if (!ehrPatientId) return undefined;
  const sessionPatient = session?.ehr_patient_id;
  return sessionPatient === ehrPatientId ? undefined : sessionPatient ? 'other' : 'unlinked';
}
