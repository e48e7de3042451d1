/**
 * One card per FHIR system + code: the engines' entities merged, the first
 * engine's card (Heidi's) kept as it is, later engines' suggestions added to
 * it. An engine's own repeats of a code stay separate cards (Heidi may
 * suggest a code twice, with different evidence); ids stay unique.
 */
import { sameCode, type EntityView } from '../model.ts';
import type { EngineResult } from './types.ts';

export function mergeEngineResults(results: readonly EngineResult[]): EntityView[] {
  const merged: EntityView[] = [];
  /** system + code -> index in `merged` of the card that code opened. */
  const byCode = new Map<string, number>();
  const ids = new Set<string>();
  for (const result of results) {
    /** Cards this engine already added to: its next entity with the same code is a card of its own. */
    const touched = new Set<number>();
    for (const entity of result.entities) {
      const key = `${entity.primary.system}\n${entity.primary.code}`;
      const at = byCode.get(key);
      if (at !== undefined && !touched.has(at) && merged[at]!.engines.every((s) => s.engine !== result.engine)) {
        merged[at] = absorb(merged[at]!, entity);
        touched.add(at);
        continue;
      }
      const card = withUniqueId(entity, ids);
      if (at === undefined) byCode.set(key, merged.length);
      touched.add(merged.length);
      merged.push(card);
    }
  }
  return merged;
}

/** A later engine's entity folded into an earlier card: its suggestion listed, its evidence and alternatives added. */
function absorb(card: EntityView, entity: EntityView): EntityView {
  const similar = [...card.similar];
  for (const code of entity.similar) if (!sameCode(code, card.primary) && !similar.some((c) => sameCode(c, code))) similar.push(code);
  return {
    ...card,
    similar,
    relevance: card.relevance ?? entity.relevance,
    relevanceScore: card.relevanceScore ?? entity.relevanceScore,
    transcript: [...card.transcript, ...entity.transcript],
    note: [...card.note, ...entity.note],
    context: [...card.context, ...entity.context.filter((text) => !card.context.includes(text))],
    ...(card.justification === undefined && entity.justification !== undefined ? { justification: entity.justification } : {}),
    engines: [...card.engines, ...entity.engines],
  };
}

function withUniqueId(entity: EntityView, ids: Set<string>): EntityView {
  let id = entity.id;
  for (let n = 2; ids.has(id); n++) id = `${entity.id}#${n}`;
  ids.add(id);
  return id === entity.id ? entity : { ...entity, id };
}

