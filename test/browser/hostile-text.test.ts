/**
 * Hostile text: XSS and injection payloads in every field the element
 * displays (and in the ones it only stores) must render as inert text.
 *
 * 36 payloads × 11 displayed places (primary code name, similar code name,
 * related-code metadata, relevance, transcript snippet, unlocated snippet,
 * the transcript, note snippet, the note, context references as text and as
 * objects) in one consultation, plus the code and code-system fields, plus
 * 3 error-body forms (object msg with 500, string detail with 404, FastAPI
 * list with 422) shown as error details, plus patient and session names
 * (not displayed: asserted inert only).
 *
 * Inert means: `window.__pwned`, which every payload tries to set, stays
 * unset; no element in any of the element's shadow trees is a script, image,
 * frame, SVG, MathML, object, embed, media, link, meta, base or style element,
 * no attribute name starts with `on`, no attribute value is a `javascript:`
 * URL; and the payload text appears verbatim in the rendered text.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { cards, mount, shadow, until } from './helpers.ts';
import { expectInert, rawText } from './inert.ts';
import { plainText } from '../../src/core/text.ts';

const SET = 'window.__pwned=1';

export const PAYLOADS: readonly string[] = [
  `<script>${SET}</script>`,
  `<img src=x onerror="${SET}">`,
  `<svg onload="${SET}"></svg>`,
  `<svg><script>${SET}</script></svg>`,
  `<svg><a xlink:href="javascript:${SET}"><text x="20" y="20">x</text></a></svg>`,
  `javascript:${SET}`,
  `<a href="javascript:${SET}">click</a>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<iframe src="javascript:parent.__pwned=1"></iframe>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${SET}">`,
  `<math href="javascript:${SET}">x</math>`,
  '${' + SET + '}',
  `{{constructor.constructor('${SET}')()}}`,
  `<!--<img src=x onerror="${SET}">-->`,
  `--><img src=x onerror="${SET}"><!--`,
  `]]><img src=x onerror="${SET}">`,
  `</style><img src=x onerror="${SET}">`,
  `</textarea></title><img src=x onerror="${SET}">`,
  `\u202E<img src=x onerror="${SET}">\u202D gnp.exe`,
  `a\u0000<script>${SET}</script>\u0000b`,
  `"'><img src=x onerror="${SET}">`.repeat(200),
  `" onmouseover="${SET}" x="`,
  `' autofocus onfocus='${SET}' x='`,
  `<body onload="${SET}">`,
  `<details open ontoggle="${SET}">`,
  `<object data="javascript:${SET}"></object>`,
  `<embed src="javascript:${SET}">`,
  `<input autofocus onfocus="${SET}">`,
  `<video><source onerror="${SET}"></video>`,
  `<style>@import 'javascript:${SET}';</style>`,
  `<link rel=stylesheet href="javascript:${SET}">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${SET}">`,
  `<template><img src=x onerror="${SET}"></template>`,
  `<noscript><p title="</noscript><img src=x onerror=${SET}>">`,
  `&lt;img src=x onerror=${SET}&gt; &#60;script&#62;`,
  `<base href="javascript:${SET}//">`,
];

async function settleAll(el: HeidiClinicalCodes): Promise<void> {
  await el.updateComplete;
  for (const c of cards(el)) await (c as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  const source = shadow(el).querySelector('heidi-source-view') as unknown as { updateComplete?: Promise<unknown> } | null;
  await source?.updateComplete;
  // Give any injected handler (onerror, onload, autofocus) the chance to run.
  await new Promise((r) => setTimeout(r, 100));
}

function hostileConsultation(sessionId: string) {
  const turns = PAYLOADS.map((p, i) => `[patient] turn ${i}: ${p}`);
  const transcript = turns.join('\n');
  const noteLines = PAYLOADS.map((p, i) => `Line ${i}: ${p}`);
  const note = noteLines.join('\n');
  const turnStart = (i: number) => turns.slice(0, i).reduce((n, t) => n + t.length + 1, 0);
  const lineStart = (i: number) => noteLines.slice(0, i).reduce((n, t) => n + t.length + 1, 0);
  const entities = PAYLOADS.map((p, i) => {
    const tStart = turnStart(i) + `[patient] turn ${i}: `.length;
    const nStart = lineStart(i) + `Line ${i}: `.length;
    return {
      id: `hx-${i}`,
      primary_code: {
        code: `HX${i}`,
        code_name: p,
        code_system: 'icd_10_cm',
        score: 0.5,
        metadata: { parent_code: p, children_code: [`child ${p}`], short_description: p },
      },
      similar_codes: [{ code: `HX${i}S`, code_name: `similar ${p}`, code_system: 'snomed_ct' }],
      reference_in_transcript: [
        { transcript_text: p, location_in_transcript: { start: tStart, end: tStart + p.length } },
        { transcript_text: `unlocated ${p} §${i}`, location_in_transcript: null },
      ],
      location_in_note: [{ start: nStart, end: nStart + p.length }],
      reference_in_context: [`context ${p}`, { text: `context object ${p}` }],
      relevance: `rel ${p}`,
    };
  });
  const everything = PAYLOADS.join(' | ');
  return {
    transcript,
    note,
    codes: { session_id: sessionId, clinical_entities: entities },
    session: {
      session: {
        session_id: sessionId,
        session_name: everything,
        patient: { name: everything, gender: PAYLOADS[1], dob: PAYLOADS[2], demographic_details: everything },
        clinician_notes: [...PAYLOADS],
        consult_note: { status: 'COMPLETE', result: note, heading: everything },
      },
    },
  };
}

function serveConsultation(sessionId: string, c: ReturnType<typeof hostileConsultation>) {
  return spyOnFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith(`/sessions/${sessionId}/clinical-codes`)) return Response.json(c.codes);
    if (path.endsWith(`/sessions/${sessionId}/transcript`)) return Response.json({ transcript: c.transcript });
    if (path.endsWith(`/sessions/${sessionId}`)) return Response.json(c.session);
    return undefined;
  });
}

/** Heidi's codes answer for `sessionId` is these entities; the rest goes to the mock. */
function serveCodes(sessionId: string, entities: readonly object[]) {
  return spyOnFetch((request) =>
    new URL(request.url).pathname.endsWith(`/sessions/${sessionId}/clinical-codes`)
      ? Response.json({ session_id: sessionId, clinical_entities: entities })
      : undefined,
  );
}

