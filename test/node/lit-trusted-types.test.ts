/**
 * The build's lit-html Trusted Types patch (scripts/vite/lit-trusted-types.ts): it finds Lit's policy in the
 * installed lit-html exactly once, and fails the build loudly when Lit changes shape. What the patched bundle
 * does under a strict CSP is tested in test/browser/csp.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { withTolerantPolicy } from '../../scripts/vite/lit-trusted-types.ts';

// The file Vite bundles (the package's "default" export condition for `lit-html`).
const litHtml = fileURLToPath(new URL('../../node_modules/lit-html/lit-html.js', import.meta.url));

/** Run the patched policy line with a fake `trustedTypes` that refuses `refused` names; the names asked for, in order. */
function policyNames(options: { refused: string[]; otherLit: boolean; defined: boolean }): {
  asked: string[];
  made: unknown;
  marked?: boolean;
} {
  const asked: string[] = [];
  const patched = withTolerantPolicy(
    'const s=globalThis.trustedTypes,e=s?s.createPolicy("lit-html",{createHTML:t=>t}):void 0;result=e;',
  ).toString();
  const context = {
    trustedTypes: {
      createPolicy(name: string) {
        asked.push(name);
        if (options.refused.includes(name)) throw new TypeError(`refused ${name}`);
        return { name };
      },
    },
    litHtmlVersions: options.otherLit ? ['3.0.0'] : undefined,
    customElements: { get: (tag: string) => (options.defined && tag === 'heidi-clinical-codes' ? class {} : undefined) },
    result: undefined as unknown,
  };
  const sandbox = vm.createContext(context);
  vm.runInContext(patched.replace('globalThis.trustedTypes', 'trustedTypes'), sandbox);
  const marked = vm.runInContext("globalThis[Symbol.for('heidi-clinical-codes.no-policy')] === true", sandbox) as boolean;
  return { asked, made: context.result, ...(marked && { marked }) };
}

test('the installed lit-html has its policy line exactly once, and it is replaced', async () => {
  const out = withTolerantPolicy(await readFile(litHtml, 'utf8')).toString();
  assert.match(out, /heidiLitPolicy\(\w+\):void 0/);
  assert.doesNotMatch(out, /createPolicy\("lit-html",\{createHTML/);
});

test('a lit-html of another shape fails the build instead of shipping the throwing policy', () => {
  assert.throws(() => withTolerantPolicy('const e=trustedTypes.createPolicy("lit-html",{createHTML(t){return t}})'), /did Lit change/);
});

test('lit-html first; the element’s name first when another lit-html is on the page; none when the element is defined', () => {
  assert.deepEqual(policyNames({ refused: [], otherLit: false, defined: false }), { asked: ['lit-html'], made: { name: 'lit-html' } });
  assert.deepEqual(policyNames({ refused: ['lit-html'], otherLit: false, defined: false }), {
    asked: ['lit-html', 'heidi-clinical-codes'],
    made: { name: 'heidi-clinical-codes' },
  });
  assert.deepEqual(policyNames({ refused: [], otherLit: true, defined: false }), {
    asked: ['heidi-clinical-codes'],
    made: { name: 'heidi-clinical-codes' },
  });
  // Every name refused: no policy (lit-html's own no-Trusted-Types path), nothing thrown, and the page marked
  // so the element can say why it cannot render (src/elements/trusted-types.ts).
  assert.deepEqual(policyNames({ refused: ['lit-html', 'heidi-clinical-codes'], otherLit: true, defined: false }), {
    asked: ['heidi-clinical-codes', 'lit-html'],
    made: undefined,
    marked: true,
  });
  assert.deepEqual(policyNames({ refused: [], otherLit: true, defined: true }), { asked: [], made: undefined });
});
