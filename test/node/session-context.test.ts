/**
 * The host's context PATCH and the link to the host's patient (SessionContextSync): a link is asked once per
 * session and patient, a failed one only again after a retry, and what was already sent is not sent twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeidiError } from '../../src/core/errors.ts';
import type { SessionUpdate } from '../../src/core/client.ts';
import type { CodingModel } from '../../src/core/model.ts';
import type { Session } from '../../src/core/schemas.ts';
import { SessionContextSync, type SessionContextHost } from '../../src/controllers/session-context.ts';

function setUp(answers: ('ok' | 'fail')[]) {
  const host: SessionContextHost & { patient: { name: string } | undefined } = {
    patient: undefined,
    clinicianNotes: undefined,
    ehrPatientId: 'EHR-1',
    requestUpdate: () => undefined,
  };
  const sent: SessionUpdate[] = [];
  const errors: HeidiError[] = [];
  const sessions: Session[] = [];
  const sync = new SessionContextSync(host, {
    updateSession: async (sessionId, update) => {
      sent.push(update);
      if (answers.shift() === 'fail') throw new HeidiError('server', 'PATCH failed', { status: 500 });
      return { session_id: sessionId, ehr_patient_id: (update as { ehr_patient_id?: string }).ehr_patient_id ?? null } as Session;
    },
    onSession: (_id, session) => sessions.push(session),
    onError: (error) => errors.push(error),
  });
  const model = { sessionId: 'S1', session: { session_id: 'S1', ehr_patient_id: null } } as unknown as CodingModel;
  return { host, sync, sent, errors, sessions, model };
}

describe('SessionContextSync', () => {
  it('links an unlinked session once; a failed link is not asked again on every render, only after retry()', async () => {
    const { sync, sent, errors, sessions, model } = setUp(['fail', 'ok']);
    await sync.send(model);
    assert.deepEqual(sent, [{ ehr_patient_id: 'EHR-1' }]);
    assert.equal(errors.length, 1);
    assert.equal(sync.linkFailed('S1'), true);
    // Renders call send again: nothing more is asked.
    await sync.send(model);
    await sync.send(model);
    assert.equal(sent.length, 1);
    sync.retry();
    assert.equal(sync.linkFailed('S1'), false);
    await sync.send(model);
    assert.equal(sent.length, 2);
    assert.equal(sessions.at(-1)?.ehr_patient_id, 'EHR-1');
    // Linked: not asked again.
    await sync.send(model);
    assert.equal(sent.length, 2);
  });

  it('a host that names another patient while the link to the first is on the wire never relinks the session', async () => {
    const { host, sent, model } = setUp([]);
    const answers: (() => void)[] = [];
    const held = new SessionContextSync(host, {
      updateSession: async (sessionId, update) => {
        sent.push(update);
        await new Promise<void>((resolve) => answers.push(resolve)); // Heidi applied it, and answers late
        return { session_id: sessionId, ehr_patient_id: 'EHR-1' } as Session;
      },
      onSession: () => undefined,
      onError: () => undefined,
    });
    const linking = held.send(model);
    (host as { ehrPatientId: string }).ehrPatientId = 'EHR-2'; // the host's mistake the guard is for: another patient, the same session-id
    const render = held.send(model); // a render meanwhile: the model still says "no EHR patient"
    answers.splice(0).forEach((answer) => answer());
    await Promise.all([linking, render]);
    await held.send(model);
    assert.deepEqual(sent, [{ ehr_patient_id: 'EHR-1' }]);
  });

  it('a failed link binds the session to no patient: the patient the host corrects to is linked on retry()', async () => {
    const { host, sync, sent, sessions, model } = setUp(['fail', 'ok']);
    await sync.send(model); // the link to a mistyped id fails
    (host as { ehrPatientId: string }).ehrPatientId = 'EHR-2';
    sync.retry();
    await sync.send(model);
    assert.deepEqual(sent, [{ ehr_patient_id: 'EHR-1' }, { ehr_patient_id: 'EHR-2' }]);
    assert.equal(sessions.at(-1)?.ehr_patient_id, 'EHR-2');
    assert.equal(sync.linkFailed('S1'), false);
  });

  it("sends the patient once per change, and nothing for a session that is another patient's link", async () => {
    const { host, sync, sent, model } = setUp(['ok', 'ok', 'ok']);
    const linked = { ...model, session: { session_id: 'S1', ehr_patient_id: 'EHR-1' } } as unknown as CodingModel;
    await sync.send(linked);
    assert.equal(sent.length, 0, 'nothing set, already linked: no PATCH');
    host.patient = { name: 'Ann' };
    await sync.send(linked);
    await sync.send(linked);
    assert.deepEqual(sent, [{ patient: { name: 'Ann', gender: undefined, dob: undefined } }]);
  });
});
