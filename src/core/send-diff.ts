/**
 * Nothing added twice: what changed for the host since the send it last
 * confirmed. A code already sent and still accepted is not in `added` again;
 * `added` and `removed` tell the host how to update its problem list instead of
 * appending duplicates (the commit's `codes` lists everything it holds).
 */
import type { AuditEntry } from './audit.ts';
import { codeSystemKey } from './code-systems.ts';
import { codeRef, sameCodeKey, type CodeRef, type EntityView } from './model.ts';

/** A code as it was sent: which entity, which code. */
export interface SentCode extends CodeRef {
  readonly entityId: string;
}

export interface SendDiff<T extends SentCode> {
  /** The accepted codes the host has not received yet (the full objects given; `added` is the same codes). */
  readonly toSend: readonly T[];
  /** Newly accepted or swapped-to codes (the same codes as `toSend`, as plain `SentCode`s). */
  readonly added: readonly SentCode[];
  /** Codes sent before that are no longer accepted: rejected, undone, or swapped away. */
  readonly removed: readonly SentCode[];
}

/** One sent code's identity: which entity, which code (its system by `codeSystemKey`, as `sameCode` compares it). */
export const sentKey = (c: Pick<SentCode, 'entityId' | 'codeSystem' | 'code'>): string =>
  JSON.stringify([c.entityId, codeSystemKey(c.codeSystem), c.code]);

/** Just the entity id and the four CodeRef fields (a commit's code also carries evidence and warnings). */
export function sentCode(c: SentCode): SentCode {
  return { entityId: c.entityId, ...codeRef(c) };
}

/** The diff between `lastSent` (what the host confirmed) and `accepted` (every code accepted now). */
export function sendDiff<T extends SentCode>(lastSent: readonly SentCode[], accepted: readonly T[]): SendDiff<T> {
  const sent = new Set(lastSent.map(sentKey));
  const now = new Set(accepted.map(sentKey));
  const toSend = accepted.filter((c) => !sent.has(sentKey(c)));
  return {
    toSend,
    added: toSend.map(sentCode),
    removed: lastSent.filter((c) => !now.has(sentKey(c))).map(sentCode),
  };
}

/**
 * Stored codes have no name (none is kept in storage): each takes it from a card that lists its code. One
 * rule for the sent codes and the audit trail; the cards' codes are indexed once, on the first nameless code.
 */
function namer(entities: Iterable<EntityView>): <T extends CodeRef>(c: T) => T {
  let known: Map<string, CodeRef> | undefined;
  return (c) => {
    if (c.display) return c;
    known ??= new Map([...entities].flatMap((e) => [e.primary, ...e.similar]).map((code) => [sameCodeKey(code), code]));
    const code = known.get(sameCodeKey(c));
    return code ? { ...c, ...codeRef(code) } : c;
  };
}

export function namedSent(entities: Iterable<EntityView>, codes: readonly SentCode[]): readonly SentCode[] {
  return codes.map(namer(entities));
}

/** The audit trail with its codes named (`codeBefore`, `codeAfter`), as `namedSent` names the sent codes. */
export function namedAudit(entities: Iterable<EntityView>, audit: readonly AuditEntry[]): AuditEntry[] {
  const name = namer(entities);
  return audit.map((e) =>
    e.codeBefore?.display === '' || e.codeAfter?.display === ''
      ? { ...e, ...(e.codeBefore && { codeBefore: name(e.codeBefore) }), ...(e.codeAfter && { codeAfter: name(e.codeAfter) }) }
      : e,
  );
}
