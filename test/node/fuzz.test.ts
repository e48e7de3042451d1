/**
 * Property-based fuzzing of everything that reads Heidi's bodies: the zod
 * schemas and, when a body parses, the model, evidence location, checks,
 * review state, filters and text segmentation. Nothing may throw, and the
 * evidence invariants hold for every input.
 *
 * Seeded and reproducible: FUZZ_SEED (default FUZZ_SEED in fuzz-arbitraries.ts).
 * FUZZ_RUNS (default 2500) is the number of cases per property; with five
 * properties of three bodies each that is ≥ 10,000 bodies per CI run (the
 * exact figure is printed). `npm run fuzz` runs a much longer campaign.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type * as z from 'zod/mini';
import {
  ClinicalCodesResponse,
  SessionResponse,
  TranscriptResponse,
  describeErrorBody,
  explainSchemaError,
  type Session,
} from '../../src/core/schemas.ts';
import { parseJsonBody } from '../../src/core/token.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { buildModel, type CodingModel, type EntityView } from '../../src/core/model.ts';
import { checkEntity } from '../../src/core/checks.ts';
import {
  DEFAULT_BATCH_FILTER,
  allowedEntities,
  batchCandidates,
  groupByKind,
  visibleEntities,
  type SortOrder,
  type StatusFilter,
} from '../../src/core/filters.ts';
import { ReviewState, storageKey } from '../../src/core/review.ts';
import { isLocated, locatedRanges, segmentText } from '../../src/core/evidence.ts';
import { codeSystemInfo } from '../../src/core/code-systems.ts';
import { FIXTURES, generateConsultation } from '../../demo/fixtures/index.ts';
import {
  BAD_FIELDS,
  DOT_SEGMENT_IDS,
  FUZZ_SEED,
  PROTOTYPE_KEYS,
  anyCase,
  generatedCase,
  hostileId,
  hostileLang,
  mutatedCase,
  weirdString,
  whitespaceVariant,
  withBadField,
  type Body,
  type FuzzCase,
} from './fuzz-arbitraries.ts';
import { idSegment } from '../../src/core/url.ts';
import { locateTranscriptReference } from '../../src/core/evidence.ts';
import { en } from '../../src/i18n/en.ts';
import { messagesFor, relevanceLabel, speakerLabel } from '../../src/i18n/index.ts';
import { MemoryStorage } from './memory-storage.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : FUZZ_SEED;
const RUNS = process.env.FUZZ_RUNS ? Math.max(1, Number(process.env.FUZZ_RUNS)) : 2500;

/**
 * Known src bugs (reported to the lead). While a flag is true the campaign steps around that one bug
 * (counted in `knownBugHits`) so everything else keeps being fuzzed, and a skipped 'BUG: ...' test
 * below pins it. Set the flag to false and un-skip the test once src is fixed.
 * - loneSurrogateCodeSystem: a `code_system` with a lone UTF-16 surrogate (JSON "\ud800") makes
 *   `codeSystemInfo` call `encodeURIComponent`, which throws `URIError: URI malformed`; `buildModel`
 *   throws and the element reports a `server` error instead of showing the codes.
 * - duplicateEntityIds: `buildModel` de-duplicates ids by appending `#n`, but an id Heidi sent can
 *   equal a generated one (`a`, `a`, `a#2` → `a`, `a#2`, `a#2`): two cards share one decision.
 * - protoEntityIdNotPersisted: `ReviewState.save` builds `d` as a plain object, so `d["__proto__"] = …`
 *   sets the prototype instead of a key: a decision on an entity with id `__proto__` is lost on reload.
 */
export const KNOWN_BUGS = { loneSurrogateCodeSystem: false, duplicateEntityIds: false, protoEntityIdNotPersisted: false };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasLoneSurrogateCodeSystem(codes: {
  clinical_entities: readonly { primary_code: { code_system: string }; similar_codes?: readonly { code_system: string }[] | null }[];
}): boolean {
  return codes.clinical_entities.some((e) => [e.primary_code, ...(e.similar_codes ?? [])].some((c) => LONE_SURROGATE.test(c.code_system)));
}

const knownBugHits = { loneSurrogateCodeSystem: 0, duplicateEntityIds: 0, protoEntityIdNotPersisted: 0 };
const stats = { bodies: 0, codesParsed: 0, sessionParsed: 0, transcriptParsed: 0, entities: 0, locatedSnippets: 0, validNoteSpans: 0 };

