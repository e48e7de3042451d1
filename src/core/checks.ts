/**
 * Clinical-safety checks shown on each card. They explain, they never block:
 * the person reviewing decides. All pure functions of the model.
 */
import type { Patient } from './schemas.ts';
import type { CodeView, EntityView } from './model.ts';
import { hasAnyEvidence } from './model.ts';
import { isLocated, prepareText } from './evidence.ts';
import { isCalendarDate } from './dates.ts';

export type CheckKind =
  | 'sex'
  | 'age'
  | 'invalid'
  | 'rare'
  | 'unspecified'
  | 'negated'
  | 'historical'
  | 'other-person'
  | 'no-evidence'
  | 'score-range'
  | 'discarded';

/** Where in a piece of evidence the cue words sit, so the card can highlight them. */
export interface CueLocation {
  readonly source: 'transcript' | 'note';
  /** Index into `entity.transcript` or `entity.note`. */
  readonly index: number;
  /** `text` is the snippet itself, `before` the context shown before it. */
  readonly part: 'text' | 'before';
  readonly start: number;
  readonly end: number;
  readonly cue: string;
}

export interface CheckWarning {
  readonly kind: CheckKind;
  /** Values for the one-line explanation (code sex, patient age, suggested children...). */
  readonly params: Readonly<Record<string, string | number>>;
  readonly cue?: CueLocation;
  /** More specific codes to consider (for `unspecified`). */
  readonly suggestions?: readonly string[];
}

export interface CheckContext {
  readonly patient: Patient | null | undefined;
  /** The date the consultation happened (ISO), for age edits. */
  readonly sessionDate: string | null | undefined;
}

/** Checks for one entity given the code currently chosen for it (the primary or a swapped similar code). */
export function checkEntity(entity: EntityView, code: CodeView, context: CheckContext): CheckWarning[] {
  const status = code.metadata?.valid_status?.trim();
  const rare = code.metadata?.rare_use_flag?.trim();
  return [
    sexEdit(code, context.patient),
    ageEdit(code, context),
    status && !/^valid$/i.test(status) && { kind: 'invalid', params: { status } },
    rare && !/^(not applicable|n\/?a|no|n|none|false|0)$/i.test(rare) && { kind: 'rare', params: { flag: rare } },
    unspecified(code),
    ...evidenceQuality(entity, code),
    // Heidi's score was outside 0..1 (shown clamped): say so, so 100 % is not read as certainty.
    code.scoreOutOfRange !== undefined && { kind: 'score-range', params: { score: code.scoreOutOfRange } },
    !hasAnyEvidence(entity) && { kind: 'no-evidence', params: {} },
    // Another engine threw this very code away (Omniscribe's discarded assessments).
    ...(entity.discardedBy ?? [])
      .filter((d) => d.system === code.system && d.code === code.code)
      .map((d) => ({ kind: 'discarded', params: { engine: d.engine, reason: d.justification } }) as const),
  ].filter((warning): warning is CheckWarning => !!warning);
}

type Sex = 'female' | 'male';

/** Metadata `sex` ("Female", "Male only", "No biological sex", ...) as a restriction, if it is one. */
export function codeSexRestriction(value: string | null | undefined): Sex | undefined {
  if (!value || /\b(no|any|both|none|not applicable|unrestricted)\b/i.test(value)) return undefined;
  return /\bfemale\b|^f$/i.test(value) ? 'female' : /\bmale\b|^m$/i.test(value) ? 'male' : undefined;
}

/** A patient's `gender` as a sex: `F`, `female`, `M`, `male` in any case (Heidi writes `FEMALE`, `MALE`). */
export function patientSex(gender: string | null | undefined): Sex | undefined {
  const value = gender?.trim() ?? '';
  return /^f(emale)?$/i.test(value) ? 'female' : /^m(ale)?$/i.test(value) ? 'male' : undefined;
}

function sexEdit(code: CodeView, patient: Patient | null | undefined): CheckWarning | undefined {
  const restriction = codeSexRestriction(code.metadata?.sex);
  const sex = patientSex(patient?.gender);
  if (!restriction || !sex || restriction === sex) return undefined;
  return { kind: 'sex', params: { codeSex: restriction, patientSex: sex } };
}

