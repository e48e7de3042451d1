/**
 * The peer APIs (Sully, Omniscribe) held to Heidi's standard through the rendered element:
 * hostile text in every field they send renders as inert text; a fault matrix (status, bad body,
 * dropped connection) per engine ends as the documented `heidi-error` code; seeded fuzzed bodies end
 * rendered or as a `heidi-error`, never as an exception in the page. The peers are stubbed at the
 * fetch level (`/stub-sully`, `/stub-omniscribe`), so no mock scenario is shared with other files.
 */
import { expect, fixture, html } from '@open-wc/testing';
import fc from 'fast-check';
import type { ErrorDetail } from '../../src/events.ts';
import { FUZZ_SEED, weirdString } from '../node/fuzz-arbitraries.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { cards, shadow, until } from './helpers.ts';
import { URL_ATTRIBUTE, expectInert, rawText } from './inert.ts';

const SET = 'window.__pwned=1';
/** A cross-section of test/browser/hostile-text.test.ts's payloads, few enough that every card they make is rendered at once. */
const PAYLOADS: readonly string[] = [
  `<script>${SET}</script>`,
  `<img src=x onerror="${SET}">`,
  `<svg onload="${SET}"></svg>`,
  `javascript:${SET}`,
  `<a href="javascript:${SET}">click</a>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${SET}">`,
  '${' + SET + '}',
  `{{constructor.constructor('${SET}')()}}`,
  `--><img src=x onerror="${SET}"><!--`,
  `\u202E<img src=x onerror="${SET}">\u202D gnp.exe`,
  `" onmouseover="${SET}" x="`,
  `<details open ontoggle="${SET}">`,
  `&lt;img src=x onerror=${SET}&gt; &#60;script&#62;`,
];
const BASES = { 'sully-base': '/stub-sully', 'omniscribe-base': '/stub-omniscribe' };
const NOTE = `Patient note. ${PAYLOADS.join(' | ')}`;

type Stub = (request: Request, body: unknown) => Response | Promise<Response>;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** Mount on the host's note with the given peers stubbed; resolves once codes or an error show. */
async function mountStubbed(engines: string, stubs: { sully?: Stub; omniscribe?: Stub }, note = NOTE) {
  const spy = spyOnFetch((request) => {
    const url = new URL(request.url);
    const stub = url.pathname.startsWith('/stub-sully/')
      ? stubs.sully
      : url.pathname.startsWith('/stub-omniscribe/')
        ? stubs.omniscribe
        : undefined;
    if (!stub) return undefined;
    return request.text().then((text) => stub(request, text ? JSON.parse(text) : undefined));
  });
  const el = document.createElement('heidi-clinical-codes');
  el.setAttribute('engines', engines);
  for (const [k, v] of Object.entries(BASES)) el.setAttribute(k, v);
  Object.assign(el, { note, timeouts: { poll: 5 } });
  const errors: ErrorDetail[] = [];
  let loaded = false;
  el.addEventListener('heidi-error', (e) => errors.push(e.detail));
  el.addEventListener('heidi-codes-load', () => (loaded = true));
  (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
  try {
    await until(() => loaded || errors.length > 0, 'codes or an error', 15_000);
    await el.updateComplete;
    for (const c of cards(el)) await (c as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  } finally {
    spy.restore();
  }
  return { el, errors, loaded: () => loaded };
}

/** Sully's create answer, then a completed coding whose every field is `p`. */
function hostileSully(): Stub {
  return (request) => {
    if (request.method === 'POST') return json(201, { data: { id: 'c-1', status: 'pending' } });
    const item = (p: string, i: number) => ({
      code: { coding: [{ system: i % 2 ? p : 'http://hl7.org/fhir/sid/icd-10-cm', code: `${p}#${i}`, display: p }], text: p },
      text_span: { start_char: 0, end_char: 5, text: p },
    });
    return json(200, { data: { codingId: 'c-1', status: 'completed', result: { diagnoses: PAYLOADS.map(item), procedures: [] } } });
  };
}

function hostileOmniscribe(): Stub {
  const a = (p: string, i: number) => ({ code: `X${i} ${p}`, description: p, justification: p, confidence_percent: 50 });
  return () =>
    json(200, { success: true, final_code_assessments: PAYLOADS.map(a), discarded_code_assessments: PAYLOADS.map(a), run_id: PAYLOADS[0] });
}

describe('peer engines, hostile text: every field renders as inert text', () => {
  afterEach(() => delete (window as { __pwned?: unknown }).__pwned);

  it(`Sully and Omniscribe: ${PAYLOADS.length} payloads in codes, systems, names, spans, justifications, discarded codes`, async () => {
    const { el, errors } = await mountStubbed('sully,omniscribe', { sully: hostileSully(), omniscribe: hostileOmniscribe() });
    expect(errors).to.deep.equal([]);
    expect(cards(el).length).to.equal(PAYLOADS.length * 2);
    // Open every card's evidence and the discarded list, so every field is on screen.
    for (const c of cards(el)) shadow(c).querySelector<HTMLDetailsElement>('details[part=evidence]')!.open = true;
    shadow(el).querySelector<HTMLDetailsElement>('details.discarded')!.open = true;
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 100));
    expectInert(el, URL_ATTRIBUTE);
    const text = rawText(el);
    for (const p of PAYLOADS) expect(text.includes(p), p.slice(0, 60)).to.equal(true);
  });

  it('a refused note and an engine failure carry hostile messages as text only', async () => {
    const payload = PAYLOADS[1]!;
    const { el, errors } = await mountStubbed('omniscribe', {
      omniscribe: () => json(422, { success: false, error: payload, details: payload }),
    });
    expect(errors[0]).to.include({ code: 'invalid-request', status: 422 });
    const details = shadow(el).querySelector('[role=alert] details')!;
    expect(details.textContent).to.include(payload);
    expectInert(el, URL_ATTRIBUTE);
  });
});

