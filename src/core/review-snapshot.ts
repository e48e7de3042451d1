/**
 * `reviewState`: a review a host can keep and give back, on any workstation.
 * `{sessionId, decisions, audit}` is plain JSON; `decisions` is keyed by entity
 * id in a prototype-less record, because an entity id is outside text and may
 * be `__proto__`. Setting it back is checked here, once: a corrupt or foreign
 * value becomes a `config` HeidiError, never an exception.
 */
import * as z from 'zod/mini';
import { HeidiError } from './errors.ts';
import { isoNow, lastDecisionTimes, MAX_AUDIT_ENTRIES, type AuditEntry } from './audit.ts';
import { isIsoDateTime } from './dates.ts';
import { readScore } from './model.ts';
import type { ReviewStatus } from './review.ts';
import type { SentCode } from './send-diff.ts';

export interface SwappedTo {
  readonly codeSystem: string;
  readonly code: string;
}

/** A decision as it travels (snapshot, other tabs): `PENDING` is an undo. */
export interface SnapshotDecision {
  readonly status: ReviewStatus;
  readonly swappedTo?: SwappedTo;
  /** ISO 8601 time of the decision. */
  readonly at: string;
}

/** What the host confirmed it holds, as of its last send of the session, and when (so a restored review does not send it again). */
export interface SnapshotSent {
  readonly at: string;
  readonly codes: readonly SentCode[];
}

export interface ReviewSnapshot {
  readonly sessionId: string;
  /** Entity id -> decision. A prototype-less record: read it with `Object.hasOwn`/`Object.entries`. */
  readonly decisions: Readonly<Record<string, SnapshotDecision>>;
  readonly audit: readonly AuditEntry[];
  /** Absent until a send was confirmed (and in a review saved by an earlier version). */
  readonly sent?: SnapshotSent;
}

z.config({ jitless: true }); // strict CSP: no `new Function` (see schemas.ts)

// Only zod constructors the bundle already ships, plus `refine`: `enum`, `record` and `extend` would add 1.3 kB gzip.
// A time goes into the FHIR bundle: one a bundle cannot carry, or that reads differently by time zone, is refused.
export const isoTime = z.string().check(z.refine(isIsoDateTime, 'not an ISO 8601 date-time with Z or an offset, years 0001 to 9999'));
/** The review statuses, in the order the status filter lists them. */
export const STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED'] as const satisfies readonly ReviewStatus[];
/** `value` is one of `STATUSES`. */
export const isStatus = (value: unknown): value is ReviewStatus => (STATUSES as readonly unknown[]).includes(value);
const status = z.string().check(z.refine(isStatus, 'not PENDING, ACCEPTED or REJECTED'));
const codeRef = z.object({ system: z.string(), code: z.string(), display: z.string(), codeSystem: z.string() });
const swappedTo = z.optional(z.object({ codeSystem: z.string(), code: z.string() }));
// In 0..1, as the model keeps a score (readScore): the element logs no other, so one outside is not a saved review's.
const score = z.number().check(z.refine((s) => readScore(s).score === s, 'not a score in 0..1'));

export const DecisionSchema = z.object({ status, swappedTo });
const SnapshotDecisionSchema = z.object({ status, swappedTo, at: isoTime });

export const AuditEntrySchema = z.object({
  at: isoTime,
  entityId: z.string(),
  codeBefore: z.optional(codeRef),
  codeAfter: z.optional(codeRef),
  statusBefore: status,
  statusAfter: status,
  engines: z.array(z.string()),
  score: z.optional(score),
  reviewer: z.optional(z.object({ reference: z.string(), display: z.optional(z.string()) })),
});

const sent = z.optional(
  z.object({
    at: isoTime,
    codes: z.array(z.object({ entityId: z.string(), system: z.string(), code: z.string(), display: z.string(), codeSystem: z.string() })),
  }),
);
// `decisions` is any object here and checked entry by entry below: a zod record would drop a `__proto__` key.
const SnapshotSchema = z.object({ sessionId: z.string(), decisions: z.looseObject({}), audit: z.array(AuditEntrySchema), sent });

function invalid(detail: string): HeidiError {
  return new HeidiError('config', `reviewState is not a saved review: ${detail}.`); // a config error is never retryable
}

