/**
 * What the mock Sully codes: for each demo fixture, the diagnoses (ICD-10-CM,
 * with SNOMED CT where it has one) and procedures (CPT) a US coder would find
 * in its consult note, each quoting the note. Against Heidi's codes for the
 * same fixture they agree on the main diagnosis, add codes Heidi does not
 * suggest, and leave out what Heidi suggests on thin evidence. Any other note
 * goes through the shared keyword coder.
 *
 * Offsets are computed from the posted note (end exclusive), so the mock is
 * honest; the engine's tolerance of wrong offsets is tested with the seed's
 * own example instead.
 */
import type { Quote } from '../fixtures/build.ts';
import type { Span } from '../../src/core/schemas.ts';
import { fixtureForNote, quoteSpan } from '../mock-peers/common.ts';
import { matchKeywords } from '../mock-peers/keywords.ts';

export const ICD_10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const SNOMED_CT = 'http://snomed.info/sct';
export const CPT = 'http://www.ama-assn.org/go/cpt';

type Pair = readonly [code: string, display: string];

interface ItemSpec {
  /** A quote from the note, or (for the keyword coder) the span it found. */
  readonly quote: Quote | Span;
  /** `code.text`: what Sully calls the finding. */
  readonly text: string;
  readonly icd?: Pair;
  readonly snomed?: Pair;
  readonly cpt?: Pair;
}

interface FixtureCodes {
  readonly diagnoses: readonly ItemSpec[];
  readonly procedures: readonly ItemSpec[];
}

const BY_FIXTURE: ReadonlyMap<string, FixtureCodes> = new Map([
  [
    'fx-knee-oa',
    {
      diagnoses: [
        {
          quote: 'Primary osteoarthritis, right knee',
          text: 'Osteoarthritis of right knee',
          icd: ['M17.11', 'Unilateral primary osteoarthritis, right knee'],
          snomed: ['239873007', 'Osteoarthritis of knee'],
        },
        { quote: 'Obesity (BMI 33)', text: 'Obesity', icd: ['E66.9', 'Obesity, unspecified'], snomed: ['414916001', 'Obesity'] },
        { quote: 'BMI 33', text: 'BMI 33', icd: ['Z68.33', 'Body mass index [BMI] 33.0-33.9, adult'] },
        {
          quote: 'Past history of peptic ulcer',
          text: 'History of peptic ulcer',
          icd: ['Z87.11', 'Personal history of peptic ulcer disease'],
        },
      ],
      procedures: [
        {
          quote: 'intra-articular corticosteroid injection, right knee',
          text: 'Knee joint injection',
          cpt: ['20610', 'Injection or aspiration, major joint, no ultrasound guidance'],
        },
      ],
    },
  ],
  [
    'fx-t2dm-review',
    {
      diagnoses: [
        {
          quote: 'Type 2 diabetes mellitus with hyperglycaemia',
          text: 'Type 2 diabetes with hyperglycemia',
          icd: ['E11.65', 'Type 2 diabetes mellitus with hyperglycemia'],
          snomed: ['44054006', 'Type 2 diabetes'],
        },
        {
          quote: 'Essential hypertension',
          text: 'Essential hypertension',
          icd: ['I10', 'Essential (primary) hypertension'],
          snomed: ['38341003', 'Hypertension'],
        },
        {
          quote: 'Hyperlipidaemia',
          text: 'Hyperlipidemia',
          icd: ['E78.5', 'Hyperlipidemia, unspecified'],
          snomed: ['55822004', 'Hyperlipidemia'],
        },
        {
          quote: 'Adherent to metformin',
          text: 'Long-term oral hypoglycemic use',
          icd: ['Z79.84', 'Long term (current) use of oral hypoglycemic drugs'],
        },
        { quote: 'Ex-smoker (quit 5 years)', text: 'Former smoker', icd: ['Z87.891', 'Personal history of nicotine dependence'] },
      ],
      procedures: [{ quote: 'HbA1c', text: 'HbA1c test', cpt: ['83036', 'Hemoglobin A1c'] }],
    },
  ],
  [
    'fx-skin-excision',
    {
      diagnoses: [
        {
          quote: 'Clinically suspected basal cell carcinoma',
          text: 'Basal cell carcinoma, back',
          icd: ['C44.519', 'Basal cell carcinoma of skin of other part of trunk'],
          snomed: ['254701007', 'Basal cell carcinoma of skin'],
        },
        {
          quote: 'previous basal cell carcinoma excised from nose',
          text: 'History of skin cancer',
          icd: ['Z85.828', 'Personal history of other malignant neoplasm of skin'],
        },
        { quote: 'atrial fibrillation', text: 'Atrial fibrillation', icd: ['I48.91', 'Unspecified atrial fibrillation'] },
        { quote: 'apixaban', text: 'Long-term anticoagulant use', icd: ['Z79.01', 'Long term (current) use of anticoagulants'] },
        { quote: 'actinic keratoses', text: 'Actinic keratosis', icd: ['L57.0', 'Actinic keratosis'] },
      ],
      procedures: [
        {
          quote: 'Elliptical excision of skin lesion, upper back, with 4 mm peripheral margins',
          text: 'Excision of skin lesion, back',
          cpt: ['11602', 'Excision, malignant skin lesion, trunk, 1.1 to 2.0 cm'],
        },
      ],
    },
  ],
  [
    'fx-glaucoma-check',
    {
      diagnoses: [
        {
          quote: 'Primary open-angle glaucoma, bilateral, moderate stage',
          text: 'Primary open-angle glaucoma',
          icd: ['H40.1132', 'Primary open-angle glaucoma, bilateral, moderate stage'],
        },
        { quote: 'father had glaucoma', text: 'Family history of glaucoma', icd: ['Z83.511', 'Family history of glaucoma'] },
        { quote: 'Presbyopia', text: 'Presbyopia', icd: ['H52.4', 'Presbyopia'] },
      ],
      procedures: [{ quote: 'Visual fields (24-2)', text: 'Visual field test', cpt: ['92083', 'Visual field examination, extended'] }],
    },
  ],
  [
    'fx-antenatal-16w',
    {
      diagnoses: [
        {
          quote: 'Normal pregnancy, second trimester',
          text: 'Normal pregnancy',
          icd: ['Z34.82', 'Encounter for supervision of other normal pregnancy, second trimester'],
          snomed: ['72892002', 'Normal pregnancy'],
        },
        { quote: '16 weeks gestation', text: '16 weeks gestation', icd: ['Z3A.16', '16 weeks gestation of pregnancy'] },
        {
          quote: 'Anaemia in pregnancy (Hb 102)',
          text: 'Anemia in pregnancy',
          icd: ['O99.012', 'Anemia complicating pregnancy, second trimester'],
        },
        { quote: 'likely iron deficiency', text: 'Iron deficiency anemia', icd: ['D50.9', 'Iron deficiency anemia, unspecified'] },
      ],
      procedures: [
        { quote: 'Urinalysis (dipstick)', text: 'Urine dipstick', cpt: ['81002', 'Urinalysis, dipstick, non-automated, no microscopy'] },
      ],
    },
  ],
]);

