/**
 * What the mock Omniscribe codes: ICD-10-CM assessments for each demo
 * fixture's consult note, with a confidence and a justification that quote
 * what the note says, and the codes a careful coder considers and discards
 * (several of them codes Heidi suggests on thin evidence: insulin use the
 * note denies, the wife's gestational diabetes, a congenital glaucoma the note
 * rules out). Any other note goes through the shared keyword coder; the
 * vendor's quickstart note gives exactly its documented answer.
 */
import { fixtureForNote } from '../mock-peers/common.ts';
import { matchKeywords } from '../mock-peers/keywords.ts';

export interface Assessment {
  code: string;
  description: string;
  justification: string;
  confidence_percent: number;
}

export interface CodifyResult {
  final_code_assessments: Assessment[];
  discarded_code_assessments: Assessment[];
}

/** The note of Omniscribe's quickstart (as far as the published example quotes it): E11.9 92.4 and Z79.84 96.1, nothing discarded. */
export const OMNISCRIBE_QUICKSTART_NOTE =
  'Patient presents with Type 2 Diabetes Mellitus. Current medications: Metformin 500mg BID, Glipizide 5mg QD.';

const a = (code: string, description: string, confidence_percent: number, justification: string): Assessment => ({
  code,
  description,
  justification,
  confidence_percent,
});

