/**
 * Issue 15 items 4 and 10 as the host page sees them: a property of the wrong type is a `config` error that
 * names it (and nothing reshaped reaches Heidi), and every wait ends: a host that never answers
 * `heidi-token-expired`, or a token URL that answers with a sign-in page, is an `auth` error with Retry.
 */
import { expect, oneEvent } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { ErrorDetail } from '../../src/events.ts';
import { en } from '../../src/i18n/en.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { cards, mount, mountLoaded, newUser, requestLog, setScenario, shadow, tokenUrl, until } from './helpers.ts';

const FX = 'fx-knee-oa';

function nextError(el: HTMLElement): Promise<ErrorDetail> {
  return oneEvent(el, 'heidi-error').then((e) => (e as CustomEvent<ErrorDetail>).detail);
}

function retryButton(el: HeidiClinicalCodes): HTMLButtonElement | undefined {
  return [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === en.retry);
}

async function getToken(user: string): Promise<string> {
  const response = await fetch(tokenUrl(user));
  return ((await response.json()) as { token: string }).token;
}

describe('property types are checked at the door', () => {
  it('clinicianNotes set to a string: a config error naming it, no PATCH of ["F","o",…]; an array then loads and is sent', async () => {
    const { el } = await mountLoaded({ sessionId: FX });
    const spy = spyOnFetch();
    try {
      const failed = nextError(el);
      (el as unknown as { clinicianNotes: unknown }).clinicianNotes = 'Follow-up for hypertension';
      const detail = await failed;
      expect(detail.code).to.equal('config');
      expect(detail.retryable).to.equal(false);
      expect(detail.message).to.contain('clinicianNotes');
      await el.updateComplete;
      expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain(en.errorTitle);
      await expect(el).to.be.accessible();
      expect(spy.calls.filter((c) => c.method === 'PATCH')).to.deep.equal([]);

      const loaded = oneEvent(el, 'heidi-codes-load');
      el.clinicianNotes = ['Follow-up for hypertension'];
      await loaded;
      await until(() => spy.calls.some((c) => c.method === 'PATCH'), 'the PATCH with the notes');
    } finally {
      spy.restore();
      el.remove();
    }
  });

  for (const [name, value] of [
    ['timeouts', 30_000],
    ['patient', 'Ada Lovelace'],
    ['tokenProvider', '/ehr/heidi-token'],
    ['sessionId', 42],
    ['readonly', 'false'],
    ['reviewer', 'Dr A'],
    ['note', ['Assessment']],
  ] as const) {
    it(`${name} = ${JSON.stringify(value)} before it is attached: config error naming ${name}, nothing fetched`, async () => {
      const spy = spyOnFetch();
      const failed = new Promise<ErrorDetail>((resolve) =>
        document.addEventListener('heidi-error', (e) => resolve((e as CustomEvent<ErrorDetail>).detail), { once: true }),
      );
      try {
        const { el } = await mount({ sessionId: FX, props: { [name]: value } as Partial<HeidiClinicalCodes> });
        const detail = await failed;
        expect(detail.code).to.equal('config');
        expect(detail.message).to.contain(name);
        await el.updateComplete;
        expect(shadow(el).querySelector('heidi-code-card')).to.equal(null);
        expect(spy.calls).to.deep.equal([]);
        el.remove();
      } finally {
        spy.restore();
      }
    });
  }

  it('token set to an object: a config error naming token, the object is never used as a bearer', async () => {
    const spy = spyOnFetch();
    const el = document.createElement('heidi-clinical-codes') as HeidiClinicalCodes;
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('session-id', FX);
    (el as unknown as { token: unknown }).token = { token: 'x' };
    const failed = nextError(el);
    document.body.append(el);
    try {
      const detail = await failed;
      expect(detail.code).to.equal('config');
      expect(detail.message).to.contain('token');
      expect(spy.calls).to.deep.equal([]);
    } finally {
      spy.restore();
      el.remove();
    }
  });
});

describe('patient: what Heidi takes (MALE, FEMALE, OTHER; YYYY-MM-DD)', () => {
  it("README's example patient (gender 'female') is sent as FEMALE: the note stays, Send is not blocked", async () => {
    const user = newUser();
    const errors: ErrorDetail[] = [];
    const onError = (e: Event) => errors.push((e as CustomEvent<ErrorDetail>).detail);
    document.addEventListener('heidi-error', onError);
    try {
      const { el } = await mountLoaded({
        user,
        sessionId: FX,
        attrs: { 'ehr-patient-id': 'EHR-PT-1001' },
        props: { patient: { name: 'Ada Lovelace', gender: 'female', dob: '1985-12-10' } },
      });
      const patches = (await requestLog(user)).filter((e) => e.route === 'patch-session');
      expect(patches.map((e) => e.status)).to.deep.equal([200]);
      expect(errors).to.deep.equal([]);
      expect(shadow(el).querySelector('.notice'), 'no degraded-session notice').to.equal(null);
      shadow(cards(el)[0]!).querySelector<HTMLButtonElement>('button.accept')!.click();
      await el.updateComplete;
      expect(shadow(el).querySelector<HTMLButtonElement>('.footer .send')!.disabled, 'Send enabled').to.equal(false);
    } finally {
      document.removeEventListener('heidi-error', onError);
    }
  });

  for (const [field, patient] of [
    ['gender', { name: 'Ada Lovelace', gender: 'unknown' }],
    ['dob', { name: 'Ada Lovelace', dob: '10/12/1985' }],
  ] as const) {
    it(`a patient ${field} Heidi would refuse: a config error naming patient.${field}, no PATCH; a usable one then loads`, async () => {
      const spy = spyOnFetch();
      const failed = new Promise<ErrorDetail>((resolve) =>
        document.addEventListener('heidi-error', (e) => resolve((e as CustomEvent<ErrorDetail>).detail), { once: true }),
      );
      try {
        const { el } = await mount({ sessionId: FX, props: { patient } });
        const detail = await failed;
        expect(detail.code).to.equal('config');
        expect(detail.retryable).to.equal(false);
        expect(detail.message).to.contain(`patient.${field}`);
        expect(spy.calls.filter((c) => c.method === 'PATCH')).to.deep.equal([]);
        const loaded = oneEvent(el, 'heidi-codes-load');
        el.patient = { name: 'Ada Lovelace', gender: 'F', dob: '1985-12-10' };
        await loaded;
        await until(() => spy.calls.some((c) => c.method === 'PATCH'), 'the PATCH');
        el.remove();
      } finally {
        spy.restore();
      }
    });
  }
});

