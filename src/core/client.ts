/**
 * The Heidi API client: one ky instance per element, the bearer token from the
 * TokenManager, one token refresh on 401, bounded retries on 429/502/503/504
 * honouring Retry-After, the caller's AbortSignal, and every body through its
 * zod schema before anyone sees it.
 */
import ky, { type KyInstance, type Options, isHTTPError } from 'ky';
import type * as z from 'zod/mini';
import {
  ClinicalCodesResponse,
  CreateSessionResponse,
  LinkedSessionsResponse,
  SessionResponse,
  TranscriptResponse,
  type Session,
} from './schemas.ts';
import { HeidiError, isAbort } from './errors.ts';
import { describeKyError } from './http-errors.ts';
import { parseResponse } from './responses.ts';
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
  signal?: AbortSignal;
  timeout?: number;
  searchParams?: Record<string, string | number>;
}

export class HeidiClient {
  private readonly _http: KyInstance;

  constructor(private readonly _options: HeidiClientOptions) {
    const maxDelay = _options.maxRetryDelayMs ?? 30_000;
    this._http = ky.create({
      prefix: _options.apiBase,
      timeout: _options.timeoutMs ?? 20_000,
      headers: { accept: 'application/json' },
      // 429 and the gateway errors are worth retrying; other 4xx never are.
      retry: {
        limit: 2,
        methods: ['get', 'patch'],
        statusCodes: [429, 502, 503, 504],
        afterStatusCodes: [429, 503],
        maxRetryAfter: maxDelay,
        backoffLimit: Math.min(maxDelay, 5_000),
      },
      cache: 'no-store',
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
        limit: 2,
        methods: ['post'],
        statusCodes: [429, 503],
        afterStatusCodes: [429, 503],
        maxRetryAfter: this._options.maxRetryDelayMs ?? 30_000,
        // `undefined` leaves 429/503 to ky's own logic (which honours Retry-After); everything else is not retried.
        shouldRetry: ({ error }) =>
          isHTTPError(error) && (error.response.status === 429 || error.response.status === 503) ? undefined : false,
      },
    });
    return data.session_id;
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session> {
    const data = await this._request('get', `sessions/${idSegment(sessionId, 'session id')}`, SessionResponse, 'the session', { signal });
    return data.session;
  }

  async updateSession(sessionId: string, update: SessionUpdate, signal?: AbortSignal): Promise<Session> {
    const data = await this._request('patch', `sessions/${idSegment(sessionId, 'session id')}`, SessionResponse, 'updating the session', {
      json: update,
      signal,
    });
    return data.session;
  }

  async getTranscript(sessionId: string, signal?: AbortSignal): Promise<string> {
    const data = await this._request(
      'get',
      `sessions/${idSegment(sessionId, 'session id')}/transcript`,
      TranscriptResponse,
      'the transcript',
      {
        signal,
      },
    );
    return data.transcript ?? '';
  }

  async getClinicalCodes(sessionId: string, signal?: AbortSignal): Promise<ClinicalCodesResponse> {
    return this._request(
      'get',
      `sessions/${idSegment(sessionId, 'session id')}/clinical-codes`,
      ClinicalCodesResponse,
      'the clinical codes',
      {
        signal,
        timeout: this._options.codesTimeoutMs ?? 120_000,
      },
    );
  }

  async listLinkedSessions(pageSize: number, signal?: AbortSignal): Promise<LinkedSessionsResponse> {
    return this._request('get', 'sessions/linked-user', LinkedSessionsResponse, 'recent sessions', {
      signal,
      searchParams: { page_size: pageSize },
    });
  }

  /** One call: token, request, one refresh-and-retry on 401, schema check; every error's outside text redacted. */
  private async _request<S extends z.ZodMiniType>(
    method: 'get' | 'post' | 'patch',
    path: string,
    schema: S,
    what: string,
    options: RequestOptions,
  ): Promise<z.infer<S>> {
    try {
      return await this._requestOnce(method, path, schema, what, options);
    } catch (error) {
      // An upstream error body may echo the bearer token: it never reaches the page or `heidi-error`.
      throw error instanceof HeidiError ? this._options.tokens.redactError(error) : error;
    }
  }

  private async _requestOnce<S extends z.ZodMiniType>(
    method: 'get' | 'post' | 'patch',
    path: string,
    schema: S,
    what: string,
    options: RequestOptions,
  ): Promise<z.infer<S>> {
    let token = await this._options.tokens.get(options.signal);
    let text: string;
    try {
      text = await this._send(method, path, token, options);
    } catch (error) {
      if (!(isHTTPError(error) && error.response.status === 401)) throw this._describe(error, what);
      // The token expired or was revoked: one fresh token, one retry.
      this._options.tokens.invalidate(token);
      token = await this._options.tokens.get(options.signal);
      try {
        text = await this._send(method, path, token, options);
      } catch (retryError) {
        throw this._describe(retryError, what);
      }
    }
    return parseResponse(schema, text, what);
  }

  private _send(method: 'get' | 'post' | 'patch', path: string, token: string, options: RequestOptions): Promise<string> {
    return this._http(path, {
      method,
      json: options.json,
      signal: options.signal,
      searchParams: options.searchParams,
      headers: { authorization: `Bearer ${token}` },
      ...(options.timeout ? { timeout: options.timeout } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    }).text();
  }

  private _describe(error: unknown, what: string): unknown {
    if (error instanceof HeidiError || isAbort(error)) return error;
    return describeKyError(error, what);
  }
}
