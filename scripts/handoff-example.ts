/**
 * The README's "Hand-off: FHIR" examples, produced by the real builders from a
 * demo fixture (fixed ids and times so the output is stable). A Node test
 * checks the README shows exactly this output.
 *
 * Usage: node --import tsx scripts/handoff-example.ts   (prints the three JSON blocks)
 */
import { pathToFileURL } from 'node:url';
import { findFixture } from '../demo/fixtures/index.ts';
import { buildModel, codeRef, type EntityView } from '../src/core/model.ts';
import { isLocated } from '../src/core/evidence.ts';
import { auditEntry, type AuditEntry, type Reviewer } from '../src/core/audit.ts';
import { toFhirBundle, type FhirBundle, type FhirCodeInput } from '../src/core/fhir.ts';
import { reviewSnapshot, type ReviewSnapshot } from '../src/core/review-snapshot.ts';

export interface HandoffExample {
  readonly bundle: FhirBundle;
  readonly audit: readonly AuditEntry[];
  readonly reviewState: ReviewSnapshot;
}

export function handoffExample(): HandoffExample {
  const fixture = findFixture('fx-skin-excision')!;
  const model = buildModel(fixture.clinicalCodes, fixture.transcript, fixture.session);
  const byId = (id: string): EntityView => model.entities.find((e) => e.id === id)!;
  const excision = byId('opcs_410:S06.8');
  const carcinoma = byId('icd_10:C44.5');
  const history = byId('icd_10:Z85.8');
  const reviewer: Reviewer = { reference: 'Practitioner/dr-amara-okoro', display: 'Dr Amara Okoro' };
  const engines = (e: EntityView) => ({ engines: ['heidi'], ...(e.primary.score !== undefined && { score: e.primary.score }), reviewer });

  const audit = [
    auditEntry(
      {
        entityId: excision.id,
        statusBefore: 'PENDING',
        statusAfter: 'ACCEPTED',
        codeBefore: excision.primary,
        codeAfter: excision.primary,
      },
      { at: '2026-11-30T14:02:11.000Z', ...engines(excision) },
    ),
    auditEntry(
      { entityId: history.id, statusBefore: 'PENDING', statusAfter: 'REJECTED', codeBefore: history.primary, codeAfter: history.primary },
      { at: '2026-11-30T14:02:40.000Z', ...engines(history) },
    ),
    auditEntry(
      {
        entityId: carcinoma.id,
        statusBefore: 'PENDING',
        statusAfter: 'ACCEPTED',
        codeBefore: carcinoma.primary,
        codeAfter: carcinoma.primary,
      },
      { at: '2026-11-30T14:03:05.000Z', ...engines(carcinoma) },
    ),
  ];

  const committed = (e: EntityView): FhirCodeInput => ({
    ...codeRef(e.primary),
    entityId: e.id,
    evidence: { transcript: e.transcript.filter(isLocated), note: e.note.filter(isLocated) },
    warnings: [],
    engines: [{ engine: 'heidi', ...(e.primary.score !== undefined && { score: e.primary.score }) }],
  });
  let n = 0;
  const bundle = toFhirBundle([committed(excision), committed(carcinoma)], {
    sessionId: model.sessionId,
    patient: { id: fixture.session.ehr_patient_id ?? undefined, display: fixture.session.patient?.name ?? undefined },
    encounterId: fixture.session.ehr_appt_id ?? undefined,
    reviewer,
    recorded: '2026-11-30T14:03:20.000Z',
    audit,
    idFactory: () => `6f1c2a4e-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });

  const reviewState = reviewSnapshot(
    model.sessionId,
    [
      [excision.id, { status: 'ACCEPTED' }],
      [history.id, { status: 'REJECTED' }],
      [carcinoma.id, { status: 'ACCEPTED' }],
    ],
    audit,
  );
  return { bundle, audit, reviewState };
}

/** The JSON exactly as the README shows it. */
export const exampleJson = (value: unknown): string => JSON.stringify(value, null, 2);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { bundle, audit, reviewState } = handoffExample();
  for (const [name, value] of [
    ['bundle', bundle],
    ['audit', audit],
    ['reviewState', reviewState],
  ] as const) {
    console.log(`<!-- ${name} -->\n\`\`\`json\n${exampleJson(value)}\n\`\`\``);
  }
}
