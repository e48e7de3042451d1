/*
 * Runs inside /test/csp/page.html, served with
 *   Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';
 *                            require-trusted-types-for 'script'; trusted-types lit-html
 * Loads the BUILT element, shows codes from the mock, exercises the UI, and posts
 * what happened (including every securitypolicyviolation) to the parent test.
 * Plain JS, no imports but the bundle: nothing here may need a looser policy.
 */
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push({
    directive: e.effectiveDirective || e.violatedDirective,
    blockedURI: e.blockedURI,
    sample: e.sample,
    sourceFile: e.sourceFile,
    line: e.lineNumber,
    column: e.columnNumber,
  });
});

// Anything thrown in the page (an update that throws inside the element would land here).
const pageErrors = [];
addEventListener('error', (e) => pageErrors.push(String(e.message)));
addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason && e.reason.stack ? e.reason.stack : e.reason)));

const params = new URLSearchParams(location.search);
const post = (message) => parent.postMessage({ from: 'csp-page', ...message }, location.origin);
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run() {
  // `hostLit`: the page runs Lit of its own, loaded first (its lit-html makes the `lit-html` policy).
  if (params.get('hostLit')) await import('/node_modules/lit-html/lit-html.js');
  await import('/dist/heidi-clinical-codes.js');
  // `twice`: the bundle loaded a second time (another copy of the same file).
  if (params.get('twice')) await import('/dist/heidi-clinical-codes.js?copy=2');
  const el = document.createElement('heidi-clinical-codes');
  el.setAttribute('api-base', '/mock-heidi');
  el.setAttribute('token-url', `/ehr/heidi-token?as=${encodeURIComponent(params.get('user') || 'csp')}`);
  el.setAttribute('session-id', params.get('session') || 'fx-knee-oa');
  el.setAttribute('theme', params.get('theme') || 'light');
  const outcome = new Promise((resolve) => {
    el.addEventListener('heidi-codes-load', (e) => resolve({ loaded: true, entities: e.detail.entities.length }), { once: true });
    el.addEventListener('heidi-error', (e) => resolve({ loaded: false, error: e.detail }), { once: true });
  });
  document.getElementById('host').append(el);
  const result = await outcome;
  if (!result.loaded) {
    // Not started (the policy refuses it): nothing to use; say what the page saw.
    await sleep(100);
    return post({ ...result, violations: [...violations], pageErrors });
  }
  await el.updateComplete;

  // Use it: open evidence and similar codes, select, accept, switch the source view, open the batch panel, send.
  const cards = [...el.shadowRoot.querySelectorAll('heidi-code-card')];
  for (const card of cards.slice(0, 3)) {
    for (const summary of card.shadowRoot.querySelectorAll('details > summary')) summary.click();
    await sleep(0); // details' toggle events come a task later
    card.shadowRoot.querySelector('button.pick')?.click();
    card.shadowRoot.querySelector('button.accept')?.click();
    await el.updateComplete;
    await card.updateComplete;
  }
  const source = el.shadowRoot.querySelector('heidi-source-view');
  for (const tab of source?.shadowRoot.querySelectorAll('.tabs button') ?? []) {
    tab.click();
    await source.updateComplete;
  }
  [...el.shadowRoot.querySelectorAll('button')].find((b) => b.textContent.includes('Accept filtered'))?.click();
  await el.updateComplete;
  el.addEventListener('heidi-codes-commit', (e) => e.detail.waitUntil(Promise.resolve()), { once: true });
  const sent = await el.commit();
  el.setAttribute('theme', 'dark');
  el.setAttribute('density', 'compact');
  await el.updateComplete;
  await frame();
  await sleep(200);
  const shown = {
    cards: cards.length,
    marks: source ? source.shadowRoot.querySelectorAll('mark').length : 0,
    sent,
    adoptedSheets: el.shadowRoot.adoptedStyleSheets.length,
    styleElements: el.shadowRoot.querySelectorAll('style').length,
    // The styles really apply (not blocked): the host is laid out as a block with a border.
    hostDisplay: getComputedStyle(el).display,
    hostBorder: getComputedStyle(el).borderTopStyle,
  };
  const seen = [...violations];

  // Probes, after the snapshot: prove the policy is really enforced on this page.
  let evalBlocked = false;
  try {
    (0, eval)('1');
  } catch {
    evalBlocked = true;
  }
  let innerHTMLBlocked = false;
  try {
    document.createElement('div').innerHTML = '<b>x</b>';
  } catch {
    innerHTMLBlocked = true;
  }
  await sleep(50);
  post({
    ...result,
    ...shown,
    violations: seen,
    pageErrors,
    probes: { evalBlocked, innerHTMLBlocked, probeViolations: violations.length - seen.length },
  });
}

run().catch((error) => post({ loaded: false, crash: String(error && error.stack ? error.stack : error), violations }));
