/**
 * The coding model: Heidi's clinical-codes response joined with the
 * transcript and the session, shaped for review. Built once per load.
 */
import type { ClinicalCodesResponse, ClinicalEntity, Code, CodeMetadata, ContextReference, Session } from './schemas.ts';
import { codeSystemInfo, type CodeKind } from './code-systems.ts';
import { isLocated, locateNoteSpan, locateTranscriptReference, type NoteEvidence, type TranscriptEvidence } from './evidence.ts';

/** A code as the host receives it: FHIR `system`, `code`, `display`, plus Heidi's own `codeSystem`. */
export interface CodeRef {
  readonly system: string;
  readonly code: string;
  readonly display: string;
  readonly codeSystem: string;
}

export interface CodeView extends CodeRef {
  readonly systemLabel: string;
  readonly kind: CodeKind | undefined;
  /** 0..1, when Heidi gave one. */
  readonly score: number | undefined;
  readonly metadata: CodeMetadata | undefined;
}

export interface EntityView {
  /** Stable across reloads and reorderings: Heidi's id, else the suggested code's system and code. */
  readonly id: string;
  readonly primary: CodeView;
  readonly similar: readonly CodeView[];
  /** `HIGH`, `MEDIUM`, `LOW` or whatever Heidi sends, upper-cased. */
  readonly relevance: string | undefined;
  readonly relevanceScore: number | undefined;
  readonly apiStatus: string | undefined;
  readonly transcript: readonly TranscriptEvidence[];
  readonly note: readonly NoteEvidence[];
  readonly context: readonly string[];
  /** The engine's reasoning for this code (Omniscribe's `justification`): evidence text, not a location. */
  readonly justification?: string;
}

export interface CodingModel {
  readonly sessionId: string;
  readonly entities: readonly EntityView[];
  /** Empty when the transcript could not be loaded. */
  readonly transcript: string | undefined;
  readonly note: string | undefined;
  readonly session: Session | undefined;
}

export function toCodeView(code: Code): CodeView {
  const info = codeSystemInfo(code.code_system);
  return {
    system: info.uri,
    code: code.code,
    display: code.code_name || code.metadata?.short_description || code.code,
    codeSystem: code.code_system,
    systemLabel: info.label,
    kind: info.kind,
    score: typeof code.score === 'number' && Number.isFinite(code.score) ? code.score : undefined,
    metadata: code.metadata ?? undefined,
  };
}

export function codeRef(code: CodeRef): CodeRef {
  return { system: code.system, code: code.code, display: code.display, codeSystem: code.codeSystem };
}

export function sameCode(a: Pick<CodeRef, 'codeSystem' | 'code'>, b: Pick<CodeRef, 'codeSystem' | 'code'>): boolean {
  return a.code === b.code && a.codeSystem === b.codeSystem;
}

function contextText(ref: ContextReference): string | undefined {
  if (typeof ref === 'string') return ref || undefined;
  return ref.text ?? ref.context_text ?? ref.clinician_note ?? undefined;
}

export function buildModel(
  codes: ClinicalCodesResponse,
  transcript: string | undefined,
  session: Session | undefined,
): CodingModel {
  const note = session?.consult_note?.result ?? undefined;
  const used = new Set<string>();
  const entities = codes.clinical_entities.map((entity) => buildEntity(entity, transcript, note, used));
  return { sessionId: codes.session_id, entities, transcript, note, session };
}

function buildEntity(
  entity: ClinicalEntity,
  transcript: string | undefined,
  note: string | undefined,
  used: Set<string>,
): EntityView {
  const primary = toCodeView(entity.primary_code);
  const baseId = entity.id || `${primary.codeSystem}:${primary.code}`;
  // The same code suggested twice gets `#2`, `#3`...: ids stay unique even if Heidi's own ids look like that.
  let id = baseId;
  for (let n = 2; used.has(id); n++) id = `${baseId}#${n}`;
  used.add(id);
  return {
    id,
    primary,
    similar: (entity.similar_codes ?? []).filter((c) => !sameCode(toCodeView(c), primary)).map(toCodeView),
    relevance: entity.relevance ? entity.relevance.toUpperCase() : undefined,
    relevanceScore: entity.relevance_score ?? undefined,
    apiStatus: entity.status ?? undefined,
    transcript: (entity.reference_in_transcript ?? []).map((ref) => locateTranscriptReference(transcript, ref)),
    note: (entity.location_in_note ?? []).map((span) => locateNoteSpan(note, span)),
    context: (entity.reference_in_context ?? []).map(contextText).filter((t): t is string => !!t),
  };
}

/** Does the entity have any direct evidence that can be pointed at? */
export function hasDirectEvidence(entity: EntityView): boolean {
  return entity.transcript.some(isLocated) || entity.note.some(isLocated);
}

export function hasAnyEvidence(entity: EntityView): boolean {
  return entity.transcript.length > 0 || entity.note.some(isLocated) || entity.context.length > 0;
}