after(() => {
  // One line for CI logs: how much was actually exercised.
  console.log(
    `# fuzz: seed=${SEED} runs/property=${RUNS} bodies=${stats.bodies} (known-bug cases stepped around: ${JSON.stringify(knownBugHits)}) parsed: codes=${stats.codesParsed} session=${stats.sessionParsed} transcript=${stats.transcriptParsed}; entities=${stats.entities} located snippets=${stats.locatedSnippets} valid note spans=${stats.validNoteSpans}`,
  );
});

type Parsed<T> = { ok: true; data: T } | { ok: false };

/** What HeidiClient.request does with a body: JSON (for raw text), then the schema. Only HeidiError may come out, and only for text. */
function parse<S extends z.ZodMiniType>(schema: S, body: Body): Parsed<z.infer<S>> {
  stats.bodies += 1;
  let value: unknown;
  if ('text' in body) {
    try {
      value = parseJsonBody(body.text, 'fuzz');
    } catch (error) {
      assert.ok(error instanceof HeidiError && error.code === 'invalid-response', `parseJsonBody threw ${String(error)}`);
      return { ok: false };
    }
  } else value = body.value;
  const result = schema.safeParse(value);
  // Error bodies are read with describeErrorBody; any body may arrive as an error body.
  const described = describeErrorBody(value);
  if (described) assert.equal(typeof described.message, 'string');
  if (!result.success) {
    const why = explainSchemaError(result.error);
    assert.equal(typeof why, 'string');
    return { ok: false };
  }
  return { ok: true, data: result.data as z.infer<S> };
}

function isIndexIn(n: number | undefined, length: number): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= length;
}

function hasDuplicateIds(model: CodingModel): boolean {
  return new Set(model.entities.map((e) => e.id)).size !== model.entities.length;
}

const isHighUnit = (t: string, i: number) => i >= 0 && i < t.length && t.charCodeAt(i) >= 0xd800 && t.charCodeAt(i) <= 0xdbff;
const isLowUnit = (t: string, i: number) => i >= 0 && i < t.length && t.charCodeAt(i) >= 0xdc00 && t.charCodeAt(i) <= 0xdfff;
/** Does offset `i` fall between the two halves of a surrogate pair? */
const splitsPair = (t: string, i: number) => isHighUnit(t, i - 1) && isLowUnit(t, i);

function checkModelInvariants(model: CodingModel, transcript: string | undefined, note: string | undefined): void {
  const ids = new Set<string>();
  for (const count of Object.values(model.dropped)) assert.ok(Number.isInteger(count) && count >= 0, 'dropped counts are counts');
  let outOfRange = 0;
  const skipIds = KNOWN_BUGS.duplicateEntityIds && hasDuplicateIds(model);
  if (skipIds) knownBugHits.duplicateEntityIds += 1;
  for (const entity of model.entities) {
    stats.entities += 1;
    assert.ok(skipIds || !ids.has(entity.id), `entity ids are unique (duplicate ${JSON.stringify(entity.id)})`);
    ids.add(entity.id);
    assert.ok(entity.primary.display.length > 0, 'a code always has something to display');
    for (const code of [entity.primary, ...entity.similar]) {
      // Scores are 0..1 when shown; one Heidi sent outside that is clamped, and the raw value kept as the flag.
      assert.ok(code.score === undefined || (code.score >= 0 && code.score <= 1), `score ${code.score} is within 0..1`);
      if (code.scoreOutOfRange !== undefined) {
        outOfRange += 1;
        assert.ok(code.scoreOutOfRange < 0 || code.scoreOutOfRange > 1);
        assert.equal(code.score, code.scoreOutOfRange < 0 ? 0 : 1);
      }
      assert.ok(
        !code.system.startsWith('urn:heidi:') || codeSystemInfo(code.codeSystem).kind === undefined,
        'an unknown system has no kind',
      );
    }
    assert.ok(entity.relevanceScore === undefined || (entity.relevanceScore >= 0 && entity.relevanceScore <= 1));
    assert.equal(typeof entity.primary.system, 'string');
    for (const snippet of entity.transcript) {
      if (!isLocated(snippet)) {
        assert.equal('start' in snippet || 'end' in snippet, false, 'an unlocated snippet has no offsets');
        continue;
      }
      stats.locatedSnippets += 1;
      assert.ok(transcript !== undefined, 'a located snippet needs a transcript');
      assert.ok(
        isIndexIn(snippet.start, transcript.length) && isIndexIn(snippet.end, transcript.length),
        `snippet offsets ${snippet.start}..${snippet.end} inside 0..${transcript.length}`,
      );
      assert.ok(snippet.start < snippet.end, 'a located snippet is not empty');
      assert.equal(transcript.slice(snippet.start, snippet.end), snippet.text, 'a located snippet slices the transcript');
      assert.ok(
        !splitsPair(transcript, snippet.start) && !splitsPair(transcript, snippet.end),
        'a located snippet never splits a code point',
      );
      assert.equal(typeof snippet.before, 'string');
      assert.equal(typeof snippet.after, 'string');
    }
    for (const span of entity.note) {
      if (!isLocated(span)) {
        assert.equal(span.text, '');
        continue;
      }
      stats.validNoteSpans += 1;
      assert.ok(note !== undefined);
      assert.ok(
        isIndexIn(span.start, note.length) && isIndexIn(span.end, note.length) && span.start < span.end,
        'a valid note span lies within the note',
      );
      assert.equal(note.slice(span.start, span.end), span.text);
      assert.ok(!splitsPair(note, span.start) && !splitsPair(note, span.end), 'a note span never splits a code point');
    }
    for (const text of entity.context) assert.ok(typeof text === 'string' && text.length > 0);
  }
  assert.equal(model.scoresOutOfRange, outOfRange, 'every out-of-range score is counted');
}

