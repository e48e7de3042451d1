/**
 * Localisation on screen: in Spanish (by the element's own `lang`, or only an
 * ancestor's) no English UI text is left in any state, accessible names and
 * tooltips are Spanish too, and numbers are formatted by Intl for the language.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { HeidiCodeCard } from '../../src/elements/code-card/code-card.ts';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';
import { FIXTURES, type Fixture } from '../../demo/fixtures/index.ts';
import { button, card, cards, mount, mountLoaded, newUser, setScenario, shadow, tokenUrl, until, settle } from './helpers.ts';

// Decisions persist per session in sessionStorage: every test starts clean and leaves nothing behind
// (review.test.ts once saw a restored decision it had not made).
beforeEach(() => sessionStorage.clear());
afterEach(() => sessionStorage.clear());

// ---------------------------------------------------------------- what counts as English UI text

/** Catalogue leaves with their paths. */
function leaves(value: unknown, path: string[] = []): { path: string; value: unknown }[] {
  if (typeof value === 'string' || typeof value === 'function') return [{ path: path.join('.'), value }];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
  return [];
}

const HOLE = '\u0001';
/** Arguments that leave a hole where each value goes: strings become HOLE, numbers 1 and 7 (singular, plural). */
function holes(fn: (...args: never[]) => unknown): unknown[][] {
  const checkParams = (n: number) =>
    new Proxy({} as Record<string, string | number>, {
      get: (_, key) =>
        key === 'count'
          ? n
          : key === 'codeSex' || key === 'patientSex'
            ? n === 1
              ? 'female'
              : 'male'
            : key === 'source'
              ? n === 1
                ? 'note'
                : 'transcript'
              : HOLE,
    });
  if (fn.length === 0) return [[]];
  // Which argument kinds a message takes is in its English source: numbers are named count/seconds/accepted/...
  const source = fn.toString();
  const params =
    /^\(?([^)=]*)\)?\s*=>/
      .exec(source)?.[1]
      ?.split(',')
      .map((p) => p.trim().split(':')[0]!.trim()) ?? [];
  const numeric = /^(count|seconds|accepted|rejected|total|n)$/;
  return [1, 7].map((n) => params.map((p) => (p === 'p' ? checkParams(n) : numeric.test(p) ? n : HOLE)));
}

