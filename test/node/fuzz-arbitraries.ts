/**
 * fast-check arbitraries for Heidi response bodies: generated from scratch and
 * mutated from the real demo fixtures. Shared by the Node fuzz test
 * (test/node/fuzz.test.ts) and the browser fuzz test (test/browser/fuzz.test.ts),
 * so this module must stay DOM- and Node-free (plain data in, plain data out).
 *
 * A "case" is the three bodies one load reads: clinical codes, session and
 * transcript. Each body is either a JS value (handed to the schema directly,
 * so NaN, Infinity, -0 and `undefined` reach zod) or `{ text }`, raw response
 * text (possibly not JSON at all), which goes through the same JSON parsing the
 * client uses.
 */
import fc from 'fast-check';
import { FIXTURES } from '../../demo/fixtures/index.ts';

/** Fixed, so every run (and every failure report) is reproducible. Override with FUZZ_SEED in Node. */
export const FUZZ_SEED = 0x5eed_c0de;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | undefined;

/** A body as the network might deliver it: a value, or raw text. */
export type Body = { readonly value: unknown } | { readonly text: string };

export interface FuzzCase {
  readonly origin: string;
  readonly codes: Body;
  readonly session: Body;
  readonly transcript: Body;
}

// ---------------------------------------------------------------- strings and numbers

/** Characters that break naive text handling: RTL marks and overrides, combining marks, surrogates (paired and lone), NULs, BOM. */
export const NASTY_CHARS = [
  '\u202E', // RIGHT-TO-LEFT OVERRIDE
  '\u202D',
  '\u200F', // RIGHT-TO-LEFT MARK
  '\u200E',
  '\u2066',
  '\u2069',
  '\u0301', // COMBINING ACUTE
  'e\u0301\u0323\u0308',
  '\u0000',
  '\uFEFF',
  '\u200B',
  '\u2028',
  '\u2029',
  '\uD83D\uDE00', // 😀 (surrogate pair)
  '\uD83D\uDC69\u200D\u2695\uFE0F', // 👩‍⚕️ (ZWJ sequence)
  '\uD83C\uDDE6\uD83C\uDDFA', // 🇦🇺
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'ﷺ',
  'שלום',
  'مرحبا',
  '\r\n',
  '\t',
  '[doctor]',
  '[patient] ',
  '\n[',
  '<b>',
  '&amp;',
  '%',
  '%E0%A4%A',
];

export const nastyChar = fc.constantFrom(...NASTY_CHARS);

/** Any string, biased toward the nasty characters and the words the checks look for. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.oneof(nastyChar, fc.constantFrom('no', 'not', 'denies', 'history of', 'mother', 'pain', ' ', '.', 'knee', 'unspecified', 'NOS')),
        {
          maxLength: 12,
        },
      )
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'null', 'undefined', 'NaN', '0', '-1', '1e309', '__proto__', 'constructor', 'toString'),
  },
);

export const nonEmptyWeirdString = weirdString.filter((s) => s.length > 0);

/** Offsets and scores as a careless or hostile API might send them (finite: what JSON can carry). */
export const finiteWeirdNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -5, max: 400 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      -0,
      0.5,
      -1,
      1e21,
      -1e21,
      Number.MAX_SAFE_INTEGER + 2,
      Number.MIN_SAFE_INTEGER,
      2 ** 31,
      2 ** 32 + 1,
      Number.EPSILON,
      1.0000001,
    ),
  },
);

/** Mostly finite; now and then NaN or an infinity (which only a JS value, never JSON, can carry). */
export const weirdNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 30, arbitrary: finiteWeirdNumber },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);

function nullish<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Date-like strings, valid and not. */
const dateish = fc.oneof(
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
  fc.constantFrom(
    '1958-03-14',
    '2024-02-30',
    '0000-00-00',
    '9999-12-31T23:59:59Z',
    '1985-12-10T00:00:00',
    'yesterday',
    '',
    '2024-13-01',
    '-000001-01-01',
  ),
  weirdString,
);

const CODE_SYSTEMS = [
  'icd_10_cm',
  'ICD-10-CM',
  'icd_10_am',
  'icd_10',
  'icd_9_cm',
  'icd_9',
  'snomed',
  'snomed_ct',
  'cpt_2025',
  'opcs_410',
  'achi_13',
  'achi_13_au',
  'loinc_277',
  ' Icd-10 ',
];