function checkSegments(text: string, ranges: { start: number; end: number; id: number }[]): void {
  const segments = segmentText(text, ranges);
  assert.equal(segments.map((s) => s.text).join(''), text, 'segmentText joins back to the text');
  const ids = new Set(ranges.map((r) => r.id));
  for (const s of segments) {
    assert.ok(s.text.length > 0, 'no empty segments');
    assert.ok(s.mark === -1 || ids.has(s.mark), 'a mark belongs to a given range');
  }
}

/** The whole read path of one load, as the element runs it. */
function runCase(c: FuzzCase): void {
  const codes = parse(ClinicalCodesResponse, c.codes);
  const session = parse(SessionResponse, c.session);
  const transcriptBody = parse(TranscriptResponse, c.transcript);
  if (session.ok) stats.sessionParsed += 1;
  if (transcriptBody.ok) stats.transcriptParsed += 1;
  if (!codes.ok) return;
  stats.codesParsed += 1;
  if (KNOWN_BUGS.loneSurrogateCodeSystem && hasLoneSurrogateCodeSystem(codes.data)) {
    knownBugHits.loneSurrogateCodeSystem += 1;
    return;
  }
  // As HeidiClient.getTranscript: a null transcript is ''.
  const transcript = transcriptBody.ok ? (transcriptBody.data.transcript ?? '') : undefined;
  const sessionValue: Session | undefined = session.ok ? session.data.session : undefined;
  const model = buildModel(codes.data, transcript, sessionValue);
  const note = model.note;
  checkModelInvariants(model, transcript, note);

  const storage = new MemoryStorage();
  const review = new ReviewState(model.sessionId, { storage });
  const context = { patient: sessionValue?.patient, sessionDate: sessionValue?.created_at };
  const warnings = (entity: EntityView) => checkEntity(entity, review.chosenCode(entity), context);
  model.entities.forEach((entity, i) => {
    for (const code of [entity.primary, ...entity.similar]) {
      for (const w of checkEntity(entity, code, context)) assert.equal(typeof w.kind, 'string');
    }
    // Review the way a person would: accept, reject, swap, undo (a person makes a few dozen).
    if (i >= 100) return;
    if (i % 3 === 0) review.setStatus(entity, 'ACCEPTED');
    if (i % 3 === 1) review.setStatus(entity, 'REJECTED');
    if (i % 4 === 0 && entity.similar[0]) review.swap(entity, entity.similar[0]);
    if (i % 5 === 0) review.setStatus(entity, 'PENDING');
  });
  review.markSent(review.accepted(model.entities).map((e) => ({ entityId: e.id, ...review.chosenCode(e) })));
  // What was persisted reads back the same (saved now: a change is otherwise saved a moment later).
  review.flush();
  const again = new ReviewState(model.sessionId, { storage });
  for (const e of model.entities) {
    if (KNOWN_BUGS.protoEntityIdNotPersisted && e.id === '__proto__') {
      knownBugHits.protoEntityIdNotPersisted += 1;
      continue;
    }
    assert.equal(again.status(e.id), review.status(e.id), `decision on ${JSON.stringify(e.id)} survives a reload`);
  }

  batchCandidates(model.entities, review, warnings, DEFAULT_BATCH_FILTER);
  for (const taken of batchCandidates(model.entities, review, warnings, {
    minRelevance: 'LOW',
    minScore: 0,
    requireEvidence: false,
    excludeWarnings: false,
  })) {
    assert.equal(review.chosenCode(taken).scoreOutOfRange, undefined, 'a flagged score is never batch-accepted');
  }
  // Labels keyed by outside text (speaker tags, relevance) are own-key lookups: always a string.
  for (const entity of model.entities) {
    if (entity.relevance) assert.equal(typeof relevanceLabel(en, entity.relevance), 'string');
    for (const snippet of entity.transcript) if (snippet.speaker) assert.equal(typeof speakerLabel(en, snippet.speaker), 'string');
  }
  const systems = [[], ['ICD-10-CM'], ['cpt_2025', 'snomed'], [model.entities[0]?.primary.codeSystem ?? 'x']];
  for (const sort of ['document', 'relevance', 'score'] as SortOrder[]) {
    for (const status of ['ALL', 'PENDING', 'ACCEPTED'] as StatusFilter[]) {
      const list = visibleEntities(model.entities, review, {
        codeSystems: systems[(sort.length + status.length) % systems.length]!,
        system: undefined,
        status,
        sort,
      });
      groupByKind(list);
    }
  }
  allowedEntities(model.entities, ['', ' ', ...model.entities.map((e) => e.primary.codeSystem)]);

  // Per entity as the source view draws it (the first 200: each call copies the whole text), then all at once.
  const some = model.entities.slice(0, 200);
  const transcriptRanges = (entity: EntityView) => locatedRanges(entity.transcript);
  const noteRanges = (entity: EntityView) => locatedRanges(entity.note);
  if (transcript !== undefined) {
    for (const entity of some) checkSegments(transcript, transcriptRanges(entity));
    checkSegments(transcript, model.entities.flatMap(transcriptRanges));
  }
  if (note !== undefined) {
    for (const entity of some) checkSegments(note, noteRanges(entity));
    checkSegments(note, model.entities.flatMap(noteRanges));
  }
}

