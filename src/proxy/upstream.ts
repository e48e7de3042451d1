/**
 * One upstream call (Heidi, Sully, Omniscribe): a deadline over the answer and
 * its body, a cap on the body's size, redirects not followed, and every way it
 * can fail turned into a `Failure`. Never throws.
 */
import { deadline, readBounded } from './bounded.ts';
import type { Upstream } from './options.ts';
import type { Failure } from './responses.ts';

export type UpstreamOutcome = { ok: true; response: Response; body: Uint8Array<ArrayBuffer> } | { ok: false; failure: Failure };

export interface UpstreamCaller {
  (upstream: Upstream, url: URL, init: RequestInit): Promise<UpstreamOutcome>;
}

export function createUpstreamCaller(doFetch: (input: Request) => Promise<Response>, maxResponseBytes: number): UpstreamCaller {
  return async (upstream, url, init) => {
    const { name, timeoutMs } = upstream;
    const timer = deadline(timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
    const { signal } = timer;
    const timedOut = (error: unknown): UpstreamOutcome => ({
      ok: false,
      failure: { status: 504, type: 'UpstreamTimeout', msg: `${name} did not answer within ${timeoutMs} ms.`, error },
    });
    const unreachable = (error: unknown): UpstreamOutcome => ({
      ok: false,
      failure: { status: 502, type: 'UpstreamUnavailable', msg: `${name} could not be reached.`, error },
    });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    try {
      let response: Response;
      try {
        const answer = Promise.resolve().then(() => doFetch(new Request(url, { ...init, signal, redirect: 'manual' })));
        answer.catch(() => {}); // a late rejection after a timeout must not go unhandled
        response = await Promise.race([answer, aborted]);
        if (response.type === 'error' || response.status === 0) throw new TypeError('network error');
      } catch (error) {
        return signal.aborted ? timedOut(error) : unreachable(error);
      }
      const read = await readBounded(response.body, maxResponseBytes, signal);
      if (read.ok) return { ok: true, response, body: read.bytes };
      if (read.reason === 'timeout') return timedOut(read.error);
      if (read.reason === 'too-large') {
        return {
          ok: false,
          failure: {
            status: 502,
            type: 'UpstreamResponseTooLarge',
            msg: `${name} answered with more than ${maxResponseBytes} bytes.`,
          },
        };
      }
      return unreachable(read.error);
    } finally {
      timer.done();
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  };
}

/** A short human message from an upstream error body (Heidi's `detail`, Sully's `message`, Omniscribe's `error`). */
export function upstreamMessage(body: Uint8Array<ArrayBuffer>): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown> | null;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const detail = parsed.detail;
    if (typeof detail === 'string') return detail.slice(0, 200);
    if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
      const msg = (detail as { msg?: unknown }).msg;
      if (typeof msg === 'string') return msg.slice(0, 200);
    }
    if (Array.isArray(detail)) {
      const msgs = detail.map((d) => (d && typeof d === 'object' ? (d as { msg?: unknown }).msg : undefined));
      const text = msgs.filter((m): m is string => typeof m === 'string').join('; ');
      if (text) return text.slice(0, 200);
    }
    for (const key of ['message', 'error']) {
      if (typeof parsed[key] === 'string') return (parsed[key] as string).slice(0, 200);
    }
  } catch {
    // not JSON
  }
  return undefined;
}
