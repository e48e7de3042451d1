import { expect, nextFrame } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { HeidiErrorCode } from '../../src/core/errors.ts';
import type { ErrorDetail } from '../../src/events.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { es } from '../../src/i18n/es.ts';
import { en } from '../../src/i18n/en.ts';
import { spyOnFetch } from './fetch-spy.ts';
import {
  card,
  cards,
  deepText,
  leave,
  mount,
  mountLoaded,
  newUser,
  oneEvent,
  requestLog,
  setScenario,
  shadow,
  tokenUrl,
  until,
} from './helpers.ts';

const knee = FIXTURES.find((f) => f.id === 'fx-knee-oa')!;

async function getToken(user: string): Promise<string> {
  const response = await fetch(tokenUrl(user));
  return ((await response.json()) as { token: string }).token;
}

describe('session: attach and create', () => {
  it('attaches to session-id and fires heidi-session-start {created: false}', async () => {
    const user = newUser();
    const started = oneEvent(document, 'heidi-session-start');
    const { el } = await mountLoaded({ user, sessionId: knee.session.session_id });
    expect((await started).detail).to.deep.equal({ sessionId: 'fx-knee-oa', created: false });
    expect(cards(el).length).to.equal(knee.clinicalCodes.clinical_entities.length);
    expect((await requestLog(user)).filter((e) => e.route === 'create-session')).to.have.length(0);
  });

  it('creates a session with patient_profile_id / ehr_appointment_id when there is no session-id', async () => {
    const user = newUser();
    const started = oneEvent(document, 'heidi-session-start');
    const loaded = oneEvent(document, 'heidi-codes-load');
    await mount({ user, attrs: { 'patient-profile-id': 'pp-1', 'ehr-appointment-id': 'APPT-9' } });
    const { detail } = await started;
    expect(detail.created).to.equal(true);
    expect((await loaded).detail.sessionId).to.equal(detail.sessionId);
    const session = await (
      await fetch(`/mock-heidi/sessions/${detail.sessionId}`, { headers: { authorization: `Bearer ${await getToken(user)}` } })
    ).json();
    expect(session.session.ehr_appt_id).to.equal('APPT-9');
  });

  it('refresh() and a re-insertion attach to the session this element created: one Heidi session, not one per reload', async () => {
    const user = newUser();
    const started: { sessionId: string; created: boolean }[] = [];
    const onStart = (e: Event) => started.push((e as CustomEvent<{ sessionId: string; created: boolean }>).detail);
    document.addEventListener('heidi-session-start', onStart);
    try {
      // A new session has no recording yet, so no codes: what matters is which session each load opens.
      const { el } = await mountLoaded({ user, attrs: { 'patient-profile-id': 'pp-1', 'ehr-appointment-id': 'APPT-9' } });
      await el.refresh();
      // Removed for good (past the script: a move in one script keeps everything, see 'moving the element'), then inserted again.
      const parent = el.parentElement!;
      await leave(el);
      const reloaded = oneEvent(el, 'heidi-codes-load');
      parent.append(el);
      await reloaded;
      const creates = async () => (await requestLog(user)).filter((e) => e.route === 'create-session').length;
      expect(await creates()).to.equal(1);
      expect(started.map((s) => s.created)).to.deep.equal([true, false, false]);
      expect(new Set(started.map((s) => s.sessionId)).size, 'one session id').to.equal(1);
      expect(el.reviewState?.sessionId, 'the review stays with that session').to.equal(started[0]!.sessionId);
      // Another appointment is another consultation: a session of its own.
      const next = oneEvent(el, 'heidi-codes-load');
      el.setAttribute('ehr-appointment-id', 'APPT-10');
      await next;
      expect(await creates()).to.equal(2);
    } finally {
      document.removeEventListener('heidi-session-start', onStart);
    }
  });

  it('a new element instance and a reload of the page attach to the session created in this tab; another user does not', async () => {
    const user = newUser();
    const attrs = { 'patient-profile-id': 'pp-7', 'ehr-appointment-id': 'APPT-77' };
    const started: { sessionId: string; created: boolean }[] = [];
    const onStart = (e: Event) => started.push((e as CustomEvent<{ sessionId: string; created: boolean }>).detail);
    document.addEventListener('heidi-session-start', onStart);
    const frame = document.createElement('iframe');
    try {
      const { el } = await mountLoaded({ user, attrs });
      el.remove();
      // A React remount: another instance of the element.
      (await mountLoaded({ user, attrs })).el.remove();
      // A reload: a new page in this tab (a same-origin frame: its own copy of the element's code, this tab's sessionStorage).
      frame.srcdoc =
        '<!doctype html><html lang="en"><script type="module" src="/dist/heidi-clinical-codes.js"></script><body></body></html>';
      const ready = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      document.body.append(frame);
      await ready;
      const win = frame.contentWindow!;
      await win.customElements.whenDefined('heidi-clinical-codes');
      const reloaded = win.document.createElement('heidi-clinical-codes');
      for (const [name, value] of Object.entries({ ...attrs, 'api-base': '/mock-heidi', 'token-url': tokenUrl(user) })) {
        reloaded.setAttribute(name, value);
      }
      reloaded.addEventListener('heidi-session-start', onStart);
      const shown = new Promise((resolve) => reloaded.addEventListener('heidi-codes-load', resolve, { once: true }));
      win.document.body.append(reloaded);
      await shown;
      const creates = async (who: string) => (await requestLog(who)).filter((e) => e.route === 'create-session').length;
      expect(await creates(user)).to.equal(1);
      expect(started.map((s) => s.created)).to.deep.equal([true, false, false]);
      expect(new Set(started.map((s) => s.sessionId)).size, 'one session id').to.equal(1);
      // Only ids are kept: no token in this tab's storage.
      for (let i = 0; i < sessionStorage.length; i++) expect(sessionStorage.getItem(sessionStorage.key(i)!)).to.not.contain('eyJ');
      // Another user (another token source) with the same profile and appointment has a session of their own.
      const other = newUser();
      (await mountLoaded({ user: other, attrs })).el.remove();
      expect(await creates(other)).to.equal(1);
      expect(started.at(-1)!.created).to.equal(true);
    } finally {
      document.removeEventListener('heidi-session-start', onStart);
      frame.remove();
    }
  });

  /** A created session, refused by Heidi on the next load (`failures`, the refusal heard as `refused`), then forgotten. */
  async function refusedThenForgotten(attrs: Record<string, string>, failures: object[], refused: (e: ErrorDetail) => void) {
    const user = newUser();
    (await mountLoaded({ user, attrs })).el.remove();
    await setScenario(user, { failures: failures as never });
    const { el } = await mount({ user, attrs });
    refused((await oneEvent(el, 'heidi-error')).detail);
    el.remove();
    await setScenario(user, { failures: [] });
    const started = oneEvent(document, 'heidi-session-start');
    (await mountLoaded({ user, attrs })).el.remove();
    expect((await started).detail.created).to.equal(true);
    expect((await requestLog(user)).filter((e) => e.route === 'create-session')).to.have.length(2);
  }

  it('a created session Heidi no longer has (not found) is forgotten: the next load creates another', async () => {
    const attrs = { 'patient-profile-id': 'pp-8', 'ehr-appointment-id': 'APPT-88' };
    await refusedThenForgotten(attrs, [{ route: 'any', status: 404, count: 6 }], (e) => expect(e.code).to.equal('not-found'));
  });

  it("a session created for one patient is not another's; with no patient, profile or appointment named, only its element reuses it", async () => {
    const user = newUser();
    const started: { sessionId: string; created: boolean }[] = [];
    const onStart = (e: Event) => started.push((e as CustomEvent<{ sessionId: string; created: boolean }>).detail);
    document.addEventListener('heidi-session-start', onStart);
    try {
      for (const patient of ['PT-A', 'PT-B', 'PT-A']) (await mountLoaded({ user, attrs: { 'ehr-patient-id': patient } })).el.remove();
      expect(started.map((s) => s.created)).to.deep.equal([true, true, false]);
      expect(started[2]!.sessionId, "patient A's again").to.equal(started[0]!.sessionId);
      expect(started[1]!.sessionId).to.not.equal(started[0]!.sessionId);
      // Nothing names the consultation: a refresh of the element attaches again, a new element instance does not.
      started.length = 0;
      const { el } = await mountLoaded({ user });
      await el.refresh();
      el.remove();
      (await mountLoaded({ user })).el.remove();
      expect(started.map((s) => s.created)).to.deep.equal([true, false, true]);
      expect(started[1]!.sessionId).to.equal(started[0]!.sessionId);
      expect((await requestLog(user)).filter((e) => e.route === 'create-session')).to.have.length(4);
    } finally {
      document.removeEventListener('heidi-session-start', onStart);
    }
  });

  it("another user's tokenProvider, same appointment, creates a session of its own; the same provider reuses it", async () => {
    const attrs = { 'ehr-appointment-id': 'APPT-91', 'ehr-patient-id': 'PT-91' };
    const provider = (who: string) => async () => (await fetch(tokenUrl(who))).json();
    const [a, b] = [newUser(), newUser()];
    const providerA = provider(a);
    const start = async (tokenProvider: ReturnType<typeof provider>) => {
      const started = oneEvent(document, 'heidi-session-start');
      (await mountLoaded({ user: a, attrs, props: { tokenProvider } })).el.remove();
      return (await started).detail;
    };
    const first = await start(providerA);
    expect(first.created).to.equal(true);
    expect((await start(provider(b))).created, 'user B').to.equal(true);
    expect(await start(providerA)).to.deep.equal({ sessionId: first.sessionId, created: false });
  });

  it('a reused created session Heidi refuses (403) is forgotten: the next load creates another', async () => {
    const attrs = { 'patient-profile-id': 'pp-9', 'ehr-appointment-id': 'APPT-99' };
    const refused = ['get-session', 'transcript', 'clinical-codes'].map((route) => ({ route, status: 403 }));
    await refusedThenForgotten(attrs, refused, (e) => expect(e.status).to.equal(403));
  });

  it('sends patient and clinician notes with PATCH and uses the answer for the checks', async () => {
    const user = newUser();
    const { el } = await mountLoaded({
      user,
      sessionId: 'fx-knee-oa',
      props: { patient: { name: 'Test Person', gender: 'FEMALE', dob: '1950-02-03' }, clinicianNotes: ['Allergic to penicillin'] },
    });
    const log = await requestLog(user);
    expect(log.filter((e) => e.route === 'patch-session')).to.have.length(1);
    expect(log.filter((e) => e.route === 'get-session')).to.have.length(0, 'the PATCH answer stands in for the GET');
    const token = await getToken(user);
    const stored = await (await fetch('/mock-heidi/sessions/fx-knee-oa', { headers: { authorization: `Bearer ${token}` } })).json();
    expect(stored.session.patient).to.include({ name: 'Test Person', gender: 'FEMALE', dob: '1950-02-03' });
    expect(stored.session.clinician_notes).to.deep.equal(['Allergic to penicillin']);
    // Setting the patient later sends it again.
    el.patient = { name: 'Test Person', gender: 'MALE', dob: '1950-02-03' };
    await until(() => true, 'tick');
    await new Promise((r) => setTimeout(r, 100));
    expect((await requestLog(user)).filter((e) => e.route === 'patch-session')).to.have.length(2);
  });
});

