/**
 * What a selected code points at: its highlights in the note and transcript,
 * and which source (and which evidence in it) opens when it is selected.
 */
import { isLocated, locatedRanges, type SourceRange } from './evidence.ts';
import type { EntityView } from './model.ts';

export type SourceKind = 'note' | 'transcript';

/** The highlights of one entity in the note and in the transcript. */
export function sourceRanges(entity: EntityView | undefined): { note: SourceRange[]; transcript: SourceRange[] } {
  return { note: locatedRanges(entity?.note ?? []), transcript: locatedRanges(entity?.transcript ?? []) };
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