/** The raw spans a body carried, unchecked, for segmentText (which must check them itself). */
function rawSpans(c: FuzzCase): { start: number; end: number; id: number }[] {
  const out: { start: number; end: number; id: number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.start === 'number' && typeof o.end === 'number') out.push({ start: o.start, end: o.end, id: out.length });
      Object.values(o).forEach(walk);
    }
  };
  if ('value' in c.codes) walk(c.codes.value);
  return out;
}

const params = (numRuns: number) => ({ seed: SEED, numRuns });

describe('fuzz: Heidi bodies through schemas, model, checks, review, filters, segmentation', () => {
  it(`generated bodies (${RUNS} cases × 3 bodies)`, () => {
    fc.assert(
      fc.property(generatedCase, (c) => runCase(c)),
      params(RUNS),
    );
  });

  it(`mutated real fixtures (${RUNS} cases × 3 bodies)`, () => {
    fc.assert(
      fc.property(mutatedCase, (c) => runCase(c)),
      params(RUNS),
    );
  });

  it(`mixed cases, segmentText with the raw (unchecked) spans (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(anyCase, weirdString, (c, extra) => {
        runCase(c);
        const transcript = 'value' in c.transcript ? (c.transcript.value as { transcript?: unknown } | null)?.transcript : undefined;
        const text = typeof transcript === 'string' ? transcript + extra : extra;
        checkSegments(text, rawSpans(c));
      }),
      params(RUNS),
    );
  });

  it(`session bodies alone (${RUNS} cases, generated and mutated)`, () => {
    fc.assert(
      fc.property(anyCase, (c) => {
        const parsed = parse(SessionResponse, c.session);
        if (parsed.ok) {
          stats.sessionParsed += 1;
          // A session with codes from a real fixture: the checks read its patient and dates.
          const fixture = FIXTURES[0]!;
          const model = buildModel(fixture.clinicalCodes, fixture.transcript, parsed.data.session);
          checkModelInvariants(model, fixture.transcript, model.note);
          for (const e of model.entities)
            checkEntity(e, e.primary, { patient: parsed.data.session.patient, sessionDate: parsed.data.session.created_at });
        }
      }),
      params(RUNS),
    );
  });

  it(`transcript bodies alone (${RUNS} cases): every fixture's evidence re-located in a fuzzed transcript`, () => {
    fc.assert(
      fc.property(anyCase, fc.nat({ max: FIXTURES.length - 1 }), (c, i) => {
        const parsed = parse(TranscriptResponse, c.transcript);
        if (!parsed.ok) return;
        stats.transcriptParsed += 1;
        const transcript = parsed.data.transcript ?? '';
        const fixture = FIXTURES[i]!;
        const model = buildModel(fixture.clinicalCodes, transcript, fixture.session);
        checkModelInvariants(model, transcript, model.note);
      }),
      params(RUNS),
    );
  });

  it('persisted review state: any stored string loads without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.record({ v: fc.constantFrom(1, 2, '1'), d: fc.jsonValue(), sent: fc.jsonValue() }).map((v) => JSON.stringify(v)),
          fc
            .dictionary(fc.string(), fc.record({ s: fc.constantFrom('ACCEPTED', 'REJECTED', 'PENDING', 'x'), c: fc.jsonValue() }))
            .map((d) => JSON.stringify({ v: 1, d, sent: [] })),
        ),
        (stored) => {
          const storage = new MemoryStorage();
          storage.setItem(storageKey('s'), stored);
          const review = new ReviewState('s', { storage });
          const fixture = FIXTURES[0]!;
          const model = buildModel(fixture.clinicalCodes, fixture.transcript, fixture.session);
          review.counts(model.entities);
          for (const e of model.entities) {
            review.chosenCode(e);
            review.isSent(e);
          }
        },
      ),
      params(Math.min(RUNS, 2000)),
    );
  });
});

