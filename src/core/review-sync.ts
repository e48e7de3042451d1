/**
 * Two tabs, one review: decisions made in one tab on a session reach every other
 * tab on it, over a BroadcastChannel per session, or, where there is none, the
 * `storage` event of localStorage (written and removed at once, so no code is
 * left behind in storage). Two different decisions on one code resolve to the
 * later `at`, ties to the greater `tabId`, so every tab lands on the same one;
 * the tab whose own decision lost hears about it, to say so. A tab that opens
 * later says `hello` with its own review, and every open tab answers with
 * theirs (`review`), so the new tab catches up on decisions made before it
 * opened (and the others on what it had kept); each side merges by decision
 * time (`ReviewController`), exactly as a restored `reviewState`.
 */
import * as z from 'zod/mini';
import { isoNow, type AuditEntry } from './audit.ts';
import { AuditEntrySchema, DecisionSchema, isoTime, type SwappedTo } from './review-snapshot.ts';
import { sameDecision, webStorage, type ReviewStatus } from './review.ts';
import { randomUuid } from './ids.ts';
import type { SentCode } from './send-diff.ts';

export interface SyncDecision {
  readonly status: ReviewStatus;
  readonly swappedTo?: SwappedTo;
}

export interface SyncMessage {
  readonly sessionId: string;
  readonly entityId: string;
  readonly decision: SyncDecision;
  /** ISO 8601 time of the decision. */
  readonly at: string;
  readonly tabId: string;
  /** The decision's audit entry, so every tab's trail has it. */
  readonly entry?: AuditEntry;
  /** The card's suggested code: a tab whose engines answered otherwise has the card under another id (card-match.ts). */
  readonly suggested?: SwappedTo;
}

/** The parts of BroadcastChannel used here (a test can pass its own). */
export interface SyncChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface ReviewSyncOptions {
  readonly sessionId: string;
  /** Whose review (e.g. the API and token source): the same session id under another scope is another review. */
  readonly scope?: string;
  /** Default: a random UUID per instance. */
  readonly tabId?: string;
  /** Another tab's decision won: apply it. */
  readonly onRemote: (message: SyncMessage) => void;
  /** Another tab's decision that came too late to win (its audit entry still belongs in the trail). */
  readonly onStale?: (message: SyncMessage) => void;
  /** This tab's own decision on `remote.entityId` was overridden by a later, different one. */
  readonly onLost?: (remote: SyncMessage, local: SyncMessage) => void;
  /** Default: `new BroadcastChannel(name)` when there is one; `null` forces the storage fallback. */
  readonly channel?: SyncChannel | null;
  /** Fallback transport. Defaults: `localStorage` and `globalThis` (which fires `storage`). */
  readonly storage?: Pick<Storage, 'setItem' | 'removeItem'>;
  readonly storageEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** This tab's review now (a `reviewState`): sent with `hello` when the sync starts, and to every tab that says it. */
  readonly review?: () => unknown;
  /** Another tab's review (unchecked: the receiver validates it, as a host-set `reviewState`). */
  readonly onReview?: (review: unknown) => void;
  /** This tab's last confirmed send (the host holds exactly `codes` since `at`): told with `hello` and its answers. */
  readonly sent?: () => { readonly codes: readonly SentCode[]; readonly at: string } | undefined;
  /** Another tab's confirmed send, or what it knew of one when greeting: the receiver keeps the later one. */
  readonly onSent?: (codes: readonly SentCode[], at: string) => void;
  /** The storage transport refused a message (false: storage full; other tabs did not hear it), or took one again. */
  readonly onStored?: (stored: boolean) => void;
}

const PREFIX = 'heidi-clinical-codes:sync:v1:';

export function syncChannelName(sessionId: string, scope = ''): string {
  return PREFIX + (scope && `${scope} `) + sessionId;
}

const SentSchema = z.object({
  sessionId: z.string(),
  tabId: z.string(),
  sent: z.array(z.object({ entityId: z.string(), system: z.string(), code: z.string(), display: z.string(), codeSystem: z.string() })),
  sentAt: isoTime,
});

const MessageSchema = z
  .object({
    sessionId: z.string(),
    entityId: z.string(),
    decision: DecisionSchema,
    at: isoTime,
    tabId: z.string(),
    entry: z.optional(AuditEntrySchema),
    suggested: z.optional(z.object({ codeSystem: z.string(), code: z.string() })),
  })
  // A decision's audit entry is about that decision's entity, or the message is not one this element sent.
  .check(z.refine((m) => !m.entry || m.entry.entityId === m.entityId, 'entry is about another entity'));

/** Does `a` beat `b`? Later time wins; at the same time, the greater tab id (so both tabs agree). */
export function laterDecision(a: Pick<SyncMessage, 'at' | 'tabId'>, b: Pick<SyncMessage, 'at' | 'tabId'>): boolean {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  return ta !== tb ? ta > tb : a.tabId > b.tabId;
}

