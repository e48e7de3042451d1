/**
 * Build plugin: the bundled lit-html's Trusted Types policy never makes the bundle throw as it loads.
 *
 * lit-html creates its policy when its module is evaluated: `trustedTypes.createPolicy('lit-html', …)`.
 * Under `require-trusted-types-for 'script'` that throws, and the element is never registered, when:
 * - the host page already runs Lit (its lit-html made the `lit-html` policy first), unless the CSP says
 *   `'allow-duplicates'`;
 * - this bundle is loaded a second time (PRODUCT.md: "loading it twice must not throw");
 * - the CSP's `trusted-types` does not list `lit-html`.
 * So the bundled copy asks for its policy by two names: `lit-html` first (the usual CSP lists only it),
 * or `heidi-clinical-codes` first when another lit-html is already on the page (`litHtmlVersions`), so
 * a host with Lit of its own lists `trusted-types lit-html heidi-clinical-codes` and sees no violation.
 * A copy loaded when the element is already defined makes no policy: it never renders (the first
 * definition wins). When no name is allowed the policy is undefined, as lit-html's own fallback when
 * the browser has no Trusted Types, and the page's default policy (if any) applies; the page is marked
 * (`Symbol.for('heidi-clinical-codes.no-policy')`) so the element can say why it cannot render
 * (src/elements/trusted-types.ts).
 */
import MagicString from 'magic-string';
import type { Plugin } from 'vite';

/** The element's tag (PRODUCT.md), also the second policy name. */
const TAG = 'heidi-clinical-codes';

/** lit-html 3's production module, as published: `s?s.createPolicy("lit-html",{createHTML:t=>t}):void 0`. */
const LIT_POLICY = /(\w+)\?\1\.createPolicy\("lit-html",\{createHTML:(\w+)=>\2\}\):void 0/g;

/** lit-html's module text with its policy made by `heidiLitPolicy` (exported for the test). */
export function withTolerantPolicy(code: string): MagicString {
  const matches = [...code.matchAll(LIT_POLICY)];
  if (matches.length !== 1) {
    throw new Error(
      `lit-trusted-types: expected lit-html's createPolicy("lit-html") once, found it ${matches.length} times (did Lit change?)`,
    );
  }
  const match = matches[0]!;
  const [found, trustedTypes] = match;
  const tag = JSON.stringify(TAG);
  const helper =
    `function heidiLitPolicy(tt){if(customElements.get(${tag}))return;` +
    `const names=globalThis.litHtmlVersions?.length?[${tag},"lit-html"]:["lit-html",${tag}];` +
    `for(const name of names)try{return tt.createPolicy(name,{createHTML:s=>s})}catch{}` +
    `globalThis[Symbol.for(${JSON.stringify(`${TAG}.no-policy`)})]=true}\n`;
  return new MagicString(code)
    .overwrite(match.index, match.index + found.length, `${trustedTypes}?heidiLitPolicy(${trustedTypes}):void 0`)
    .prepend(helper);
}

export function litTrustedTypes(): Plugin {
  return {
    name: 'heidi-lit-trusted-types',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]lit-html[\\/]lit-html\.js$/.test(id)) return null;
      const out = withTolerantPolicy(code);
      return { code: out.toString(), map: out.generateMap({ hires: true, source: id }) };
    },
  };
}