/** Whole years between an ISO date of birth and a date, or undefined if either is unreadable. */
export function ageInYears(dob: string | null | undefined, at: string | null | undefined): number | undefined {
  // A day that is no real one (`2023-02-30`, year 0000) has no age, rather than the day a Date rolls it to.
  if (!dob || !isCalendarDate(dob.slice(0, 10))) return undefined;
  const birth = new Date(dob.slice(0, 10) + 'T00:00:00Z');
  const ref = at ? new Date(at) : new Date();
  // An invalid date's time is NaN, and so is any sum with it.
  if (Number.isNaN(birth.getTime() + ref.getTime())) return undefined;
  // Month and day as one number (a day is under 32), to tell whether this year's birthday has come.
  const dayOfYear = (date: Date) => date.getUTCMonth() * 32 + date.getUTCDate();
  const years = ref.getUTCFullYear() - birth.getUTCFullYear() - +(dayOfYear(ref) < dayOfYear(birth));
  return years >= 0 ? years : undefined;
}

function asYears(value: number | string | null | undefined): number | undefined {
  // `null`, `undefined` and '' read as NaN, so as no limit.
  const n = Number.parseFloat(String(value));
  return Number.isFinite(n) ? n : undefined;
}

function ageEdit(code: CodeView, context: CheckContext): CheckWarning | undefined {
  const min = asYears(code.metadata?.min_age);
  const max = asYears(code.metadata?.max_age);
  const age = ageInYears(context.patient?.dob, context.sessionDate);
  // An age is never negative, so no minimum is 0; no maximum is none.
  if (age === undefined || (age >= (min ?? 0) && age <= (max ?? Infinity))) return undefined;
  return { kind: 'age', params: { age, min: min ?? 0, max: max ?? 150 } };
}

/** "Unspecified" by name (`unspecified`, `NOS`) or by the ICD habit of `.9`/`.90` for unspecified. */
export function isUnspecified(code: CodeView): boolean {
  if (/\bunspecified\b|\bNOS\b/i.test(code.display)) return true;
  return code.kind === 'diagnosis' && /\.9+$/.test(code.code);
}

function unspecified(code: CodeView): CheckWarning | undefined {
  const children = code.metadata?.children_code?.filter(Boolean) ?? [];
  if (!isUnspecified(code) || children.length === 0) return undefined;
  return { kind: 'unspecified', params: { count: children.length }, suggestions: children };
}

type CueKind = 'negated' | 'historical' | 'other-person';