describe('host changes while loading or after', () => {
  it('a patient set while the codes load is sent right after', async () => {
    const user = newUser();
    await setScenario(user, { latencyMs: 200 });
    const loaded = oneEvent(document, 'heidi-codes-load');
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await new Promise((r) => setTimeout(r, 100));
    el.patient = { name: 'Late Patient', gender: 'FEMALE', dob: '1960-01-01' };
    await loaded;
    await until(() => true, 'tick');
    await new Promise((r) => setTimeout(r, 500));
    const token = await getToken(user);
    const stored = await (await fetch('/mock-heidi/sessions/fx-knee-oa', { headers: { authorization: `Bearer ${token}` } })).json();
    expect(stored.session.patient.name).to.equal('Late Patient');
  });

  it('removing the code-systems attribute shows every system again', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { 'code-systems': 'cpt_2025' } });
    expect(cards(el)).to.have.length(1);
    el.removeAttribute('code-systems');
    await el.updateComplete;
    expect(cards(el).length).to.equal(knee.clinicalCodes.clinical_entities.length);
  });
});

describe('codes and evidence', () => {
  it('fetches session, transcript and codes in parallel once the session id is known', async () => {
    const user = newUser();
    await setScenario(user, { latencyMs: 120 });
    await mountLoaded({ user, sessionId: 'fx-knee-oa' });
    const log = await requestLog(user);
    const calls = ['get-session', 'transcript', 'clinical-codes'].map((route) => log.find((e) => e.route === route)!);
    for (const a of calls) for (const b of calls) expect(a.startedAt).to.be.lessThan(b.endedAt, `${a.route} starts before ${b.route} ends`);
    const jwt = log.find((e) => e.route === 'jwt')!;
    for (const call of calls) expect(call.startedAt).to.be.at.least(jwt.endedAt);
  });

  it('shows progress with elapsed time while Heidi generates, and Cancel stops it', async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 3000 });
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => deepText(el).includes('generating'), 'generating state');
      await expect(el).to.be.accessible();
      const cancel = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.includes('Cancel'))!;
      cancel.click();
      await el.updateComplete;
      expect(deepText(el)).to.contain('cancelled');
      const codesCall = spy.calls.find((c) => c.url.includes('/clinical-codes'))!;
      expect(codesCall.signal?.aborted).to.equal(true);
      expect(shadow(el).querySelector('button.primary')?.textContent).to.contain('Load codes');
    } finally {
      spy.restore();
    }
  });

  it('renders the seed example: 11200-00, its name, the similar code 92016-00 Tonometry, score and evidence', async () => {
    const seedCodes: unknown = await (await fetch('/test/data/seed-clinical-codes.json')).json();
    const spy = spyOnFetch((request) =>
      request.url.endsWith('/sessions/1234567890/clinical-codes') ? Response.json(seedCodes) : undefined,
    );
    try {
      // The seed session does not exist in the mock: session and transcript 404, codes still show.
      const { el } = await mountLoaded({ sessionId: '1234567890' });
      const c = card(el, '11200-00');
      expect(deepText(c)).to.contain('Provocative test for glaucoma');
      expect(deepText(c)).to.contain('79%');
      expect(deepText(c)).to.contain('ACHI');
      shadow(c).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
      await nextFrame();
      expect(deepText(c)).to.contain('92016-00').and.contain('Tonometry');
      expect(deepText(c)).to.contain('Evidence (2)');
      expect(deepText(el)).to.contain('could not be loaded');
    } finally {
      spy.restore();
    }
  });

  it('checks offsets: exact, moved, unlocated and out-of-range spans never crash', async () => {
    const transcript = '[doctor] how is the knee?\n[patient] the knee pain is worse on stairs.';
    const codes = {
      session_id: 'offsets',
      clinical_entities: [
        {
          primary_code: { code: 'M25.561', code_name: 'Pain in right knee', code_system: 'icd_10_cm', score: 0.8 },
          reference_in_transcript: [
            { transcript_text: 'knee pain', location_in_transcript: { start: 40, end: 49 } },
            { transcript_text: 'worse on stairs', location_in_transcript: { start: 1, end: 5 } },
            { transcript_text: 'hip pain', location_in_transcript: { start: -4, end: 99999 } },
          ],
          location_in_note: [{ start: 500, end: 400 }],
        },
      ],
    };
    const spy = spyOnFetch((request) => {
      if (request.url.endsWith('/sessions/offsets/clinical-codes')) return Response.json(codes);
      if (request.url.endsWith('/sessions/offsets/transcript')) return Response.json({ transcript });
      if (request.url.endsWith('/sessions/offsets'))
        return Response.json({ session: { session_id: 'offsets', consult_note: { result: 'Short note.' } } });
      return undefined;
    });
    try {
      const { el } = await mountLoaded({ sessionId: 'offsets' });
      const c = card(el, 'M25.561');
      shadow(c).querySelector<HTMLElement>('details[part="evidence"] summary')!.click();
      // The card's quote shows one snippet before any click: wait for the evidence list itself.
      await until(() => !!shadow(c).querySelector('.evidence'), 'evidence');
      const text = deepText(c);
      expect(text).to.contain('hip pain').and.contain('Not found in the transcript');
      expect(text).to.contain('Found near the given position');
      expect(text).to.contain('Note location out of range');
      const marks = [...shadow(c).querySelectorAll('mark')].map((m) => m.textContent);
      expect(marks).to.include.members(['knee pain', 'worse on stairs']);
      await expect(el).to.be.accessible();
    } finally {
      spy.restore();
    }
  });

  it('shows an unknown code system raw, never drops it', async () => {
    const spy = spyOnFetch((request) =>
      request.url.endsWith('/sessions/unknown-sys/clinical-codes')
        ? Response.json({
            session_id: 'unknown-sys',
            clinical_entities: [{ primary_code: { code: 'X1', code_name: 'Mystery', code_system: 'loinc_277' } }],
          })
        : undefined,
    );
    try {
      const loaded = oneEvent(document, 'heidi-codes-load');
      const { el } = await mountLoaded({ sessionId: 'unknown-sys' });
      expect(deepText(card(el, 'X1'))).to.contain('loinc_277');
      const { detail } = await loaded;
      expect(detail.entities[0]!.code).to.deep.include({ code: 'X1', codeSystem: 'loinc_277', system: 'urn:heidi:code-system:loinc_277' });
    } finally {
      spy.restore();
    }
  });
});

