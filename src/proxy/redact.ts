/**
 * Secrets out of every text the proxy logs or answers: the whole secret, in any
 * letter case, and any piece of it long enough to matter (a truncated key in an
 * upstream message is still a leak).
 */

export type Redactor = (text: string) => string;

/** Pieces this long (or the whole secret, when shorter) are redacted. */
const PIECE = 8;
const MARK = '[redacted]';

/** Lower-case ASCII letters only, so indexes stay aligned with the original text. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

export function createRedactor(secrets: readonly string[]): Redactor {
  // Secrets are validated printable ASCII. Long ones: every PIECE-long piece. Short ones
  // (an account id, say): whole, and only as a word, so "42" does not eat code "99242".
  const pieces = new Set<string>();
  const shortWords: string[] = [];
  for (const secret of secrets) {
    const lower = asciiLower(secret);
    if (lower.length >= PIECE) for (let i = 0; i + PIECE <= lower.length; i++) pieces.add(lower.slice(i, i + PIECE));
    else if (lower.length > 0) shortWords.push(lower);
  }
  if (pieces.size === 0 && shortWords.length === 0) return (text) => text;
  // The first two characters of every piece: most positions of a text are ruled out by this table alone.
  const starts = new Uint8Array(128 * 128);
  for (const piece of pieces) starts[piece.charCodeAt(0) * 128 + piece.charCodeAt(1)] = 1;

  return (text: string): string => {
    if (typeof text !== 'string' || text.length === 0) return text;
    const lower = asciiLower(text);
    let covered: Uint8Array | undefined;
    const cover = (from: number, to: number) => {
      covered ??= new Uint8Array(text.length);
      covered.fill(1, from, to);
    };
    if (pieces.size > 0) {
      for (let i = 0; i + PIECE <= lower.length; i++) {
        const a = lower.charCodeAt(i);
        const b = lower.charCodeAt(i + 1);
        if (a < 128 && b < 128 && starts[a * 128 + b] === 1 && pieces.has(lower.slice(i, i + PIECE))) cover(i, i + PIECE);
      }
    }
    for (const word of shortWords) {
      for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) {
        if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) cover(at, at + word.length);
      }
    }
    if (!covered) return text;
    let out = '';
    for (let i = 0; i < text.length;) {
      if (covered[i]) {
        while (i < text.length && covered[i]) i++;
        out += MARK;
      } else {
        const start = i;
        while (i < text.length && !covered[i]) i++;
        out += text.slice(start, i);
      }
    }
    return out;
  };
}

function errorText(error: Error, depth: number): string {
  let text = `${String(error.name)}\n${String(error.message)}\n${String(error.stack ?? '')}`;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 4) text += `\n${describe(cause, depth + 1)}`;
  return text;
}

function describe(value: unknown, depth = 0): string {
  if (value instanceof Error) return errorText(value, depth);
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '';
  }
}

/**
 * A value safe to hand to `onError`: the original when no secret is in it (so
 * `instanceof` and `name` checks keep working), otherwise a redacted copy.
 */
export function sanitizeForLog(value: unknown, redact: Redactor, depth = 0): unknown {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return redact(value);
  let text: string;
  try {
    text = describe(value);
  } catch {
    return '[unreadable error]';
  }
  if (redact(text) === text) return value;
  if (value instanceof Error) {
    const copy = new Error(redact(String(value.message)));
    copy.name = redact(String(value.name));
    copy.stack = redact(String(value.stack ?? ''));
    const cause = (value as { cause?: unknown }).cause;
    if (cause !== undefined && depth < 4) (copy as { cause?: unknown }).cause = sanitizeForLog(cause, redact, depth + 1);
    return copy;
  }
  return redact(text);
}
