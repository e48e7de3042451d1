/**
 * The coding model: Heidi's clinical-codes response joined with the
 * transcript and the session, shaped for review. Built once per load.
 */
import {
  NOTHING_DROPPED,
  type ClinicalCodesResponse,
  type ClinicalEntity,
  type Code,
  type CodeMetadata,
  type ContextReference,
  type DroppedData,
  type Session,
} from './schemas.ts';
import { codeSystemInfo, codeSystemKey, type CodeKind } from './code-systems.ts';
import {
  isLocated,
  locateNoteSpan,
  locateTranscriptReference,
  needsSearch,
  prepareText,
  type NoteEvidence,
  type PreparedText,
  type TranscriptEvidence,
} from './evidence.ts';
import type { DiscardedCode, EngineSuggestion } from './engines/types.ts';
import { uniqueId } from './ids.ts';
import { plainText } from './text.ts';
import { inSlices, pauseForMainThread } from './slices.ts';

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
  /** 0..1, when Heidi gave one (clamped into 0..1 when Heidi's was outside: see `scoreOutOfRange`). */
  readonly score: number | undefined;
  /**
   * Heidi's score as sent, when it was outside 0..1 (`79`, `-0.2`): `score` then holds it clamped, and the
   * score is flagged on the card and never taken by a batch accept.
   */
  readonly scoreOutOfRange?: number;
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
  /** Every engine that suggested this code (system + code), first engine first: one entry for a Heidi-only card. */
  readonly engines: readonly EngineSuggestion[];
  /** Another engine considered this code and threw it away (Omniscribe's discarded assessments), with its reason. */
  readonly discardedBy?: readonly DiscardedCode[];
}

export interface CodingModel {
  readonly sessionId: string;
  readonly entities: readonly EntityView[];
  /** Empty when the transcript could not be loaded. */
  readonly transcript: string | undefined;
  readonly note: string | undefined;
  readonly session: Session | undefined;
  /** What Heidi sent that could not be read and is not shown (the UI says so in a notice). */
  readonly dropped: DroppedData;
  /** How many codes (primary or similar) had a score outside 0..1, clamped and flagged. */
  readonly scoresOutOfRange: number;
  /** The codes are of the host's own note (`note` property, no Heidi session). */
  readonly hostNote?: boolean;
  /** Each engine's id for the run that coded this consultation (Sully coding id, Omniscribe `run_id`), for the Provenance. */
  readonly runIds?: ReadonlyMap<EngineSuggestion['engine'], string>;
}

/** A score as Heidi sent it, as the model keeps it: clamped into 0..1, and flagged when it was outside. */
export function readScore(score: number | null | undefined): { score: number | undefined; outOfRange?: number } {
  if (typeof score !== 'number' || !Number.isFinite(score)) return { score: undefined };
  if (score >= 0 && score <= 1) return { score };
  return { score: Math.min(1, Math.max(0, score)), outOfRange: score };
}

/**
 * A percentage (Omniscribe's `confidence_percent`, the batch panel's "score at least") as 0..1, the number the
 * engine or person meant: `96.2 / 100` is 0.9620000000000001 in binary floating point, and that noise would reach
 * the FHIR Device and compare below a typed 96.2 %. Fifteen significant digits is every digit a double holds exactly.
 */
export function percentToScore(percent: number): number {
  return Number((percent / 100).toPrecision(15));
}

export function toCodeView(code: Code): CodeView {
  const info = codeSystemInfo(code.code_system);
  const { score, outOfRange } = readScore(code.score);
  return {
    system: info.uri,
    code: code.code,
    // Cleaned as FHIR will file it (`plainText`), so the card shows what is filed.
    display: plainText(code.code_name ?? '') || plainText(code.metadata?.short_description ?? '') || code.code,
    codeSystem: code.code_system,
    systemLabel: info.label,
    kind: info.kind,
    score,
    ...(outOfRange !== undefined ? { scoreOutOfRange: outOfRange } : {}),
    metadata: code.metadata ?? undefined,
  };
}

export function codeRef(code: CodeRef): CodeRef {
  return { system: code.system, code: code.code, display: code.display, codeSystem: code.codeSystem };
}

/** `sameCode` as a key (for a Map or Set): one system by `codeSystemKey`, one code. */
export const sameCodeKey = (c: Pick<CodeRef, 'codeSystem' | 'code'>): string => `${codeSystemKey(c.codeSystem)}\n${c.code}`;

/** The same code in the same system (`codeSystemKey`: `icd_10_cm` and a peer's `ICD-10-CM` are one system). */
export function sameCode(a: Pick<CodeRef, 'codeSystem' | 'code'>, b: Pick<CodeRef, 'codeSystem' | 'code'>): boolean {
  return a.code === b.code && (a.codeSystem === b.codeSystem || codeSystemKey(a.codeSystem) === codeSystemKey(b.codeSystem));
}