describe('selecting', () => {
  it('clicking a code selects it, marks its evidence in the note and fires heidi-code-select', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const first = cards(el)[0]!;
    const code = shadow(first).querySelector('.code')!.textContent!.trim();
    const selected = oneEvent(el, 'heidi-code-select');
    shadow(first).querySelector<HTMLButtonElement>('button.pick')!.click();
    const { detail } = await selected;
    expect(detail.sessionId).to.equal('fx-knee-oa');
    expect(detail.code.code).to.equal(code);
    await el.updateComplete;
    const source = shadow(el).querySelector('heidi-source-view')!;
    await (source as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(shadow(source).querySelectorAll('mark').length).to.be.greaterThan(0);
    expect(first.hasAttribute('selected')).to.equal(true);
  });

  it("opening a card's evidence selects it; closing and pressing Enter opens it again", async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const first = cards(el)[0]!;
    const details = () => shadow(first).querySelector<HTMLDetailsElement>('details[part="evidence"]')!;
    const selected = oneEvent(el, 'heidi-code-select');
    details().querySelector('summary')!.click();
    expect((await selected).detail.entityId).to.equal(first.dataset.id);
    await until(() => details().open, 'evidence open');
    const closed = oneEvent(details(), 'toggle');
    details().querySelector('summary')!.click();
    await closed;
    await el.updateComplete;
    expect(details().open).to.equal(false);
    first.focus();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await until(() => details().open, 'evidence open again');
  });

  it('"Open in transcript" on a snippet shows the transcript with that snippet marked', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const first = cards(el)[0]!;
    shadow(first).querySelector<HTMLElement>('details[part="evidence"] summary')!.click();
    await until(() => !!shadow(first).querySelector('button.link'), 'evidence links');
    const open = [...shadow(first).querySelectorAll<HTMLButtonElement>('button.link')].find((b) => b.textContent?.includes('transcript'))!;
    const selected = oneEvent(el, 'heidi-code-select');
    open.click();
    await selected;
    await el.updateComplete;
    const source = shadow(el).querySelector('heidi-source-view')!;
    await (source as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const pressed = shadow(source).querySelector('button[aria-pressed="true"]')!;
    expect(pressed.textContent).to.contain('Transcript');
    expect(shadow(source).querySelector('mark.focus')).to.exist;
  });
});

