/**
 * The audit trail: one entry per review decision, in the order they were made.
 * Plain JSON (ISO times, no Dates, no class instances) so it can sit in the
 * commit detail, in `reviewState` and in storage, and it is what the FHIR
 * Provenance resources take their decision times from.
 */
import { codeRef, type CodeRef } from './model.ts';
import type { ReviewStatus } from './review.ts';

/** The person reviewing, as the host names them: `reference` is a FHIR reference such as `Practitioner/123`. */
export interface Reviewer {
  readonly reference: string;
  readonly display?: string;
}

export interface AuditEntry {
  /** ISO 8601 instant of the decision. */
  readonly at: string;
  readonly entityId: string;
  /** The code the entity stood for before the decision (Heidi's suggestion, or an earlier swap). */
  readonly codeBefore?: CodeRef;
  /** The code it stands for after: differs from `codeBefore` on a swap or on an undo of one. */
  readonly codeAfter?: CodeRef;
  readonly statusBefore: ReviewStatus;
  readonly statusAfter: ReviewStatus;
  /** The engines that suggested the code (`heidi`, `sully`, `omniscribe`). */
  readonly engines: readonly string[];
  /** 0..1, the score of `codeAfter` when an engine gave one: the card's (its first engine's that gave one), a swapped-to alternative's own. */
  readonly score?: number;
  readonly reviewer?: Reviewer;
}

/** What changed: the review state before and after one decision on one entity. */
export interface DecisionChange {
  readonly entityId: string;
  readonly statusBefore: ReviewStatus;
  readonly statusAfter: ReviewStatus;
  readonly codeBefore?: CodeRef;
  readonly codeAfter?: CodeRef;
}

export interface AuditContext {
  /** Decision time; default now. */
  readonly at?: string;
  readonly engines?: readonly string[];
  readonly score?: number;
  readonly reviewer?: Reviewer | undefined;
}

/**
 * The most entries a review's audit trail holds: what a `reviewState` may carry, and what is kept in memory and in
 * storage. A real review is tens of codes decided a few times each; five thousand is a hundred times that. It is
 * also what storage can hold: about 400 characters an entry as stored (without names), 2 million characters or
 * 4 MB as UTF-16, inside any browser's 5 MB of sessionStorage, so the trail kept is the trail saved. And it is
 * what the main thread can take: a restore is linear (the schema check and the save, which every later decision
 * repeats, dominate; no fix makes them cheap), so this is a sixtieth of the 1.8 s that 300,000 entries took.
 */
export const MAX_AUDIT_ENTRIES = 5_000;

/** The time now as an ISO 8601 instant, as audit entries, sync messages and bundles carry it. */
export const isoNow = (): string => new Date().toISOString();

/**
 * Now, or just after `last` (ms) when that is not earlier: a time that is later than the last one known even
 * when another tab's or workstation's clock ran ahead (so "the later wins" still picks this one).
 */
export const isoAfter = (last: number, now: number = Date.now()): string => new Date(Math.max(now, last + 1)).toISOString();

/** One audit entry for `change`: optional fields left out, not `undefined`; codes reduced to their four CodeRef fields. */
export function auditEntry(
  { entityId, codeBefore, codeAfter, statusBefore, statusAfter }: DecisionChange,
  { at = isoNow(), engines = [], score, reviewer }: AuditContext = {},
): AuditEntry {
  return {
    at,
    entityId,
    ...(codeBefore && { codeBefore: codeRef(codeBefore) }),
    ...(codeAfter && { codeAfter: codeRef(codeAfter) }),
    statusBefore,
    statusAfter,
    engines: [...engines],
    // Number.isFinite is false for anything but a finite number, undefined included.
    ...(Number.isFinite(score) && { score: score! }),
    ...(reviewer && { reviewer: { reference: reviewer.reference, ...(reviewer.display !== undefined && { display: reviewer.display }) } }),
  };
}

/** The latest decision time per entity (by time, not position, so a merged log from two tabs still answers right). */
export function lastDecisionTimes(audit: readonly AuditEntry[]): Map<string, string> {
  return noteDecisionTimes(new Map(), audit);
}

/** `times` (as `lastDecisionTimes` makes it) brought up to date with `entries` added to the audit. */
export function noteDecisionTimes(times: Map<string, string>, entries: readonly AuditEntry[]): Map<string, string> {
  for (const entry of entries) {
    const known = times.get(entry.entityId);
    if (known === undefined || Date.parse(entry.at) >= Date.parse(known)) times.set(entry.entityId, entry.at);
  }
  return times;
}
