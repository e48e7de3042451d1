/**
 * Domain rules for handing codes to the EHR and for pointing at evidence:
 * the committed-code payload, the wrong-patient guard, and which source
 * (note or transcript) and highlight a selected code opens on.
 */
import type { CheckWarning } from './checks.ts';
import { isLocated, locatedRanges, type NoteEvidence, type SourceRange, type TranscriptEvidence } from './evidence.ts';
import { codeRef, type CodeView, type EntityView } from './model.ts';
import type { Session } from './schemas.ts';
import type { CommittedCode, EvidenceSpan } from '../events.ts';

export type SourceKind = 'note' | 'transcript';

/** What the host receives for one accepted code: the chosen code, its located evidence, the warnings seen. */
export function committedCode(entity: EntityView, chosen: CodeView, warnings: readonly CheckWarning[]): CommittedCode {
  return {
    ...codeRef(chosen),
    entityId: entity.id,
    evidence: { transcript: evidenceSpans(entity.transcript), note: evidenceSpans(entity.note) },
    warnings: warnings.map((w) => w.kind),
  };
}

function evidenceSpans(evidence: readonly (TranscriptEvidence | NoteEvidence)[]): EvidenceSpan[] {
  return evidence.filter(isLocated).map((e) => ({ start: e.start, end: e.end, text: e.text }));
}

/**
 * Is this session another patient's? With a host patient id and no session read, it cannot be
 * proved to be this patient's: blocked rather than risk the wrong chart.
 */
export function isWrongPatient(ehrPatientId: string, session: Session | undefined): boolean {
  if (!ehrPatientId) return false;
  if (!session) return true;
  const sessionPatient = session.ehr_patient_id;
  return !!sessionPatient && sessionPatient !== ehrPatientId;
}

/** The highlights of one entity in the note and in the transcript. */
export function sourceRanges(entity: EntityView | undefined): { note: SourceRange[]; transcript: SourceRange[] } {
  return entity ? { note: locatedRanges(entity.note), transcript: locatedRanges(entity.transcript) } : { note: [], transcript: [] };
}

/**
 * Where selecting an entity points: the source and evidence index asked for, else its first located
 * note passage, else its first located transcript snippet, else the source already shown.
 */
export function evidenceTarget(
  entity: EntityView,
  current: SourceKind,
  open?: { source: SourceKind; index: number },
): { kind: SourceKind; id: number } {
  if (open) return { kind: open.source, id: open.index };
  const noteIndex = entity.note.findIndex(isLocated);
  if (noteIndex >= 0) return { kind: 'note', id: noteIndex };
  const transcriptIndex = entity.transcript.findIndex(isLocated);
  if (transcriptIndex >= 0) return { kind: 'transcript', id: transcriptIndex };
  return { kind: current, id: 0 };
}