/** The first issue (a failed parse has at least one) as `path: message`. */
function issue({ issues: [first] }: z.core.$ZodError): string {
  return `${first!.path.join('.') || 'value'}: ${first!.message}`;
}

/**
 * Check a `reviewState` value (the object, or its JSON text) for `expectedSessionId`.
 * Returns the typed snapshot, or a `config` HeidiError saying what is wrong; never throws.
 */
export function parseReviewSnapshot(value: unknown, expectedSessionId: string): ReviewSnapshot | HeidiError {
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value);
    } catch {
      return invalid('not JSON');
    }
  }
  try {
    return parseSnapshotData(data, expectedSessionId);
  } catch {
    // A host's getter or Proxy that throws while it is read: the setter must not throw into the host page.
    return invalid('an unreadable value (reading it threw)');
  }
}

function parseSnapshotData(data: unknown, expectedSessionId: string): ReviewSnapshot | HeidiError {
  // Refused before any entry is read, so refusing is cheap too; nothing is applied and the host still holds its copy.
  const audit = (data as { audit?: unknown } | null)?.audit;
  if (Array.isArray(audit) && audit.length > MAX_AUDIT_ENTRIES) {
    return invalid(`audit: ${audit.length} entries, more than ${MAX_AUDIT_ENTRIES}`);
  }
  const top = SnapshotSchema.safeParse(data);
  if (!top.success) return invalid(issue(top.error));
  if (top.data.sessionId !== expectedSessionId) {
    return invalid(`it belongs to session ${top.data.sessionId}, not ${expectedSessionId}`);
  }
  const decisions = Object.create(null) as Record<string, SnapshotDecision>;
  for (const [id, raw] of Object.entries((data as { decisions: object }).decisions)) {
    const parsed = SnapshotDecisionSchema.safeParse(raw);
    if (!parsed.success) return invalid(`decisions[${JSON.stringify(id)}].${issue(parsed.error)}`);
    decisions[id] = parsed.data as SnapshotDecision; // zod's output: a fresh object with only the schema's keys
  }
  return { ...(top.data as unknown as ReviewSnapshot), decisions };
}

/**
 * The snapshot of a review: each decision's `at` is its entity's latest audit time (else the time it came
 * with, else `now`).
 * `decisions` are the element's current ones, e.g. `ReviewState`'s map entries.
 */
export function reviewSnapshot(
  sessionId: string,
  decisions: Iterable<
    readonly [string, { readonly status: ReviewStatus; readonly swappedTo?: SwappedTo | undefined; readonly at?: string | undefined }]
  >,
  audit: readonly AuditEntry[],
  now: string = isoNow(),
  sent?: SnapshotSent,
): ReviewSnapshot {
  const times = lastDecisionTimes(audit);
  const record = Object.create(null) as Record<string, SnapshotDecision>;
  for (const [id, d] of decisions) {
    // Copies: a host editing the snapshot cannot edit the review.
    record[id] = { status: d.status, ...(d.swappedTo && { swappedTo: { ...d.swappedTo } }), at: times.get(id) ?? d.at ?? now };
  }
  return {
    sessionId,
    decisions: record,
    audit: [...audit],
    ...(sent && { sent: { at: sent.at, codes: sent.codes.map((c) => ({ ...c })) } }),
  };
}

export interface SnapshotSplit {
  /** Decisions for entities the current model has, in the snapshot's order. */
  readonly applicable: readonly (readonly [entityId: string, decision: SnapshotDecision])[];
  /** Entity ids the snapshot decided on that no longer exist: for the notice, not applied. */
  readonly unknown: readonly string[];
}

/** Split a snapshot's decisions into those that can be applied to `entityIds` and those whose entity is gone. */
export function splitSnapshot(snapshot: ReviewSnapshot, entityIds: Pick<ReadonlySet<string>, 'has'>): SnapshotSplit {
  const applicable: [string, SnapshotDecision][] = [];
  const unknown: string[] = [];
  for (const [id, decision] of Object.entries(snapshot.decisions)) {
    if (entityIds.has(id)) applicable.push([id, decision]);
    else unknown.push(id);
  }
  return { applicable, unknown };
}