/** A Sully result item as the API sends it. CPT codes go out as JSON numbers, as in Sully's published examples. */
export interface SullyItemBody {
  id: string;
  code: { coding: { system: string; code: string | number; display: string }[]; text: string };
  text_span: { start_char: number; end_char: number; text: string };
}

export interface SullyResultBody {
  diagnoses: SullyItemBody[];
  procedures: SullyItemBody[];
}

export function codeNote(note: string): SullyResultBody {
  const fixture = fixtureForNote(note);
  const codes = fixture && BY_FIXTURE.get(fixture.id);
  const specs: FixtureCodes = codes ?? keywordSpecs(note);
  const item =
    (prefix: string) =>
    (spec: ItemSpec, i: number): SullyItemBody => {
      const span = typeof spec.quote === 'object' && 'start' in spec.quote ? spec.quote : quoteSpan(note, spec.quote);
      const coding = [
        ...(spec.icd ? [{ system: ICD_10_CM, code: spec.icd[0], display: spec.icd[1] }] : []),
        ...(spec.snomed ? [{ system: SNOMED_CT, code: spec.snomed[0], display: spec.snomed[1] }] : []),
        ...(spec.cpt ? [{ system: CPT, code: /^\d+$/.test(spec.cpt[0]) ? Number(spec.cpt[0]) : spec.cpt[0], display: spec.cpt[1] }] : []),
      ];
      return {
        id: `${prefix}_${String(i + 1).padStart(3, '0')}`,
        code: { coding, text: spec.text },
        text_span: { start_char: span.start, end_char: span.end, text: note.slice(span.start, span.end) },
      };
    };
  return { diagnoses: specs.diagnoses.map(item('diag')), procedures: specs.procedures.map(item('proc')) };
}

/** The keyword coder's findings as item specs (negated mentions are not coded). */
function keywordSpecs(note: string): FixtureCodes {
  const diagnoses: ItemSpec[] = [];
  const procedures: ItemSpec[] = [];
  for (const { entry, span } of matchKeywords(note)) {
    if (!span) continue;
    if (entry.kind === 'procedure') procedures.push({ quote: span, text: entry.code[1], cpt: entry.code });
    else
      diagnoses.push({
        quote: span,
        text: entry.snomed?.[1] ?? entry.code[1],
        icd: entry.code,
        ...(entry.snomed ? { snomed: entry.snomed } : {}),
      });
  }
  return { diagnoses, procedures };
}