describe('fuzz: the hostile-input classes of issue 15', () => {
  it(`whitespace-variant quotes with valid offsets are located, as the transcript's own text (${RUNS} cases)`, () => {
    const transcripts = FIXTURES.map((f) => f.transcript);
    fc.assert(
      fc.property(
        fc.nat({ max: transcripts.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (i, from, length, choices, crlf) => {
          const base = transcripts[i]!;
          const transcript = crlf ? base.replace(/\n/g, '\r\n') : base;
          const start = from % transcript.length;
          const end = Math.min(transcript.length, start + length);
          const slice = transcript.slice(start, end);
          if (!slice.trim()) return;
          const quote = whitespaceVariant(slice, choices);
          const ev = locateTranscriptReference(transcript, { transcript_text: quote, location_in_transcript: { start, end } });
          assert.ok(isLocated(ev), `${JSON.stringify(quote)} located`);
          assert.equal(ev.location, 'exact');
          assert.equal(ev.text, transcript.slice(ev.start, ev.end));
          // Wrong offsets: still found (moved), with the same words.
          const moved = locateTranscriptReference(transcript, { transcript_text: quote, location_in_transcript: null });
          assert.ok(isLocated(moved));
          assert.equal(moved.text.replace(/\s+/g, ' ').trim().toLowerCase(), quote.replace(/\s+/g, ' ').trim().toLowerCase());
        },
      ),
      params(RUNS),
    );
  });

  it(`one bad field per entity costs only that field, code or entity (${RUNS} cases)`, () => {
    const entities = FIXTURES.flatMap((f) => f.clinicalCodes.clinical_entities) as unknown as Record<string, unknown>[];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: entities.length - 1 }), fc.option(fc.constantFrom(...BAD_FIELDS), { nil: undefined }), fc.nat()), {
          minLength: 1,
          maxLength: 12,
        }),
        (picks) => {
          const body = {
            session_id: 's',
            clinical_entities: picks.map(([i, bad, n]) =>
              bad ? withBadField(structuredClone(entities[i]!), bad, n) : structuredClone(entities[i]!),
            ),
          };
          const fatal = picks.filter(([, bad]) => bad === 'primary-empty-code' || bad === 'entity-not-object').length;
          const parsed = ClinicalCodesResponse.safeParse(body);
          if (fatal === picks.length) {
            assert.equal(parsed.success, false, 'nothing readable: the body is refused as a whole');
            return;
          }
          assert.ok(parsed.success, parsed.success ? '' : explainSchemaError(parsed.error));
          const model = buildModel(parsed.data, FIXTURES[0]!.transcript, undefined);
          assert.equal(model.entities.length, picks.length - fatal, 'only the entities without a readable primary code are dropped');
          assert.equal(model.dropped.entities, fatal);
          const softBad = picks.filter(
            ([, bad]) => bad && bad !== 'primary-empty-code' && bad !== 'entity-not-object' && bad !== 'score-out-of-range',
          ).length;
          assert.ok(model.dropped.fields + model.dropped.similarCodes + model.dropped.evidence >= softBad, 'each bad field is counted');
          assert.ok(model.scoresOutOfRange >= picks.filter(([, bad]) => bad === 'score-out-of-range').length);
          checkModelInvariants(model, FIXTURES[0]!.transcript, undefined);
        },
      ),
      params(RUNS),
    );
  });

  it(`dot-segment and hostile ids never leave their URL path segment (${RUNS} cases)`, () => {
    for (const id of DOT_SEGMENT_IDS)
      assert.throws(
        () => idSegment(id, 'session id'),
        (e: unknown) => e instanceof HeidiError && e.code === 'config',
      );
    fc.assert(
      fc.property(hostileId, (id) => {
        let segment: string;
        try {
          segment = idSegment(id, 'session id');
        } catch (error) {
          assert.ok(error instanceof HeidiError && error.code === 'config', String(error));
          return;
        }
        for (const path of [`sessions/${segment}`, `sessions/${segment}/transcript`, `sessions/${segment}/clinical-codes`]) {
          const url = new URL(path, 'https://heidi.test/api/v2/');
          assert.equal(url.origin, 'https://heidi.test');
          assert.ok(
            url.pathname.startsWith('/api/v2/sessions/') && url.pathname.split('/')[4] === segment,
            `${JSON.stringify(id)} → ${url.pathname}`,
          );
          assert.equal(url.search + url.hash, '');
        }
      }),
      params(RUNS),
    );
  });

  it(`hostile lang values pick a real catalogue (${RUNS} cases)`, () => {
    for (const key of PROTOTYPE_KEYS) assert.equal(messagesFor(key).messages, en);
    fc.assert(
      fc.property(hostileLang, (lang) => {
        const { messages, lang: shown } = messagesFor(lang);
        assert.equal(typeof messages.generating, 'function');
        assert.equal(typeof messages.generating(3), 'string');
        assert.equal(typeof shown, 'string');
        for (const key of PROTOTYPE_KEYS) {
          assert.equal(speakerLabel(messages, key), key);
          assert.equal(relevanceLabel(messages, key), key);
        }
      }),
      params(RUNS),
    );
  });
});

