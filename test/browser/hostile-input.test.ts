/**
 * Hostile input, round two (issue 15, items 2, 3, 5, 6, 7, 12) as the host page sees it: a page language or a
 * speaker tag that names an Object.prototype member, ids that would climb out of their URL segment, one bad
 * entity among good ones, scores outside 0..1, quotes that differ from the transcript only in whitespace, and
 * an error body that echoes the bearer token. Each renders normally or fails with a clear `heidi-error`, and
 * nothing it should not do reaches the network or the page.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { ErrorDetail } from '../../src/events.ts';
import { en } from '../../src/i18n/en.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { cards, deepText, mount, mountLoaded, shadow, until } from './helpers.ts';

const FX = 'fx-knee-oa';

/** The mock's real answer for `request`, changed by `edit` (the body as JSON). */
async function edited(request: Request, original: typeof fetch, edit: (body: Record<string, unknown>) => unknown): Promise<Response> {
  const real = await original(request);
  const body = (await real.json()) as Record<string, unknown>;
  return Response.json(edit(body), { status: real.status });
}

function firstError(): Promise<ErrorDetail> {
  return new Promise((resolve) =>
    document.addEventListener('heidi-error', (e) => resolve((e as CustomEvent<ErrorDetail>).detail), { once: true }),
  );
}

async function settled(el: HeidiClinicalCodes): Promise<void> {
  await el.updateComplete;
  for (const c of cards(el)) await (c as unknown as { updateComplete: Promise<unknown> }).updateComplete;
}

