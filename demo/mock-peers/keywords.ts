/**
 * The peer mocks' coder for notes that are not demo fixtures (the demo's free
 * text, the vendors' own examples): a handful of keywords, each found in the
 * note with its exact span, so what the mocks answer is true of the note.
 * A keyword whose every mention is negated ("no diabetes") is not coded;
 * Omniscribe lists it as discarded, as a careful coder would.
 *
 * ICD-10-CM titles are the public-domain ones; the SNOMED CT and CPT labels
 * are short descriptions of our own.
 */
import type { Span } from '../../src/core/schemas.ts';

export interface KeywordCode {
  readonly pattern: RegExp;
  readonly kind: 'diagnosis' | 'procedure';
  /** ICD-10-CM for a diagnosis, CPT for a procedure. */
  readonly code: readonly [code: string, title: string];
  readonly snomed?: readonly [code: string, label: string];
  /** Omniscribe's confidence (0..100) and reasoning when it codes this. */
  readonly confidence: number;
  readonly justification: string;
}

export const KEYWORD_CODES: readonly KeywordCode[] = [
  {
    pattern: /type 2 diabetes(?: mellitus)?|\bdiabet(?:es|ic)\b(?: mellitus)?/i,
    kind: 'diagnosis',
    code: ['E11.9', 'Type 2 diabetes mellitus without complications'],
    snomed: ['44054006', 'Type 2 diabetes'],
    confidence: 92.4,
    justification: 'The note documents type 2 diabetes mellitus; no diabetic complication is recorded.',
  },
  {
    pattern: /\b(?:metformin|glipizide|gliclazide|sitagliptin|empagliflozin|dapagliflozin)\b/i,
    kind: 'diagnosis',
    code: ['Z79.84', 'Long term (current) use of oral hypoglycemic drugs'],
    confidence: 96.1,
    justification: 'An oral hypoglycaemic agent is listed among the current medications.',
  },
  {
    pattern: /\bmigraine(?: headache)?/i,
    kind: 'diagnosis',
    code: ['G43.909', 'Migraine, unspecified, not intractable, without status migrainosus'],
    snomed: ['37796009', 'Migraine'],
    confidence: 90.3,
    justification: 'Migraine is stated; intractability and status migrainosus are not documented.',
  },
  {
    pattern: /\bnausea\b/i,
    kind: 'diagnosis',
    code: ['R11.0', 'Nausea'],
    snomed: ['422587007', 'Nausea'],
    confidence: 84.7,
    justification: 'Nausea is reported without vomiting.',
  },
  {
    pattern: /\b(?:essential )?hypertension\b/i,
    kind: 'diagnosis',
    code: ['I10', 'Essential (primary) hypertension'],
    snomed: ['38341003', 'Hypertension'],
    confidence: 91.2,
    justification: 'Hypertension is documented with no secondary cause or heart or kidney involvement.',
  },
  {
    pattern: /\bhyperlipid(?:a)?emia\b|\bhigh cholesterol\b/i,
    kind: 'diagnosis',
    code: ['E78.5', 'Hyperlipidemia, unspecified'],
    snomed: ['55822004', 'Hyperlipidemia'],
    confidence: 86.9,
    justification: 'Hyperlipidaemia is documented without a specified type.',
  },
  {
    pattern: /\basthma\b/i,
    kind: 'diagnosis',
    code: ['J45.909', 'Unspecified asthma, uncomplicated'],
    snomed: ['195967001', 'Asthma'],
    confidence: 88.5,
    justification: 'Asthma is documented; severity and exacerbation are not.',
  },
  {
    pattern: /\b(?:follow-up|office) visit\b/i,
    kind: 'procedure',
    code: ['99213', 'Office visit, established patient, low complexity'],
    confidence: 70,
    justification: 'An office visit for an established patient is documented.',
  },
];

export interface KeywordMatch {
  readonly entry: KeywordCode;
  /** The first mention that is not negated, as found in the note (`end` exclusive)... */
  readonly span: Span | undefined;
  /** ...or, when every mention is negated, the first negated one. */
  readonly negated: Span | undefined;
}

// A negation earlier in the same sentence or clause ("No chest pain or diabetes").
const NEGATION = /\b(?:no|not|denies|denied|without|negative for)\b[^.;:\n]*$/i;

/** Every keyword the note mentions, in the table's order. */
export function matchKeywords(note: string): KeywordMatch[] {
  const matches: KeywordMatch[] = [];
  for (const entry of KEYWORD_CODES) {
    const global = new RegExp(entry.pattern.source, 'gi');
    let span: Span | undefined;
    let negated: Span | undefined;
    for (const found of note.matchAll(global)) {
      const at = { start: found.index, end: found.index + found[0].length };
      const clauseStart = Math.max(note.lastIndexOf('.', at.start - 1), note.lastIndexOf('\n', at.start - 1)) + 1;
      if (NEGATION.test(note.slice(clauseStart, at.start))) {
        negated ??= at;
        continue;
      }
      span = at;
      break;
    }
    if (span || negated) matches.push({ entry, span, negated: span ? undefined : negated });
  }
  return matches;
}