describe('token', () => {
  it('401 then success: exactly one extra token request, and the call is retried once', async () => {
    const user = newUser();
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 401, count: 1 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa' });
    const log = await requestLog(user);
    expect(log.filter((e) => e.route === 'jwt')).to.have.length(2);
    expect(log.filter((e) => e.route === 'clinical-codes').map((e) => e.status)).to.deep.equal([401, 200]);
    expect(cards(el).length).to.be.greaterThan(0);
  });

  it('concurrent 401s share one refresh', async () => {
    const user = newUser();
    await setScenario(user, {
      latencyMs: 30,
      failures: [
        { route: 'get-session', status: 401 },
        { route: 'transcript', status: 401 },
        { route: 'clinical-codes', status: 401 },
      ],
    });
    await mountLoaded({ user, sessionId: 'fx-knee-oa' });
    const log = await requestLog(user);
    expect(log.filter((e) => e.route === 'jwt')).to.have.length(2);
  });

  it('with only a host-set token: fires heidi-token-expired and resumes when the host sets a new one', async () => {
    const user = newUser();
    const token = await getToken(user);
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 401 }] });
    const el = document.createElement('heidi-clinical-codes') as HeidiClinicalCodes;
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('session-id', 'fx-knee-oa');
    el.token = token;
    const expired = oneEvent(el, 'heidi-token-expired');
    const loaded = oneEvent(el, 'heidi-codes-load');
    document.body.append(el);
    try {
      expect((await expired).detail).to.deep.equal({});
      el.token = await getToken(user);
      await loaded;
      expect(el.getAttribute('token')).to.equal(null);
      expect(el.outerHTML).not.to.contain(token);
    } finally {
      el.remove();
    }
  });

  it('a missing token source is a config error, not a hang', async () => {
    const el = document.createElement('heidi-clinical-codes');
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('session-id', 'fx-knee-oa');
    const failed = oneEvent(el, 'heidi-error');
    document.body.append(el);
    try {
      const { detail } = await failed;
      expect(detail.code).to.equal('config');
      expect(detail.retryable).to.equal(false);
      await el.updateComplete;
      expect(deepText(el)).to.contain(en.errors.config).and.contain('No token source');
      await expect(el).to.be.accessible();
      // A host that sets the token only now: the element loads.
      const loaded = oneEvent(el, 'heidi-codes-load');
      el.token = await getToken(newUser());
      await loaded;
      expect(cards(el).length).to.be.greaterThan(0);
    } finally {
      el.remove();
    }
  });
});