const codeSystem = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...CODE_SYSTEMS) },
  { weight: 2, arbitrary: nonEmptyWeirdString },
  { weight: 1, arbitrary: weirdString },
);
const codeValue = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Z][0-9]{2}(\.[0-9X]{1,4})?$/) },
  { weight: 2, arbitrary: fc.constantFrom('M17.11', 'I10', 'R69.9', 'Z00.00', '20610', '11200-00', '239873007') },
  { weight: 3, arbitrary: nonEmptyWeirdString },
  { weight: 1, arbitrary: weirdString },
);

/** Keys that would find Object.prototype's members in a plain object: hostile `lang`, speaker and id values. */
export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

/** A page `lang` as a host might set it: real tags, junk, and prototype keys (bare, with a region, padded). */
export const hostileLang: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('en', 'es', 'es-AR', 'EN-gb', 'fr', '', ' ', '-', 'es-', 'x-klingon', 'und'),
  fc.constantFrom(...PROTOTYPE_KEYS).chain((key) => fc.constantFrom(key, `${key}-US`, ` ${key} `, key.toUpperCase())),
  weirdString,
);

/** Ids that would climb out of their URL path segment, or name none: dot segments, empty, spaces. */
export const DOT_SEGMENT_IDS = ['..', '.', '', ' ', ' .. ', '\t.', '..\n'];

/** A session id as a host attribute or an API might give it: ordinary, dot segments, slashes and encodings. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...DOT_SEGMENT_IDS),
  fc.constantFrom('../..', '../jwt', '%2e%2e', '.%2e', 'a/../..', '?x=1', '#frag', '..;', '...', 'fx-knee-oa'),
  fc.constantFrom(...PROTOTYPE_KEYS),
  weirdString,
);

const WHITESPACE = [' ', '  ', '\t', '\u00a0', '\r\n', '\n', ' \n ', '\u202f', '\u2028', '\u3000'];

/**
 * `text` with its whitespace changed the way exports and copies change it (CRLF, NBSP, tabs, runs of spaces),
 * same words: a quote that must still be located. `choices` picks each replacement.
 */
export function whitespaceVariant(text: string, choices: readonly number[]): string {
  let i = 0;
  return text.replace(/\s+/g, () => WHITESPACE[(choices[i++ % Math.max(1, choices.length)] ?? 0) % WHITESPACE.length]!);
}

// ---------------------------------------------------------------- generated bodies

function spanNear(length: number): fc.Arbitrary<{ start: number; end: number }> {
  const index = fc.integer({ min: 0, max: Math.max(0, length) });
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(index, index).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })) },
    { weight: 1, arbitrary: fc.tuple(index, index).map(([a, b]) => ({ start: Math.max(a, b), end: Math.min(a, b) })) },
    { weight: 2, arbitrary: fc.record({ start: weirdNumber, end: weirdNumber }) },
    { weight: 1, arbitrary: index.map((i) => ({ start: i, end: i })) },
  );
}

function transcriptReference(transcript: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    // exact: the offsets slice out the quote
    spanNear(transcript.length).map((span) => ({
      transcript_text: Number.isInteger(span.start) && Number.isInteger(span.end) ? transcript.slice(span.start, span.end) : '',
      location_in_transcript: span,
    })),
    // moved: the right text at the wrong place
    fc.tuple(spanNear(transcript.length), fc.integer({ min: -50, max: 50 })).map(([span, shift]) => ({
      transcript_text: Number.isInteger(span.start) && Number.isInteger(span.end) ? transcript.slice(span.start, span.end) : 'pain',
      location_in_transcript: { start: span.start + shift, end: span.end + shift },
    })),
    // exact but for whitespace: the right offsets, the quote's spaces and line endings changed
    fc.tuple(spanNear(transcript.length), fc.array(fc.nat(), { minLength: 1, maxLength: 6 })).map(([span, choices]) => ({
      transcript_text:
        Number.isInteger(span.start) && Number.isInteger(span.end)
          ? whitespaceVariant(transcript.slice(span.start, span.end), choices)
          : ' ',
      location_in_transcript: span,
    })),
    // anything
    fc.record(
      { transcript_text: weirdString, location_in_transcript: nullish(spanNear(transcript.length)) },
      { requiredKeys: ['transcript_text'] },
    ),
  );
}

