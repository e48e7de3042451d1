/**
 * The three coding engines in one review, against the peer mocks behind the dev backend's forwarders
 * (`/ehr/sully`, `/ehr/omniscribe`). The mocks' scenarios are shared (Sully's by every caller, Omniscribe's by
 * the demo user the forwarder names), so every peer-scenario test lives in this one file and resets them after.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail, CodesLoadEntity, CommittedCode, ErrorDetail } from '../../src/events.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';
import { button, card, cards, deepText, mountLoaded, newUser, setScenario, settle, shadow, tokenUrl, until } from './helpers.ts';

const PEERS = { 'sully-base': '/ehr/sully', 'omniscribe-base': '/ehr/omniscribe' };
const FAST = { timeouts: { poll: 20 } };
const SEED_SULLY_NOTE =
  'Patient presents with migraine headache, experiencing throbbing pain on the right side for 3 days. Photophobia and nausea present. Started on sumatriptan 50mg as needed. Follow-up visit scheduled in 2 weeks.';
const QUICKSTART_NOTE = 'Patient presents with Type 2 Diabetes Mellitus. Current medications: Metformin 500mg BID, Glipizide 5mg QD.';

async function post(path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}
/** Omniscribe's mock state is per `x-doctor`: the forwarder names the demo user when the request names none. */
const omniscribeScenario = (scenario: object) => post('/mock-omniscribe/__scenario', { user: 'demo-clinician', ...scenario });
const sullyScenario = (scenario: object) => post('/mock-sully/__scenario', scenario);

/** Mount with no Heidi token source at all: the peers code the host's note. Resolves once codes or an error show. */
async function mountNote(note: string, attrs: Record<string, string>, props: Partial<HeidiClinicalCodes> = {}) {
  const el = document.createElement('heidi-clinical-codes');
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  Object.assign(el, { note, ...FAST, ...props });
  const errors: ErrorDetail[] = [];
  el.addEventListener('heidi-error', (e) => errors.push(e.detail));
  let entities: readonly CodesLoadEntity[] | undefined;
  el.addEventListener('heidi-codes-load', (e) => (entities = e.detail.entities));
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  wrapper.append(el);
  return { el, errors, loaded: () => entities };
}

/** The heidi-errors the page hears, until `stop()`. */
function pageErrors(): { errors: ErrorDetail[]; stop: () => void } {
  const errors: ErrorDetail[] = [];
  const onError = (e: Event) => errors.push((e as CustomEvent<ErrorDetail>).detail);
  document.addEventListener('heidi-error', onError);
  return { errors, stop: () => document.removeEventListener('heidi-error', onError) };
}

/** fx-t2dm-review coded by all three engines, loaded and settled. */
async function mountThreeEngines(): Promise<HeidiClinicalCodes> {
  const { el } = await mountLoaded({ sessionId: 'fx-t2dm-review', attrs: { engines: 'heidi,sully,omniscribe', ...PEERS }, props: FAST });
  await settle(el);
  return el;
}

const enginesOf = (el: HeidiClinicalCodes, code: string) =>
  [...shadow(card(el, code)).querySelectorAll('.engines li')].map((li) => li.getAttribute('data-engine'));