describe('moving the element (a layout move, a React reorder, a portal)', () => {
  const HEIDI_EVENTS = ['heidi-session-start', 'heidi-codes-load', 'heidi-error'];
  const move = (el: HTMLElement, lang?: string) => {
    const box = document.createElement('div');
    if (lang) box.lang = lang;
    el.parentNode!.appendChild(box);
    box.appendChild(el);
  };

  it('keeps the loaded review: no reload, no new session events, the decision, the open panel and the list stay', async () => {
    const user = newUser();
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa' });
    const events: string[] = [];
    const on = (e: Event) => events.push(e.type);
    HEIDI_EVENTS.forEach((t) => document.addEventListener(t, on));
    try {
      shadow(cards(el)[0]!).querySelector<HTMLButtonElement>('button.accept')!.click();
      shadow(el).querySelector<HTMLButtonElement>('button[data-panel="shortcuts"]')!.click();
      await el.updateComplete;
      const requests = (await requestLog(user)).length;
      const first = cards(el)[0]!;
      move(el);
      move(el);
      await new Promise((r) => setTimeout(r, 300));
      await el.updateComplete;
      expect(events, 'no heidi-session-start / heidi-codes-load again').to.deep.equal([]);
      expect((await requestLog(user)).length, 'no Heidi request repeated').to.equal(requests);
      expect(cards(el)[0], 'the same card, not a new list').to.equal(first);
      expect(first.getAttribute('status')).to.equal('ACCEPTED');
      expect(shadow(el).querySelector('button[data-panel="shortcuts"]')!.getAttribute('aria-expanded'), 'the panel stays open').to.equal(
        'true',
      );
      expect(deepText(el)).not.to.contain('generating');
    } finally {
      HEIDI_EVENTS.forEach((t) => document.removeEventListener(t, on));
    }
  });

  it('moved while loading: the requests go on and the codes load once; moved under lang="es": it speaks Spanish', async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 400 });
    const spy = spyOnFetch();
    const loads: string[] = [];
    const onLoad = (e: Event) => loads.push((e as CustomEvent<{ sessionId: string }>).detail.sessionId);
    document.addEventListener('heidi-codes-load', onLoad);
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.includes('/clinical-codes')), 'the codes request');
      move(el, 'es');
      await until(() => loads.length > 0, 'the codes');
      await new Promise((r) => setTimeout(r, 100));
      expect(loads).to.deep.equal(['fx-knee-oa']);
      const codes = spy.calls.filter((c) => c.url.includes('/clinical-codes'));
      expect(
        codes.map((c) => c.signal?.aborted ?? false),
        'one codes request, not aborted',
      ).to.deep.equal([false]);
      await el.updateComplete;
      expect(shadow(el).querySelector('h2')!.textContent).to.equal(es.title);
    } finally {
      spy.restore();
      document.removeEventListener('heidi-codes-load', onLoad);
    }
  });
});

