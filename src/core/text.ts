/**
 * A string with lone UTF-16 surrogates replaced by U+FFFD, so `encodeURIComponent`
 * cannot throw on text that came from the network or the host.
 * (String.prototype.toWellFormed, for browsers that predate it.)
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** One URL path segment, safely encoded. */
export function pathSegment(text: string): string {
  return encodeURIComponent(wellFormed(text));
}