describe('outside text never indexes a plain object', () => {
  const original = document.documentElement.lang;
  afterEach(() => {
    document.documentElement.lang = original;
  });

  for (const lang of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor-US']) {
    it(`<html lang="${lang}">: the element renders in English, codes shown, no error`, async () => {
      document.documentElement.lang = lang;
      const errors: unknown[] = [];
      const onError = (e: Event) => errors.push((e as CustomEvent).detail);
      document.addEventListener('heidi-error', onError);
      try {
        const { el } = await mountLoaded({ sessionId: FX });
        await settled(el);
        expect(cards(el).length).to.be.greaterThan(0);
        expect(deepText(el)).to.contain(en.title);
        expect(deepText(el)).not.to.match(/function |\[native code\]|\[object /);
        expect(errors).to.deep.equal([]);
        await expect(el).to.be.accessible();
      } finally {
        document.removeEventListener('heidi-error', onError);
      }
    });
  }

  it('lang="__proto__" on the element itself renders normally too', async () => {
    const { el } = await mountLoaded({ sessionId: FX, attrs: { lang: '__proto__' } });
    await settled(el);
    expect(cards(el).length).to.be.greaterThan(0);
    expect(deepText(el)).to.contain(en.title);
  });

  it('speaker tags [constructor] and [__proto__] are shown as written, relevance "constructor" too', async () => {
    const original = window.fetch;
    const transcript = '[constructor] my right knee hurts\n[__proto__] since the winter';
    const spy = spyOnFetch((request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith(`/sessions/${FX}/transcript`)) return Response.json({ transcript });
      if (path.endsWith(`/sessions/${FX}/clinical-codes`)) {
        return edited(request, original, (body) => ({
          ...body,
          clinical_entities: [
            {
              id: 'k1',
              primary_code: { code: 'M25.561', code_name: 'Pain in right knee', code_system: 'icd_10_cm', score: 0.9 },
              reference_in_transcript: [
                { transcript_text: 'my right knee hurts', location_in_transcript: { start: 14, end: 33 } },
                { transcript_text: 'since the winter', location_in_transcript: { start: 46, end: 62 } },
              ],
              relevance: 'constructor',
            },
          ],
        }));
      }
      return undefined;
    });
    try {
      const { el } = await mountLoaded({ sessionId: FX });
      await settled(el);
      const card = cards(el)[0]!;
      shadow(card).querySelector<HTMLElement>('details[part="evidence"] summary')!.click();
      await until(() => !!shadow(card).querySelector('ul.evidence'), 'evidence open');
      const text = deepText(card);
      expect(text).to.contain('constructor');
      expect(text).to.contain('__proto__');
      expect(text).to.contain('CONSTRUCTOR');
      expect(text).not.to.match(/function |\[native code\]|\[object /);
    } finally {
      spy.restore();
    }
  });
});

describe('ids are path segments, never paths', () => {
  for (const id of ['..', '.', ' ', '../..']) {
    it(`session-id=${JSON.stringify(id)} never sends the token to a climbed path`, async () => {
      const spy = spyOnFetch();
      try {
        const failed = firstError();
        const { el } = await mount({ sessionId: id });
        const detail = await failed;
        await el.updateComplete;
        const heidi = spy.calls.filter((c) => new URL(c.url).pathname.startsWith('/mock-heidi'));
        for (const c of heidi)
          expect(new URL(c.url).pathname, c.url).to.match(/^\/mock-heidi\/sessions\/[^/]+(\/(transcript|clinical-codes))?$/);
        if (id === '../..') expect(detail.code).to.equal('not-found');
        else {
          expect(detail.code).to.equal('config');
          expect(heidi, 'no request to Heidi at all').to.deep.equal([]);
        }
        expect(shadow(el).querySelector('[role="alert"]')).to.exist;
      } finally {
        spy.restore();
      }
    });
  }

  it('POST /sessions answering session_id ".." is an invalid response; nothing is requested with it', async () => {
    const spy = spyOnFetch((request) =>
      request.method === 'POST' && new URL(request.url).pathname === '/mock-heidi/sessions'
        ? Response.json({ session_id: '..' })
        : undefined,
    );
    try {
      const failed = firstError();
      await mount({});
      const detail = await failed;
      expect(detail.code).to.equal('invalid-response');
      const heidi = spy.calls.filter((c) => new URL(c.url).pathname.startsWith('/mock-heidi'));
      expect(heidi.map((c) => `${c.method} ${new URL(c.url).pathname}`)).to.deep.equal(['POST /mock-heidi/sessions']);
    } finally {
      spy.restore();
    }
  });
});

describe('one bad entity is not a bad response; scores are clamped and flagged', () => {
  it('a string score, a children_code string, an empty similar code and an empty primary code cost only themselves', async () => {
    const original = window.fetch;
    let total = 0;
    const spy = spyOnFetch((request) =>
      new URL(request.url).pathname.endsWith(`/sessions/${FX}/clinical-codes`)
        ? edited(request, original, (body) => {
            const entities = structuredClone(body.clinical_entities) as Record<string, Record<string, unknown>>[];
            total = entities.length;
            entities[0]!.primary_code!.score = '0.9';
            entities[1]!.primary_code!.metadata = { children_code: 'M17.11' };
            entities[2]!.similar_codes = [{ code: '', code_name: 'x', code_system: 'icd_10_cm' }] as unknown as Record<string, unknown>;
            entities[3]!.primary_code!.code = '';
            return { ...body, clinical_entities: entities };
          })
        : undefined,
    );
    try {
      const { el } = await mountLoaded({ sessionId: FX });
      await settled(el);
      expect(cards(el)).to.have.length(total - 1);
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    } finally {
      spy.restore();
    }
  });

  it('a score of 79 is shown as 100 % with a warning, never 7,900 %', async () => {
    const original = window.fetch;
    const spy = spyOnFetch((request) =>
      new URL(request.url).pathname.endsWith(`/sessions/${FX}/clinical-codes`)
        ? edited(request, original, (body) => {
            const entities = structuredClone(body.clinical_entities) as Record<string, Record<string, unknown>>[];
            entities[0]!.primary_code!.score = 79;
            return { ...body, clinical_entities: [entities[0]] };
          })
        : undefined,
    );
    try {
      const { el } = await mountLoaded({ sessionId: FX });
      await settled(el);
      const text = deepText(cards(el)[0]!);
      expect(text).not.to.contain('7900');
      expect(text).not.to.contain('7,900');
      expect(text).to.contain('100');
      expect(text).to.contain(en.checks['score-range']({ score: 79 }));
      await expect(el).to.be.accessible();
    } finally {
      spy.restore();
    }
  });
});

describe('evidence text survives small differences', () => {
  it('a transcript with CRLF and NBSP and a quote with LF and spaces: located, not "not found"', async () => {
    const original = window.fetch;
    const transcript = '[doctor] any pain?\r\n[patient] my right\u00a0knee\r\nhurts on the stairs';
    const start = transcript.indexOf('my right');
    const spy = spyOnFetch((request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith(`/sessions/${FX}/transcript`)) return Response.json({ transcript });
      if (path.endsWith(`/sessions/${FX}/clinical-codes`)) {
        return edited(request, original, (body) => ({
          ...body,
          clinical_entities: [
            {
              id: 'w1',
              primary_code: { code: 'M25.561', code_name: 'Pain in right knee', code_system: 'icd_10_cm', score: 0.9 },
              reference_in_transcript: [
                { transcript_text: 'my right knee\nhurts on  the stairs', location_in_transcript: { start, end: transcript.length } },
              ],
            },
          ],
        }));
      }
      return undefined;
    });
    try {
      const commits: unknown[] = [];
      const { el } = await mountLoaded({ sessionId: FX });
      await settled(el);
      const card = cards(el)[0]!;
      shadow(card).querySelector<HTMLElement>('details[part="evidence"] summary')!.click();
      await until(() => !!shadow(card).querySelector('ul.evidence'), 'evidence open');
      expect(deepText(card)).not.to.contain(en.unlocated);
      expect(shadow(card).querySelector('.evidence mark')?.textContent?.replace(/\s+/g, ' ')).to.equal('my right knee hurts on the stairs');
      void commits;
    } finally {
      spy.restore();
    }
  });
});

describe('secrets never reach the page', () => {
  it('an error body echoing the bearer token is redacted in heidi-error and in the DOM', async () => {
    let token = '';
    const spy = spyOnFetch((request) => {
      if (!new URL(request.url).pathname.endsWith(`/sessions/${FX}/clinical-codes`)) return undefined;
      token = request.headers.get('authorization')!.replace(/^Bearer /, '');
      return Response.json({ detail: { msg: `token ${token} rejected (Authorization: Bearer ${token})`, type: token } }, { status: 500 });
    });
    try {
      const failed = firstError();
      const { el } = await mount({ sessionId: FX });
      const detail = await failed;
      await el.updateComplete;
      expect(token.length).to.be.greaterThan(20);
      expect(detail.message).not.to.contain(token);
      expect(detail.message).to.contain('[redacted]');
      const details = shadow(el).querySelector('[role="alert"] details');
      details?.querySelector('summary')?.click();
      await el.updateComplete;
      expect(deepText(el)).not.to.contain(token);
      expect(deepText(el)).not.to.contain(token.slice(0, 24));
      expect(deepText(el)).not.to.contain(token.slice(-24));
    } finally {
      spy.restore();
    }
  });
});
