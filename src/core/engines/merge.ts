/**
 * One card per FHIR system + code: the engines' entities merged, the first
 * engine's card (Heidi's) kept as it is, later engines' suggestions added to
 * it. An engine's own repeats of a code stay separate cards (Heidi may
 * suggest a code twice, with different evidence); ids stay unique.
 *
 * The card's score and relevance (what sorting, the batch filter, the load
 * event, the audit and the card itself read, via `chosenCode`) are the first
 * its engines gave, in engine order: Heidi's, else Omniscribe's (Sully gives
 * no score, and only Heidi rates relevance). The engines' scores are not on one
 * scale, so they are never averaged or maxed; each engine's own stays on its
 * suggestion (the "Suggested by" line, the FHIR Device).
 */
import { sameCode, sameCodeKey, type CodeView, type EntityView } from '../model.ts';
import type { EngineResult } from './types.ts';
import { uniqueId } from '../ids.ts';
import { isLocated, type NoteEvidence, type TranscriptEvidence } from '../evidence.ts';

export function mergeEngineResults(results: readonly EngineResult[]): EntityView[] {
  const merged: EntityView[] = [];
  /** system (`codeSystemKey`, as `sameCode` and the filter compare it) + code -> index in `merged` of the first card with that code. */
  const byCode = new Map<string, number>();
  const ids = new Set<string>();
  for (const { engine, entities } of results) {
    for (const entity of entities) {
      const key = sameCodeKey(entity.primary);
      const at = byCode.get(key);
      const card = at === undefined ? undefined : merged[at];
      // Only another engine's card absorbs it: this engine's own repeat of the code is a card of its own.
      if (at !== undefined && card && card.engines.every((s) => s.engine !== engine)) {
        merged[at] = absorb(card, entity);
        continue;
      }
      if (at === undefined) byCode.set(key, merged.length);
      merged.push(withUniqueId(entity, ids));
    }
  }
  return merged;
}

/** A later engine's entity folded into an earlier card: its suggestion listed, its evidence and alternatives added. */
function absorb(card: EntityView, entity: EntityView): EntityView {
  return {
    ...card,
    primary: mergedCode(card.primary, entity.primary),
    similar: [
      ...card.similar,
      ...entity.similar.filter((code) => !sameCode(code, card.primary) && !card.similar.some((c) => sameCode(c, code))),
    ],
    transcript: withNew(card.transcript, entity.transcript),
    note: withNew(card.note, entity.note),
    context: [...card.context, ...entity.context.filter((text) => !card.context.includes(text))],
    justification: card.justification ?? entity.justification,
    relevance: card.relevance ?? entity.relevance,
    relevanceScore: card.relevanceScore ?? entity.relevanceScore,
    engines: [...card.engines, ...entity.engines],
  };
}

/** The card's code, with what a later engine's same code adds: a kind the first did not fix, a score the first did not give. */
function mergedCode(code: CodeView, later: CodeView): CodeView {
  // A system without a fixed kind (SNOMED CT) is a procedure when a later engine says so (Sully's procedures list):
  // the same code Heidi gave as a clinical term must not become a Condition for that.
  const kind = code.kind === 'clinical-term' && later.kind === 'procedure' ? 'procedure' : code.kind;
  const withKind = kind === code.kind ? code : { ...code, kind };
  if (code.score !== undefined || later.score === undefined) return withKind;
  // The score goes with its out-of-range flag: a flagged score is never batch-accepted, whichever engine sent it.
  return { ...withKind, score: later.score, ...(later.scoreOutOfRange !== undefined && { scoreOutOfRange: later.scoreOutOfRange }) };
}

/** `more` after `list`, less what `list` holds already (two engines quoting the same words): one quote, one mark. */
function withNew<T extends TranscriptEvidence | NoteEvidence>(list: readonly T[], more: readonly T[]): T[] {
  const key = (e: T): string => (isLocated(e) ? `${e.start}-${e.end}` : `"${e.text}`);
  const held = new Set(list.map(key));
  return [...list, ...more.filter((e) => !held.has(key(e)) && !!held.add(key(e)))];
}

function withUniqueId(entity: EntityView, ids: Set<string>): EntityView {
  const id = uniqueId(entity.id, ids);
  return id === entity.id ? entity : { ...entity, id };
}