const metadata = fc.record(
  {
    short_description: nullish(weirdString),
    sex: nullish(fc.oneof(fc.constantFrom('Female', 'Male', 'No biological sex', 'F', 'm', 'Male only', 'both'), weirdString)),
    min_age: nullish(fc.oneof(weirdNumber, fc.constantFrom('12', '0', '-3', 'twelve', '65.5', ''), weirdString)),
    max_age: nullish(fc.oneof(weirdNumber, fc.constantFrom('124', '17', 'NaN', ''), weirdString)),
    age_edit_type: nullish(weirdString),
    rare_use_flag: nullish(fc.oneof(fc.constantFrom('Not applicable', 'N/A', 'Yes', 'rare', '0'), weirdString)),
    valid_status: nullish(fc.oneof(fc.constantFrom('Valid', 'valid', 'Invalid', 'Header'), weirdString)),
    parent_code: nullish(codeValue),
    children_code: nullish(fc.array(fc.oneof(codeValue, fc.constant('')), { maxLength: 4 })),
    sibling_code: nullish(fc.array(codeValue, { maxLength: 4 })),
    extra_field: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

const code = fc.record(
  {
    code: codeValue,
    code_name: weirdString,
    metadata: nullish(metadata),
    score: nullish(weirdNumber),
    code_system: codeSystem,
  },
  { requiredKeys: ['code', 'code_name', 'code_system'] },
);

const contextReference = fc.oneof(
  weirdString,
  fc.record(
    {
      text: nullish(weirdString),
      context_text: nullish(weirdString),
      clinician_note: nullish(weirdString),
      other: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
);

/** Ids from a tiny alphabet so duplicates, and ids that look like the model's own `#n` suffixes, are common. */
const entityId = nullish(fc.oneof(fc.constantFrom('e1', 'e1', 'e1#2', 'e2', 'icd_10_cm:M17.11', 'icd_10_cm:M17.11#2'), weirdString));

/**
 * One bad field in an otherwise good entity, as a careless API sends it: each must cost only that field, that
 * similar code or that evidence item (or, for a bad primary code, that entity), never the whole response.
 */
export type BadField =
  | 'score-string'
  | 'score-infinite'
  | 'score-out-of-range'
  | 'children-string'
  | 'metadata-string'
  | 'similar-empty-code'
  | 'similar-not-list'
  | 'offset-string'
  | 'reference-no-text'
  | 'relevance-number'
  | 'primary-empty-code'
  | 'entity-not-object';

export const BAD_FIELDS: readonly BadField[] = [
  'score-string',
  'score-infinite',
  'score-out-of-range',
  'children-string',
  'metadata-string',
  'similar-empty-code',
  'similar-not-list',
  'offset-string',
  'reference-no-text',
  'relevance-number',
  'primary-empty-code',
  'entity-not-object',
];

/** `entity` (a plain JSON entity) with one bad field; what it is is plain data, so it shrinks. */
export function withBadField(entity: Record<string, unknown>, bad: BadField, n: number): unknown {
  const primary = { ...(entity.primary_code as Record<string, unknown>) };
  const e: Record<string, unknown> = { ...entity, primary_code: primary };
  switch (bad) {
    case 'score-string':
      primary.score = String(0.5 + (n % 5) / 10);
      break;
    case 'score-infinite':
      primary.score = n % 2 ? Infinity : -Infinity;
      break;
    case 'score-out-of-range':
      primary.score = [79, 1.5, -0.25, 7900, 100][n % 5];
      break;
    case 'children-string':
      primary.metadata = { ...(primary.metadata as object), children_code: 'M17.11' };
      break;
    case 'metadata-string':
      primary.metadata = 'n/a';
      break;
    case 'similar-empty-code':
      e.similar_codes = [{ code: '', code_name: 'x', code_system: 'icd_10_cm' }, ...((e.similar_codes as unknown[]) ?? [])];
      break;
    case 'similar-not-list':
      e.similar_codes = { code: 'X' };
      break;
    case 'offset-string':
      e.location_in_note = [{ start: String(n % 10), end: 12 }];
      break;
    case 'reference-no-text':
      e.reference_in_transcript = [{ location_in_transcript: { start: 0, end: 3 } }];
      break;
    case 'relevance-number':
      e.relevance = n;
      break;
    case 'primary-empty-code':
      primary.code = '';
      break;
    case 'entity-not-object':
      return n % 2 ? 'entity' : null;
  }
  return e;
}

function entity(transcript: string, note: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: plainEntity(transcript, note) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(plainEntity(transcript, note), fc.constantFrom(...BAD_FIELDS), fc.nat())
        .map(([e, bad, n]) => withBadField(e as Record<string, unknown>, bad, n)),
    },
  );
}

function plainEntity(transcript: string, note: string): fc.Arbitrary<unknown> {
  return fc.record(
    {
      id: entityId,
      location_in_note: nullish(fc.array(spanNear(note.length), { maxLength: 4 })),
      reference_in_transcript: nullish(fc.array(transcriptReference(transcript), { maxLength: 4 })),
      reference_in_context: nullish(fc.array(contextReference, { maxLength: 3 })),
      primary_code: code,
      similar_codes: nullish(fc.array(code, { maxLength: 4 })),
      status: nullish(fc.oneof(fc.constantFrom('PENDING', 'ACCEPTED', 'REJECTED'), weirdString)),
      relevance_score: nullish(weirdNumber),
      relevance: nullish(fc.oneof(fc.constantFrom('HIGH', 'MEDIUM', 'LOW', 'high', 'Medium'), weirdString)),
    },
    { requiredKeys: ['primary_code'] },
  );
}

const transcriptText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FIXTURES.map((f) => f.transcript)) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom('[doctor] ', '[patient] ', '[nurse practitioner] ', '[', '', ...PROTOTYPE_KEYS.map((k) => `[${k}] `)),
          weirdString,
        ),
        { maxLength: 10 },
      )
      .map((turns) => turns.map(([speaker, text]) => speaker + text).join('\n')),
  },
  { weight: 1, arbitrary: weirdString },
);

