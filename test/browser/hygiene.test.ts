/**
 * Token hygiene: the Heidi JWT lives in the element's memory only. Across a
 * load with a token refresh, a review, a commit and an error, with the token
 * from `token-url` and with a host-set `token`, no token ever reaches
 * localStorage, sessionStorage, document.cookie, an attribute (outerHTML and
 * every shadow root), the rendered text, a request URL (fetch spy and the
 * resource timing entries), a header to anywhere but the API base (except
 * the rejected-token hint to the host's own token URL), console output, or
 * any heidi-* event detail. The persisted review state holds no transcript or
 * note text, no code names, and no patient or session names.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { CodesCommitDetail } from '../../src/events.ts';
import { FIXTURES } from '../../demo/fixtures/index.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { button, cards, mount, newUser, setScenario, shadow, tokenUrl, until } from './helpers.ts';

const knee = FIXTURES.find((f) => f.id === 'fx-knee-oa')!;
const HEIDI_EVENTS = [
  'heidi-session-start',
  'heidi-codes-load',
  'heidi-code-select',
  'heidi-code-review',
  'heidi-codes-commit',
  'heidi-token-expired',
  'heidi-error',
];
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;

/** Everything observable a token could leak into, recorded while the element works. */
function observe() {
  const consoleLines: string[] = [];
  const saved = new Map<string, (...args: unknown[]) => void>();
  for (const method of CONSOLE_METHODS) {
    const original = console[method] as (...args: unknown[]) => void;
    saved.set(method, original);
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      consoleLines.push(args.map((a) => (typeof a === 'string' ? a : safeStringify(a))).join(' '));
      original.apply(console, args);
    };
  }
  const eventDetails: string[] = [];
  const onEvent = (e: Event) => eventDetails.push(`${e.type} ${safeStringify((e as CustomEvent).detail)}`);
  HEIDI_EVENTS.forEach((t) => document.addEventListener(t, onEvent));
  return {
    consoleLines,
    eventDetails,
    stop() {
      for (const [method, original] of saved) (console as unknown as Record<string, unknown>)[method] = original;
      HEIDI_EVENTS.forEach((t) => document.removeEventListener(t, onEvent));
    },
  };
}

function safeStringify(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'function' ? `[function ${(v as { name?: string }).name ?? ''}]` : v)) ??
      String(value)
    );
  } catch {
    return String(value);
  }
}

function storageDump(storage: Storage): string {
  let out = '';
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)!;
    out += `${key}=${storage.getItem(key)}\n`;
  }
  return out;
}

/** Every attribute (name=value) of the element, its light DOM and all shadow trees, plus their text. */
function domDump(el: Element): { attributes: string; text: string } {
  let attributes = el.outerHTML;
  let text = '';
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) text += (node as Text).data;
    if (node instanceof Element) {
      for (const a of node.attributes) attributes += ` ${a.name}=${a.value}`;
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    node.childNodes.forEach(walk);
  };
  walk(el);
  return { attributes, text };
}

interface Leak {
  where: string;
  token: string;
}

function findLeaks(
  tokens: readonly string[],
  el: HeidiClinicalCodes,
  spy: ReturnType<typeof spyOnFetch>,
  seen: ReturnType<typeof observe>,
): Leak[] {
  const leaks: Leak[] = [];
  const dom = domDump(el);
  const urls = [...spy.calls.map((c) => c.url), ...performance.getEntriesByType('resource').map((e) => e.name), location.href];
  for (const token of tokens) {
    // The whole token and its signature alone (a JWT is header.payload.signature).
    const needles = [token, token.split('.')[2] ?? token].filter((n) => n.length >= 16);
    const check = (where: string, haystack: string) => {
      if (needles.some((n) => haystack.includes(n) || haystack.includes(encodeURIComponent(n))))
        leaks.push({ where, token: `${token.slice(0, 12)}…` });
    };
    check('localStorage', storageDump(localStorage));
    check('sessionStorage', storageDump(sessionStorage));
    check('document.cookie', document.cookie);
    check('attributes', dom.attributes);
    check('rendered text', dom.text);
    urls.forEach((url) => check(`URL ${url}`, url));
    seen.consoleLines.forEach((line) => check('console', line));
    seen.eventDetails.forEach((detail) => check(`event ${detail.slice(0, 40)}`, detail));
    for (const call of spy.calls) {
      for (const [name, value] of call.headers) {
        const toApi = call.url.includes('/mock-heidi/') && name === 'authorization';
        const rejectedHint = call.url.includes('/ehr/heidi-token') && name === 'heidi-rejected-token';
        if (!toApi && !rejectedHint) check(`header ${name} to ${call.url}`, value);
      }
    }
  }
  return leaks;
}