describe("the token URL is the EHR's own route", () => {
  it('a token-url with no route behind it (404): a config error naming it, not "consultation not found in Heidi"', async () => {
    const el = document.createElement('heidi-clinical-codes') as HeidiClinicalCodes;
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('token-url', '/nope-token');
    el.setAttribute('session-id', FX);
    const failed = nextError(el);
    document.body.append(el);
    try {
      const detail = await failed;
      expect([detail.code, detail.retryable, detail.status]).to.deep.equal(['config', false, 404]);
      expect(detail.message).to.contain('/nope-token');
      await el.updateComplete;
      const alert = shadow(el).querySelector('[role="alert"]')!.textContent!;
      expect(alert).to.contain(en.errors.config).and.contain('/nope-token');
      expect(alert).not.to.contain(en.errors['not-found']);
    } finally {
      el.remove();
    }
  });
});

describe('properties set before the script upgraded the element', () => {
  // An element made in a document without the definition stays un-upgraded, as on a page whose
  // <script type="module"> has not run yet; it upgrades when it joins this document.
  const early = (): HeidiClinicalCodes =>
    document.implementation.createHTMLDocument('').createElement('heidi-clinical-codes') as HeidiClinicalCodes;

  it('token and reviewState set early are adopted: the token is used, the review is restored, and reviewState reads the live review', async () => {
    const user = newUser('early');
    const token = await getToken(user);
    const el = early();
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('session-id', FX);
    expect(el instanceof HTMLElement && !('commit' in el), 'not upgraded yet').to.equal(true);
    const id = 'icd_10_cm:M17.11';
    (el as unknown as Record<string, unknown>).token = token;
    (el as unknown as Record<string, unknown>).reviewState = {
      sessionId: FX,
      decisions: { [id]: { status: 'ACCEPTED', at: new Date().toISOString() } },
      audit: [],
    };
    const loaded = oneEvent(el, 'heidi-codes-load');
    document.body.append(el);
    try {
      const detail = ((await loaded) as CustomEvent<{ entities: { entityId: string; status: string }[] }>).detail;
      expect(detail.entities.find((e) => e.entityId === id)?.status).to.equal('ACCEPTED');
      expect(Object.hasOwn(el, 'reviewState'), 'no own property hides the accessor').to.equal(false);
      expect(el.reviewState?.decisions[id]?.status).to.equal('ACCEPTED');
    } finally {
      el.remove();
    }
  });
});

describe('every wait ends', () => {
  it('only a host-set token, a 401, and a host that never answers heidi-token-expired: auth error with Retry', async () => {
    const user = newUser();
    const token = await getToken(user);
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 401 }] });
    const el = document.createElement('heidi-clinical-codes') as HeidiClinicalCodes;
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('session-id', FX);
    el.token = token;
    el.timeouts = { hostToken: 300 };
    const expired = oneEvent(el, 'heidi-token-expired');
    const failed = nextError(el);
    document.body.append(el);
    try {
      await expired;
      const detail = await failed;
      expect(detail.code).to.equal('auth');
      expect(detail.retryable).to.equal(true);
      expect(detail.message).to.contain('heidi-token-expired');
      await el.updateComplete;
      // Nothing says it is still generating: not the status block, not the (emptied) live region.
      expect(shadow(el).textContent).to.contain(en.errors.auth);
      expect(shadow(el).textContent).not.to.contain(en.generatingStarted);
      expect(retryButton(el), 'a Retry button').to.exist;
      await expect(el).to.be.accessible();
      // The host answers late; Retry loads with the new token.
      el.token = await getToken(user);
      const loaded = oneEvent(el, 'heidi-codes-load');
      retryButton(el)!.click();
      await loaded;
    } finally {
      el.remove();
    }
  });

  it('a token-url that redirects to an HTML sign-in page: auth error saying the EHR session may have ended, with Retry', async () => {
    const spy = spyOnFetch((request) =>
      new URL(request.url).pathname === '/ehr/heidi-token'
        ? new Response('<!doctype html><title>Sign in to the EHR</title><form></form>', { headers: { 'content-type': 'text/html' } })
        : undefined,
    );
    try {
      const failed = new Promise<ErrorDetail>((resolve) =>
        document.addEventListener('heidi-error', (e) => resolve((e as CustomEvent<ErrorDetail>).detail), { once: true }),
      );
      const { el } = await mount({ sessionId: FX });
      const detail = await failed;
      expect(detail.code).to.equal('auth');
      expect(detail.code).not.to.equal('invalid-response');
      expect(detail.message).to.contain('EHR session may have ended');
      await el.updateComplete;
      expect(retryButton(el), 'a Retry button').to.exist;
      expect(shadow(el).textContent).not.to.contain(en.errors['invalid-response']);
      await expect(el).to.be.accessible();
      el.remove();
    } finally {
      spy.restore();
    }
  });
});