type Fault = { name: string; stub: Stub; code: ErrorDetail['code'] };
const FAULTS: Fault[] = [
  { name: '400', stub: () => json(400, { success: false, error: 'bad', details: 'x' }), code: 'invalid-request' },
  { name: '401', stub: () => json(401, { error: 401, message: 'no key' }), code: 'auth' },
  { name: '404', stub: () => json(404, { error: 404, message: 'gone' }), code: 'not-found' },
  { name: '413', stub: () => json(413, { success: false, error: 'too large' }), code: 'invalid-request' },
  { name: '422', stub: () => json(422, { success: false, error: 'pdf' }), code: 'invalid-request' },
  { name: '500 (HTML body)', stub: () => new Response('<html>oops</html>', { status: 500 }), code: 'server' },
  { name: '200 not JSON', stub: () => new Response('<html>', { status: 200 }), code: 'invalid-response' },
  { name: '200 wrong shape', stub: () => json(200, { data: [1, 2], final_code_assessments: 'no' }), code: 'invalid-response' },
  { name: '200 empty body', stub: () => new Response('', { status: 200 }), code: 'invalid-response' },
  { name: 'dropped connection', stub: () => Promise.reject(new TypeError('Failed to fetch')), code: 'network' },
];

describe('peer engines, fault matrix: engine × fault → heidi-error code, never an exception', () => {
  const uncaught: unknown[] = [];
  const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);
  before(() => {
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });
  after(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });

  for (const engine of ['sully', 'omniscribe'] as const) {
    for (const fault of FAULTS) {
      it(`${engine}: ${fault.name} → ${fault.code}`, async () => {
        const { el, errors } = await mountStubbed(engine, { [engine]: fault.stub });
        expect(errors.map((e) => e.code)).to.deep.equal([fault.code]);
        expect(shadow(el).querySelector('[role=alert]')).to.exist;
        expect(uncaught).to.deep.equal([]);
      });
    }
  }

  it('one peer faulting beside a good one: the good one is shown and heidi-error names the faulty engine', async () => {
    const { el, errors } = await mountStubbed('sully,omniscribe', { sully: FAULTS[6]!.stub, omniscribe: hostileOmniscribe() });
    expect(errors.map((e) => [e.engine, e.code])).to.deep.equal([['sully', 'invalid-response']]);
    expect(cards(el).length).to.equal(PAYLOADS.length);
    expect(shadow(el).querySelector('.engines-progress li[data-engine=sully]')!.getAttribute('data-phase')).to.equal('failed');
  });
});

describe('peer engines, fuzzed bodies (seeded): rendered or heidi-error, never uncaught', () => {
  const value = fc.oneof(weirdString, fc.integer(), fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 1 }));
  const sullyBody = fc.record({
    data: fc.record(
      {
        id: value,
        // Never still in progress: a coding that never finishes polls for ten minutes (engine-sully.test.ts covers that).
        status: fc.oneof(
          fc.constantFrom('completed', 'complete', 'failed'),
          weirdString.filter((t) => !['', 'pending', 'processing'].includes(t)),
        ),
        result: fc.oneof(
          value,
          fc.record({
            diagnoses: fc.oneof(
              value,
              fc.array(
                fc.record({
                  code: fc.oneof(value, fc.record({ coding: fc.array(fc.record({ system: value, code: value, display: value })) })),
                  text_span: fc.oneof(value, fc.record({ start_char: value, end_char: value, text: value })),
                }),
                { maxLength: 3 },
              ),
            ),
          }),
        ),
      },
      { requiredKeys: ['status'] },
    ),
  });
  const omniscribeBody = fc.record(
    {
      final_code_assessments: fc.oneof(
        value,
        fc.array(fc.record({ code: value, description: value, justification: value, confidence_percent: value }), { maxLength: 3 }),
      ),
      discarded_code_assessments: value,
      run_id: value,
    },
    { requiredKeys: [] },
  );

  it('24 cases per engine', async function () {
    this.timeout(60_000);
    const uncaught: unknown[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
    window.addEventListener('error', onError);
    try {
      const cases = fc.sample(fc.tuple(sullyBody, omniscribeBody, fc.constantFrom(200, 200, 200, 201, 500)), {
        seed: FUZZ_SEED,
        numRuns: 24,
      });
      for (const [sully, omniscribe, status] of cases) {
        const { el, errors, loaded } = await mountStubbed('sully,omniscribe', {
          sully: (r) => (r.method === 'POST' ? json(201, { data: { id: 'c-1', status: 'pending' } }) : json(status, sully)),
          omniscribe: () => json(status, omniscribe),
        });
        expect(loaded() || errors.length > 0).to.equal(true);
        expect(errors.every((e) => typeof e.code === 'string' && typeof e.message === 'string')).to.equal(true);
        expectInert(el, URL_ATTRIBUTE);
        el.remove();
      }
      expect(uncaught).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});