describe('switching and removing', () => {
  it('changing session-id mid-flight shows only the new session', async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 600 });
    const loads: string[] = [];
    const onLoad = (e: Event) => loads.push((e as CustomEvent).detail.sessionId);
    document.addEventListener('heidi-codes-load', onLoad);
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.includes('fx-knee-oa/clinical-codes')), 'first codes request');
      await setScenario(user, { generationMs: 0 });
      el.sessionId = 'fx-glaucoma-check';
      await until(() => loads.length > 0, 'a load');
      await new Promise((r) => setTimeout(r, 800)); // past the old response's arrival
      expect(loads).to.deep.equal(['fx-glaucoma-check']);
      expect(spy.calls.filter((c) => c.url.includes('fx-knee-oa')).every((c) => c.signal?.aborted || c.settled)).to.equal(true);
      expect(spy.calls.find((c) => c.url.includes('fx-knee-oa/clinical-codes'))!.signal?.aborted).to.equal(true);
      expect(deepText(el)).to.contain('H40.10').and.not.contain('M17');
    } finally {
      spy.restore();
      document.removeEventListener('heidi-codes-load', onLoad);
    }
  });

  it('removing the element aborts its requests', async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 2000 });
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.includes('/clinical-codes')), 'codes request');
      await leave(el);
      const heidiCalls = spy.calls.filter((c) => c.url.includes('/mock-heidi/'));
      expect(heidiCalls.length).to.be.greaterThan(0);
      expect(heidiCalls.every((c) => c.settled || c.signal?.aborted)).to.equal(true);
    } finally {
      spy.restore();
    }
  });
});

