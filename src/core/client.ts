/**
 * The Heidi API client: one ky instance per element, the bearer token from the
 * TokenManager, one token refresh on 401, bounded retries on 429/502/503/504
 * honouring Retry-After, the caller's AbortSignal, and every body through its
 * zod schema before anyone sees it.
 */
import ky, { type KyInstance, type Options, isHTTPError } from 'ky';
import type * as z from 'zod/mini';
import {
  CreateSessionResponse,
  LinkedSessionsResponse,
  SessionResponse,
  TranscriptResponse,
  type ClinicalCodesResponse,
  type Session,
} from './schemas.ts';
import { HeidiError, isAbort } from './errors.ts';
import { JSON_API, describeKyError, retryPolicy } from './http-errors.ts';
import { parseClinicalCodes, parseResponse } from './responses.ts';
import type { TokenManager } from './token.ts';
import { idSegment } from './url.ts';

export const DEFAULT_API_BASE = 'https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api';

export interface HeidiClientOptions {
  apiBase: string;
  tokens: TokenManager;
  /** Per-attempt timeout for ordinary calls. */
  timeoutMs?: number;
  /** Heidi generates codes on request, which can take many seconds. */
  codesTimeoutMs?: number;
  /** Upper bound of one retry delay, including a server's Retry-After. */
  maxRetryDelayMs?: number;
}

export interface PatientUpdate {
  name?: string;
  gender?: string;
  dob?: string;
}

export interface SessionUpdate {
  patient?: PatientUpdate;
  clinician_notes?: string[];
}

interface RequestOptions {
  json?: unknown;
  retry?: Options['retry'];
  signal?: AbortSignal | undefined;
  timeout?: number;
  searchParams?: Record<string, string | number>;
}

type Method = 'get' | 'post' | 'patch';
/** How a body is read: its zod schema, or a function that reads it (the clinical codes, in slices). */
type Reader<T> = z.ZodMiniType<T> | ((text: string) => Promise<T>);

export class HeidiClient {
  private readonly _http: KyInstance;

  constructor(private readonly _options: HeidiClientOptions) {
    this._http = ky.create({
      prefix: _options.apiBase,
      timeout: _options.timeoutMs ?? 20_000,
      // 429 and the gateway errors are worth retrying; other 4xx never are.
      retry: retryPolicy(_options.maxRetryDelayMs ?? 30_000, ['get', 'patch']),
      ...JSON_API,
      credentials: 'omit',
    });
  }

  /** Get a token before anything else, so parallel calls after it share it. */
  async authenticate(signal?: AbortSignal): Promise<void> {
    await this._options.tokens.get(signal);
  }

  async createSession(body: { patient_profile_id?: string; ehr_appointment_id?: string }, signal?: AbortSignal): Promise<string> {
    const data = await this._request('post', 'sessions', CreateSessionResponse, 'creating the session', {
      json: body,
      signal,
      // Creating is retried only on 429/503, which say Heidi did not process it; after anything else
      // (a lost connection, a 502) a session may exist, and a retry could create a second one.
      retry: {
        ...retryPolicy(this._options.maxRetryDelayMs ?? 30_000, ['post'], [429, 503]),
        // `undefined` leaves 429/503 to ky's own logic (which honours Retry-After); everything else is not retried.
        shouldRetry: ({ error }) =>
          isHTTPError(error) && (error.response.status === 429 || error.response.status === 503) ? undefined : false,
      },
    });
    return data.session_id;
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session> {
    return (await this._sessionCall('get', sessionId, '', SessionResponse, 'the session', { signal })).session;
  }

  async updateSession(sessionId: string, update: SessionUpdate, signal?: AbortSignal): Promise<Session> {
    return (await this._sessionCall('patch', sessionId, '', SessionResponse, 'updating the session', { json: update, signal })).session;
  }

  async getTranscript(sessionId: string, signal?: AbortSignal): Promise<string> {
    return (await this._sessionCall('get', sessionId, '/transcript', TranscriptResponse, 'the transcript', { signal })).transcript ?? '';
  }

  getClinicalCodes(sessionId: string, signal?: AbortSignal): Promise<ClinicalCodesResponse> {
    // Read a slice at a time: thousands of codes read in one go would be a long task.
    const read = (text: string) => parseClinicalCodes(text, 'the clinical codes', signal);
    return this._sessionCall('get', sessionId, '/clinical-codes', read, 'the clinical codes', {
      signal,
      timeout: this._options.codesTimeoutMs ?? 120_000,
    });
  }

  listLinkedSessions(pageSize: number, signal?: AbortSignal): Promise<LinkedSessionsResponse> {
    return this._request('get', 'sessions/linked-user', LinkedSessionsResponse, 'recent sessions', {
      signal,
      searchParams: { page_size: pageSize },
    });
  }

  /** A call below `sessions/{id}`: the id is one path segment, never a path. */
  private async _sessionCall<T>(
    method: Method,
    sessionId: string,
    below: string,
    read: Reader<T>,
    what: string,
    options: RequestOptions,
  ): Promise<T> {
    return this._request(method, `sessions/${idSegment(sessionId, 'session id')}${below}`, read, what, options);
  }

  /** One call: token, request, one refresh-and-retry on 401, schema check; every error's outside text redacted. */
  private async _request<T>(method: Method, path: string, read: Reader<T>, what: string, options: RequestOptions): Promise<T> {
    const { tokens } = this._options;
    const send = async (retried?: boolean): Promise<string> => {
      const token = await tokens.get(options.signal);
      try {
        return await this._http(path, {
          method,
          json: options.json,
          signal: options.signal,
          searchParams: options.searchParams,
          headers: { authorization: `Bearer ${token}` },
          ...(options.timeout ? { timeout: options.timeout } : {}),
          ...(options.retry ? { retry: options.retry } : {}),
        }).text();
      } catch (error) {
        if (!retried && isHTTPError(error) && error.response.status === 401) {
          // The token expired or was revoked: one fresh token, one retry.
          tokens.invalidate(token);
          return send(true);
        }
        throw error instanceof HeidiError || isAbort(error) ? error : describeKyError(error, what);
      }
    };
    try {
      const text = await send();
      return typeof read === 'function' ? await read(text) : parseResponse(read, text, what);
    } catch (error) {
      // An upstream error body may echo the bearer token: it never reaches the page or `heidi-error`.
      throw tokens.redactError(error);
    }
  }
}