describe('fuzz: the big ones (a few each)', () => {
  const MB = 1_000_000;

  it('1 MB strings in the transcript, note, code names, snippets and context', () => {
    const fixture = FIXTURES[0]!;
    const padding = 'lorem ipsum dolor sit amet \u202E\uD83D\uDE00 e\u0301 '.repeat(Math.ceil(MB / 36)).slice(0, MB);
    const transcript = `${padding}\n${fixture.transcript}\n${padding}`;
    const note = `${padding}${fixture.session.consult_note?.result ?? ''}`;
    const codes = structuredClone(fixture.clinicalCodes) as unknown as { clinical_entities: Record<string, unknown>[] } & Record<
      string,
      unknown
    >;
    const first = codes.clinical_entities[0]!;
    (first.primary_code as Record<string, unknown>).code_name = padding;
    first.reference_in_context = [padding, { text: padding }];
    first.reference_in_transcript = [
      { transcript_text: padding.slice(0, 5000), location_in_transcript: { start: MB - 5, end: MB + 4995 } },
      { transcript_text: 'knee', location_in_transcript: { start: 2 * MB, end: 2 * MB + 4 } },
      { transcript_text: 'sit amet', location_in_transcript: { start: MB / 2, end: MB / 2 + 1 } },
      { transcript_text: 'not in there at all \uD800', location_in_transcript: null },
    ];
    const started = performance.now();
    for (const body of [
      {
        codes: { value: codes },
        session: { value: { session: { ...fixture.session, consult_note: { result: note } } } },
        transcript: { value: { transcript } },
      },
      {
        codes: { text: JSON.stringify(codes) },
        session: { text: JSON.stringify({ session: { ...fixture.session, session_name: padding, patient: { name: padding } } }) },
        transcript: { text: JSON.stringify({ transcript: padding }) },
      },
      {
        codes: { text: JSON.stringify(codes).slice(0, MB / 2) },
        session: { text: padding },
        transcript: { text: `{"transcript": "${padding}` },
      },
    ]) {
      runCase({ origin: '1MB', ...body });
    }
    assert.ok(performance.now() - started < 20_000, 'megabyte bodies are handled in reasonable time');
  });

  it('thousands of entities: generated consultations and a duplicated fixture', () => {
    for (const count of [2000, 5000]) {
      const fx = generateConsultation(count, { seed: count });
      runCase({
        origin: `generated-${count}`,
        codes: { text: JSON.stringify(fx.clinicalCodes) },
        session: { value: { session: fx.session } },
        transcript: { value: { transcript: fx.transcript } },
      });
    }
    const fixture = FIXTURES[1]!;
    const many = {
      ...fixture.clinicalCodes,
      clinical_entities: Array.from(
        { length: 3000 },
        (_, i) => fixture.clinicalCodes.clinical_entities[i % fixture.clinicalCodes.clinical_entities.length]!,
      ),
    };
    runCase({
      origin: 'duplicated',
      codes: { value: many },
      session: { value: { session: fixture.session } },
      transcript: { value: { transcript: fixture.transcript } },
    });
  });

  it('every code_system string maps to a system without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(weirdString, fc.string({ unit: 'binary' })).filter((s) => !KNOWN_BUGS.loneSurrogateCodeSystem || !LONE_SURROGATE.test(s)),
        (system) => {
          const info = codeSystemInfo(system);
          assert.equal(typeof info.uri, 'string');
        },
      ),
      params(Math.min(RUNS, 2000)),
    );
  });

  // BUG (temporarily skipped, reported): encodeURIComponent throws URIError on a lone surrogate.
  it('a code_system with a lone surrogate maps to a urn:heidi:code-system URI instead of throwing URIError', () => {
    for (const system of ['\uD800', 'icd_10_cm\uDFFF', 'loinc\uDBFF'])
      assert.match(codeSystemInfo(system).uri, /^(urn:heidi:code-system:|http)/);
    const codes = { session_id: 's', clinical_entities: [{ primary_code: { code: 'X1', code_name: 'x', code_system: '\uD800' } }] };
    const parsed = ClinicalCodesResponse.safeParse(JSON.parse(JSON.stringify(codes)));
    assert.ok(parsed.success);
    const model = buildModel(parsed.data, undefined, undefined);
    assert.equal(model.entities[0]!.primary.codeSystem, '\uD800');
  });

  // BUG (temporarily skipped, reported): a Heidi id equal to a generated `#n` id is not made unique.
  it('entity ids stay unique when a Heidi id looks like a generated duplicate id (a, a, a#2)', () => {
    const entity = (id: string | null, code: string) => ({ id, primary_code: { code, code_name: code, code_system: 'icd_10_cm' } });
    const model = buildModel(
      {
        session_id: 's',
        clinical_entities: [entity('a', 'A1'), entity('a', 'A2'), entity('a#2', 'A3'), entity(null, 'B1'), entity('icd_10_cm:B1', 'B2')],
      } as never,
      undefined,
      undefined,
    );
    const ids = model.entities.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, `ids: ${ids.join(', ')}`);
  });

  // BUG (temporarily skipped, reported): ReviewState.save loses a decision on the id "__proto__".
  it('a decision on an entity whose id is "__proto__" survives a reload', () => {
    const storage = new MemoryStorage();
    const model = buildModel(
      {
        session_id: 's',
        clinical_entities: [{ id: '__proto__', primary_code: { code: 'A1', code_name: 'x', code_system: 'icd_10' } }],
      } as never,
      undefined,
      undefined,
    );
    const review = new ReviewState('s', { storage });
    review.setStatus(model.entities[0]!, 'ACCEPTED');
    review.flush();
    assert.equal(new ReviewState('s', { storage }).status('__proto__'), 'ACCEPTED');
  });
});