describe('coding engines', () => {
  afterEach(async () => {
    await post('/mock-sully/__reset');
    await post('/mock-omniscribe/__reset');
  });

  it('Heidi alone is the default: every loaded entity says engines ["heidi"], no engines line on the cards', async () => {
    let entities: readonly CodesLoadEntity[] = [];
    document.addEventListener('heidi-codes-load', (e) => (entities = e.detail.entities), { once: true });
    const { el } = await mountLoaded({ sessionId: 'fx-t2dm-review' });
    await settle(el);
    expect(entities.length).to.be.greaterThan(0);
    expect(entities.every((e) => e.engines.length === 1 && e.engines[0] === 'heidi')).to.equal(true);
    expect(shadow(card(el, 'E11.65')).querySelector('.engines')).to.equal(null);
    expect(shadow(el).querySelector('.engines-progress')).to.equal(null);
  });

  it('Sully alone codes the host note with no Heidi token: the seed example renders, "migraine headache" marked in the note', async () => {
    const spy = spyOnFetch();
    try {
      const { el, errors, loaded } = await mountNote(SEED_SULLY_NOTE, { engines: 'sully', ...PEERS });
      await until(() => loaded() !== undefined, 'codes');
      await settle(el);
      expect(errors).to.deep.equal([]);
      expect(spy.calls.some((c) => c.url.includes('heidi'))).to.equal(false);
      expect(loaded()!.map((e) => e.code.code)).to.include.members(['G43.909', '37796009', '99213']);
      expect(loaded()!.every((e) => e.engines.join() === 'sully')).to.equal(true);
      expect(shadow(card(el, '37796009')).textContent).to.include('SNOMED');
      expect(deepText(card(el, '99213'))).to.include('CPT');
      expect(enginesOf(el, 'G43.909')).to.deep.equal(['sully']);
      shadow(card(el, 'G43.909')).querySelector<HTMLButtonElement>('button.pick')!.click();
      await settle(el);
      const source = shadow(el).querySelector('heidi-source-view')!;
      const marks = [...shadow(source).querySelectorAll('mark')].map((m) => m.textContent);
      expect(marks).to.include('migraine headache');
      await expect(el).to.be.accessible();
    } finally {
      spy.restore();
    }
  });

  it('Sully polls at least twice before completed (pollsToComplete), at the poll interval timeouts.poll sets', async () => {
    await sullyScenario({ pollsToComplete: 3 });
    const spy = spyOnFetch();
    try {
      const { el, loaded } = await mountNote(SEED_SULLY_NOTE, { engines: 'sully', ...PEERS });
      await until(() => loaded() !== undefined, 'codes');
      const polls = spy.calls.filter((c) => c.method === 'GET' && /\/ehr\/sully\/v1\/codings\/[^/]+$/.test(c.url));
      expect(polls.length).to.be.at.least(3);
      expect(cards(el).length).to.be.greaterThan(0);
    } finally {
      spy.restore();
    }
  });

  it('Omniscribe alone renders the quickstart: E11.9 and Z79.84 with justifications and 92 % / 96 %', async () => {
    const spy = spyOnFetch();
    const { el, errors, loaded } = await mountNote(QUICKSTART_NOTE, { engines: 'omniscribe', ...PEERS, 'ehr-patient-id': 'PT-7' });
    await until(() => loaded() !== undefined, 'codes').finally(() => spy.restore());
    const codify = spy.calls.find((c) => c.url.endsWith('/ehr/omniscribe/v1/codify'))!;
    expect(codify.headers.get('x-patient')).to.equal('PT-7');
    expect(codify.headers.get('authorization')).to.equal(null);
    await settle(el);
    expect(errors).to.deep.equal([]);
    expect(
      loaded()!
        .map((e) => e.code.code)
        .sort(),
    ).to.deep.equal(['E11.9', 'Z79.84']);
    const e119 = deepText(card(el, 'E11.9'));
    const z7984 = deepText(card(el, 'Z79.84'));
    expect(e119).to.match(/92\s?%/);
    expect(z7984).to.match(/96\s?%/);
    expect(e119).to.include('Omniscribe');
    // The justifications are shown as text on the cards.
    expect(shadow(card(el, 'E11.9')).querySelector('.engines li')!.textContent!.length).to.be.greaterThan(20);
    await expect(el).to.be.accessible();
  });

  it('all three engines: one card per code, each engine with its own score; a discarded code flagged and listed', async () => {
    const el = await mountThreeEngines();
    // E11.65: all three suggested it, one card.
    expect(cards(el).filter((c) => shadow(c).querySelector('.code')?.textContent?.trim() === 'E11.65')).to.have.length(1);
    expect(enginesOf(el, 'E11.65')).to.deep.equal(['heidi', 'sully', 'omniscribe']);
    expect(deepText(card(el, 'E11.65'))).to.match(/Omniscribe\s*95\s?%/);
    // Z79.84: Sully and Omniscribe merged, Heidi did not suggest it.
    expect(enginesOf(el, 'Z79.84')).to.deep.equal(['sully', 'omniscribe']);
    // O24.410: Heidi suggests it, Omniscribe threw it away: the card warns with Omniscribe's reason.
    const flagged = shadow(card(el, 'O24.410')).querySelector('.discarded-by')!;
    expect(flagged.textContent).to.include('Omniscribe discarded this code: ');
    expect(flagged.textContent).to.include("wife's history");
    // Discarded codes are listed apart, never as suggestions (Z79.4 is Heidi's too, and so flagged; R07.9 also).
    const listed = shadow(el).querySelector('details.discarded')!;
    expect(listed.textContent).to.include('Considered and discarded (3)');
    expect(listed.textContent).to.include('The note states the patient is not on insulin.');
    // Each engine is done, shown in the header.
    const phases = [...shadow(el).querySelectorAll('.engines-progress li')].map(
      (li) => `${li.getAttribute('data-engine')}:${li.getAttribute('data-phase')}`,
    );
    expect(phases).to.deep.equal(['heidi:done', 'sully:done', 'omniscribe:done']);
    await expect(el).to.be.accessible();
  });

  it('filters and sorts by agreement; the batch filter takes "suggested by at least N engines"; engines on committed codes', async () => {
    const el = await mountThreeEngines();
    const root = shadow(el);
    const agreement = root.querySelector<HTMLSelectElement>('select.agreement')!;
    agreement.value = '3';
    agreement.dispatchEvent(new Event('change'));
    await settle(el);
    const codes = cards(el).map((c) => shadow(c).querySelector('.code')!.textContent!.trim());
    expect(codes).to.include('E11.65');
    expect(codes).not.to.include('O24.410');
    expect(codes).not.to.include('Z79.84');
    agreement.value = '1';
    agreement.dispatchEvent(new Event('change'));
    const sort = [...root.querySelectorAll<HTMLSelectElement>('.toolbar select')].find((s) =>
      [...s.options].some((o) => o.value === 'agreement'),
    )!;
    sort.value = 'agreement';
    sort.dispatchEvent(new Event('change'));
    root.querySelector<HTMLInputElement>('.toolbar input[type=checkbox]')!.click(); // ungroup
    await settle(el);
    const first = cards(el)[0]!;
    expect(shadow(first).querySelectorAll('.engines li').length).to.equal(3);

    button(root, 'Accept filtered').click();
    await settle(el);
    const min = root.querySelector<HTMLSelectElement>('select.min-engines')!;
    await expect(el).to.be.accessible();
    const panel = root.querySelector('.panel')!;
    const minScore = panel.querySelector<HTMLInputElement>('input[type=number]')!;
    minScore.value = '0';
    minScore.dispatchEvent(new Event('input'));
    panel.querySelector<HTMLSelectElement>('select')!.value = 'LOW';
    panel.querySelector<HTMLSelectElement>('select')!.dispatchEvent(new Event('change'));
    for (const box of panel.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) if (box.checked) box.click();
    min.value = '3';
    min.dispatchEvent(new Event('change'));
    await settle(el);
    // E11.65, I10 and E78.5: the codes all three engines suggested.
    expect(panel.textContent).to.match(/3 pending codes pass/);
    root.querySelector<HTMLButtonElement>('.batch-confirm')!.click();
    await settle(el);
    let committed: readonly CommittedCode[] = [];
    let provenance: { entity?: { what?: { identifier?: { system?: string; value?: string } } }[] }[] = [];
    el.addEventListener(
      'heidi-codes-commit',
      (e) => {
        committed = e.detail.codes;
        const entries = (e.detail.fhir as { entry: { resource: { resourceType: string } }[] }).entry;
        provenance = entries.map((x) => x.resource).filter((r) => r.resourceType === 'Provenance') as typeof provenance;
      },
      { once: true },
    );
    await el.commit();
    expect(committed.map((c) => c.code).sort()).to.deep.equal(['E11.65', 'E78.5', 'I10']);
    expect(committed.every((c) => c.engines.join() === 'heidi,sully,omniscribe')).to.equal(true);
    // Each Provenance names the Heidi session and the peers' own runs (Sully's coding id, Omniscribe's run_id).
    expect(provenance).to.have.length(3);
    for (const p of provenance) {
      const systems = (p.entity ?? []).map((x) => x.what?.identifier?.system);
      expect(systems).to.include.members(['urn:heidi:session-id', 'urn:heidi:run-id:sully', 'urn:heidi:run-id:omniscribe']);
    }
  });

  it("codes only the peers suggested carry Omniscribe's score: sorted by it, reported, audited, and batch-accepted on it", async () => {
    let loaded: readonly CodesLoadEntity[] = [];
    const onLoad = (e: Event) => (loaded = (e as CustomEvent<{ entities: readonly CodesLoadEntity[] }>).detail.entities);
    document.addEventListener('heidi-codes-load', onLoad, { once: true });
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: { engines: 'heidi,sully,omniscribe', ...PEERS }, props: FAST });
    await settle(el);
    const root = shadow(el);
    // E66.9: Sully and Omniscribe (88 %), not Heidi. The card, the load event and the sort read one score.
    expect(enginesOf(el, 'E66.9')).to.deep.equal(['sully', 'omniscribe']);
    expect(loaded.find((e) => e.code.code === 'E66.9')?.score).to.equal(0.88);
    expect(shadow(card(el, 'E66.9')).querySelector('.meta')?.textContent).to.match(/88\s?%/);
    const sort = [...root.querySelectorAll<HTMLSelectElement>('.toolbar select')].find((s) =>
      [...s.options].some((o) => o.value === 'score'),
    )!;
    sort.value = 'score';
    sort.dispatchEvent(new Event('change'));
    root.querySelector<HTMLInputElement>('.toolbar input[type=checkbox]')!.click(); // ungroup
    await settle(el);
    const order = cards(el).map((c) => shadow(c).querySelector('.code')!.textContent!.trim());
    expect(order.indexOf('E66.9')).to.be.below(order.indexOf('R50.9'));

    // The loosest filter with "at least 2 engines": the peers' agreed codes pass with Heidi's (the review's repro).
    button(root, 'Accept filtered').click();
    await settle(el);
    const panel = root.querySelector('.panel')!;
    expect(panel.querySelector('p.unrated')?.textContent).to.include('do not rate relevance');
    await expect(el).to.be.accessible();
    const minScore = panel.querySelector<HTMLInputElement>('input[type=number]')!;
    minScore.value = '0';
    minScore.dispatchEvent(new Event('input'));
    const relevance = panel.querySelector<HTMLSelectElement>('select')!;
    relevance.value = 'LOW';
    relevance.dispatchEvent(new Event('change'));
    for (const box of panel.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) if (box.checked) box.click();
    const min = root.querySelector<HTMLSelectElement>('select.min-engines')!;
    min.value = '2';
    min.dispatchEvent(new Event('change'));
    await settle(el);
    // Heidi's and Sully's M17.11, 20610, 414916001 and the peers' E66.9, Z68.33, Z87.11 (the review's repro).
    const passing = Number(/(\d+) pending codes pass/.exec(panel.textContent ?? '')?.[1]);
    // Still held to the score: above Omniscribe's 88 % the peers' codes drop out.
    minScore.value = '90';
    minScore.dispatchEvent(new Event('input'));
    await settle(el);
    expect(Number(/(\d+) pending codes? pass/.exec(panel.textContent ?? '')?.[1])).to.be.below(passing);
    minScore.value = '0';
    minScore.dispatchEvent(new Event('input'));
    await settle(el);
    root.querySelector<HTMLButtonElement>('.batch-confirm')!.click();
    await settle(el);
    const accepted = cards(el)
      .filter((c) => c.getAttribute('status') === 'ACCEPTED')
      .map((c) => shadow(c).querySelector('.code')!.textContent!.trim());
    expect(accepted).to.have.length(passing);
    expect(accepted).to.include.members(['E66.9', 'Z68.33', 'Z87.11', 'M17.11']);
    const audit = el.reviewState!.audit.find((a) => a.codeAfter?.code === 'E66.9');
    expect(audit?.score).to.equal(0.88);
    expect(audit?.engines).to.deep.equal(['sully', 'omniscribe']);
  });

  it('one engine failing: the others show, a notice names it, heidi-error has engine set', async () => {
    await sullyScenario({ failures: [{ kind: 'failed' }] });
    const { errors, stop } = pageErrors();
    try {
      const el = await mountThreeEngines();
      expect(errors.map((e) => [e.engine, e.code])).to.deep.equal([['sully', 'server']]);
      const notices = [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent);
      expect(notices.some((n) => n!.startsWith('Sully could not code this consultation'))).to.equal(true);
      expect(enginesOf(el, 'E11.65')).to.deep.equal(['heidi', 'omniscribe']);
      expect(shadow(el).querySelector('.engines-progress li[data-engine=sully]')!.getAttribute('data-phase')).to.equal('failed');
      await expect(el).to.be.accessible();
    } finally {
      stop();
    }
  });

  it('Retry Sully after a 500 on create: only Sully runs again, its codes merge in, decisions and focus kept; notices follow lang', async () => {
    await sullyScenario({ failures: [{ kind: 'status', status: 500, route: 'create', count: 2 }] });
    const { errors, stop } = pageErrors();
    const spy = spyOnFetch();
    try {
      const el = await mountThreeEngines();
      expect(errors.map((e) => [e.engine, e.code, e.retryable])).to.deep.equal([['sully', 'server', true]]);
      const row = () => shadow(el).querySelector<HTMLElement>('.engines-progress li[data-engine=sully]')!;
      const notices = () => [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent!.trim());
      expect(notices()).to.include(en.engineFailed('Sully'));
      expect(shadow(el).querySelectorAll('.engines-progress button').length, 'a Retry for Sully only').to.equal(1);
      // The notice follows a change of lang, as the header does (issue 6's repro).
      el.lang = 'es';
      await settle(el);
      expect(row().textContent).to.contain('Falló');
      expect(notices()).to.include(es.engineFailed('Sully'));
      expect(button(shadow(el), 'Reintentar Sully').textContent!.trim()).to.equal('Reintentar');
      el.lang = 'en';
      await settle(el);
      button(card(el, 'E11.65'), 'Accept ').click();
      await settle(el);
      await expect(el).to.be.accessible();

      const reloads = () => spy.calls.filter((c) => /\/mock-heidi\/|\/ehr\/omniscribe/.test(c.url)).length;
      const before = reloads();
      let loads = 0;
      el.addEventListener('heidi-codes-load', () => (loads += 1));
      // With the keyboard; the first retry fails again: the row says so, with its Retry, and keeps focus.
      button(shadow(el), 'Retry Sully').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => errors.length === 2, 'the second failure');
      await until(() => row().querySelector('button') !== null && row().getAttribute('data-phase') === 'failed', 'Retry again');
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(errors[1]).to.include({ engine: 'sully', code: 'server' });
      expect(shadow(el).activeElement, 'focus on the Sully row').to.equal(row());
      expect(notices(), 'failed again: the notice is back').to.include(en.engineFailed('Sully'));

      button(shadow(el), 'Retry Sully').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => row().getAttribute('data-phase') === 'done', 'Sully done');
      await settle(el);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(reloads(), 'neither Heidi nor Omniscribe asked again').to.equal(before);
      expect(loads).to.equal(2);
      expect(enginesOf(el, 'E11.65')).to.deep.equal(['heidi', 'omniscribe', 'sully']);
      expect(card(el, 'E11.65').getAttribute('status'), 'the decision is kept').to.equal('ACCEPTED');
      expect(notices().some((n) => n.includes('Sully'))).to.equal(false);
      expect(row().querySelector('button')).to.equal(null);
      expect(shadow(el).activeElement, 'focus stays on the Sully row').to.equal(row());
      expect(errors).to.have.length(2);
      await expect(el).to.be.accessible();
    } finally {
      spy.restore();
      stop();
    }
  });

  it('a Retry that ends while the reviewer works far down the list keeps their place (the focused card, not card 1)', async () => {
    await sullyScenario({ failures: [{ kind: 'status', status: 500, route: 'create', count: 1 }] });
    const { el } = await mountLoaded({ sessionId: 'generated-500', attrs: { engines: 'heidi,sully', ...PEERS }, props: FAST });
    await settle(el);
    cards(el)[0]!.focus();
    await sendKeys({ press: 'End' });
    const focusedId = () => shadow(el).activeElement?.getAttribute('data-id');
    await until(() => cards(el).length > 0 && focusedId() === cards(el).at(-1)!.getAttribute('data-id'), 'the last card focused');
    const last = focusedId();
    const row = () => shadow(el).querySelector<HTMLElement>('.engines-progress li[data-engine=sully]')!;
    button(shadow(el), 'Retry Sully').click(); // by pointer: the focus stays on the card
    await until(() => row().getAttribute('data-phase') === 'done', 'Sully done');
    await settle(el);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(focusedId(), 'the same card still has focus').to.equal(last);
  });

  it("two Retries at once: the first to end leaves the other's seconds ticking and says nothing of its old failure", async () => {
    await sullyScenario({ failures: [{ kind: 'status', status: 500, route: 'create', count: 1 }] });
    await omniscribeScenario({ failures: [{ kind: 'status', status: 500, count: 3 }] });
    const el = await mountThreeEngines();
    const row = (engine: string) => shadow(el).querySelector<HTMLElement>(`.engines-progress li[data-engine=${engine}]`)!;
    const notices = () => [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent!.trim());
    expect(notices()).to.include.members([en.engineFailed('Sully'), en.engineFailed('Omniscribe')]);
    await omniscribeScenario({ latencyMs: 2500 });
    button(shadow(el), 'Retry Omniscribe').click();
    await until(() => row('omniscribe').getAttribute('data-phase') === 'processing', 'Omniscribe coding again');
    await el.updateComplete;
    expect(notices(), 'a Retry that runs is not a failure').to.not.include(en.engineFailed('Omniscribe'));
    button(shadow(el), 'Retry Sully').click();
    await until(() => row('sully').getAttribute('data-phase') === 'done', 'Sully done first');
    await el.updateComplete;
    expect(notices(), "Sully's end does not bring back Omniscribe's old failure").to.not.include(en.engineFailed('Omniscribe'));
    expect(notices()).to.not.include(en.engineFailed('Sully'));
    const seconds = () => Number(/Coding… (\d+) s/.exec(row('omniscribe').textContent ?? '')?.[1] ?? -1);
    const then = seconds();
    await until(() => seconds() > then || row('omniscribe').getAttribute('data-phase') === 'done', 'the next second, or the end');
    expect(row('omniscribe').getAttribute('data-phase'), 'it ticked before Omniscribe ended').to.equal('processing');
    await until(() => row('omniscribe').getAttribute('data-phase') === 'done', 'Omniscribe done');
    await el.updateComplete;
    expect(notices().filter((n) => /Sully|Omniscribe/.test(n))).to.deep.equal([]);
  });

  it('every engine failing is the whole load failing (Omniscribe 413 is invalid-request)', async () => {
    const big = `${QUICKSTART_NOTE} ${'Stable. '.repeat(8000)}`;
    const { el, errors } = await mountNote(big, { engines: 'omniscribe', ...PEERS });
    await until(() => errors.length > 0, 'heidi-error');
    await el.updateComplete;
    expect(errors[0]).to.include({ code: 'invalid-request', status: 413 });
    expect(errors[0]!.engine).to.equal(undefined);
    expect(shadow(el).querySelector('[role=alert]')!.textContent).to.include('refused the note');
    await expect(el).to.be.accessible();
  });

  it('Cancel per engine: a slow Omniscribe is cancelled, Heidi and Sully are shown', async () => {
    await omniscribeScenario({ latencyMs: 20_000 });
    const user = newUser();
    const el = document.createElement('heidi-clinical-codes');
    for (const [k, v] of Object.entries({
      'api-base': '/mock-heidi',
      'token-url': tokenUrl(user),
      'session-id': 'fx-t2dm-review',
      engines: 'heidi,sully,omniscribe',
      ...PEERS,
    }))
      el.setAttribute(k, v);
    Object.assign(el, FAST);
    let loaded = false;
    el.addEventListener('heidi-codes-load', () => (loaded = true));
    (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
    const row = () => shadow(el).querySelector('.engines-progress li[data-engine=omniscribe]');
    await until(
      () =>
        row()?.getAttribute('data-phase') === 'processing' &&
        shadow(el).querySelector('.engines-progress li[data-engine=sully]')?.getAttribute('data-phase') === 'done',
      'Omniscribe at work',
    );
    expect(row()!.textContent).to.match(/Coding… \d+ s/);
    await expect(el).to.be.accessible();
    // With the keyboard: the Cancel goes with the work it stopped, and focus stays on the engine's row, which says so.
    button(shadow(el), 'Cancel Omniscribe').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => loaded, 'codes');
    await settle(el);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(row()!.getAttribute('data-phase')).to.equal('cancelled');
    expect(shadow(el).activeElement, 'focus on the Omniscribe row, not the page').to.equal(row());
    expect(enginesOf(el, 'E11.65')).to.deep.equal(['heidi', 'sully']);
    await expect(el).to.be.accessible();
  });

  it('an empty host note skips the peers with a notice, not an error; an unknown engine is a config error', async () => {
    const empty = await mountNote('  ', { engines: 'sully,omniscribe', ...PEERS });
    await until(() => empty.loaded() !== undefined, 'load');
    await empty.el.updateComplete;
    expect(empty.errors).to.deep.equal([]);
    expect(deepText(empty.el)).to.include('No note to code: Sully, Omniscribe skipped.');
    await expect(empty.el).to.be.accessible();

    const bad = await mountNote('x', { engines: 'heidi,watson', ...PEERS });
    await until(() => bad.errors.length > 0, 'heidi-error');
    expect(bad.errors[0]).to.include({ code: 'config', retryable: false });
    expect(bad.errors[0]!.message).to.include('watson');
  });
});

