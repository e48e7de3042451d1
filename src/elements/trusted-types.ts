/**
 * Under Trusted Types, the bundled lit-html asks for a policy as `lit-html` or `heidi-clinical-codes`
 * (scripts/vite/lit-trusted-types.ts), and marks the page when both names were refused. Without a policy,
 * lit-html sets its template HTML as plain strings, which the page's `default` policy may take. When there
 * is none and the page requires Trusted Types, every render would throw in the host page: the element says so
 * once, as a `config` heidi-error, and does not start.
 */
export const TEMPLATES_REFUSED =
  "The page's Content-Security-Policy refuses this element's templates (Trusted Types): list lit-html and heidi-clinical-codes in its trusted-types directive.";

export function templatesRefused(): boolean {
  const trustedTypes = (globalThis as { trustedTypes?: { defaultPolicy: unknown } }).trustedTypes;
  if (
    !trustedTypes ||
    trustedTypes.defaultPolicy ||
    !(globalThis as Record<symbol, unknown>)[Symbol.for('heidi-clinical-codes.no-policy')]
  ) {
    return false;
  }
  try {
    // A string where Trusted Types are required throws (and is reported once, for a page that is broken anyway);
    // a detached script's text is such a sink, and nothing runs.
    document.createElement('script').text = '';
    return false;
  } catch {
    return true;
  }
}