/** The texts the review state must never hold: transcript, note, code names, patient and session names. */
function privateTexts(patientName: string): string[] {
  const evidence = knee.clinicalCodes.clinical_entities.flatMap((e) => (e.reference_in_transcript ?? []).map((r) => r.transcript_text));
  const noteLines = (knee.session.consult_note?.result ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 12);
  const turns = knee.transcript
    .split('\n')
    .map((t) => t.replace(/^\[\w+\]\s*/, '').slice(0, 30))
    .filter((t) => t.length >= 12);
  const names = knee.clinicalCodes.clinical_entities.flatMap((e) => [
    e.primary_code.code_name,
    ...(e.similar_codes ?? []).map((c) => c.code_name),
  ]);
  return [
    ...evidence,
    ...noteLines,
    ...turns,
    ...names,
    knee.session.session_name ?? '',
    knee.session.patient?.name ?? '',
    patientName,
  ].filter((t) => t.length >= 4);
}

async function reviewAndCommit(el: HeidiClinicalCodes): Promise<void> {
  const list = cards(el);
  button(list[0]!, 'Accept ').click();
  button(list[1]!, 'Reject ').click();
  shadow(list[2]!).querySelector<HTMLButtonElement>('button.pick')!.click();
  // Swap the third to a similar code (the rows are built when the list opens).
  shadow(list[2]!).querySelector<HTMLElement>('details[part="similar"] summary')!.click();
  await until(() => !!shadow(list[2]!).querySelector('details[part="similar"] button'), 'similar codes');
  shadow(list[2]!).querySelector<HTMLButtonElement>('details[part="similar"] button')!.click();
  await el.updateComplete;
  let committed: CodesCommitDetail | undefined;
  el.addEventListener(
    'heidi-codes-commit',
    (e) => {
      committed = e.detail;
      e.detail.waitUntil(Promise.resolve());
    },
    { once: true },
  );
  expect(await el.commit()).to.equal(true);
  expect(committed!.codes.length).to.equal(2);
}

