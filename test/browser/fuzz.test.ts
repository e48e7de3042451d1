/**
 * Fuzzed Heidi bodies through the rendered element. The same seeded
 * arbitraries as the Node campaign (test/node/fuzz-arbitraries.ts), fewer
 * cases (BROWSER_RUNS): each body set is served, through a fetch spy, for a
 * fake session id; the element must end either showing codes
 * (`heidi-codes-load`) or with `heidi-error` `invalid-response`, and nothing
 * may reach `window` as an uncaught error or unhandled rejection.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { ErrorDetail } from '../../src/events.ts';
import { en } from '../../src/i18n/en.ts';
import { FUZZ_SEED, anyCase, bodyText, type Body, type FuzzCase } from '../node/fuzz-arbitraries.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { cards, mount, newUser, shadow, until } from './helpers.ts';

/** Cases rendered in the browser (the Node campaign runs thousands; this proves the element end to end). */
const BROWSER_RUNS = 40;

/**
 * KNOWN BUG (reported; see test/node/fuzz.test.ts KNOWN_BUGS.loneSurrogateCodeSystem): a code_system
 * with a lone surrogate makes buildModel throw URIError, reported as `server`. Until fixed, such cases
 * may end in `server` with "URI malformed"; set to false once src is fixed.
 */
const LONE_SURROGATE_CODE_SYSTEM_BUG = false;
const LONE_SURROGATE_CODE_SYSTEM = /"code_system":\s*"(?:[^"\\]|\\.)*\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i;

function serve(body: Body): Response {
  return new Response(bodyText(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

describe('fuzz: fuzzed bodies through the rendered element', () => {
  it(`${BROWSER_RUNS} seeded cases (generated and mutated fixtures) end rendered or as invalid-response, never uncaught`, async function () {
    this.timeout(60_000);
    const cases: FuzzCase[] = fc.sample(anyCase, { seed: FUZZ_SEED, numRuns: BROWSER_RUNS });
    const byId = new Map<string, FuzzCase>();
    cases.forEach((c, i) => byId.set(`fz-${i}`, c));
    const spy = spyOnFetch((request) => {
      const match = /\/mock-heidi\/sessions\/(fz-\d+)(\/transcript|\/clinical-codes)?$/.exec(new URL(request.url).pathname);
      const c = match ? byId.get(match[1]!) : undefined;
      if (!c) return undefined;
      if (match![2] === '/clinical-codes') return serve(c.codes);
      if (match![2] === '/transcript') return serve(c.transcript);
      return serve(c.session);
    });
    const uncaught: string[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(`error: ${e.message}`);
    const onRejection = (e: PromiseRejectionEvent) => uncaught.push(`unhandledrejection: ${String(e.reason)}`);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    const outcomes = { rendered: 0, invalid: 0, knownBug: 0 };
    const user = newUser('fuzz');
    try {
      for (const [id, c] of byId) {
        const events: { type: string; detail: unknown }[] = [];
        const record = (e: Event) => events.push({ type: e.type, detail: (e as CustomEvent).detail });
        document.addEventListener('heidi-codes-load', record);
        document.addEventListener('heidi-error', record);
        let el: HeidiClinicalCodes | undefined;
        try {
          ({ el } = await mount({ user, sessionId: id }));
          await until(() => events.length > 0, `an outcome for ${id} (${c.origin})`);
          await el.updateComplete;
          // Render every card fully: open evidence and similar codes, then both source views.
          for (const card of cards(el)) {
            for (const summary of shadow(card).querySelectorAll<HTMLElement>('details > summary')) summary.click();
            shadow(card).querySelector<HTMLButtonElement>('button.pick')?.click();
          }
          await new Promise((r) => setTimeout(r, 0)); // details' toggle events come a task later
          await el.updateComplete;
          const source = shadow(el).querySelector('heidi-source-view');
          if (source) for (const tab of shadow(source).querySelectorAll<HTMLButtonElement>('.tabs button')) tab.click();
          await new Promise((r) => requestAnimationFrame(() => r(undefined)));
          const first = events[0]!;
          const context = `${id} (${c.origin}): ${JSON.stringify(first)}`;
          if (first.type === 'heidi-codes-load') {
            outcomes.rendered += 1;
            // A damaged session or transcript body degrades the load: its notice is shown and the host hears one
            // heidi-error for it (invalid-response); nothing else fails.
            const notices = [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent);
            const degraded = notices.filter((n) => n === en.degradedSession || n === en.degradedTranscript).length;
            const errors = events.filter((e) => e.type === 'heidi-error').map((e) => (e.detail as ErrorDetail).code);
            expect(errors, context).to.deep.equal(Array<string>(degraded).fill('invalid-response'));
          } else {
            const detail = first.detail as ErrorDetail;
            if (LONE_SURROGATE_CODE_SYSTEM_BUG && detail.code === 'server' && LONE_SURROGATE_CODE_SYSTEM.test(bodyText(c.codes))) {
              outcomes.knownBug += 1;
            } else {
              expect(detail.code, context).to.equal('invalid-response');
              expect(shadow(el).querySelector('[role="alert"]'), context).to.exist;
              outcomes.invalid += 1;
            }
          }
          expect(uncaught, context).to.deep.equal([]);
        } finally {
          document.removeEventListener('heidi-codes-load', record);
          document.removeEventListener('heidi-error', record);
          el?.parentElement?.remove();
        }
      }
    } finally {
      spy.restore();
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    }
    console.log(
      `fuzz (browser): seed ${FUZZ_SEED}, ${BROWSER_RUNS} cases: ${outcomes.rendered} rendered, ${outcomes.invalid} invalid-response, ${outcomes.knownBug} known-bug`,
    );
    expect(outcomes.rendered + outcomes.invalid + outcomes.knownBug).to.equal(BROWSER_RUNS);
    // Both ends are exercised, not just one. Since entities are read one by one (issue 15), only a body wrong
    // as a whole (damaged text, no session id, not one readable entity) is invalid-response: rarer, but present.
    expect(outcomes.rendered).to.be.greaterThan(5);
    expect(outcomes.invalid).to.be.greaterThan(0);
  });

  // BUG (temporarily skipped, reported): today this ends in heidi-error `server` "URI malformed".
  it('a code_system with a lone surrogate ("\\ud800") is shown raw, not a server error', async () => {
    const text =
      '{"session_id":"fz-surrogate","clinical_entities":[{"primary_code":{"code":"X1","code_name":"Lone","code_system":"loinc\\ud800"}}]}';
    const spy = spyOnFetch((request) =>
      request.url.endsWith('/sessions/fz-surrogate/clinical-codes')
        ? new Response(text, { headers: { 'content-type': 'application/json' } })
        : undefined,
    );
    const events: string[] = [];
    const record = (e: Event) => events.push(`${e.type} ${JSON.stringify((e as CustomEvent).detail)}`);
    document.addEventListener('heidi-codes-load', record);
    document.addEventListener('heidi-error', record);
    try {
      const { el } = await mount({ sessionId: 'fz-surrogate' });
      await until(() => events.length > 0, 'an outcome');
      expect(events[0]).to.match(/^heidi-codes-load/);
      await el.updateComplete;
      expect(cards(el)).to.have.length(1);
    } finally {
      spy.restore();
      document.removeEventListener('heidi-codes-load', record);
      document.removeEventListener('heidi-error', record);
    }
  });
});
