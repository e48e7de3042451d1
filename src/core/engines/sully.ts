/**
 * Sully as a `CodingEngine`: `POST {base}/v1/codings` with the note, then poll
 * `GET {base}/v1/codings/{id}` until it is done (seeds/sully-coding.txt).
 * `base` is the host's forwarder, which adds `X-API-KEY` and `X-ACCOUNT-ID`.
 *
 * Polling waits `pollIntervalMs`, or the server's `Retry-After` when it sends
 * one; a poll that fails with a retryable error (429, 5xx, a dropped
 * connection) is tried again after the same wait, up to `MAX_FAILURES`
 * tries; creating is retried only on 429 and 503, which say nothing was
 * created. After `maxWaitMs` in all it gives up with `timeout`.
 */
import { codeSystemForUri } from '../code-systems.ts';
import { HeidiError, abortable } from '../errors.ts';
import { locateNoteQuote, prepareText } from '../evidence.ts';
import type { EntityView } from '../model.ts';
import { inSlices } from '../slices.ts';
import { idSegment } from '../url.ts';
import { createPeerHttp, peerEntity, type FetchFunction, type PeerEngineResult } from './peer-http.ts';
import { SullyCoding, SullyCodingResponse, SullyItem } from './sully-schemas.ts';
import type { CodingEngine, CodingInput, EngineProgress } from './types.ts';

export interface SullyEngineOptions {
  /** The forwarder's URL, e.g. `/ehr/sully` (calls go to `{base}/v1/codings`). */
  base: string;
  fetch?: FetchFunction;
  /** Per-request timeouts. Defaults: 20 s each. */
  timeouts?: { createMs?: number; pollMs?: number };
  pollIntervalMs?: number;
  /** Give up (`timeout`) after this long in all. */
  maxWaitMs?: number;
  /** A monotonic clock in ms (default `performance.now`); `startedAt` in progress uses it. */
  now?: () => number;
  /** How to wait between polls (default: an abortable `setTimeout`). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface SullyEngine extends CodingEngine {
  code(input: CodingInput, signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<PeerEngineResult>;
}

/** Tries of one call (the create, or one poll) before its retryable failure is final. */
export const MAX_FAILURES = 3;
/** The shortest wait between polls, whatever `Retry-After` says. */
const MIN_WAIT_MS = 250;

export function createSullyEngine(options: SullyEngineOptions): SullyEngine {
  const { pollIntervalMs = 2000, maxWaitMs = 600_000 } = options;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const call = createPeerHttp({
    base: options.base,
    fetch: options.fetch,
    timeout: 20_000,
    // The poll loop does its own waiting (with `sleep`, within the 10-minute budget).
    retry: 0,
    service: 'Sully',
  });

  async function code(input: CodingInput, signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<PeerEngineResult> {
    signal.throwIfAborted();
    const startedAt = now();
    onProgress({ phase: 'processing', startedAt });
    let id: string | undefined;
    let failures = 0;
    for (;;) {
      const answer = await call(
        id ? `v1/codings/${idSegment(id, 'Sully coding id')}` : 'v1/codings',
        id
          ? { method: 'get', signal, timeout: options.timeouts?.pollMs }
          : { method: 'post', json: { text: input.note }, signal, timeout: options.timeouts?.createMs },
        SullyCodingResponse,
        id ? 'the coding status' : 'the coding request',
      );
      if (answer.ok) {
        failures = 0;
        const { id: answeredId, codingId, status, result, error } = answer.data.data;
        id ??= answeredId || codingId || undefined;
        if (!id) throw new HeidiError('invalid-response', 'Sully answered the coding request without a coding id.');
        if (status === 'completed' || status === 'complete') {
          if (!result) throw new HeidiError('invalid-response', `Sully marked coding ${id} ${status} without a result.`);
          // Read a slice at a time, as Heidi's codes are: 2,000 codings located in the note in one go are one long task.
          return inSlices(readResult(input.note, id, result), signal);
        }
        if (status === 'failed') {
          const reason = typeof error === 'string' ? error : error?.message;
          throw new HeidiError('server', `Sully could not code the note${reason ? `: ${reason}` : '.'}`);
        }
        // A fresh coding may come back without a status; anything else unknown is not worth ten minutes of polling.
        if (status && status !== 'pending' && status !== 'processing') {
          throw new HeidiError('invalid-response', `Sully reported an unknown status for coding ${id}: ${status}`);
        }
      } else {
        // Creating is retried only on 429 and 503, which say nothing was created; a poll on any retryable failure.
        const retry = id ? answer.error.retryable : answer.error.status === 429 || answer.error.status === 503;
        if (!retry || ++failures >= MAX_FAILURES) throw answer.error;
      }
      // Wait as asked, but never past the deadline.
      const left = startedAt + maxWaitMs - now();
      if (left <= 0) throw new HeidiError('timeout', `Sully did not finish coding within ${Math.round(maxWaitMs / 1000)} s.`);
      await sleep(Math.min(left, answer.retryAfterMs === undefined ? pollIntervalMs : Math.max(MIN_WAIT_MS, answer.retryAfterMs)), signal);
      signal.throwIfAborted();
    }
  }

  return { name: 'sully', code };
}

type SullyResult = NonNullable<SullyCodingResponse['data']['result']>;

/** Each coding of each item is one entity, evidenced by the item's located `text_span`; a step per item (`inSlices`). */
function* readResult(note: string, runId: string, result: SullyResult): Generator<void, PeerEngineResult> {
  const used = new Set<string>();
  const entities: EntityView[] = [];
  // Folded once, on the first quote its offsets do not find, for every quote after it: not once per quote.
  const prepared = prepareText(note);
  let dropped = 0;
  for (const [items, procedure] of [
    [result.diagnoses, false],
    [result.procedures, true],
  ] as const) {
    for (const raw of items ?? []) {
      yield;
      const item = SullyItem.safeParse(raw);
      if (!item.success) {
        dropped++;
        continue;
      }
      const { code, text_span: span } = item.data;
      const evidence = span ? [locateNoteQuote(prepared, span.text ?? '', span.start_char ?? undefined, span.end_char ?? undefined)] : [];
      for (const rawCoding of code.coding) {
        const coding = SullyCoding.safeParse(rawCoding);
        const value = coding.success ? codeText(coding.data.code, coding.data.system) : '';
        if (!coding.success || !value) {
          dropped++;
          continue;
        }
        const { system, display } = coding.data;
        entities.push(
          peerEntity('sully', { system, code: value, display: display || code.text || '', score: undefined, procedure }, evidence, used),
        );
      }
    }
  }
  return { engine: 'sully', entities, discarded: [], runId, dropped };
}

/** The code as text; a JSON number must be a whole one, and gets back the leading zeros a CPT code lost. '' when unusable. */
function codeText(code: string | number, system: string): string {
  if (typeof code === 'string') return code.trim();
  if (!Number.isInteger(code) || code < 0) return '';
  return String(code).padStart(codeSystemForUri(system)?.label === 'CPT' ? 5 : 0, '0');
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return abortable(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(() => clearTimeout(timer));
}
