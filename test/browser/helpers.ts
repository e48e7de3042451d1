/**
 * Shared helpers for the browser tests: each test gets its own mock user, so
 * tests running in parallel against the one mock never see each other's data.
 */
import { fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.ts';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';
import type { FailureSpec, LogEntry, Scenario } from '../../demo/mock-heidi/index.ts';

// web-test-runner may run the next test file in the same tab, and sessionStorage survives that navigation: a
// review an element flushed on `pagehide` (as it should) would be the next file's stored review. Each file
// starts with none.
sessionStorage.clear();

let counter = 0;

/** A fresh mock user id for one test. */
export function newUser(prefix = 'wtr'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${counter}`;
}

export function tokenUrl(user: string): string {
  return `/ehr/heidi-token?as=${encodeURIComponent(user)}`;
}

export async function setScenario(user: string, scenario: Omit<Scenario, 'user'> & { failures?: FailureSpec[] }): Promise<void> {
  const response = await fetch('/mock-heidi/__scenario', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, ...scenario }),
  });
  if (!response.ok) throw new Error(`scenario rejected: ${response.status} ${await response.text()}`);
}

export async function requestLog(user: string): Promise<LogEntry[]> {
  const response = await fetch(`/mock-heidi/__log?user=${encodeURIComponent(user)}`);
  return (await response.json()) as LogEntry[];
}

export interface MountOptions {
  user?: string;
  sessionId?: string;
  attrs?: Record<string, string>;
  props?: Partial<HeidiClinicalCodes>;
}

/** Mount the element against the mock, without waiting for anything. */
export async function mount(options: MountOptions = {}): Promise<{ el: HeidiClinicalCodes; user: string }> {
  const user = options.user ?? newUser();
  const el = document.createElement('heidi-clinical-codes');
  el.setAttribute('api-base', '/mock-heidi');
  el.setAttribute('token-url', tokenUrl(user));
  if (options.sessionId) el.setAttribute('session-id', options.sessionId);
  for (const [name, value] of Object.entries(options.attrs ?? {})) el.setAttribute(name, value);
  Object.assign(el, options.props ?? {});
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  wrapper.append(el);
  return { el, user };
}

/** Mount and wait until the codes are shown. */
export async function mountLoaded(options: MountOptions = {}): Promise<{ el: HeidiClinicalCodes; user: string }> {
  const user = options.user ?? newUser();
  const loaded = new Promise<void>((resolve, reject) => {
    const onLoad = () => resolve();
    const onError = (e: Event) => reject(new Error(`heidi-error: ${JSON.stringify((e as CustomEvent).detail)}`));
    document.addEventListener('heidi-codes-load', onLoad, { once: true });
    document.addEventListener('heidi-error', onError, { once: true });
  });
  const mounted = await mount({ ...options, user });
  await loaded;
  await mounted.el.updateComplete;
  return mounted;
}

export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
}

export function cards(el: HeidiClinicalCodes): HTMLElement[] {
  return [...shadow(el).querySelectorAll<HTMLElement>('heidi-code-card')];
}

export function card(el: HeidiClinicalCodes, code: string): HTMLElement {
  const found = cards(el).find((c) => shadow(c).querySelector('.code')?.textContent?.trim() === code);
  if (!found)
    throw new Error(
      `no card for ${code}; have ${cards(el)
        .map((c) => shadow(c).querySelector('.code')?.textContent)
        .join(', ')}`,
    );
  return found;
}

/** The button in a card whose accessible name (aria-label or text) contains `name`. */
export function button(root: Element | ShadowRoot, name: string): HTMLButtonElement {
  const scope = root instanceof ShadowRoot ? root : shadow(root);
  const found = [...scope.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').includes(name));
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

/** Visible text of an element including its shadow trees. */
export function deepText(node: Node): string {
  let text = '';
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) text += n.textContent;
    if (n instanceof Element && n.shadowRoot) walk(n.shadowRoot);
    n.childNodes.forEach(walk);
  };
  walk(node);
  return text.replace(/\s+/g, ' ');
}

type Updatable = HTMLElement & { updateComplete: Promise<unknown> };

/** Wait until the element, its cards and its source view have rendered. */
export async function settle(el: HeidiClinicalCodes): Promise<void> {
  await el.updateComplete;
  await Promise.all(cards(el).map((c) => (c as Updatable).updateComplete));
  await (shadow(el).querySelector('heidi-source-view') as Updatable | null)?.updateComplete;
}

/** Poll a condition the page reaches asynchronously (a reload, a retry's backoff), failing with what was awaited. */
export function until(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) resolve();
      else if (performance.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 5);
    };
    check();
  });
}

export { oneEvent };

/**
 * Remove the element for good: it tears down (aborts its requests, stops its timers) once the script that removed
 * it is done, since a script that inserts it again at once has only moved it.
 */
export async function leave(el: Element): Promise<void> {
  el.remove();
  await Promise.resolve();
}
