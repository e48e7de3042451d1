/**
 * Shared set-up for the peer engine tests: a fake host forwarder that adds
 * the vendor's credentials in-process (as the proxy would, server-side) and
 * records what the engine itself sent, a scripted server for exact bodies,
 * and a fake clock whose sleep advances it at once.
 */
import assert from 'node:assert/strict';
import { HeidiError, type HeidiErrorCode } from '../../src/core/errors.ts';
import type { FetchFunction } from '../../src/core/engines/peer-http.ts';
import type { EngineProgress } from '../../src/core/engines/types.ts';

export const ORIGIN = 'http://ehr.test';

export interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
  readonly credentials: RequestCredentials;
  readonly body: unknown;
}

/** A forwarder in front of `handle`: records each request as the engine made it, then adds `credentials` and passes it on. */
export function forwarder(handle: (request: Request) => Promise<Response | undefined>, credentials: Record<string, string>) {
  const sent: Sent[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    const text = request.method === 'GET' ? '' : await request.clone().text();
    sent.push({
      method: request.method,
      path: new URL(request.url).pathname,
      headers: request.headers,
      credentials: request.credentials,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    });
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(credentials)) headers.set(name, value);
    const forwarded = new Request(request.url, { method: request.method, headers, body: text || undefined, signal: request.signal });
    return (await handle(forwarded)) ?? new Response('not found', { status: 404 });
  };
  return { fetch, sent };
}

export type Script = (request: Request, index: number) => Response | Promise<Response>;

/** A server that answers each request with the next scripted response (the last one repeats). */
export function scripted(...answers: (Response | Script | unknown)[]) {
  const requests: Request[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (typeof answer === 'function') return (answer as Script)(request, requests.length - 1);
    if (answer instanceof Response) return answer.clone();
    return Response.json(answer);
  };
  return { fetch, requests };
}

export function fakeClock() {
  const clock = { now: 0, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: async (ms: number, signal: AbortSignal) => {
      signal.throwIfAborted();
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  };
}

export function progressLog() {
  const seen: EngineProgress[] = [];
  return { seen, onProgress: (p: EngineProgress) => seen.push(p) };
}

/** Assert the promise rejects with a HeidiError of `code`; returns it for more checks. */
export async function rejectsWith(promise: Promise<unknown>, code: HeidiErrorCode): Promise<HeidiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HeidiError, `expected a HeidiError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a ${code} HeidiError, but it resolved`);
}

export const never = new AbortController().signal;
