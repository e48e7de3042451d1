/**
 * Per-user state. Tests run in parallel against one mock, so everything a
 * request can see or change (sessions, scenario, request log) belongs to the
 * token's subject (`third_party_internal_id`) and nothing is shared.
 *
 * Memory stays bounded: at most `MAX_USERS` users (least recently used
 * dropped), `MAX_LOG_ENTRIES` log entries per user, and the virtual
 * `generated-<n>` sessions are built once into a small shared cache and only
 * copied into a user's store when that user changes one (copy on write).
 * Stored sessions are never handed out for mutation except through
 * `findForUpdate`; responses are serialised, so sharing is safe.
 */
import { FIXTURES, type Fixture } from '../fixtures/index.ts';
import { consultNote } from '../fixtures/build.ts';
import { buildGenerated, parseGeneratedId } from './generated.ts';
import type { JsonObject, LogEntry, Scenario } from './types.ts';

export const MAX_USERS = 1000;
export const MAX_LOG_ENTRIES = 1000;
export { MAX_GENERATED } from './generated.ts';
/**
 * The shared cache of built `generated-…` sessions holds at most this much in all, counted in entities
 * plus 1 per 4,000 transcript characters (generated-5000 is ~18 MB of JSON, generated-10000 ~36 MB).
 */
const GENERATED_CACHE_WEIGHT = 25_000;

export type SessionObject = JsonObject & { session_id: string };

export interface StoredSession {
  session: SessionObject;
  transcript: string;
  clinicalCodes: JsonObject;
}

export interface UserState {
  readonly user: string;
  /** Always normalised: `failures` present, counts are what is left. */
  scenario: Scenario & { failures: NonNullable<Scenario['failures']> };
  log: LogEntry[];
  /** Seeded on first session access (a user who only gets a token or a scenario costs nothing). */
  sessions?: Map<string, StoredSession>;
  /** Sessions this user created, newest first (listed before the fixtures by `linked-user`). */
  created: string[];
}

export class MockStore {
  readonly #users = new Map<string, UserState>();
  readonly #generated = new Map<string, { fixture: Fixture; weight: number }>();
  #generatedWeight = 0;

  /** The user's state, created on first use; marks it most recently used. */
  user(id: string): UserState {
    let state = this.#users.get(id);
    if (state) {
      this.#users.delete(id);
    } else {
      state = { user: id, scenario: { user: id, failures: [] }, log: [], created: [] };
      if (this.#users.size >= MAX_USERS) {
        const oldest = this.#users.keys().next().value;
        if (oldest !== undefined) this.#users.delete(oldest);
      }
    }
    this.#users.set(id, state);
    return state;
  }

  /** The user's state if it exists, without creating it or touching its recency (for read-only controls). */
  peek(id: string): UserState | undefined {
    return this.#users.get(id);
  }

  get userCount(): number {
    return this.#users.size;
  }

  drop(id: string): void {
    this.#users.delete(id);
  }

  clear(): void {
    this.#users.clear();
    this.#generated.clear();
    this.#generatedWeight = 0;
  }

  log(state: UserState, entry: LogEntry): void {
    state.log.push(entry);
    if (state.log.length > MAX_LOG_ENTRIES) state.log.splice(0, state.log.length - MAX_LOG_ENTRIES);
  }

  /** A session the user can read: their own copy, else a (shared, never mutated) generated one. */
  find(state: UserState, id: string): StoredSession | undefined {
    return this.#own(state).get(id) ?? this.#generatedSession(id);
  }

  /** A session the user may change: generated sessions are copied into the user's store first. */
  findForUpdate(state: UserState, id: string): StoredSession | undefined {
    const own = this.#own(state);
    const existing = own.get(id);
    if (existing) return existing;
    const generated = this.#generatedSession(id);
    if (!generated) return undefined;
    // Only the session object is ever changed; the (possibly large) transcript and codes stay shared.
    const copy: StoredSession = { ...generated, session: structuredClone(generated.session) };
    own.set(id, copy);
    return copy;
  }