describe('errors: every contract code, a message, and Retry where it helps', () => {
  const cases: {
    code: HeidiErrorCode;
    scenario?: Parameters<typeof setScenario>[1];
    session?: string;
    retryable: boolean;
    status?: number;
  }[] = [
    { code: 'auth', scenario: { failures: [{ route: 'clinical-codes', status: 403 }] }, retryable: true, status: 403 },
    { code: 'not-found', session: 'no-such-session', retryable: false, status: 404 },
    {
      code: 'rate-limited',
      scenario: { failures: [{ route: 'clinical-codes', status: 429, retryAfter: 0, count: 3 }] },
      retryable: true,
      status: 429,
    },
    { code: 'server', scenario: { failures: [{ route: 'clinical-codes', status: 500 }] }, retryable: true, status: 500 },
    { code: 'invalid-response', scenario: { failures: [{ route: 'clinical-codes', kind: 'malformed' }] }, retryable: false },
    { code: 'network', scenario: { failures: [{ route: 'clinical-codes', kind: 'network', count: 50 }] }, retryable: true },
    { code: 'timeout', scenario: { failures: [{ route: 'clinical-codes', kind: 'hang' }] }, retryable: true },
  ];
  for (const c of cases) {
    it(`${c.code}`, async () => {
      const user = newUser();
      if (c.scenario) await setScenario(user, c.scenario);
      const failed = oneEvent(document, 'heidi-error');
      const { el } = await mount({ user, sessionId: c.session ?? 'fx-knee-oa', props: { timeouts: { request: 1500, codes: 400 } } });
      const { detail } = await failed;
      expect(detail.code).to.equal(c.code);
      expect(detail.retryable).to.equal(c.retryable);
      if (c.status) expect(detail.status).to.equal(c.status);
      expect(detail.message).to.be.a('string').and.not.equal('');
      await el.updateComplete;
      expect(shadow(el).querySelector('[role="alert"]')).to.exist;
      const retry = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.includes('Retry'));
      expect(!!retry).to.equal(c.retryable);
      await expect(el).to.be.accessible();
      if (retry) {
        await setScenario(user, {});
        const loaded = oneEvent(el, 'heidi-codes-load');
        retry.click();
        await loaded;
        expect(cards(el).length).to.be.greaterThan(0);
      }
    });
  }
});