// Cards following their code across engines (review pass 3). Here, not in card-identity.test.ts: they call the
// peer mocks, whose scenarios this file's tests set for every caller, so they must not run beside them.
const THREE = { engines: 'heidi,sully,omniscribe', ...PEERS };
const statusOf = (el: HeidiClinicalCodes, code: string) => card(el, code).getAttribute('status');
const sentMark = (el: HeidiClinicalCodes, code: string) => !!shadow(card(el, code)).querySelector('.sent');

async function commitDetail(el: HeidiClinicalCodes): Promise<CodesCommitDetail | undefined> {
  let detail: CodesCommitDetail | undefined;
  el.addEventListener('heidi-codes-commit', (e) => (detail = e.detail), { once: true });
  await el.commit();
  return detail;
}

describe('a decision follows its code across engines', () => {
  beforeEach(() => sessionStorage.clear()); // fx-knee-oa's stored review from the tests above
  it('Heidi down on a reload: the peer cards for the sent codes are accepted and sent, and nothing is withdrawn', async () => {
    const user = newUser();
    const first = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(first.el);
    for (const code of ['M17.11', '20610']) button(card(first.el, code), 'Accept ').click();
    await settle(first.el);
    const sent = await commitDetail(first.el);
    expect(sent!.added.map((c) => c.code).sort()).to.deep.equal(['20610', 'M17.11']);
    first.el.remove();

    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 503, count: 8 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(el);
    const engines = [...shadow(card(el, 'M17.11')).querySelectorAll('.engines li')].map((li) => li.getAttribute('data-engine'));
    expect(engines, "the card is the peers' now").to.not.include('heidi');
    for (const code of ['M17.11', '20610']) {
      expect(statusOf(el, code), code).to.equal('ACCEPTED');
      expect(sentMark(el, code), `${code} sent`).to.equal(true);
    }
    // Nothing changed since the send: the EHR is told of nothing new and nothing gone, and still holds both.
    const again = await commitDetail(el);
    expect([again!.added, again!.removed]).to.deep.equal([[], []]);
    expect(again!.codes.map((c) => c.code).sort()).to.deep.equal(['20610', 'M17.11']);
    await expect(el).to.be.accessible();
    el.remove();
  });

  it('a reviewState saved after a send, restored on another workstation where Heidi is down: sent codes stay sent', async () => {
    const user = newUser();
    const first = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(first.el);
    button(card(first.el, 'M17.11'), 'Accept ').click();
    button(card(first.el, '20610'), 'Reject ').click();
    await settle(first.el);
    await commitDetail(first.el);
    const saved = JSON.stringify(first.el.reviewState);
    first.el.remove();
    sessionStorage.clear(); // another workstation

    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 503, count: 8 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: { ...FAST, reviewState: JSON.parse(saved) } });
    await settle(el);
    expect([statusOf(el, 'M17.11'), sentMark(el, 'M17.11')]).to.deep.equal(['ACCEPTED', true]);
    expect(statusOf(el, '20610')).to.equal('REJECTED');
    // Nothing was left out: no notice of decisions whose code is gone.
    expect(deepText(el)).to.not.match(/not applied|no longer/i);
    const again = await commitDetail(el);
    expect([again!.added, again!.removed]).to.deep.equal([[], []]);
  });
});

