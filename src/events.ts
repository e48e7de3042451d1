/**
 * The element's events: the host page's API. Each bubbles and is composed so
 * the EHR page hears it through the shadow root; `heidi-codes-commit` is
 * cancelable so the host can veto.
 */
import type { HeidiErrorCode } from './core/errors.ts';
import type { CodeRef } from './core/model.ts';
import type { ReviewStatus } from './core/review.ts';
import type { CheckKind } from './core/checks.ts';
import type { EngineName } from './core/engines/types.ts';
import type { AuditEntry } from './core/audit.ts';
import type { FhirBundle } from './core/fhir.ts';
import type { SentCode } from './core/send-diff.ts';

export interface SessionStartDetail {
  readonly sessionId: string;
  readonly created: boolean;
}

export interface CodesLoadEntity {
  readonly entityId: string;
  readonly code: CodeRef;
  readonly similarCodes: readonly CodeRef[];
  readonly relevance: string | undefined;
  readonly score: number | undefined;
  readonly status: ReviewStatus;
  /** The engines that suggested the code, in display order (e.g. `["heidi", "sully"]`). */
  readonly engines: readonly EngineName[];
}

export interface CodesLoadDetail {
  readonly sessionId: string;
  readonly entities: readonly CodesLoadEntity[];
}

export interface CodeSelectDetail {
  readonly sessionId: string;
  readonly entityId: string;
  readonly code: CodeRef;
}

export interface CodeReviewDetail {
  readonly sessionId: string;
  readonly entityId: string;
  readonly status: ReviewStatus;
  readonly code: CodeRef;
  readonly previousCode?: CodeRef;
}

export interface EvidenceSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface CommittedCode extends CodeRef {
  readonly entityId: string;
  readonly evidence: { readonly transcript: readonly EvidenceSpan[]; readonly note: readonly EvidenceSpan[] };
  /** Kinds of the check warnings the reviewer saw and accepted anyway. */
  readonly warnings: readonly CheckKind[];
  /** The engines that suggested the code, in display order. */
  readonly engines: readonly EngineName[];
}

export interface CodesCommitDetail {
  readonly sessionId: string;
  /** Every accepted code, each once (the host upserts): `added` / `removed` say what changed. */
  readonly codes: readonly CommittedCode[];
  /** `codes` as a FHIR R4 Bundle: a Condition or Procedure per code, a Provenance per resource. */
  readonly fhir: FhirBundle;
  /** Every decision of this review, in order. */
  readonly audit: readonly AuditEntry[];
  /** Codes the host did not hold after its last confirmed send of this session. */
  readonly added: readonly SentCode[];
  /** Codes the host holds that are no longer accepted (rejected, undone or swapped away). */
  readonly removed: readonly SentCode[];
  /**
   * The host's write-back: the widget shows "sent" only when this promise resolves. Call it while the
   * listener runs; a later call throws an `InvalidStateError` DOMException (as `ExtendableEvent.waitUntil`).
   */
  waitUntil(promise: Promise<unknown>): void;
}

export interface ErrorDetail {
  readonly code: HeidiErrorCode;
  readonly message: string;
  readonly status?: number;
  readonly retryable: boolean;
  /** The engine that failed, when the others' codes are shown (a peer failing, or Heidi failing beside peers). */
  readonly engine?: EngineName;
}

export type TokenExpiredDetail = Record<string, never>;

/** Each event class names its `type` once, statically; the base reads it from the class being made (`new.target`). */
abstract class HeidiEvent<T> extends CustomEvent<T> {
  constructor(detail: T, cancelable = false) {
    super((new.target as unknown as { type: string }).type, { detail, bubbles: true, composed: true, cancelable });
  }
}

export class HeidiSessionStartEvent extends HeidiEvent<SessionStartDetail> {
  static readonly type = 'heidi-session-start';
}

export class HeidiCodesLoadEvent extends HeidiEvent<CodesLoadDetail> {
  static readonly type = 'heidi-codes-load';
}

export class HeidiCodeSelectEvent extends HeidiEvent<CodeSelectDetail> {
  static readonly type = 'heidi-code-select';
}

export class HeidiCodeReviewEvent extends HeidiEvent<CodeReviewDetail> {
  static readonly type = 'heidi-code-review';
}

export class HeidiCodesCommitEvent extends HeidiEvent<CodesCommitDetail> {
  static readonly type = 'heidi-codes-commit';
  constructor(detail: CodesCommitDetail) {
    super(detail, true);
  }
}

export class HeidiTokenExpiredEvent extends HeidiEvent<TokenExpiredDetail> {
  static readonly type = 'heidi-token-expired';
  constructor() {
    super({});
  }
}

export class HeidiErrorEvent extends HeidiEvent<ErrorDetail> {
  static readonly type = 'heidi-error';
}

/** Every event type the element fires, e.g. for a host that logs them all. */
export const HEIDI_EVENT_TYPES = [
  HeidiSessionStartEvent.type,
  HeidiCodesLoadEvent.type,
  HeidiCodeSelectEvent.type,
  HeidiCodeReviewEvent.type,
  HeidiCodesCommitEvent.type,
  HeidiTokenExpiredEvent.type,
  HeidiErrorEvent.type,
] as const;

declare global {
  interface GlobalEventHandlersEventMap {
    'heidi-session-start': HeidiSessionStartEvent;
    'heidi-codes-load': HeidiCodesLoadEvent;
    'heidi-code-select': HeidiCodeSelectEvent;
    'heidi-code-review': HeidiCodeReviewEvent;
    'heidi-codes-commit': HeidiCodesCommitEvent;
    'heidi-token-expired': HeidiTokenExpiredEvent;
    'heidi-error': HeidiErrorEvent;
  }
}