describe('states are accessible', () => {
  it('loaded and empty', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-antenatal-16w' });
    await expect(el).to.be.accessible();
    const { el: empty } = await mountLoaded({ sessionId: 'generated-0' });
    expect(deepText(empty)).to.contain('No codes suggested');
    await expect(empty).to.be.accessible();
  });
  it('loading', async () => {
    const user = newUser();
    await setScenario(user, { latencyMs: 500 });
    const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
    await el.updateComplete;
    expect(deepText(el)).to.contain('Loading');
    await expect(el).to.be.accessible();
  });
});

describe('long consultations', () => {
  it('renders the first cards at once and the rest as the list scrolls, the keyboard moves, or "Show more" is pressed', async () => {
    const { el } = await mountLoaded({ sessionId: 'generated-300', attrs: { style: 'display:block;height:auto' } });
    const initial = cards(el).length;
    expect(initial).to.be.at.least(40).and.lessThan(300);
    const more = shadow(el).querySelector<HTMLButtonElement>('.more button')!;
    expect(more.textContent).to.match(/Show \d+ more codes/);
    // The keyboard reaches the last code: End renders up to it and focuses it.
    cards(el)[0]!.focus();
    cards(el)[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    // The window (issue 16) renders the cards around it; the last card says it is the last of its group.
    await until(
      () =>
        shadow(el).activeElement === cards(el).at(-1) &&
        cards(el).at(-1)!.getAttribute('aria-posinset') === cards(el).at(-1)!.getAttribute('aria-setsize'),
      'the last card focused',
    );
    expect(shadow(el).querySelector('.more')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('grows while its end is in view', async () => {
    const { el } = await mountLoaded({ sessionId: 'generated-200' });
    const first = cards(el).length;
    const lastShown = () => cards(el).at(-1)!.dataset.id;
    const before = lastShown();
    shadow(el).querySelector('.more')!.scrollIntoView();
    await until(() => cards(el).length > first || lastShown() !== before, 'more cards');
  });
});