const noteText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FIXTURES.map((f) => f.session.consult_note?.result ?? '')) },
  { weight: 2, arbitrary: fc.array(weirdString, { maxLength: 8 }).map((lines) => lines.join('\n')) },
);

const patient = fc.record(
  {
    name: nullish(weirdString),
    gender: nullish(fc.oneof(fc.constantFrom('FEMALE', 'male', 'F', 'M', 'other'), weirdString)),
    dob: nullish(dateish),
    demographic_details: nullish(weirdString),
  },
  { requiredKeys: [] },
);

function sessionBody(sessionId: string, note: string): fc.Arbitrary<unknown> {
  return fc.record({
    session: fc.record(
      {
        session_id: fc.oneof({ weight: 5, arbitrary: fc.constant(sessionId) }, { weight: 1, arbitrary: weirdString }),
        session_name: nullish(weirdString),
        patient: nullish(patient),
        clinician_notes: nullish(fc.array(weirdString, { maxLength: 3 })),
        consult_note: nullish(
          fc.record(
            { status: nullish(weirdString), result: nullish(fc.constant(note)), heading: nullish(weirdString) },
            { requiredKeys: [] },
          ),
        ),
        duration: nullish(weirdNumber),
        created_at: nullish(dateish),
        updated_at: nullish(dateish),
        language_code: nullish(weirdString),
        ehr_patient_id: nullish(weirdString),
        unknown_field: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['session_id'] },
    ),
  });
}

/** A whole load's bodies, generated from scratch but consistent enough (offsets into the generated texts) to reach deep code. */
export const generatedCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    transcriptText,
    noteText,
    fc.oneof(
      { weight: 6, arbitrary: fc.oneof(fc.constantFrom('fz-1', '1234567890'), nonEmptyWeirdString) },
      { weight: 1, arbitrary: hostileId },
    ),
  )
  .chain(([transcript, note, sessionId]) =>
    fc.record({
      codes: fc.record(
        {
          id: nullish(weirdString),
          session_id: fc.oneof({ weight: 20, arbitrary: fc.constant(sessionId) }, { weight: 1, arbitrary: fc.constant('') }),
          consult_note_id: nullish(weirdString),
          clinical_entities: fc.array(entity(transcript, note), { maxLength: 8 }),
          created_at: nullish(dateish),
          feedback: nullish(fc.jsonValue({ maxDepth: 2 })),
        },
        { requiredKeys: ['session_id', 'clinical_entities'] },
      ),
      session: sessionBody(sessionId, note),
      transcript: fc.oneof(
        { weight: 6, arbitrary: fc.constant({ transcript }) },
        { weight: 1, arbitrary: fc.constant({ transcript: null }) },
        { weight: 1, arbitrary: fc.constant({}) },
      ),
    }),
  )
  .map(({ codes, session, transcript }) => ({
    origin: 'generated',
    codes: { value: codes },
    session: { value: session },
    transcript: { value: transcript },
  }));

