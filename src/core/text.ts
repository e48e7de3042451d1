/**
 * A string with lone UTF-16 surrogates replaced by U+FFFD, so `encodeURIComponent`
 * cannot throw on text that came from the network or the host.
 * (String.prototype.toWellFormed, for browsers that predate it.)
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * The one cleaning for engine text the element both shows and hands on (code names, justifications) and for
 * every FHIR string: control characters (but tab and line breaks) become spaces, which FHIR refuses; bidi
 * controls (embeddings, overrides, isolates, marks: Unicode's Bidi_Control) are removed, so a name sent as
 * "\u202Ethgir" cannot look like "right" on the card while "thgir" is filed: the card shows what is filed.
 * Trimmed; '' when nothing is left.
 */
export function plainText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ' ')
      .replace(/\p{Bidi_Control}/gu, '')
      .trim()
  );
}

/** The items of a comma-separated attribute (`a, b,,c` -> `['a', 'b', 'c']`): trimmed, empty ones left out. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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

const REDACTED = '[redacted]';
/** A secret's pieces this long or longer are redacted wherever they appear, so a truncated echo is caught too. */
const PART_LENGTH = 12;
/** Shorter secrets are not worth hiding by piece (and every long enough word would match). */
const SHORTEST_SECRET = 4;
// Credentials that are secret whoever they belong to: a bearer header value, a JWT, an API key header echoed back.
const CREDENTIAL_PATTERNS = [
  /\bbearer\s+[\w.~+/=-]+/gi,
  /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /\b(heidi-api-key|x-api-key|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
];

/**
 * `text` with every secret in it replaced by `[redacted]`: each secret whole and in any case, any piece of it
 * of PART_LENGTH characters or more (a truncated echo), its URL-encoded form, and anything that looks like a
 * bearer credential or a JWT. The one redaction for text that came from outside (an error body, a thrown
 * message) before it is shown on the page, dispatched in an event or logged.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const lower = text.toLowerCase();
  const hidden = new Uint8Array(text.length);
  const hide = (start: number, end: number) => hidden.fill(1, start, end);
  for (const secret of secrets) {
    if (secret.length < SHORTEST_SECRET) continue;
    for (const form of new Set([secret, encodeURIComponent(wellFormed(secret))])) {
      const needle = form.toLowerCase();
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) hide(at, at + needle.length);
      if (needle.length < PART_LENGTH) continue;
      const parts = new Set<string>();
      for (let i = 0; i + PART_LENGTH <= needle.length; i++) parts.add(needle.slice(i, i + PART_LENGTH));
      for (let i = 0; i + PART_LENGTH <= lower.length; i++) {
        if (parts.has(lower.slice(i, i + PART_LENGTH))) hide(i, i + PART_LENGTH);
      }
    }
  }
  for (const pattern of CREDENTIAL_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      // Keep a header's name (`Bearer `, `api_key=`), hide its value.
      const keep = match[0].toLowerCase().startsWith('bearer')
        ? match[0].search(/\s/) + 1
        : (match[1]?.length ?? 0) + (match[2]?.length ?? 0);
      hide(match.index + keep, match.index + match[0].length);
    }
  }
  if (!hidden.includes(1)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!hidden[i]) out += text[i];
    // `hidden[-1]` is undefined: a secret at the very start is redacted too.
    else if (!hidden[i - 1]) out += REDACTED;
  }
  return out;
}