// Order matters: "family history of" is about someone else, not the patient's own history. Global, for every match.
const CUE_RULES: readonly (readonly [CueKind, RegExp])[] = [
  [
    'other-person',
    /\b(family history|(?:his|her|my|your|the patient['’]s) (?:mother|father|mom|dad|sister|brother|son|daughter|wife|husband|grandmother|grandfather|aunt|uncle|partner)|mother|father|sister|brother|grandmother|grandfather|aunt|uncle)\b/gi,
  ],
  // Contractions (' or ’) of "be", or before "have", "need", "any": not "n't" alone ("I can't get to sleep" is insomnia).
  [
    'negated',
    /\b(denies|denied|deny|negative for|without|free of|absence of|ruled out|rules out|never had|no|not|(?:is|are|was|were)n['’]t|\w+n['’]t\s+(?:ha(?:ve|s|d)|need(?:ed)?|any))\b/gi,
  ],
  ['historical', /\b(history of|hx of|past history|previously|in the past|used to|years ago|resolved)\b/gi],
];

/**
 * NegEx's pseudo-negations: a negation word that, with what follows it, says the problem goes on ("not
 * controlled", "no better", "not improving", "not only") rather than that it is absent.
 */
const PSEUDO_NEGATION =
  /^\s+(?:(?:very|well|adequately|fully|really|yet|any)\s+)?(?:controlled|under control|improv\w*|better|changed?|going away|getting (?:any )?better|only|necessarily)\b/i;

// NegEx scope: a cue in the words before the snippet only counts within the same sentence and clause.
const SCOPE_BREAK = /[.;!?]|\bbut\b|\bhowever\b|\balthough\b|\bexcept\b/gi;
const WINDOW_WORDS = 6;

function leadingWindow(before: string): { text: string; offset: number } {
  let offset = 0;
  for (const match of before.matchAll(SCOPE_BREAK)) offset = match.index + match[0].length;
  const clause = before.slice(offset);
  const words = [...clause.matchAll(/\S+/g)];
  const first = words.at(-WINDOW_WORDS) ?? words[0];
  const start = first ? offset + first.index : before.length;
  return { text: before.slice(start), offset: start };
}

/**
 * Cue kinds that are the point of the code rather than a doubt about it:
 * "Family history of glaucoma" is supported by "my father had glaucoma", and
 * "Personal history of ..." by "history of ...".
 */
function expectedCues(code: CodeView | undefined): Set<CueKind> {
  const expected = new Set<CueKind>();
  const name = code?.display ?? '';
  if (/\bfamily history\b/i.test(name)) expected.add('other-person').add('historical');
  if (/\bhistory of\b|\bpersonal history\b|\bstatus post\b/i.test(name)) expected.add('historical');
  return expected;
}

/**
 * Is `start..end` of `text` inside the code's own name where `text` quotes it (found as quotes are: case and
 * whitespace folded)? Then a cue there is the name's wording ("reflux disease without esophagitis", "not
 * intractable"), not a doubt about the code; a cue before the name ("no type 2 diabetes …") still is one.
 */
function inQuotedName(text: string, name: string): (start: number, end: number) => boolean {
  const { text: folded, toOriginal } = prepareText(text).folded();
  const needle = prepareText(name).folded().text.trim();
  const ranges: (readonly [number, number])[] = [];
  for (let f = needle ? folded.indexOf(needle) : -1; f >= 0; f = folded.indexOf(needle, f + 1)) {
    ranges.push([toOriginal[f]!, toOriginal[f + needle.length - 1]! + 1]);
  }
  return (start, end) => ranges.some(([from, to]) => from <= start && end <= to);
}

/**
 * NegEx-style flags on each piece of evidence: negated, historical, or about someone else. A cue inside the
 * chosen code's own name as the evidence quotes it does not count.
 */
export function evidenceQuality(entity: EntityView, code?: CodeView): CheckWarning[] {
  const chosen = code ?? entity.primary;
  const expected = expectedCues(chosen);
  /**
   * The first cue not expected for this code in `text` (which starts at `offset` in its part, and its part at
   * `shift` in `context`, the words shown with the evidence), as a warning.
   */
  const cueWarning = (
    source: CueLocation['source'],
    index: number,
    part: CueLocation['part'],
    text: string,
    context: string,
    shift: number,
    offset = 0,
  ) => {
    let inName: ((start: number, end: number) => boolean) | undefined;
    for (const [kind, pattern] of CUE_RULES) {
      if (expected.has(kind)) continue;
      for (const match of text.matchAll(pattern)) {
        const [cue] = match;
        const start = offset + match.index;
        // Folded only once a cue is found, so evidence with none costs no more than before.
        if (kind === 'negated' && PSEUDO_NEGATION.test(context.slice(shift + start + cue.length))) continue;
        if ((inName ??= inQuotedName(context, chosen.display))(shift + start, shift + start + cue.length)) continue;
        return {
          kind,
          params: { cue, snippet: index + 1, source },
          cue: { source, index, part, start, end: start + cue.length, cue },
        };
      }
    }
    return undefined;
  };
  return [
    ...entity.transcript.map((snippet, index) => {
      const window = leadingWindow(snippet.before);
      const context = snippet.before + snippet.text + snippet.after;
      return (
        cueWarning('transcript', index, 'text', snippet.text, context, snippet.before.length) ??
        cueWarning('transcript', index, 'before', window.text, context, 0, window.offset)
      );
    }),
    ...entity.note.map((span, index) => (isLocated(span) ? cueWarning('note', index, 'text', span.text, span.text, 0) : undefined)),
  ].filter((warning) => warning !== undefined);
}