  /** `POST /sessions`: an empty consultation (no transcript, a short note, no codes yet). */
  create(state: UserState, input: { ehrAppointmentId?: string | null; patientProfileId?: string | null }, nowMs: number): StoredSession {
    const id = newSessionId();
    const at = heidiTimestamp(nowMs);
    const session: SessionObject = {
      session_id: id,
      session_name: `Session ${at.slice(0, 10)}`,
      patient: { name: '', gender: null, dob: null },
      audio: [],
      clinician_notes: [],
      consult_note: consultNote('New consultation. No recording yet.'),
      duration: 0,
      created_at: at,
      updated_at: at,
      language_code: 'en',
      output_language_code: 'en',
      documents: null,
      ehr_appt_id: input.ehrAppointmentId ?? null,
      ehr_provider: 'Mock EHR',
      ehr_patient_id: null,
      // Not in the seed's session shape, but Heidi links the session to this profile; keep it visible.
      ...(input.patientProfileId != null ? { patient_profile_id: input.patientProfileId } : {}),
    };
    const stored: StoredSession = {
      session,
      transcript: '',
      clinicalCodes: {
        id: randomHex(24),
        session_id: id,
        consult_note_id: randomHex(24),
        clinical_entities: [],
        created_at: at,
        updated_at: at,
        feedback: null,
      },
    };
    this.#own(state).set(id, stored);
    state.created.unshift(id);
    return stored;
  }

  /** What `GET /sessions/linked-user` lists: sessions the user created (newest first), then the fixtures. */
  listed(state: UserState): StoredSession[] {
    const own = this.#own(state);
    const ids = [...state.created, ...fixtureList().map((f) => f.session.session_id)];
    return ids.map((id) => own.get(id)).filter((s): s is StoredSession => s !== undefined);
  }

  #own(state: UserState): Map<string, StoredSession> {
    if (!state.sessions) {
      state.sessions = new Map(
        fixtureList().map((f) => [
          f.session.session_id,
          structuredClone({ session: f.session, transcript: f.transcript, clinicalCodes: f.clinicalCodes }) as StoredSession,
        ]),
      );
    }
    return state.sessions;
  }

  #generatedSession(id: string): StoredSession | undefined {
    const spec = parseGeneratedId(id);
    if (!spec) return undefined;
    let entry = this.#generated.get(id);
    if (entry) {
      this.#generated.delete(id);
    } else {
      const fixture = buildGenerated(spec);
      entry = { fixture, weight: spec.entities + Math.ceil(fixture.transcript.length / 4000) };
      this.#generatedWeight += entry.weight;
      // Evict least recently used until the budget holds (the one just built always stays).
      for (const [oldId, old] of this.#generated) {
        if (this.#generatedWeight <= GENERATED_CACHE_WEIGHT) break;
        this.#generated.delete(oldId);
        this.#generatedWeight -= old.weight;
      }
    }
    this.#generated.set(id, entry);
    const { fixture } = entry;
    // The generator's session id is expected to be `generated-<n>`; force it so lookups and bodies agree.
    return {
      session: { ...fixture.session, session_id: id } as SessionObject,
      transcript: fixture.transcript,
      clinicalCodes: { ...fixture.clinicalCodes, session_id: id },
    };
  }
}

function fixtureList(): readonly Fixture[] {
  // `Object.values` accepts FIXTURES as an array or as a record keyed by id.
  return Object.values(FIXTURES);
}

/** Heidi's timestamp form: ISO 8601 without zone, microseconds (`2024-12-11T03:57:57.921000`). */
export function heidiTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000`;
}

/** Heidi session ids are long decimal strings (`135814281990413956785027749853284386585`). */
function newSessionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n.toString().padStart(39, '1');
}

function randomHex(length: number): string {
  const bytes = new Uint8Array(Math.ceil(length / 2));
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, length);
}