// ---------------------------------------------------------------- mutations of real fixtures

export type MutationOp =
  | 'drop'
  | 'null'
  | 'wrong-type'
  | 'huge'
  | 'negative'
  | 'nan'
  | 'infinity'
  | 'fraction'
  | 'reverse'
  | 'unicode'
  | 'grow'
  | 'duplicate'
  | 'empty'
  | 'stringify'
  | 'wrap';

export interface Mutation {
  readonly op: MutationOp;
  /** Picks the node (modulo the number of nodes), so a mutation is plain data and shrinks. */
  readonly at: number;
  readonly value: Json;
  readonly text: string;
  readonly position: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.oneof(
    // Type-preserving damage reaches the model; type-breaking damage exercises the schemas.
    {
      weight: 3,
      arbitrary: fc.constantFrom<MutationOp>('huge', 'negative', 'fraction', 'reverse', 'unicode', 'grow', 'duplicate', 'empty'),
    },
    { weight: 1, arbitrary: fc.constantFrom<MutationOp>('drop', 'null', 'wrong-type', 'nan', 'infinity', 'stringify', 'wrap') },
  ),
  at: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  text: fc.oneof(nastyChar, weirdString),
  position: fc.nat(),
});

/** Text-level damage: what a proxy, a truncating gateway or a broken encoder does to a body. */
export type TextDamage = 'none' | 'truncate' | 'garbage' | 'bom' | 'html' | 'empty' | 'concat' | 'lone-escape';
const textDamage = fc.record({
  kind: fc.oneof(
    { weight: 12, arbitrary: fc.constant<TextDamage>('none') },
    { weight: 1, arbitrary: fc.constantFrom<TextDamage>('truncate', 'garbage', 'bom', 'html', 'empty', 'concat', 'lone-escape') },
  ),
  position: fc.nat(),
});

interface Slot {
  readonly parent: Json[] | { [key: string]: Json };
  readonly key: string | number;
}

/** Every node below the root, as (parent, key) pairs, in a deterministic order. */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        out.push({ parent: node, key });
        walk(node[key]);
      }
    }
  };
  walk(root);
  return out;
}

function get(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key];
}