/** The fixed words of a message: its text split at the holes and numbers, each piece trimmed to letters at both ends. */
function fragments(text: string): string[] {
  return text
    .split(new RegExp(`${HOLE}|\\d+`))
    .map((piece) => piece.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter((piece) => /[A-Za-z]{3}/.test(piece));
}

/** Every fixed piece of English UI text, except keyboard key names (the same keys in every language). */
function englishPieces(): string[] {
  const pieces = new Set<string>();
  for (const leaf of leaves(en)) {
    if (leaf.path.startsWith('keyNames.')) continue;
    if (typeof leaf.value === 'string') fragments(leaf.value).forEach((f) => pieces.add(f));
    else
      for (const args of holes(leaf.value as (...a: never[]) => unknown))
        fragments(String((leaf.value as (...a: unknown[]) => unknown)(...args))).forEach((f) => pieces.add(f));
  }
  // Words a Spanish message uses too (proper names, identifiers like token-url) are not English leftovers.
  const spanish = leaves(es)
    .map((leaf) => (typeof leaf.value === 'string' ? leaf.value : ''))
    .join('\n');
  return [...pieces].filter((piece) => !spanish.includes(piece));
}

const ENGLISH = englishPieces().map((piece) => ({
  piece,
  pattern: new RegExp(`(?<![\\p{L}\\p{N}])${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u'),
}));

/** Everything the Heidi API (the fixture) provides: codes, names, metadata, snippets, note, transcript, context. */
function apiText(fixture: Fixture): string[] {
  const out: string[] = [fixture.transcript, fixture.session.consult_note?.result ?? ''];
  for (const entity of fixture.clinicalCodes.clinical_entities) {
    for (const c of [entity.primary_code, ...(entity.similar_codes ?? [])]) {
      if (!c) continue;
      out.push(c.code, c.code_name ?? '', c.code_system ?? '');
      for (const value of Object.values(c.metadata ?? {})) {
        if (typeof value === 'string') out.push(value);
        if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
      }
    }
    for (const ref of entity.reference_in_transcript ?? []) out.push(ref.transcript_text ?? '');
    for (const ref of entity.reference_in_context ?? [])
      out.push(...Object.values(ref ?? {}).filter((v): v is string => typeof v === 'string'));
  }
  return out.filter((s) => s.trim().length > 0).sort((a, b) => b.length - a.length);
}

/** Visible text nodes of the element's shadow trees (closed <details> bodies and hidden nodes are not visible). */
function visibleTexts(el: HeidiClinicalCodes): string[] {
  const texts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (node.textContent?.trim() && parent?.checkVisibility()) texts.push(node.textContent);
      return;
    }
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    node.childNodes.forEach(walk);
  };
  walk(shadow(el));
  return texts;
}

/** aria-label, title and similar attributes in the element's shadow trees (and on its cards). */
function attributeTexts(el: HeidiClinicalCodes): string[] {
  const texts: string[] = [];
  const walk = (root: ShadowRoot) => {
    for (const node of root.querySelectorAll('*')) {
      for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription', 'aria-valuetext']) {
        const value = node.getAttribute(name);
        if (value?.trim()) texts.push(value);
      }
      if (node.shadowRoot) walk(node.shadowRoot);
    }
  };
  walk(shadow(el));
  return texts;
}

/** English UI pieces left in `texts` once the API's own text is taken out. */
function englishIn(texts: readonly string[], api: readonly string[]): string[] {
  const found: string[] = [];
  for (const raw of texts) {
    let text = raw;
    for (const s of api) if (text.includes(s)) text = text.split(s).join(' ¶ ');
    const rest = text.trim();
    // A piece of the note or transcript between two evidence marks is API text too.
    if (!rest || api.some((s) => s.length > 40 && s.includes(rest))) continue;
    for (const { piece, pattern } of ENGLISH) if (pattern.test(text)) found.push(`"${piece}" in "${raw.trim().slice(0, 80)}"`);
  }
  return found;
}

// ---------------------------------------------------------------- mounting in Spanish

const glaucoma = FIXTURES.find((f) => f.id === 'fx-glaucoma-check')!;
const knee = FIXTURES.find((f) => f.id === 'fx-knee-oa')!;
const API = [...new Set([...apiText(glaucoma), ...apiText(knee)])].sort((a, b) => b.length - a.length);

type How = 'lang="es" on the element' | 'only an ancestor <div lang="es-MX">';
const HOWS: How[] = ['lang="es" on the element', 'only an ancestor <div lang="es-MX">'];

async function mountIn(
  how: How,
  sessionId: string,
  attrs: Record<string, string> = {},
  user = newUser('i18n'),
  wait = true,
): Promise<HeidiClinicalCodes> {
  if (how === 'lang="es" on the element') {
    return wait
      ? (await mountLoaded({ user, sessionId, attrs: { lang: 'es', ...attrs } })).el
      : (await mount({ user, sessionId, attrs: { lang: 'es', ...attrs } })).el;
  }
  const loaded = wait
    ? new Promise((resolve) => document.addEventListener('heidi-codes-load', resolve, { once: true }))
    : Promise.resolve();
  const wrapper = await fixture<HTMLDivElement>(html`<div lang="es-MX"><section><p>Página del EHR</p></section></div>`);
  const el = document.createElement('heidi-clinical-codes');
  el.setAttribute('api-base', '/mock-heidi');
  el.setAttribute('token-url', tokenUrl(user));
  el.setAttribute('session-id', sessionId);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  wrapper.querySelector('section')!.append(el);
  await loaded;
  await settle(el);
  return el;
}

/** Collect English leftovers per state, then assert none at the end (one failure lists them all). */
function recorder(el: () => HeidiClinicalCodes) {
  const problems: string[] = [];
  return {
    problems,
    async check(state: string): Promise<void> {
      await settle(el());
      const texts = visibleTexts(el());
      expect(texts.length, `${state}: some text is visible`).to.be.greaterThan(0);
      for (const p of englishIn(texts, API)) problems.push(`${state}: text ${p}`);
      for (const p of englishIn(attributeTexts(el()), API)) problems.push(`${state}: attribute ${p}`);
    },
  };
}

function toolbarButton(el: HeidiClinicalCodes, text: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll<HTMLButtonElement>('.toolbar button')].find((b) => b.textContent?.includes(text));
  if (!found) throw new Error(`no toolbar button "${text}"`);
  return found;
}

describe('the test itself', () => {
  it('finds English in an English element, and the Spanish catalogue has none of it', async () => {
    expect(ENGLISH.length).to.be.greaterThan(80);
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    const found = englishIn([...visibleTexts(el), ...attributeTexts(el)], API);
    expect(found.join('\n')).to.contain('"Clinical codes"').and.contain('"Accept"').and.contain('"To review"');
    const spanishCatalogue = leaves(es).map((l) => (typeof l.value === 'string' ? l.value : ''));
    expect(englishIn(spanishCatalogue, [])).to.deep.equal([]);
  });
});

for (const how of HOWS) {
  describe(`Spanish, ${how}`, () => {
    it('no English UI text in any state of the review, in text, accessible names or tooltips', async () => {
      let el = await mountIn(how, 'fx-glaucoma-check');
      const { problems, check } = recorder(() => el);
      expect(shadow(el).querySelector('h2')!.textContent).to.equal('Códigos clínicos');
      expect(shadow(card(el, 'H40.10')).querySelector('[part="checks"]')).to.exist;
      await check('loaded with check warnings');

      for (const c of cards(el)) for (const summary of shadow(c).querySelectorAll<HTMLElement>('details > summary')) summary.click();
      await until(() => cards(el).every((c) => (c as HeidiCodeCard).expanded), 'evidence open');
      await check('evidence and similar codes open');

      const [a, r, s] = [card(el, 'H40.10'), card(el, '92016-00'), cards(el)[2]!];
      button(a, 'Aceptar ').click();
      button(r, 'Rechazar ').click();
      shadow(s).querySelector<HTMLButtonElement>('details[part="similar"] button')!.click();
      shadow(a).querySelector<HTMLButtonElement>('button.pick')!.click();
      await check('accepted, rejected, swapped, selected');

      const source = shadow(shadow(el).querySelector('heidi-source-view')!);
      [...source.querySelectorAll<HTMLButtonElement>('.tabs button')].find((b) => b.getAttribute('aria-pressed') === 'false')!.click();
      await check('the other source tab');

      toolbarButton(el, 'Aceptar filtrados').click();
      toolbarButton(el, 'Atajos de teclado').click();
      await check('batch panel and shortcuts sheet open');

      let release!: () => void;
      el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(new Promise<void>((ok) => (release = ok))), { once: true });
      shadow(el).querySelector<HTMLButtonElement>('button.send')!.click();
      await check('sending');
      expect(shadow(el).querySelector('.commit-msg')!.textContent).to.contain('Enviando a la historia clínica');
      release();
      await until(() => !!shadow(el).querySelector('.commit-msg.sent'), 'sent');
      await check('sent');

      button(cards(el)[3]!, 'Aceptar ').click();
      el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(Promise.reject(new Error('HCE sin conexión'))), { once: true });
      await el.commit();
      await check('send failed');
      el.addEventListener('heidi-codes-commit', (e) => e.preventDefault(), { once: true });
      await el.commit();
      await check('send declined');

      el = await mountIn(how, 'fx-knee-oa', { 'ehr-patient-id': 'EHR-PT-9999' });
      button(cards(el)[0]!, 'Aceptar ').click();
      await check('blocked: another patient');

      el = await mountIn(how, 'fx-glaucoma-check', { readonly: '' });
      await check('read-only');

      el = await mountIn(how, 'generated-0');
      await check('empty');

      const user = newUser('i18n');
      await setScenario(user, { failures: [{ route: 'transcript', status: 500, count: 3 }] });
      el = await mountIn(how, 'fx-knee-oa', {}, user);
      expect(shadow(el).querySelector('.notice')).to.exist;
      await check('degraded: no transcript');

      expect(problems).to.deep.equal([]);
    });

    it('no English while loading, generating, cancelled and in error', async () => {
      const user = newUser('i18n');
      await setScenario(user, { generationMs: 4000 });
      let el = await mountIn(how, 'fx-knee-oa', {}, user, false);
      const { problems, check } = recorder(() => el);
      await check('loading');
      await until(() => !!shadow(el).querySelector('.state button'), 'generating');
      await check('generating');
      shadow(el).querySelector<HTMLButtonElement>('.state button')!.click();
      await check('cancelled');
      expect(shadow(el).querySelector('.state')!.textContent).to.contain('Se canceló la generación de códigos');

      const failing = newUser('i18n');
      await setScenario(failing, { failures: [{ route: 'clinical-codes', status: 500 }] });
      el = await mountIn(how, 'fx-knee-oa', {}, failing, false);
      await until(() => !!shadow(el).querySelector('[role="alert"]'), 'error');
      await check('error');
      expect(shadow(el).querySelector('[role="alert"]')!.textContent)
        .to.contain('No se pudieron mostrar los códigos')
        .and.contain('Reintentar');
      // The alert says it; the live region does not repeat it (a screen reader would read it twice).
      expect(shadow(el).querySelector('[role="status"]')!.textContent).not.to.contain('No se pudieron mostrar');
      expect(problems).to.deep.equal([]);
    });

    it('the live region speaks Spanish: loaded, decisions', async () => {
      const el = await mountIn(how, 'fx-knee-oa');
      const live = shadow(el).querySelector('[role="status"]')!;
      await until(() => live.textContent?.trim() === `${cards(el).length} códigos sugeridos.`, 'loaded announcement');
      const first = cards(el)[0]!;
      const code = shadow(first).querySelector('.code')!.textContent!.trim();
      button(first, 'Rechazar ').click();
      await until(() => live.textContent?.trim() === `${code}: Rechazado`, 'decision announcement');
    });

    it('scores are Intl percentages for the language (a no-break space before % in Spanish)', async () => {
      const el = await mountIn(how, 'fx-glaucoma-check');
      const lang = how === 'lang="es" on the element' ? 'es' : 'es-MX';
      const format = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
      const meta = shadow(card(el, 'H40.10')).querySelector('.meta')!.textContent!;
      expect(meta).to.contain(`Puntuación ${format.format(0.902)}`);
      // Intl's own convention: Spain's Spanish puts a no-break space before %, Mexico's does not.
      if (lang === 'es') {
        expect(format.format(0.902)).to.equal('90\u00a0%');
        expect(meta).not.to.match(/\d%/);
      }
      const c = card(el, 'H40.10');
      shadow(c).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
      await settle(el);
      const similar = [...shadow(c).querySelectorAll('details[part="similar"] .ctx')].map((n) => n.textContent);
      expect(similar).to.include(format.format(0.889));
    });

    it('accessible names and tooltips of the controls are Spanish', async () => {
      const el = await mountIn(how, 'fx-knee-oa');
      const first = cards(el)[0]!;
      const code = shadow(first).querySelector('.code')!.textContent!.trim();
      const accept = shadow(first).querySelector('button.accept')!;
      expect(accept.getAttribute('aria-label')).to.equal(`Aceptar ${code}`);
      expect(accept.getAttribute('title')).to.equal('Aceptar (a)');
      expect(shadow(first).querySelector('button.reject')!.getAttribute('aria-label')).to.equal(`Rechazar ${code}`);
      expect(toolbarButton(el, 'Atajos').getAttribute('title')).to.equal('Atajos de teclado (?)');
      const lists = [...shadow(el).querySelectorAll('ul[part="list"]')].map((u) => u.getAttribute('aria-label'));
      expect(lists).to.include.members(['Diagnósticos', 'Procedimientos']);
      const source = shadow(shadow(el).querySelector('heidi-source-view')!);
      expect(source.querySelector('.tabs')!.getAttribute('aria-label')).to.equal('Documento de origen');
      expect(source.querySelector('.text')!.getAttribute('aria-label')).to.equal('Nota');
      expect(shadow(el).querySelector('button.send')!.textContent!.trim()).to.equal('Enviar a la historia clínica');
      shadow(first).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
      await settle(el);
      const swap = shadow(first).querySelector('details[part="similar"] button')!;
      expect(swap.getAttribute('aria-label')).to.match(/^Usar \S+ .+ en su lugar$/);
      expect(swap.getAttribute('title')).to.match(/en su lugar \(1\)$/);
    });
  });
}

describe('language of the content', () => {
  // Needs an element change (see report): on a page in a language without a catalogue (here French) the UI
  // falls back to English, but its text inherits lang="fr", so screen readers read English with French rules
  // (WCAG 3.1.2). Fix in src/heidi-clinical-codes.ts `render`: wrap the template in
  // `<div lang=${messagesFor(this.resolvedLang()).lang}>` (or set that `lang` on each top-level block).
  it('an English fallback inside a French page is marked lang="en"', async () => {
    const user = newUser('i18n');
    const loaded = new Promise((resolve) => document.addEventListener('heidi-codes-load', resolve, { once: true }));
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="fr"></div>`);
    const el = document.createElement('heidi-clinical-codes');
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('token-url', tokenUrl(user));
    el.setAttribute('session-id', 'fx-knee-oa');
    wrapper.append(el);
    await loaded;
    await settle(el);
    const title = shadow(el).querySelector('h2')!;
    expect(title.textContent).to.equal('Clinical codes');
    let at: Element | null = title;
    while (at && !at.hasAttribute('lang')) {
      const root: Node = at.getRootNode();
      at = at.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
    }
    expect(at?.getAttribute('lang')).to.match(/^en\b/);
  });

  // Needs an element change (see report): the technical detail under "Detalles" is the core's English
  // HeidiError.message (meant for support staff); in a Spanish UI it should say it is English.
  // Fix in src/heidi-clinical-codes.ts `renderError`: `<span lang="en">${error.message}</span>`.
  it('the English technical detail of an error is marked lang="en" in a Spanish UI', async () => {
    const user = newUser('i18n');
    await setScenario(user, { failures: [{ route: 'clinical-codes', status: 500 }] });
    const el = await mountIn('lang="es" on the element', 'fx-knee-oa', {}, user, false);
    await until(() => !!shadow(el).querySelector('[role="alert"] details'), 'error details');
    const detail = shadow(el).querySelector('[role="alert"] details > span')!;
    expect(detail.textContent).to.match(/Heidi|status|failure/i);
    expect(detail.closest('[lang]')?.getAttribute('lang')).to.equal('en');
  });
});

