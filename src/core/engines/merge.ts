/**
 * One card per FHIR system + code: the engines' entities merged, the first
 * engine's card (Heidi's) kept as it is, later engines' suggestions added to
 * it. An engine's own repeats of a code stay separate cards (Heidi may
 * suggest a code twice, with different evidence); ids stay unique.
 */
import { sameCode, type EntityView } from '../model.ts';
import type { EngineResult } from './types.ts';
import { uniqueId } from '../ids.ts';
import { codeSystemKey } from '../code-systems.ts';

export function mergeEngineResults(results: readonly EngineResult[]): EntityView[] {
  const merged: EntityView[] = [];
  /** system (`codeSystemKey`, as `sameCode` and the filter compare it) + code -> index in `merged` of the first card with that code. */
  const byCode = new Map<string, number>();
  const ids = new Set<string>();
  for (const { engine, entities } of results) {
    for (const entity of entities) {
      const key = `${codeSystemKey(entity.primary.codeSystem)}\n${entity.primary.code}`;
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
    // A system without a fixed kind (SNOMED CT) is a procedure when a later engine says so (Sully's procedures list):
    // the same code Heidi gave as a clinical term must not become a Condition for that.
    primary:
      card.primary.kind === 'clinical-term' && entity.primary.kind === 'procedure' ? { ...card.primary, kind: 'procedure' } : card.primary,
    similar: [
      ...card.similar,
      ...entity.similar.filter((code) => !sameCode(code, card.primary) && !card.similar.some((c) => sameCode(c, code))),
    ],
    transcript: [...card.transcript, ...entity.transcript],
    note: [...card.note, ...entity.note],
    context: [...card.context, ...entity.context.filter((text) => !card.context.includes(text))],
    justification: card.justification ?? entity.justification,
    engines: [...card.engines, ...entity.engines],
  };
}

function withUniqueId(entity: EntityView, ids: Set<string>): EntityView {
  const id = uniqueId(entity.id, ids);
  return id === entity.id ? entity : { ...entity, id };
}
