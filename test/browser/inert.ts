/**
 * What "inert" means for hostile text, in one place for every hostile-text suite (Heidi's fields, the
 * peers' fields): `window.__pwned`, which every payload tries to set, stays unset; no element in any of
 * the element's shadow trees is a script, image, frame, SVG, MathML, object, embed, media, link, meta,
 * base, style, form or noscript element; no attribute name starts with `on`; no attribute value is a
 * `javascript:` URL.
 */
import { expect } from '@open-wc/testing';
import type { HeidiClinicalCodes } from '../../src/heidi-clinical-codes.ts';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

export const FORBIDDEN_TAGS = [
  'script',
  'img',
  'iframe',
  'frame',
  'svg',
  'math',
  'object',
  'embed',
  'video',
  'audio',
  'source',
  'link',
  'meta',
  'base',
  'style',
  'form',
  'noscript',
];

/** Every element of the element's shadow trees (and the light DOM below it), recursively. */
export function allElements(root: Element | ShadowRoot): Element[] {
  const out: Element[] = [];
  const walk = (node: Element | ShadowRoot) => {
    for (const child of node.children) {
      out.push(child);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return out;
}

/** Text of a node including its shadow trees, verbatim (no whitespace folding). */
export function rawText(node: Node): string {
  let text = '';
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) text += (n as Text).data;
    if (n instanceof Element && n.shadowRoot) walk(n.shadowRoot);
    n.childNodes.forEach(walk);
  };
  walk(node);
  return text;
}

/** Attributes that load or navigate to a URL, where a `javascript:` value would run. */
export const URL_ATTRIBUTE = /^(href|src|action|formaction|xlink:href|data|srcdoc)$/i;

/**
 * `javascriptIn` picks the attributes whose `javascript:` values count: by default every attribute (the Heidi
 * suite, whose payloads never reach an attribute); the peer suite passes `URL_ATTRIBUTE`, since its payloads are
 * code-system names and codes that the element rightly puts, as text, into `<option value>` and `aria-label`.
 */
export function expectInert(el: HeidiClinicalCodes, javascriptIn: RegExp = /./): void {
  expect(window.__pwned, 'a payload ran').to.equal(undefined);
  const elements = allElements(el);
  expect(elements.length).to.be.greaterThan(3);
  const bad = elements.filter((e) => FORBIDDEN_TAGS.includes(e.localName)).map((e) => e.localName);
  expect(bad, 'forbidden elements in the shadow trees').to.deep.equal([]);
  const handlers = elements.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.localName}[${a.name}]`));
  expect(handlers, 'event-handler attributes').to.deep.equal([]);
  const urls = elements.flatMap((e) =>
    [...e.attributes].filter((a) => javascriptIn.test(a.name) && /^\s*javascript:/i.test(a.value)).map((a) => `${e.localName}[${a.name}]`),
  );
  expect(urls, 'javascript: URLs in attributes').to.deep.equal([]);
}