describe('token hygiene', () => {
  // wtr reuses a window across test files, and sessionStorage lives as long as the window: start clean.
  beforeEach(() => sessionStorage.clear());
  afterEach(() => sessionStorage.clear());

  it('with token-url: across a refresh, review, commit and an error the token is in memory only; the review state holds no private text', async () => {
    const user = newUser('hygiene');
    const realFetch = window.fetch;
    const tokens: string[] = [];
    // Read the tokens the element receives, passing the response through unchanged.
    const spy = spyOnFetch((request) =>
      request.url.includes('/ehr/heidi-token')
        ? (async () => {
            const response = await realFetch(request);
            const text = await response.text();
            if (response.ok) tokens.push((JSON.parse(text) as { token: string }).token);
            return new Response(text, { status: response.status, headers: response.headers });
          })()
        : undefined,
    );
    const seen = observe();
    const patientName = 'Hygiene Testpatient Zebulon';
    try {
      // One 401: the element refreshes its token, so two tokens pass through it.
      await setScenario(user, { failures: [{ route: 'clinical-codes', status: 401, count: 1 }] });
      const loaded = new Promise((r) => document.addEventListener('heidi-codes-load', r, { once: true }));
      const { el } = await mount({
        user,
        sessionId: 'fx-knee-oa',
        props: { patient: { name: patientName, gender: 'MALE', dob: '1957-01-01' }, clinicianNotes: ['Knee pain'] },
      });
      await loaded;
      await el.updateComplete;
      expect(tokens.length, 'a token refresh happened').to.equal(2);
      expect(tokens[0]).not.to.equal(tokens[1]);
      await reviewAndCommit(el);
      // An error on the way: its message and event carry no token either.
      await setScenario(user, { failures: [{ route: 'clinical-codes', status: 403, count: 1 }] });
      const failed = new Promise((r) => document.addEventListener('heidi-error', r, { once: true }));
      void el.refresh();
      await failed;
      await el.updateComplete;
      await setScenario(user, {});
      const reloaded = new Promise((r) => document.addEventListener('heidi-codes-load', r, { once: true }));
      void el.refresh();
      await reloaded;
      await el.updateComplete;

      expect(findLeaks(tokens, el, spy, seen)).to.deep.equal([]);
      expect(
        spy.calls.some((c) => c.headers.get('authorization') === `Bearer ${tokens[1]}`),
        'sanity: the token was used',
      ).to.equal(true);
      expect(seen.eventDetails.length).to.be.greaterThan(5);

      // The persisted review state: ids, statuses, codes. No private text.
      const stored = storageDump(sessionStorage);
      expect(stored).to.contain('heidi-clinical-codes:review');
      const found = privateTexts(patientName).filter((t) => stored.includes(t));
      expect(found, 'private text in sessionStorage').to.deep.equal([]);
      expect(storageDump(localStorage)).not.to.contain('heidi');
    } finally {
      seen.stop();
      spy.restore();
    }
  });

  it('with a host-set token: never reflected or stored; heidi-token-expired carries nothing; the replacement token is as private', async () => {
    const user = newUser('hygiene');
    const first = ((await (await fetch(tokenUrl(user))).json()) as { token: string }).token;
    const spy = spyOnFetch();
    const seen = observe();
    const el = document.createElement('heidi-clinical-codes') as HeidiClinicalCodes;
    const tokens = [first];
    try {
      await setScenario(user, { failures: [{ route: 'clinical-codes', status: 401, count: 1 }] });
      el.setAttribute('api-base', '/mock-heidi');
      el.setAttribute('session-id', 'fx-knee-oa');
      el.token = first;
      const expired = new Promise<CustomEvent>((r) =>
        el.addEventListener('heidi-token-expired', (e) => r(e as CustomEvent), { once: true }),
      );
      const loaded = new Promise((r) => el.addEventListener('heidi-codes-load', r, { once: true }));
      document.body.append(el);
      const event = await expired;
      expect(event.detail).to.deep.equal({});
      // The host gets a fresh token (telling its backend which one Heidi rejected) and hands it over.
      const second = ((await (await fetch(tokenUrl(user), { headers: { 'heidi-rejected-token': first } })).json()) as { token: string })
        .token;
      expect(second).not.to.equal(first);
      tokens.push(second);
      el.token = second;
      await loaded;
      await el.updateComplete;
      expect(el.getAttribute('token')).to.equal(null);
      expect(el.hasAttribute('token')).to.equal(false);
      await reviewAndCommit(el);
      expect(findLeaks(tokens, el, spy, seen)).to.deep.equal([]);
      expect(
        spy.calls.some((c) => c.headers.get('authorization') === `Bearer ${second}`),
        'sanity: the host token was used',
      ).to.equal(true);
      const found = privateTexts('').filter((t) => storageDump(sessionStorage).includes(t));
      expect(found).to.deep.equal([]);
    } finally {
      el.remove();
      seen.stop();
      spy.restore();
    }
  });
});
