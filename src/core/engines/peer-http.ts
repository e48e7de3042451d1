/**
 * What the peer engines (Sully, Omniscribe) share: one ky instance per engine
 * that calls the host's same-origin forwarder (which adds the vendor's secret
 * server-side, so no credential is ever sent from here), every body through
 * its zod schema once, and every failure as a `HeidiError` or the caller's
 * abort reason.
 */
import ky, { isHTTPError, type Options } from 'ky';
import type * as z from 'zod/mini';
import type { HeidiError } from '../errors.ts';
import { JSON_API, describeKyError } from '../http-errors.ts';
import { parseResponse } from '../responses.ts';
import { codeSystemForUri, codeSystemInfo } from '../code-systems.ts';
import { isAbsoluteUri } from '../fhir.ts';
import type { NoteEvidence } from '../evidence.ts';
import type { EntityView } from '../model.ts';
import type { EngineName, EngineResult } from './types.ts';
import { uniqueId } from '../ids.ts';
import { plainText } from '../text.ts';

/** A peer engine's answer: `dropped` counts the items (or codings) that failed their schema and were left out. */
export interface PeerEngineResult extends EngineResult {
  readonly dropped: number;
}

export type FetchFunction = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

export interface PeerHttpOptions {
  readonly base: string;
  readonly fetch: FetchFunction | undefined;
  readonly timeout: number;
  readonly retry: Options['retry'];
  /** The engine's name in error messages. */
  readonly service: string;
}

export interface PeerRequest {
  readonly method: 'get' | 'post';
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal: AbortSignal;
  readonly timeout?: number;
}

/**
 * A call's outcome. HTTP and network failures are returned, not thrown, so a poller can read their
 * `Retry-After`; a body that fails its schema throws `invalid-response`; an abort throws its reason.
 */
export type PeerAnswer<T> =
  | { readonly ok: true; readonly data: T; readonly retryAfterMs: number | undefined }
  | { readonly ok: false; readonly error: HeidiError; readonly retryAfterMs: number | undefined };

export function createPeerHttp(options: PeerHttpOptions) {
  const { service } = options;
  const http = ky.create({
    prefix: options.base,
    timeout: options.timeout,
    retry: options.retry,
    ...JSON_API,
    // The forwarder is the host's own backend: its session cookie is how it knows the user.
    credentials: 'same-origin',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return async function call<S extends z.ZodMiniType>(
    path: string,
    request: PeerRequest,
    schema: S,
    what: string,
  ): Promise<PeerAnswer<z.infer<S>>> {
    const { signal } = request;
    let response: Response;
    let text: string;
    try {
      response = await http(path, {
        method: request.method,
        json: request.json,
        headers: request.headers,
        signal,
        ...(request.timeout ? { timeout: request.timeout } : {}),
      });
      text = await response.text();
    } catch (error) {
      signal.throwIfAborted();
      const retryAfter = isHTTPError(error) ? retryAfterMs(error.response.headers.get('retry-after')) : undefined;
      return { ok: false, error: describeKyError(error, what, service, true), retryAfterMs: retryAfter };
    }
    // A body that is not what it should be is final: asking again would get the same.
    return {
      ok: true,
      data: parseResponse(schema, text, what, service),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    };
  };
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export interface PeerCode {
  /** FHIR system URI as the engine sent it (an engine may send a name that is no URI: `Local Lab Codes`). */
  readonly system: string;
  readonly code: string;
  readonly display: string;
  /** 0..1 */
  readonly score: number | undefined;
  /** Sully's procedures are procedures whatever system their coding is in. */
  readonly procedure: boolean;
}

/**
 * A peer's code as the same `EntityView` Heidi's codes become. A URI the code-system table knows
 * gets its canonical URI, label, kind and `code_system` name, so the same code from two engines
 * merges and the `code-systems` filter selects it. An unknown system is shown raw; its `system` is the
 * engine's own when that is an absolute URI, else the `urn:heidi:code-system:` URN Heidi's unknown systems get.
 */
export function peerEntity(
  engine: EngineName,
  code: PeerCode,
  note: readonly NoteEvidence[],
  used: Set<string>,
  justification?: string,
): EntityView {
  const known = codeSystemForUri(code.system);
  // `system` goes to the host and into FHIR's Coding.system, which must be an absolute URI.
  const system = known?.uri ?? (isAbsoluteUri(code.system) ? code.system : codeSystemInfo(code.system).uri);
  const label = known?.label ?? code.system;
  const id = uniqueId(`${engine}:${label}:${code.code}`, used);
  const reason = justification && plainText(justification);
  return {
    id,
    primary: {
      system,
      code: code.code,
      // Cleaned as FHIR will file it (`plainText`), so the card shows what is filed.
      display: plainText(code.display) || code.code,
      codeSystem: known?.codeSystem ?? code.system,
      systemLabel: label,
      kind: code.procedure ? 'procedure' : (known?.kind ?? 'diagnosis'),
      score: code.score,
      metadata: undefined,
    },
    similar: [],
    relevance: undefined,
    relevanceScore: undefined,
    apiStatus: undefined,
    transcript: [],
    note,
    context: [],
    ...(reason ? { justification: reason } : {}),
    engines: [{ engine, entityId: id, score: code.score, transcript: [], note, justification: reason || undefined }],
  };
}