const BY_FIXTURE: ReadonlyMap<string, CodifyResult> = new Map([
  [
    'fx-knee-oa',
    {
      final_code_assessments: [
        a(
          'M17.11',
          'Unilateral primary osteoarthritis, right knee',
          96.2,
          'Assessment states primary osteoarthritis of the right knee; X-ray shows medial joint space narrowing with osteophytes.',
        ),
        a('E66.9', 'Obesity, unspecified', 88.0, 'Obesity (BMI 33) is documented as contributing to knee load.'),
        a('Z68.33', 'Body mass index [BMI] 33.0-33.9, adult', 84.5, 'BMI 33 is recorded for an adult patient.'),
        a('Z87.11', 'Personal history of peptic ulcer disease', 81.0, 'Peptic ulcer about 10 years ago, treated, with no recurrence.'),
      ],
      discarded_code_assessments: [
        a(
          'K27.9',
          'Peptic ulcer, site unspecified, unspecified as acute or chronic, without hemorrhage or perforation',
          22.0,
          'The ulcer was treated about 10 years ago with no recurrence: a past history (Z87.11), not a current ulcer.',
        ),
        a('M06.9', 'Rheumatoid arthritis, unspecified', 8.0, "Rheumatoid arthritis is the mother's history, not the patient's."),
        a('R50.9', 'Fever, unspecified', 5.0, 'Fever appears only in safety-netting advice; the patient has no fever.'),
      ],
    },
  ],
  [
    'fx-t2dm-review',
    {
      final_code_assessments: [
        a(
          'E11.65',
          'Type 2 diabetes mellitus with hyperglycemia',
          94.8,
          'Type 2 diabetes with fasting glucose 13-14 mmol/L, not at target on metformin.',
        ),
        a('I10', 'Essential (primary) hypertension', 93.1, 'Essential hypertension on ramipril, BP 148/92, above target.'),
        a('E78.5', 'Hyperlipidemia, unspecified', 89.4, 'Hyperlipidaemia with LDL above target on atorvastatin 20 mg.'),
        a('Z79.84', 'Long term (current) use of oral hypoglycemic drugs', 95.6, 'Adherent to metformin 1 g twice daily.'),
      ],
      discarded_code_assessments: [
        a('Z79.4', 'Long term (current) use of insulin', 3.0, 'The note states the patient is not on insulin.'),
        a(
          'O24.410',
          'Gestational diabetes mellitus in pregnancy, diet controlled',
          2.0,
          "Gestational diabetes is the wife's history, not the patient's; the patient is male.",
        ),
        a('R07.9', 'Chest pain, unspecified', 4.0, 'Chest pain is denied.'),
      ],
    },
  ],
  [
    'fx-skin-excision',
    {
      final_code_assessments: [
        a(
          'D49.2',
          'Neoplasm of unspecified behavior of bone, soft tissue, and skin',
          72.5,
          'Excised skin lesion of the upper back, histology pending; basal cell carcinoma is only suspected.',
        ),
        a(
          'Z85.828',
          'Personal history of other malignant neoplasm of skin',
          90.2,
          'Basal cell carcinoma excised from the nose in 2019, no recurrence.',
        ),
        a('I48.91', 'Unspecified atrial fibrillation', 91.7, 'Atrial fibrillation treated with apixaban.'),
        a('Z79.01', 'Long term (current) use of anticoagulants', 93.3, 'Apixaban continued peri-procedure.'),
        a('L57.0', 'Actinic keratosis', 86.4, 'Rough scaly scalp patches consistent with actinic keratoses.'),
      ],
      discarded_code_assessments: [
        a(
          'C44.519',
          'Basal cell carcinoma of skin of other part of trunk',
          41.0,
          'Carcinoma is only clinically suspected and histology is pending: code the confirmed diagnosis when it is back.',
        ),
        a(
          'D68.9',
          'Coagulation defect, unspecified',
          6.0,
          'No history of abnormal bleeding; the bleeding risk comes from apixaban (Z79.01).',
        ),
      ],
    },
  ],
  [
    'fx-glaucoma-check',
    {
      final_code_assessments: [
        a(
          'H40.1132',
          'Primary open-angle glaucoma, bilateral, moderate stage',
          95.0,
          'Primary open-angle glaucoma in both eyes, moderate stage, stable on latanoprost.',
        ),
        a('Z83.511', 'Family history of glaucoma', 91.0, 'Father had glaucoma with severe vision loss in one eye.'),
        a('H52.4', 'Presbyopia', 87.0, 'Presbyopia in the assessment; needs reading glasses for near tasks.'),
      ],
      discarded_code_assessments: [
        a('Q15.0', 'Congenital glaucoma', 2.0, 'The note states adult onset with no features of congenital glaucoma.'),
        a('H40.10', 'Unspecified open-angle glaucoma', 35.0, 'The type, laterality and stage are documented: H40.1132 is more specific.'),
      ],
    },
  ],
  [
    'fx-antenatal-16w',
    {
      final_code_assessments: [
        a(
          'Z34.82',
          'Encounter for supervision of other normal pregnancy, second trimester',
          95.5,
          'Routine antenatal visit for a second pregnancy at 16 weeks, progressing well.',
        ),
        a('Z3A.16', '16 weeks gestation of pregnancy', 97.2, '16+0 weeks by dating scan.'),
        a('O99.012', 'Anemia complicating pregnancy, second trimester', 92.0, 'Anaemia in pregnancy with Hb 102 g/L at 16 weeks.'),
        a('D50.9', 'Iron deficiency anemia, unspecified', 80.3, 'Anaemia assessed as likely iron deficiency; oral iron started.'),
      ],
      discarded_code_assessments: [
        a('O09.522', 'Supervision of elderly multigravida, second trimester', 3.0, 'The patient is 29 years old.'),
        a('O20.9', 'Hemorrhage in early pregnancy, unspecified', 2.0, 'No vaginal bleeding is reported.'),
      ],
    },
  ],
]);

export function codify(note: string): CodifyResult {
  const fixture = fixtureForNote(note);
  const known = fixture && BY_FIXTURE.get(fixture.id);
  if (known) return structuredClone(known);
  const result: CodifyResult = { final_code_assessments: [], discarded_code_assessments: [] };
  for (const { entry, span, negated } of matchKeywords(note)) {
    // Omniscribe codes ICD-10 diagnoses only.
    if (entry.kind !== 'diagnosis') continue;
    const [code, description] = entry.code;
    if (span) result.final_code_assessments.push(a(code, description, entry.confidence, entry.justification));
    else if (negated) {
      const quoted = note.slice(negated.start, negated.end);
      result.discarded_code_assessments.push(a(code, description, 4.0, `The note negates it ("${quoted}" is mentioned as absent).`));
    }
  }
  return result;
}