export class ReviewSync {
  readonly tabId: string;
  private readonly _options: ReviewSyncOptions;
  private readonly _name: string;
  // The transports: all three are dropped on close(), so a closed sync sends and hears nothing.
  private _channel: SyncChannel | undefined;
  private _storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined;
  private _events: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined;
  /** The storage transport took the last message (see `onStored`). */
  private _stored = true;
  /** The winning message per entity id, from this tab or another. */
  private readonly _latest = new Map<string, SyncMessage>();

  constructor(options: ReviewSyncOptions) {
    this._options = options;
    this.tabId = options.tabId ?? randomUuid();
    this._name = syncChannelName(options.sessionId, options.scope);
    this._channel =
      options.channel === null
        ? undefined
        : (options.channel ?? (typeof BroadcastChannel === 'function' ? new BroadcastChannel(this._name) : undefined));
    if (this._channel) {
      this._channel.addEventListener('message', this._onMessage);
    } else {
      this._storage = options.storage ?? webStorage('localStorage');
      this._events = options.storageEvents ?? (typeof globalThis.addEventListener === 'function' ? globalThis : undefined);
      this._events?.addEventListener('storage', this._onStorage);
    }
    if (options.review) this._post({ sessionId: options.sessionId, tabId: this.tabId, hello: options.review(), ...this._sentNow() });
  }

  /** The time of the winning decision on `entityId` this tab knows of (its own or another tab's), if any. */
  lastAt(entityId: string): string | undefined {
    return this._latest.get(entityId)?.at;
  }

  /** Tell the other tabs about a decision made here (and remember it, to judge theirs). */
  publish(entityId: string, decision: SyncDecision, at: string = isoNow(), entry?: AuditEntry, suggested?: SwappedTo): SyncMessage {
    const message: SyncMessage = {
      sessionId: this._options.sessionId,
      entityId,
      decision,
      at,
      tabId: this.tabId,
      ...(entry && { entry }),
      ...(suggested && { suggested: { codeSystem: suggested.codeSystem, code: suggested.code } }),
    };
    this._latest.set(entityId, message);
    this._post(message);
    return message;
  }

  /** Tell the other tabs the host confirmed a send from here: it holds exactly `codes` now (nothing is sent twice from them). */
  publishSent(codes: readonly SentCode[], at: string): void {
    this._post({ sessionId: this._options.sessionId, tabId: this.tabId, sent: codes, sentAt: at });
  }

  private _sentNow(): { sent?: readonly SentCode[]; sentAt?: string } {
    const sent = this._options.sent?.();
    return sent ? { sent: sent.codes, sentAt: sent.at } : {};
  }

  private _post(message: object): void {
    let stored = true;
    try {
      if (this._channel) {
        this._channel.postMessage(message);
      } else if (this._storage) {
        stored = false;
        this._storage.setItem(this._name, JSON.stringify(message));
        this._storage.removeItem(this._name); // the event is already queued with the value; leave nothing behind
        stored = true;
      }
    } catch {
      // Quota, privacy mode or a closed channel: this tab's decision still stands (a refused write is told).
    }
    if (stored !== this._stored) this._options.onStored?.((this._stored = stored));
  }

  /** Stop listening and release the channel. Idempotent. */
  close(): void {
    this._channel?.removeEventListener('message', this._onMessage);
    this._channel?.close();
    this._events?.removeEventListener('storage', this._onStorage);
    this._channel = this._storage = this._events = undefined;
  }

  private readonly _onMessage = (event: MessageEvent): void => {
    this._receive(event.data);
  };

  private readonly _onStorage = (event: Event): void => {
    const { key, newValue } = event as StorageEvent;
    if (key !== this._name || !newValue) return;
    try {
      this._receive(JSON.parse(newValue));
    } catch {
      // Not ours to read: another version's or a corrupt value.
    }
  };

  private _receive(data: unknown): void {
    const { sessionId, tabId, hello, review } = (data ?? {}) as { sessionId?: unknown; tabId?: unknown; hello?: unknown; review?: unknown };
    const sent = SentSchema.safeParse(data);
    const fromOther = sessionId === this._options.sessionId && tabId !== this.tabId;
    if (fromOther && sent.success) this._options.onSent?.(sent.data.sent, sent.data.sentAt);
    if (fromOther && (hello || review)) {
      this._options.onReview?.(hello ?? review);
      // Answered once, never with another hello: two tabs cannot keep greeting each other.
      if (hello && this._options.review) this._post({ sessionId, tabId: this.tabId, review: this._options.review(), ...this._sentNow() });
      return;
    }
    if (sent.success) return;
    const parsed = MessageSchema.safeParse(data);
    if (!parsed.success) return;
    const remote = parsed.data as unknown as SyncMessage;
    if (remote.sessionId !== this._options.sessionId || remote.tabId === this.tabId) return;
    const current = this._latest.get(remote.entityId);
    if (current && !laterDecision(remote, current)) return this._options.onStale?.(remote);
    this._latest.set(remote.entityId, remote);
    if (current?.tabId === this.tabId && !sameDecision(current.decision, remote.decision)) this._options.onLost?.(remote, current);
    this._options.onRemote(remote);
  }
}
