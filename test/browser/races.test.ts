/**
 * Races: rapid session switches, remove/re-add mid-request, two elements on
 * one page, a slow old response landing after a new one, and no request,
 * timer or listener outliving the element across mount → remove cycles.
 *
 * 5 scenarios: 50 rapid switches; remove + re-add; two elements; slow old
 * response; 20 mount/remove cycles with timer and listener accounting.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodeReviewDetail, CodesLoadDetail } from '../../src/events.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { spyOnFetch, type SpiedFetch } from './fetch-spy.ts';
import { button, cards, leave, mount, newUser, setScenario, shadow, tokenUrl, until } from './helpers.ts';

const fixture = (id: string) => FIXTURES.find((f) => f.id === id)!;
const primaryCodes = (id: string) =>
  fixture(id)
    .clinicalCodes.clinical_entities.map((e) => e.primary_code.code)
    .sort();
const shownCodes = (el: HeidiClinicalCodes) =>
  cards(el)
    .map((c) => shadow(c).querySelector('.code')!.textContent!.trim())
    .sort();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collect<T>(target: EventTarget, type: string) {
  const seen: { detail: T; target: EventTarget | null }[] = [];
  const on = (e: Event) => seen.push({ detail: (e as CustomEvent<T>).detail, target: e.target });
  target.addEventListener(type, on);
  return { seen, stop: () => target.removeEventListener(type, on) };
}

const isHeidiCall = (c: SpiedFetch) => c.url.includes('/mock-heidi/') || c.url.includes('/ehr/heidi-token');
const isApiCall = (c: SpiedFetch) => c.url.includes('/mock-heidi/');
const doneOrAborted = (c: SpiedFetch) => c.settled || !!c.signal?.aborted;

describe('races', () => {
  // wtr reuses a window across test files, and sessionStorage lives as long as the window: start clean.
  beforeEach(() => sessionStorage.clear());
  afterEach(() => sessionStorage.clear());

  it('session-id changed 50 times rapidly: only the final session is shown, exactly one heidi-codes-load, for the last id', async function () {
    this.timeout(20_000);
    const user = newUser('race');
    await setScenario(user, { latencyMs: 40 });
    const ids = [...FIXTURES.map((f) => f.id), 'generated-3', 'generated-7'];
    const sequence = Array.from({ length: 50 }, (_, i) => ids[(i * 3) % ids.length]!);
    const last = 'fx-glaucoma-check';
    sequence[49] = last;
    const loads = collect<CodesLoadDetail>(document, 'heidi-codes-load');
    const errors = collect<unknown>(document, 'heidi-error');
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      for (let i = 0; i < sequence.length; i++) {
        el.sessionId = sequence[i]!;
        // Some changes land in the same task, most a few ms apart: loads start and are superseded mid-flight.
        if (i % 5 !== 0) await sleep((i * 7) % 23);
      }
      await until(() => loads.seen.length > 0, 'a load');
      await sleep(400); // past any superseded response
      expect(loads.seen.map((l) => l.detail.sessionId)).to.deep.equal([last]);
      expect(errors.seen).to.deep.equal([]);
      await el.updateComplete;
      expect(shownCodes(el)).to.deep.equal(primaryCodes(last));
      const stale = spy.calls.filter((c) => isApiCall(c) && !c.url.includes(`/sessions/${last}`));
      expect(stale.length, 'superseded loads had started').to.be.greaterThan(5);
      expect(stale.every(doneOrAborted)).to.equal(true);
      expect(
        stale.some((c) => c.signal?.aborted),
        'some superseded requests were aborted',
      ).to.equal(true);
    } finally {
      spy.restore();
      loads.stop();
      errors.stop();
    }
  });

  it('removed and re-added mid-request: the old requests are aborted, it reloads and shows the codes', async () => {
    const user = newUser('race');
    await setScenario(user, { generationMs: 3000 });
    const loads = collect<CodesLoadDetail>(document, 'heidi-codes-load');
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.includes('/clinical-codes')), 'the codes request');
      const parent = el.parentElement!;
      await leave(el);
      const before = spy.calls.filter(isApiCall);
      expect(before.every(doneOrAborted), 'nothing outlives the removal').to.equal(true);
      expect(before.find((c) => c.url.includes('/clinical-codes'))!.signal?.aborted).to.equal(true);
      await setScenario(user, {});
      parent.append(el);
      await until(() => loads.seen.length > 0, 'the reload');
      await el.updateComplete;
      expect(loads.seen.map((l) => l.detail.sessionId)).to.deep.equal(['fx-knee-oa']);
      expect(shownCodes(el)).to.deep.equal(primaryCodes('fx-knee-oa'));
      expect(spy.calls.filter((c) => c.url.includes('/clinical-codes'))).to.have.length(2);
    } finally {
      spy.restore();
      loads.stop();
    }
  });

  it('two elements on one page with different sessions: each shows its own codes and its events carry its own sessionId', async () => {
    const user = newUser('race');
    await setScenario(user, { latencyMs: 30 });
    const a = document.createElement('heidi-clinical-codes');
    const b = document.createElement('heidi-clinical-codes');
    for (const [el, id] of [
      [a, 'fx-knee-oa'],
      [b, 'fx-glaucoma-check'],
    ] as const) {
      el.setAttribute('api-base', '/mock-heidi');
      el.setAttribute('token-url', tokenUrl(user));
      el.setAttribute('session-id', id);
    }
    const loadsA = collect<CodesLoadDetail>(a, 'heidi-codes-load');
    const loadsB = collect<CodesLoadDetail>(b, 'heidi-codes-load');
    const startsA = collect<{ sessionId: string }>(a, 'heidi-session-start');
    const startsB = collect<{ sessionId: string }>(b, 'heidi-session-start');
    const reviewsA = collect<CodeReviewDetail>(a, 'heidi-code-review');
    const reviewsB = collect<CodeReviewDetail>(b, 'heidi-code-review');
    const host = document.createElement('div');
    host.append(a, b);
    document.body.append(host);
    try {
      await until(() => loadsA.seen.length > 0 && loadsB.seen.length > 0, 'both loads');
      await Promise.all([a.updateComplete, b.updateComplete]);
      expect(loadsA.seen.map((l) => l.detail.sessionId)).to.deep.equal(['fx-knee-oa']);
      expect(loadsB.seen.map((l) => l.detail.sessionId)).to.deep.equal(['fx-glaucoma-check']);
      expect(loadsA.seen[0]!.target).to.equal(a);
      expect(startsA.seen.map((s) => s.detail.sessionId)).to.deep.equal(['fx-knee-oa']);
      expect(startsB.seen.map((s) => s.detail.sessionId)).to.deep.equal(['fx-glaucoma-check']);
      expect(shownCodes(a)).to.deep.equal(primaryCodes('fx-knee-oa'));
      expect(shownCodes(b)).to.deep.equal(primaryCodes('fx-glaucoma-check'));
      button(cards(a)[0]!, 'Accept ').click();
      button(cards(b)[1]!, 'Reject ').click();
      await Promise.all([a.updateComplete, b.updateComplete]);
      expect(reviewsA.seen.map((r) => [r.detail.sessionId, r.detail.status])).to.deep.equal([['fx-knee-oa', 'ACCEPTED']]);
      expect(reviewsB.seen.map((r) => [r.detail.sessionId, r.detail.status])).to.deep.equal([['fx-glaucoma-check', 'REJECTED']]);
      // Switching one leaves the other alone.
      a.sessionId = 'fx-t2dm-review';
      await until(() => loadsA.seen.length === 2, 'the switched load');
      await a.updateComplete;
      expect(shownCodes(a)).to.deep.equal(primaryCodes('fx-t2dm-review'));
      expect(shownCodes(b)).to.deep.equal(primaryCodes('fx-glaucoma-check'));
      expect(loadsB.seen).to.have.length(1);
    } finally {
      host.remove();
      [loadsA, loadsB, startsA, startsB, reviewsA, reviewsB].forEach((c) => c.stop());
      sessionStorage.clear();
    }
  });

  it('a slow old response arriving after the new one is ignored: only the new session is shown', async () => {
    const knee = fixture('fx-knee-oa');
    let oldArrived = false;
    // The old codes response ignores the abort and lands 700 ms later, long after the new session loaded.
    const spy = spyOnFetch((request) =>
      request.url.endsWith('/sessions/fx-knee-oa/clinical-codes')
        ? new Promise<Response>((resolve) =>
            setTimeout(() => {
              oldArrived = true;
              resolve(Response.json(knee.clinicalCodes));
            }, 700),
          )
        : undefined,
    );
    const loads = collect<CodesLoadDetail>(document, 'heidi-codes-load');
    const errors = collect<unknown>(document, 'heidi-error');
    try {
      const { el } = await mount({ sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.endsWith('/fx-knee-oa/clinical-codes')), 'the old codes request');
      el.sessionId = 'fx-glaucoma-check';
      await until(() => loads.seen.length > 0, 'the new load');
      expect(oldArrived, 'the new session loaded first').to.equal(false);
      await until(() => oldArrived, 'the old response');
      await sleep(100);
      await el.updateComplete;
      expect(loads.seen.map((l) => l.detail.sessionId)).to.deep.equal(['fx-glaucoma-check']);
      expect(errors.seen).to.deep.equal([]);
      expect(shownCodes(el)).to.deep.equal(primaryCodes('fx-glaucoma-check'));
    } finally {
      spy.restore();
      loads.stop();
      errors.stop();
    }
  });

  // BUG (temporarily skipped, reported): TokenManager.fetchFromUrl calls ky.get(url) with no signal, so a
  // token request in flight when the element is removed stays open until it completes or times out.
  it('refresh() on an element removed from the page starts no request (nothing would ever abort it)', async () => {
    const { el } = await mount({ user: newUser('race'), sessionId: 'fx-knee-oa' });
    await until(() => cards(el).length > 0, 'the codes');
    await leave(el);
    const spy = spyOnFetch();
    try {
      await el.refresh();
      await sleep(50);
      expect(spy.calls.map((c) => c.url)).to.deep.equal([]);
    } finally {
      spy.restore();
    }
  });

  it('removed while the token URL request is in flight: that request is aborted too', async () => {
    const user = newUser('race');
    await setScenario(user, { latencyMs: 1500 });
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.includes('/ehr/heidi-token')), 'the token request');
      await sleep(50);
      await leave(el);
      const token = spy.calls.find((c) => c.url.includes('/ehr/heidi-token'))!;
      expect(token.settled || token.signal?.aborted, 'the token request does not outlive the element').to.equal(true);
    } finally {
      spy.restore();
    }
  });

  it('20 mount → remove cycles: no request outlives its element; intervals back to baseline; window/document listeners do not grow', async function () {
    this.timeout(30_000);
    const user = newUser('race');
    const slowUser = newUser('race-slow');
    await setScenario(slowUser, { generationMs: 2000 });

    // Timer accounting: live = created and neither fired (timeouts) nor cleared.
    const liveIntervals = new Set<number>();
    const liveTimeouts = new Set<number>();
    type TimerFn = (handler: TimerHandler, ms?: number, ...args: unknown[]) => number;
    type ClearFn = (id?: number) => void;
    const originals = {
      setInterval: window.setInterval as unknown as TimerFn,
      clearInterval: window.clearInterval as unknown as ClearFn,
      setTimeout: window.setTimeout as unknown as TimerFn,
      clearTimeout: window.clearTimeout as unknown as ClearFn,
      add: EventTarget.prototype.addEventListener,
      remove: EventTarget.prototype.removeEventListener,
    };
    // Listener accounting on window and document, de-duplicated like the DOM does (type, listener, capture).
    const listeners = new Map<EventTarget, Set<string>>([
      [window, new Set()],
      [document, new Set()],
    ]);
    const ids = new WeakMap<object, number>();
    let nextId = 0;
    const keyOf = (type: string, listener: unknown, options: unknown) => {
      const capture = typeof options === 'boolean' ? options : !!(options as { capture?: boolean } | undefined)?.capture;
      if ((listener && typeof listener === 'object') || typeof listener === 'function') {
        if (!ids.has(listener as object)) ids.set(listener as object, ++nextId);
      }
      return `${type}|${capture}|${listener ? ids.get(listener as object) : 'null'}`;
    };
    const wrappedSetInterval: TimerFn = (handler, ms, ...args) => {
      const id = Reflect.apply(originals.setInterval, window, [handler, ms, ...args]) as number;
      liveIntervals.add(id);
      return id;
    };
    const wrappedClearInterval: ClearFn = (id) => {
      if (id !== undefined) liveIntervals.delete(id);
      Reflect.apply(originals.clearInterval, window, [id]);
    };
    const wrappedSetTimeout: TimerFn = (handler, ms, ...args) => {
      const run = typeof handler === 'function' ? (handler as (...a: unknown[]) => void) : () => undefined;
      const id = Reflect.apply(originals.setTimeout, window, [
        (...a: unknown[]) => {
          liveTimeouts.delete(id);
          run(...a);
        },
        ms,
        ...args,
      ]) as number;
      liveTimeouts.add(id);
      return id;
    };
    const wrappedClearTimeout: ClearFn = (id) => {
      if (id !== undefined) liveTimeouts.delete(id);
      Reflect.apply(originals.clearTimeout, window, [id]);
    };
    Object.assign(window, {
      setInterval: wrappedSetInterval,
      clearInterval: wrappedClearInterval,
      setTimeout: wrappedSetTimeout,
      clearTimeout: wrappedClearTimeout,
    });
    EventTarget.prototype.addEventListener = function (
      this: EventTarget,
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: boolean | AddEventListenerOptions,
    ) {
      listeners.get(this)?.add(keyOf(type, listener, options));
      return originals.add.call(this, type, listener, options);
    };
    EventTarget.prototype.removeEventListener = function (
      this: EventTarget,
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: boolean | EventListenerOptions,
    ) {
      listeners.get(this)?.delete(keyOf(type, listener, options));
      return originals.remove.call(this, type, listener, options);
    };

    const spy = spyOnFetch();
    const counts: { window: number; document: number; intervals: number; timeouts: number }[] = [];
    const snapshot = () => ({
      window: listeners.get(window)!.size,
      document: listeners.get(document)!.size,
      intervals: liveIntervals.size,
      timeouts: liveTimeouts.size,
    });
    const container = document.createElement('div');
    document.body.append(container);
    try {
      // The accounting itself works: a listener and a timer are seen, and seen to go.
      const probe = () => undefined;
      window.addEventListener('resize', probe);
      const probeTimer = window.setTimeout(probe, 60_000);
      expect([listeners.get(window)!.size, liveTimeouts.size]).to.deep.equal([1, 1]);
      window.removeEventListener('resize', probe);
      window.clearTimeout(probeTimer);
      expect([listeners.get(window)!.size, liveTimeouts.size]).to.deep.equal([0, 0]);
      const baseline = snapshot();
      for (let cycle = 0; cycle < 20; cycle++) {
        const slow = cycle % 2 === 1;
        const el = document.createElement('heidi-clinical-codes');
        el.setAttribute('api-base', '/mock-heidi');
        el.setAttribute('token-url', tokenUrl(slow ? slowUser : user));
        el.setAttribute('session-id', FIXTURES[cycle % FIXTURES.length]!.id);
        let loaded = false;
        const onLoad = () => (loaded = true);
        el.addEventListener('heidi-codes-load', onLoad);
        const callsBefore = spy.calls.length;
        container.append(el);
        if (slow) {
          // Removed while Heidi generates: the elapsed-time interval is running and the codes request is open.
          await until(() => spy.calls.slice(callsBefore).some((c) => c.url.includes('/clinical-codes')), 'the codes request');
          await sleep(20);
          expect(liveIntervals.size, 'the generating timer runs').to.be.greaterThan(baseline.intervals);
        } else {
          await until(() => loaded, 'codes');
          await el.updateComplete;
          shadow(cards(el)[0]!).querySelector<HTMLButtonElement>('button.pick')!.click();
          await el.updateComplete;
        }
        el.removeEventListener('heidi-codes-load', onLoad);
        await leave(el);
        const mine = spy.calls.slice(callsBefore).filter(isApiCall);
        expect(mine.length).to.be.greaterThan(0);
        expect(
          mine.filter((c) => !doneOrAborted(c)).map((c) => c.url),
          `cycle ${cycle}: open Heidi requests after removal`,
        ).to.deep.equal([]);
        counts.push(snapshot());
      }
      await sleep(50);
      const end = snapshot();
      expect(end.intervals, 'live intervals back to baseline').to.equal(baseline.intervals);
      expect(end.window - counts[4]!.window, 'window listeners per cycle').to.equal(0);
      expect(end.document - counts[4]!.document, 'document listeners per cycle').to.equal(0);
      expect(end.window - baseline.window, 'window listeners').to.be.at.most(0);
      expect(end.document - baseline.document, 'document listeners').to.be.at.most(0);
      // Timeouts still pending belong to requests that were aborted (ky clears its own) or have fired.
      expect(end.timeouts - baseline.timeouts, 'live timeouts').to.be.at.most(1);
      // Token requests are shared per element; none may be left open either.
      expect(spy.calls.filter((c) => isHeidiCall(c) && !doneOrAborted(c)).map((c) => c.url)).to.deep.equal([]);
    } finally {
      container.remove();
      spy.restore();
      Object.assign(window, {
        setInterval: originals.setInterval,
        clearInterval: originals.clearInterval,
        setTimeout: originals.setTimeout,
        clearTimeout: originals.clearTimeout,
      });
      EventTarget.prototype.addEventListener = originals.add;
      EventTarget.prototype.removeEventListener = originals.remove;
      sessionStorage.clear();
    }
  });
});
