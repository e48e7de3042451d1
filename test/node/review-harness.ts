/**
 * A review, its list and its commit on a fake host, without a DOM: what the hand-off rules' Node tests drive
 * (`handoff-review.test.ts`, `withdraw-by-decision.test.ts`).
 */
import { buildModel, type CodingModel } from '../../src/core/model.ts';
import { ReviewController } from '../../src/controllers/review.ts';
import { CommitController } from '../../src/controllers/commit.ts';
import { ListViewController } from '../../src/controllers/list-view.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { en } from '../../src/i18n/en.ts';

/** Wait until another tab's message has arrived (a BroadcastChannel delivers it a task or more later). */
export async function arrived(condition: () => boolean, what: string): Promise<void> {
  for (const until = Date.now() + 5000; !condition();) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export class FakeHost extends EventTarget {
  readonly = false;
  ehrPatientId = '';
  ehrAppointmentId = '';
  codeSystems = '';
  isConnected = false; // no other tabs unless a test says so
  apiBase = 'https://api';
  tokenUrl = '/t';
  sessionId = 'S1';
  reviewer = { reference: 'Practitioner/1', display: 'Dr A' };
  readonly updateComplete = Promise.resolve(true);
  addController(): void {}
  removeController(): void {}
  requestUpdate(): void {}
}

/** A Heidi code as the API sends it. */
export const code = (c: string, system = 'icd_10_cm', score = 0.9) => ({ code: c, code_name: `name ${c}`, code_system: system, score });

export const codesOf = (c: readonly { code: string }[]) => c.map((x) => x.code);

const NOTE = 'Right knee osteoarthritis. Old ulcer. No fever. No chills. Injection.';
/** Where `words` stand in the knee/ulcer note. */
export const at = (words: string) => ({ start: NOTE.indexOf(words), end: NOTE.indexOf(words) + words.length });

/**
 * fx-knee-oa's shape: Heidi's knee (M17.11) and ulcer (K27.9, with Z87.11, personal history of peptic ulcer, as
 * its alternative unless `similar` is false, when a swap to Z87.11 is dropped), then `extra` entities.
 */
export function kneeUlcerModel(similar = true, extra: object[] = []): CodingModel {
  return buildModel(
    {
      session_id: 'S1',
      clinical_entities: [
        { id: 'knee', primary_code: code('M17.11'), relevance: 'HIGH', location_in_note: [at('Right knee osteoarthritis')] },
        {
          id: 'ulcer',
          primary_code: code('K27.9'),
          similar_codes: similar ? [code('Z87.11', 'icd_10_cm', 0.6)] : [],
          location_in_note: [at('Old ulcer')],
        },
        ...extra,
      ],
    } as never,
    undefined,
    { consult_note: { result: NOTE } } as never,
  );
}

/** The controllers on one page; `connected` puts it in a tab that talks to others on the same `apiBase`. */
export function setUp(model: CodingModel, connected?: { apiBase: string }) {
  const host = Object.assign(new FakeHost(), connected ? { isConnected: true, apiBase: connected.apiBase } : {});
  const review = new ReviewController(host as never, {
    onChange: () => undefined,
    locale: { messages: en },
    announcer: { announce: () => undefined, announceNotice: () => undefined },
  });
  const session: { model: CodingModel } = { model };
  const list = new ListViewController(host as never, { session, review });
  const commit = new CommitController(host as never, {
    review,
    session,
    list,
    locale: { messages: en },
    announcer: { announce: () => undefined },
  });
  review.open(model.sessionId, model.entities);
  const commits: CodesCommitDetail[] = [];
  host.addEventListener('heidi-codes-commit', (e) => commits.push((e as CustomEvent<CodesCommitDetail>).detail));
  const entity = (id: string) => session.model.entities.find((e) => e.id === id)!;
  /** The same page loads `next` (another load of the session). */
  const reload = (next: CodingModel) => ((session.model = next), review.open(next.sessionId, next.entities));
  return { host, review, list, commit, commits, session, entity, reload, last: () => commits.at(-1)! };
}