describe('language from an ancestor across shadow roots', () => {
  it("an element inside another component's shadow root takes the lang of that component's ancestors", async () => {
    const outer = document.createElement('div');
    outer.lang = 'es';
    const host = document.createElement('div');
    outer.append(host);
    const el = document.createElement('heidi-clinical-codes');
    el.setAttribute('api-base', '/mock-heidi');
    host.attachShadow({ mode: 'open' }).append(el);
    document.body.append(outer);
    try {
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal('Códigos clínicos');
    } finally {
      outer.remove();
    }
  });
});

describe('a change of lang redraws what stays on screen', () => {
  it('load notices, review notices and the send outcome follow lang, both ways', async () => {
    const user = newUser('i18n');
    await setScenario(user, { failures: [{ route: 'transcript', status: 500, count: 3 }] });
    const { el } = await mountLoaded({ user, sessionId: 'fx-knee-oa' });
    const notices = () => [...shadow(el).querySelectorAll('.notice')].map((n) => n.textContent!.trim());
    const outcome = () => shadow(el).querySelector('.commit-msg')!.textContent!.trim();
    const relang = async (lang: string) => {
      el.lang = lang;
      await settle(el);
    };
    el.reviewState = {
      sessionId: 'fx-knee-oa',
      decisions: { 'icd_10_cm:GONE.1': { status: 'ACCEPTED', at: new Date().toISOString() } },
      audit: [],
    };
    await settle(el);
    expect(notices()).to.deep.equal([en.degradedTranscript, en.restoredUnknown(1)]);
    await relang('es');
    expect(notices()).to.deep.equal([es.degradedTranscript, es.restoredUnknown(1)]);
    await relang('en');
    expect(notices()).to.deep.equal([en.degradedTranscript, en.restoredUnknown(1)]);

    button(cards(el)[0]!, 'Accept ').click();
    await settle(el);
    let release!: () => void;
    el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(new Promise<void>((ok) => (release = ok))), { once: true });
    shadow(el).querySelector<HTMLButtonElement>('button.send')!.click();
    await settle(el);
    expect(outcome()).to.equal(en.sending);
    await relang('es');
    expect(outcome()).to.equal(es.sending);
    expect(shadow(el).querySelector('button.send')!.textContent!.trim()).to.equal(es.sendCount(1));
    release();
    await until(() => !!shadow(el).querySelector('.commit-msg.sent'), 'sent');
    await settle(el);
    expect(outcome()).to.match(/^Se envió 1 código/);
    await relang('en');
    expect(outcome()).to.match(/^Sent 1 code/);
    await expect(el).to.be.accessible();
  });
});