describe('review rv5b: what the EHR holds, and what Send counts', () => {
  beforeEach(() => sessionStorage.clear()); // fx-knee-oa's stored review from the tests above
  const SULLY_Z87 = 'sully:ICD-10-CM:Z87.11';
  const byId = (el: HeidiClinicalCodes, id: string) => shadow(el).querySelector<HTMLElement>(`heidi-code-card[data-id="${id}"]`);
  const footer = (el: HeidiClinicalCodes) => shadow(el).querySelector('[part="footer"]')!.textContent!.replace(/\s+/g, ' ').trim();

  it('Sully and Omniscribe down on a reload: Z87.11, which Heidi lists only as an alternative, stays sent; nothing is withdrawn', async () => {
    const user = newUser();
    const first = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(first.el);
    button(byId(first.el, SULLY_Z87)!, 'Accept ').click();
    button(card(first.el, 'M17.11'), 'Accept ').click();
    await settle(first.el);
    expect((await commitDetail(first.el))!.added.map((c) => c.code).sort()).to.deep.equal(['M17.11', 'Z87.11']);
    first.el.remove();

    await sullyScenario({ failures: [{ kind: 'failed' }] });
    await omniscribeScenario({ failures: [{ status: 400 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await until(
      () => !shadow(el).querySelector('.engines-progress li[data-phase="processing"], .engines-progress li[data-phase="queued"]'),
      'the peers to fail',
    );
    await settle(el);
    expect(byId(el, SULLY_Z87), "Sully's card is gone").to.equal(null);
    const ulcer = cards(el).find((c) =>
      (c as unknown as { entity: { similar: { code: string }[] } }).entity.similar.some((s) => s.code === 'Z87.11'),
    );
    expect(ulcer, 'a Heidi card lists Z87.11 as an alternative').to.exist;
    expect(footer(el)).to.not.match(/withdraw/i);
    const again = await commitDetail(el);
    expect([again!.added, again!.removed]).to.deep.equal([[], []]);
    // rv6a item 3: `codes` lists what the EHR holds after the send, Z87.11 kept (was ['M17.11'], the old rule).
    expect(again!.codes.map((c) => c.code)).to.deep.equal(['M17.11', 'Z87.11']);
    await expect(el).to.be.accessible();
  });

  it('the Send button counts codes, as the send: K27.9 swapped to Z87.11 and Sully\'s Z87.11 accepted is "Send 1 to EHR"', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(el);
    const sully = byId(el, SULLY_Z87)!;
    const ulcer = card(el, 'K27.9');
    shadow(ulcer).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
    await settle(el);
    button(ulcer, 'Use Z87.11 ').click();
    button(sully, 'Accept ').click();
    await settle(el);
    expect(['K27.9', SULLY_Z87].map((id) => (id === 'K27.9' ? ulcer : sully).getAttribute('status'))).to.deep.equal([
      'ACCEPTED',
      'ACCEPTED',
    ]);
    expect(shadow(el).querySelector('button.send')!.textContent!.trim()).to.equal(en.sendCount(1));
    const detail = await commitDetail(el);
    await settle(el);
    expect(detail!.codes.map((c) => c.code)).to.deep.equal(['Z87.11']);
    expect(footer(el)).to.contain(en.sentOk(1, 0));
    await expect(el).to.be.accessible();
  });
});

describe('review rv5b: warnings as the host receives them', () => {
  beforeEach(() => sessionStorage.clear());
  it('a code Omniscribe discarded is a `discarded` check warning: on the card, in codes[].warnings (each kind once) and the FHIR note', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check', attrs: THREE, props: FAST });
    await settle(el);
    const glaucoma = card(el, 'H40.10');
    expect(shadow(glaucoma).querySelector('.discarded-by')!.textContent).to.include('Omniscribe discarded this code: ');
    button(glaucoma, 'Accept ').click();
    await settle(el);
    const detail = await commitDetail(el);
    const [sent] = detail!.codes;
    expect(sent!.warnings).to.include('discarded');
    expect(new Set(sent!.warnings).size, 'each kind once').to.equal(sent!.warnings.length);
    const notes = JSON.stringify(detail!.fhir.entry.map((e) => (e.resource as { note?: unknown }).note));
    expect(notes).to.match(/Accepted despite check warnings: [^"]*discarded/);
    await expect(el).to.be.accessible();
  });
});

describe('Retry Heidi', () => {
  beforeEach(() => sessionStorage.clear()); // fx-knee-oa's stored review from the tests above
  it("Heidi failed while the peers answered: its row's Retry reloads, and a decision made on a peer card stays on Heidi's", async () => {
    const user = newUser();
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 503, count: 8 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa', attrs: THREE, props: FAST });
    await settle(el);
    const row = () => shadow(el).querySelector<HTMLElement>('.engines-progress li[data-engine=heidi]')!;
    expect(row().getAttribute('data-phase')).to.equal('failed');
    button(card(el, 'M17.11'), 'Accept ').click();
    await settle(el);
    await setScenario(user, { failures: [] });
    const reloaded = new Promise((resolve) => el.addEventListener('heidi-codes-load', resolve, { once: true }));
    button(shadow(el), 'Retry Heidi').click();
    await reloaded;
    await settle(el);
    expect(row().getAttribute('data-phase')).to.equal('done');
    const engines = [...shadow(card(el, 'M17.11')).querySelectorAll('.engines li')].map((li) => li.getAttribute('data-engine'));
    expect(engines[0]).to.equal('heidi');
    expect(statusOf(el, 'M17.11')).to.equal('ACCEPTED');
    await expect(el).to.be.accessible();
  });
});

describe("the host's note: whose review, and what the EHR is given", () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => post('/mock-omniscribe/__reset'));

  it('the same templated note for another patient is another review: nothing decided or sent for the first shows for the second', async () => {
    const { el, loaded } = await mountNote(QUICKSTART_NOTE, { engines: 'omniscribe', ...PEERS, 'ehr-patient-id': 'PT-BOB' });
    await until(() => loaded() !== undefined, 'codes');
    await settle(el);
    button(card(el, 'E11.9'), 'Accept ').click();
    await settle(el);
    const bob = await commitDetail(el);
    expect(bob!.added.map((c) => c.code)).to.deep.equal(['E11.9']);
    const bobReview = bob!.sessionId;
    // The EHR moves to Alice, whose note is word for word the same template.
    const reloaded = new Promise<CustomEvent>((resolve) => el.addEventListener('heidi-codes-load', resolve as never, { once: true }));
    el.setAttribute('ehr-patient-id', 'PT-ALICE');
    const alice = (await reloaded).detail.sessionId as string;
    await settle(el);
    expect(alice, "Alice's review is not Bob's").to.not.equal(bobReview);
    expect([statusOf(el, 'E11.9'), sentMark(el, 'E11.9')]).to.deep.equal(['PENDING', false]);
    button(card(el, 'E11.9'), 'Accept ').click();
    await settle(el);
    const sent = await commitDetail(el);
    expect(
      sent!.added.map((c) => c.code),
      "Alice's EHR is given E11.9",
    ).to.deep.equal(['E11.9']);
  });

  it("the FHIR bundle carries Omniscribe's justification of each code, as its card shows it", async () => {
    const { el, loaded } = await mountNote(QUICKSTART_NOTE, { engines: 'omniscribe', ...PEERS, 'ehr-patient-id': 'PT-7' });
    await until(() => loaded() !== undefined, 'codes');
    await settle(el);
    button(card(el, 'E11.9'), 'Accept ').click();
    await settle(el);
    const shown = shadow(card(el, 'E11.9')).querySelector('.engines li')!.textContent!.replace(/\s+/g, ' ');
    const detail = await commitDetail(el);
    const [condition] = (detail!.fhir as { entry: { resource: { resourceType: string; note?: { text: string }[] } }[] }).entry
      .map((x) => x.resource)
      .filter((r) => r.resourceType === 'Condition');
    const justification = condition!.note!.map((n) => n.text).find((t) => t.startsWith('Omniscribe justification: '));
    expect(justification, 'an Omniscribe justification note').to.be.a('string');
    expect(shown).to.contain(justification!.slice('Omniscribe justification: '.length));
  });
});
