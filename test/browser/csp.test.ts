/**
 * Strict CSP: the BUILT element (/dist/heidi-clinical-codes.js, written by
 * `npm run build`, which `npm test` runs before the browser tests) in a page
 * served with
 *   default-src 'self'; script-src 'self'; style-src 'self';
 *   require-trusted-types-for 'script'; trusted-types lit-html
 * (no 'unsafe-eval', no 'unsafe-inline', Lit's own Trusted Types policy
 * only). The page (test/csp/page.html + page.js, the header set by a
 * middleware in web-test-runner.config.ts for /test/csp/) loads the bundle,
 * shows codes from the mock, uses the UI, and reports every
 * `securitypolicyviolation` back through postMessage. Zero are allowed; two
 * probes afterwards prove the policy is really enforced there.
 */
import { expect } from '@open-wc/testing';
import { newUser, requestLog } from './helpers.ts';

const POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html";

interface PageReport {
  from: 'csp-page';
  loaded: boolean;
  entities?: number;
  error?: { code?: string; message?: string; retryable?: boolean };
  crash?: string;
  pageErrors?: string[];
  cards?: number;
  marks?: number;
  sent?: boolean;
  adoptedSheets?: number;
  styleElements?: number;
  hostDisplay?: string;
  hostBorder?: string;
  violations: { directive: string; blockedURI: string; sample: string; sourceFile: string; line: number; column: number }[];
  probes?: { evalBlocked: boolean; innerHTMLBlocked: boolean; probeViolations: number };
}

function runPage(query: Record<string, string>): Promise<PageReport> {
  const frame = document.createElement('iframe');
  frame.style.width = '1000px';
  frame.style.height = '700px';
  const report = new Promise<PageReport>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the CSP page did not report')), 9000);
    const onMessage = (e: MessageEvent) => {
      if (e.source !== frame.contentWindow || (e.data as { from?: string })?.from !== 'csp-page') return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(e.data as PageReport);
    };
    window.addEventListener('message', onMessage);
  });
  frame.src = `/test/csp/page.html?${new URLSearchParams(query)}`;
  document.body.append(frame);
  return report.finally(() => frame.remove());
}

describe('strict CSP and Trusted Types: the built element', () => {
  // The same-origin page shares this window's sessionStorage (where it leaves its review): leave it clean.
  afterEach(() => sessionStorage.clear());

  it('the test page and the bundle are served, the page with exactly the strict policy', async () => {
    const page = await fetch('/test/csp/page.html');
    expect(page.headers.get('content-security-policy')).to.equal(POLICY);
    const bundle = await fetch('/dist/heidi-clinical-codes.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/heidi-clinical-codes.js exists (npm run build)').to.equal(true);
  });

  const pages: [string, Record<string, string>][] = [
    ['light', { theme: 'light' }],
    ['dark', { theme: 'dark' }],
    // PRODUCT.md: loading the bundle twice must not throw; the second copy makes no second `lit-html` policy.
    ['the bundle loaded twice', { twice: '1' }],
    // A host page with Lit of its own already holds `lit-html`: the element's policy is named after it.
    ['a host page that runs Lit of its own (trusted-types lit-html heidi-clinical-codes)', { hostLit: '1', csp: 'shared' }],
  ];
  for (const [what, query] of pages) {
    it(`shows codes from the mock and is used (${what}) with zero securitypolicyviolation events`, async () => {
      const report = await runPage({ user: newUser('csp'), session: 'fx-knee-oa', ...query });
      expect(report.crash, report.crash).to.equal(undefined);
      expect(report.pageErrors, 'nothing thrown in the page').to.deep.equal([]);
      expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
      expect(report.loaded, JSON.stringify(report.error)).to.equal(true);
      expect(report.entities).to.be.greaterThan(3);
      expect(report.cards).to.equal(report.entities);
      expect(report.marks, 'evidence marked in the source view').to.be.greaterThan(0);
      expect(report.sent, 'commit resolved').to.equal(true);
      // Styles apply (adopted style sheets, no <style> elements needing 'unsafe-inline').
      expect(report.hostDisplay).to.equal('block');
      expect(report.hostBorder).to.equal('solid');
      // The policy was really in force in that page.
      expect(report.probes).to.deep.include({ evalBlocked: true, innerHTMLBlocked: true });
      expect(report.probes!.probeViolations).to.be.at.least(2);
    });
  }

  it('a page whose CSP allows no policy name: one config heidi-error naming the directive, nothing thrown, no request', async () => {
    const user = newUser('csp');
    const report = await runPage({ user, session: 'fx-knee-oa', csp: 'none' });
    expect(report.crash, report.crash).to.equal(undefined);
    expect(report.loaded).to.equal(false);
    expect(report.error?.code).to.equal('config');
    expect(report.error?.message).to.contain('trusted-types');
    expect(report.error?.retryable).to.equal(false);
    expect(report.pageErrors, 'nothing thrown in the page').to.deep.equal([]);
    expect(await requestLog(user), 'not started: no request').to.deep.equal([]);
  });
});
