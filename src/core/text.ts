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

/**
 * `table[key]` for a key that came from outside (a page's `lang`, a transcript's speaker tag, an API value):
 * only the table's own entries, so `constructor` or `__proto__` find nothing instead of Object.prototype's members.
 */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * A lookup table with no prototype, for tables that outside text may index (`table[speaker]`): even a plain
 * `table['constructor']` finds nothing. Prefer `ownValue` at the lookup; this keeps older call sites safe too.
 */
export function ownTable<V>(entries: Readonly<Record<string, V>>): Readonly<Record<string, V>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, V>, entries));
}