async function mountLoadedHere(sessionId: string): Promise<HeidiClinicalCodes> {
  const loaded = new Promise<void>((resolve, reject) => {
    const onLoad = () => {
      document.removeEventListener('heidi-error', onError);
      resolve();
    };
    const onError = (e: Event) => {
      document.removeEventListener('heidi-codes-load', onLoad);
      reject(new Error(`heidi-error ${JSON.stringify((e as CustomEvent).detail)}`));
    };
    document.addEventListener('heidi-codes-load', onLoad, { once: true });
    document.addEventListener('heidi-error', onError, { once: true });
  });
  const { el } = await mount({ sessionId });
  await loaded;
  await el.updateComplete;
  return el;
}

describe(`hostile text: ${PAYLOADS.length} payloads render as inert text`, () => {
  beforeEach(() => {
    delete window.__pwned;
  });
  after(() => {
    delete window.__pwned;
  });

  it('has at least 25 payloads, each of which would run if parsed as HTML', () => {
    expect(PAYLOADS.length).to.be.at.least(25);
    expect(PAYLOADS.every((p) => p.includes('__pwned'))).to.equal(true);
  });

  it('control: the pwned probe works (an <img onerror> parsed as HTML sets it)', async () => {
    const probe = document.createElement('div');
    probe.innerHTML = `<img src="data:," onerror="${SET}">`; // deliberately unsafe, in the test only (a payload-1 twin without a network request)
    document.body.append(probe);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(window.__pwned).to.equal(1);
    } finally {
      probe.remove();
      delete window.__pwned;
    }
  });

  it('in code names, similar names, metadata, relevance, snippets, transcript, note and context: verbatim text, nothing runs', async function () {
    this.timeout(20_000);
    const sessionId = 'hostile-fields';
    const c = hostileConsultation(sessionId);
    const spy = serveConsultation(sessionId, c);
    try {
      const el = await mountLoadedHere(sessionId);
      const list = cards(el);
      expect(list).to.have.length(PAYLOADS.length);
      // Open everything the way a person does: each card's similar codes and its evidence.
      for (const card of list) {
        shadow(card).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
        shadow(card).querySelector<HTMLElement>('details[part="evidence"] summary')!.click();
      }
      await until(
        () => list.every((c) => shadow(c).querySelector('ul.similar') && shadow(c).querySelector('ul.evidence')),
        'every card open',
      );
      await settleAll(el);
      expectInert(el);
      for (const card of list) {
        const i = Number(card.getAttribute('data-id')!.slice(3));
        const p = PAYLOADS[i]!;
        const root = shadow(card);
        const where = `payload ${i}`;
        // Names are shown as FHIR files them (plainText: control characters spaced, bidi controls removed).
        expect(root.querySelector('.name')!.textContent, `${where}: code name`).to.equal(plainText(p));
        const similar = [...root.querySelectorAll('details[part="similar"] li')].map((li) => rawText(li));
        expect(
          similar.some((t) => t.includes(plainText(`similar ${p}`))),
          `${where}: similar name`,
        ).to.equal(true);
        const related = [...root.querySelectorAll('.related')].map((r) => r.textContent ?? '');
        expect(
          related.some((t) => t.includes(p)),
          `${where}: parent code`,
        ).to.equal(true);
        expect(
          related.some((t) => t.includes(`child ${p}`)),
          `${where}: child code`,
        ).to.equal(true);
        // Relevance is shown upper-cased (HIGH, MEDIUM, LOW, or whatever Heidi sent).
        expect(rawText(root.querySelector('.meta')!), `${where}: relevance`).to.contain(`rel ${p}`.toUpperCase());
        const marks = [...root.querySelectorAll('.evidence mark:not(.cue)')].map((m) => m.textContent);
        expect(marks, `${where}: transcript and note snippets`).to.include(p);
        expect(marks.filter((m) => m === p).length, `${where}: transcript + note snippet`).to.equal(2);
        expect(marks, `${where}: unlocated snippet`).to.include(`unlocated ${p} §${i}`);
        const snippets = [...root.querySelectorAll('.evidence .snippet')].map((s) => rawText(s));
        expect(snippets, `${where}: context string`).to.include(`context ${p}`);
        expect(snippets, `${where}: context object`).to.include(`context object ${p}`);
      }
      // The source view: the note, then the transcript, each selected entity's evidence marked.
      const source = shadow(el).querySelector('heidi-source-view')!;
      for (const [i, card] of list.entries()) {
        if (i % 6 !== 0) continue;
        shadow(card).querySelector<HTMLButtonElement>('button.pick')!.click();
        await settleAll(el);
        expect(shadow(source).querySelector('.text mark')?.textContent).to.equal(PAYLOADS[i]);
      }
      const noteText = rawText(shadow(source).querySelector('.text')!);
      expect(noteText).to.equal(c.note);
      const transcriptTab = [...shadow(source).querySelectorAll<HTMLButtonElement>('.tabs button')].find((b) =>
        b.textContent?.includes('Transcript'),
      )!;
      transcriptTab.click();
      await settleAll(el);
      expect(rawText(shadow(source).querySelector('.text')!)).to.equal(c.transcript);
      expectInert(el);
      // Patient and session names are not displayed at all; they only feed the checks.
      expect(rawText(el)).not.to.contain(c.session.session.session_name);
    } finally {
      spy.restore();
    }
  });

  it('in the code and code-system fields (and so in aria-labels and data-ids): verbatim text, nothing runs', async () => {
    const sessionId = 'hostile-codes';
    const entities = PAYLOADS.map((p, i) => ({
      id: `hc-${i}-${p}`,
      primary_code: { code: `C${i} ${p}`, code_name: `name ${i}`, code_system: `sys ${p}` },
    }));
    const spy = serveCodes(sessionId, entities);
    try {
      const el = await mountLoadedHere(sessionId);
      await settleAll(el);
      expectInert(el);
      const codes = cards(el).map((c) => shadow(c).querySelector('.code')!.textContent);
      const labels = cards(el).map((c) => rawText(shadow(c).querySelector('.meta')!));
      PAYLOADS.forEach((p, i) => {
        expect(codes, `payload ${i}: code`).to.include(`C${i} ${p}`);
        expect(
          labels.some((l) => l.includes(`sys ${p}`)),
          `payload ${i}: unknown code system shown raw`,
        ).to.equal(true);
      });
      // Keyboard focus moves by data-id through CSS.escape: still works with hostile ids.
      const first = cards(el)[0]!;
      first.focus();
      first.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, composed: true }));
      await settleAll(el);
      expect(shadow(el).activeElement).to.equal(cards(el)[1]);
      expectInert(el);
    } finally {
      spy.restore();
    }
  });

  it('a 300-character code and a 5,000-character name wrap inside the card, never under its status badge (both densities)', async () => {
    const sessionId = 'hostile-long-code';
    const entities = [{ id: 'long', primary_code: { code: 'X'.repeat(300), code_name: 'L'.repeat(5000), code_system: 'icd_10_cm' } }];
    const spy = serveCodes(sessionId, entities);
    try {
      const el = await mountLoadedHere(sessionId);
      el.style.width = '480px';
      for (const density of ['comfortable', 'compact']) {
        el.setAttribute('density', density);
        await settleAll(el);
        const card = cards(el)[0]!;
        const root = shadow(card);
        const box = card.getBoundingClientRect();
        const badge = root.querySelector('.badge')!.getBoundingClientRect();
        for (const part of ['.code', '.name']) {
          const r = root.querySelector(part)!.getBoundingClientRect();
          const where = `${density} ${part}`;
          expect(r.width, where).to.be.greaterThan(0);
          expect(r.right, `${where} inside the card`).to.be.at.most(box.right + 0.5);
          const overlaps = r.left < badge.right && badge.left < r.right && r.top < badge.bottom && badge.top < r.bottom;
          expect(overlaps, `${where} clear of the status badge`).to.equal(false);
        }
        expect(badge.right, `${density} badge inside the card`).to.be.at.most(box.right + 0.5);
        await expect(el).to.be.accessible();
      }
    } finally {
      spy.restore();
    }
  });

  it(`in error bodies from the API (500 {detail:{msg}}, 404 {detail}, 422 [{msg}]): shown verbatim in the details, nothing runs`, async function () {
    this.timeout(30_000);
    const forms = [
      { status: 500, body: (p: string) => ({ detail: { msg: p, type: 'ServerError' } }) },
      { status: 404, body: (p: string) => ({ detail: p }) },
      { status: 422, body: (p: string) => ({ detail: [{ loc: ['body'], msg: p, type: 'value_error' }] }) },
    ];
    let shown = 0;
    for (const [i, p] of PAYLOADS.entries()) {
      const form = forms[i % forms.length]!;
      const sessionId = `hostile-error-${i}`;
      const spy = spyOnFetch((request) =>
        new URL(request.url).pathname.endsWith(`/sessions/${sessionId}/clinical-codes`)
          ? Response.json(form.body(p), { status: form.status })
          : undefined,
      );
      const failed = new Promise<CustomEvent>((resolve) =>
        document.addEventListener('heidi-error', (e) => resolve(e as CustomEvent), { once: true }),
      );
      try {
        const { el } = await mount({ sessionId });
        const event = await failed;
        expect(event.detail.message).to.contain(p);
        await el.updateComplete;
        const details = shadow(el).querySelector('[role="alert"] details');
        expect(details, `payload ${i}: error details`).to.exist;
        details!.querySelector('summary')!.click();
        await new Promise((r) => setTimeout(r, 20));
        expect(rawText(details!), `payload ${i}: verbatim in the details`).to.contain(p);
        expectInert(el);
        shown += 1;
        el.parentElement?.remove();
      } finally {
        spy.restore();
      }
    }
    expect(shown).to.equal(PAYLOADS.length);
  });
});