/** A context reference's text: the string itself, or the first text field it has. */
function contextText(ref: ContextReference): string | null | undefined {
  return typeof ref === 'string' ? ref : (ref.text ?? ref.context_text ?? ref.clinician_note);
}

export function buildModel(codes: ClinicalCodesResponse, transcript: string | undefined, session: Session | undefined): CodingModel {
  const note = noteOf(session);
  const entities = buildEntities(codes, transcript, note);
  return {
    sessionId: codes.session_id,
    entities,
    transcript,
    note,
    session,
    dropped: codes.dropped ?? NOTHING_DROPPED,
    scoresOutOfRange: countScoresOutOfRange(entities),
  };
}

/** The consult note of a session, if it has one. */
export function noteOf(session: Session | undefined): string | undefined {
  return session?.consult_note?.result ?? undefined;
}

/** Heidi's entities, with their evidence located in the transcript and note, ids unique. */
export function buildEntities(codes: ClinicalCodesResponse, transcript: string | undefined, note: string | undefined): EntityView[] {
  const used = new Set<string>();
  // Prepared once for every snippet of every entity (issue 16: 5 MB transcripts, thousands of snippets).
  const prepared = transcript ? prepareText(transcript) : undefined;
  return codes.clinical_entities.map((entity) => buildEntity(entity, prepared, note, used));
}

/**
 * `buildEntities` in slices (`inSlices`) with the main thread given back between them (issue 16: 5 MB
 * transcripts with thousands of snippets must not freeze the page). A transcript is folded and indexed
 * in slices first, and only when some snippet will be searched for.
 */
export async function buildEntitiesInSlices(
  codes: ClinicalCodesResponse,
  transcript: string | undefined,
  note: string | undefined,
  signal?: AbortSignal,
  pause: () => Promise<void> = pauseForMainThread,
): Promise<EntityView[]> {
  const prepared = transcript ? prepareText(transcript) : undefined;
  const refs = codes.clinical_entities.flatMap((e) => e.reference_in_transcript ?? []);
  if (prepared && refs.some((ref) => needsSearch(prepared.text, ref))) {
    await prepared.prepareInSlices(async () => {
      await pause();
      signal?.throwIfAborted();
    });
  }
  const used = new Set<string>();
  return inSlices(
    (function* () {
      const entities: EntityView[] = [];
      for (const entity of codes.clinical_entities) {
        entities.push(buildEntity(entity, prepared, note, used));
        yield;
      }
      return entities;
    })(),
    signal,
    pause,
  );
}

/** How many codes (primary or similar) had a score outside 0..1. */
export function countScoresOutOfRange(entities: readonly EntityView[]): number {
  return entities.reduce((n, e) => n + [e.primary, ...e.similar].filter((c) => c.scoreOutOfRange !== undefined).length, 0);
}

function buildEntity(
  entity: ClinicalEntity,
  transcript: PreparedText | undefined,
  note: string | undefined,
  used: Set<string>,
): EntityView {
  const primary = toCodeView(entity.primary_code);
  // The same code suggested twice gets `#2`, `#3`...: ids stay unique even if Heidi's own ids look like that.
  const id = uniqueId(entity.id || `${primary.codeSystem}:${primary.code}`, used);
  const transcriptEvidence = (entity.reference_in_transcript ?? []).map((ref) => locateTranscriptReference(transcript, ref));
  const noteEvidence = (entity.location_in_note ?? []).map((span) => locateNoteSpan(note, span));
  return {
    id,
    primary,
    similar: (entity.similar_codes ?? []).map(toCodeView).filter((c) => !sameCode(c, primary)),
    relevance: entity.relevance?.toUpperCase() || undefined,
    relevanceScore: readScore(entity.relevance_score).score,
    apiStatus: entity.status ?? undefined,
    transcript: transcriptEvidence,
    note: noteEvidence,
    context: (entity.reference_in_context ?? []).flatMap((ref) => contextText(ref) || []),
    engines: [
      { engine: 'heidi', entityId: id, score: primary.score, transcript: transcriptEvidence, note: noteEvidence, justification: undefined },
    ],
  };
}

/** Does the entity have any direct evidence that can be pointed at? */
export function hasDirectEvidence(entity: EntityView): boolean {
  return entity.transcript.some(isLocated) || entity.note.some(isLocated);
}

export function hasAnyEvidence(entity: EntityView): boolean {
  return entity.transcript.length > 0 || entity.note.some(isLocated) || entity.context.length > 0;
}
