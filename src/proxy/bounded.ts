/**
 * Reading a body with a size cap and a deadline, counted as it streams: the
 * reader stops (and cancels the stream) at the cap or the deadline, so a huge
 * or trickling body costs at most `max` bytes of memory and `timeoutMs` of time.
 */
import type { Failure } from './responses.ts';

export type BoundedRead =
  { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: 'too-large' | 'timeout' | 'error'; error?: unknown };

/**
 * Read `stream` whole unless it passes `max` bytes or `signal` aborts first.
 * `signal` is the deadline (or any abort): the read stops at once, even if the
 * stream never produces another chunk.
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array<ArrayBuffer>> | null,
  max: number,
  signal: AbortSignal,
): Promise<BoundedRead> {
  if (!stream) return { ok: true, bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const stop = (result: BoundedRead): BoundedRead => {
    reader.cancel().catch(() => {});
    return result;
  };
  try {
    for (;;) {
      const next = reader.read();
      next.catch(() => {}); // a rejection after we stopped waiting must not go unhandled
      const step = await Promise.race([next, aborted]);
      if (step === 'aborted') return stop({ ok: false, reason: 'timeout', error: signal.reason });
      if (step.done) break;
      const chunk = step.value;
      size += chunk.byteLength;
      if (size > max) return stop({ ok: false, reason: 'too-large' });
      chunks.push(chunk);
    }
  } catch (error) {
    if (signal.aborted) return stop({ ok: false, reason: 'timeout', error: signal.reason });
    return stop({ ok: false, reason: 'error', error });
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  reader.releaseLock();
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/**
 * A deadline signal whose timer keeps the event loop alive while a request
 * waits on it (Node unrefs `AbortSignal.timeout`'s timer) and is cleared by `done()`.
 */
export function deadline(ms: number, message: string): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(message, 'TimeoutError')), ms);
  return { signal: controller.signal, done: () => clearTimeout(timer) };
}

/**
 * The browser's request body, bounded: a declared `Content-Length` over the cap
 * is refused unread, a streamed one is cut off at the cap, and the whole body
 * must arrive within `timeoutMs`.
 */
export async function readRequestBody(
  request: Request,
  max: number,
  timeoutMs: number,
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; failure: Failure }> {
  const tooLarge: Failure = {
    status: 413,
    type: 'PayloadTooLarge',
    msg: `Request bodies over ${max} bytes are not forwarded.`,
  };
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > max) {
    request.body?.cancel().catch(() => {});
    return { ok: false, failure: tooLarge };
  }
  const timer = deadline(timeoutMs, `The request body did not arrive within ${timeoutMs} ms`);
  try {
    const read = await readBounded(request.body, max, timer.signal);
    if (read.ok) return read;
    if (read.reason === 'too-large') return { ok: false, failure: tooLarge };
    if (read.reason === 'timeout') {
      return {
        ok: false,
        failure: { status: 408, type: 'RequestTimeout', msg: `The request body did not arrive within ${timeoutMs} ms.` },
      };
    }
    return {
      ok: false,
      failure: { status: 400, type: 'InvalidBody', msg: 'The request body could not be read.', error: read.error },
    };
  } finally {
    timer.done();
  }
}

/**
 * A least-recently-used map of at most `max` entries (0 keeps nothing), each forgotten `ttlMs` after it was
 * set when a TTL is given: the proxy's per-user state stays bounded in count and in time.
 */
export class LruMap<V> {
  private readonly _entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly _max: number;
  constructor(
    max: number,
    private readonly _ttl?: { ms: number; now: () => number },
  ) {
    this._max = Math.max(0, Math.floor(max));
  }
  get(key: string): V | undefined {
    const entry = this._entries.get(key);
    if (entry === undefined) return undefined;
    this._entries.delete(key);
    if (this._ttl && this._ttl.now() >= entry.expiresAt) return undefined;
    this._entries.set(key, entry);
    return entry.value;
  }
  set(key: string, value: V): void {
    this._entries.delete(key);
    if (this._max === 0) return;
    this._entries.set(key, { value, expiresAt: this._ttl ? this._ttl.now() + this._ttl.ms : Infinity });
    while (this._entries.size > this._max) {
      const oldest = this._entries.keys().next().value;
      if (oldest === undefined) break;
      this._entries.delete(oldest);
    }
  }
  delete(key: string): void {
    this._entries.delete(key);
  }
}