function set(slot: Slot, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

function wrongTypeFor(current: Json, fallback: Json): Json {
  if (typeof current === 'string') return fallback === null || typeof fallback === 'string' ? 42 : fallback;
  if (typeof current === 'number') return String(current);
  if (Array.isArray(current)) return { length: current.length };
  if (current && typeof current === 'object') return [current];
  return fallback ?? 'x';
}

const NUMERIC_OPS: readonly MutationOp[] = ['huge', 'negative', 'nan', 'infinity', 'fraction'];

const isSpan = (v: Json): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && 'start' in v && 'end' in v;

/** The nodes an operation is meant for (numbers for numeric damage, strings for text damage...), else any node. */
function candidates(all: Slot[], op: MutationOp): Slot[] {
  const pick = (test: (v: Json) => boolean) => {
    const found = all.filter((slot) => test(get(slot)));
    return found.length ? found : all;
  };
  if (NUMERIC_OPS.includes(op)) return pick((v) => typeof v === 'number');
  if (op === 'unicode') return pick((v) => typeof v === 'string');
  if (op === 'grow') return pick((v) => typeof v === 'string' || Array.isArray(v));
  if (op === 'reverse') return pick((v) => isSpan(v) || Array.isArray(v));
  if (op === 'duplicate') return pick((v) => Array.isArray(v));
  return all;
}

/** Apply one mutation in place (the root object itself is never replaced). */
export function applyMutation(root: Json, m: Mutation): void {
  const all = candidates(slots(root), m.op);
  if (all.length === 0) return;
  const slot = all[m.at % all.length]!;
  const current = get(slot);
  switch (m.op) {
    case 'drop':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete (slot.parent as Record<string, Json>)[slot.key as string];
      return;
    case 'null':
      return set(slot, null);
    case 'wrong-type':
      return set(slot, wrongTypeFor(current, m.value));
    case 'huge':
      return set(slot, [1e21, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 1e308][m.position % 4]!);
    case 'negative':
      return set(slot, typeof current === 'number' ? -current - 1 : -(m.position % 1000) - 1);
    case 'nan':
      return set(slot, Number.NaN);
    case 'infinity':
      return set(slot, m.position % 2 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    case 'fraction':
      return set(slot, typeof current === 'number' ? current + 0.5 : 0.5);
    case 'reverse': {
      // A span's start/end swapped, or an array reversed.
      if (isSpan(current)) {
        const span = current as { start: Json; end: Json };
        const { start, end } = span;
        span.start = end;
        span.end = start;
      } else if (Array.isArray(current)) current.reverse();
      else if (typeof current === 'string') set(slot, [...current].reverse().join(''));
      return;
    }
    case 'unicode': {
      if (typeof current === 'string') {
        const at = m.position % (current.length + 1);
        set(slot, current.slice(0, at) + m.text + current.slice(at));
      } else set(slot, m.text);
      return;
    }
    case 'grow':
      if (typeof current === 'string') set(slot, current.repeat(2 + (m.position % 30)) + m.text);
      else if (Array.isArray(current) && current.length) {
        for (let i = 0; i < 1 + (m.position % 20); i++) current.push(structuredClone(current[i % current.length]) as Json);
      } else set(slot, m.text.repeat(1 + (m.position % 50)));
      return;
    case 'duplicate':
      if (Array.isArray(current) && current.length) current.push(structuredClone(current[m.position % current.length]) as Json);
      else if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 0, structuredClone(current) as Json);
      return;
    case 'empty':
      return set(slot, Array.isArray(current) ? [] : typeof current === 'string' ? '' : current && typeof current === 'object' ? {} : 0);
    case 'stringify':
      return set(slot, JSON.stringify(current) ?? 'undefined');
    case 'wrap':
      return set(slot, { value: current ?? null, [m.text]: m.value });
  }
}

function damage(text: string, d: { kind: TextDamage; position: number }): string {
  const at = d.position % (text.length + 1);
  switch (d.kind) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, at);
    case 'garbage':
      return `${text.slice(0, at)}\u0000},]"${text.slice(at)}`;
    case 'bom':
      return `\uFEFF${text}`;
    case 'html':
      return '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>';
    case 'empty':
      return '';
    case 'concat':
      return text + text;
    case 'lone-escape':
      return text.replace(/"([^"]*)"/, '"\\ud800$1"');
  }
}

function mutated(base: () => Json, mutations: readonly Mutation[], dmg: { kind: TextDamage; position: number }): Body {
  const root = base();
  for (const m of mutations) applyMutation(root, m);
  if (dmg.kind === 'none') return { value: root };
  return { text: damage(JSON.stringify(root) ?? '', dmg) };
}

const FIXTURE_BODIES = FIXTURES.map((f) => ({
  id: f.id,
  codes: JSON.stringify(f.clinicalCodes),
  session: JSON.stringify({ session: f.session }),
  transcript: JSON.stringify({ transcript: f.transcript }),
}));

/**
 * A real fixture's three bodies with a few mutations each (most mutations land
 * on the clinical codes, the richest body) and, now and then, text-level damage.
 */
export const mutatedCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    fixture: fc.nat({ max: FIXTURE_BODIES.length - 1 }),
    codes: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    session: fc.array(mutation, { maxLength: 3 }),
    transcript: fc.array(mutation, { maxLength: 2 }),
    codesDamage: textDamage,
    sessionDamage: textDamage,
    transcriptDamage: textDamage,
  })
  .map((r) => {
    const f = FIXTURE_BODIES[r.fixture]!;
    return {
      origin: `mutated:${f.id}`,
      codes: mutated(() => JSON.parse(f.codes) as Json, r.codes, r.codesDamage),
      session: mutated(() => JSON.parse(f.session) as Json, r.session, r.sessionDamage),
      transcript: mutated(() => JSON.parse(f.transcript) as Json, r.transcript, r.transcriptDamage),
    };
  });

/** Either kind, half and half. */
export const anyCase: fc.Arbitrary<FuzzCase> = fc.oneof(generatedCase, mutatedCase);

/** The body as response text (what the browser test serves). `undefined` values vanish, NaN becomes null, as JSON does. */
export function bodyText(body: Body): string {
  return 'text' in body ? body.text : (JSON.stringify(body.value) ?? '');
}
