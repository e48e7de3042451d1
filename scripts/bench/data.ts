/**
 * Test data for the evidence figure: a consultation with 200 transcript
 * snippets in a transcript of about 60,000 characters. Built from the demo
 * generator (100 problems x 2 snippets), then padded with extra doctor turns
 * between the lines, shifting every offset so the references stay exact.
 */
import { generateConsultation } from '../../demo/fixtures/generate.ts';
import { padTranscript } from '../../demo/mock-heidi/generated.ts';
import type { ClinicalCodesResponse, Session } from '../../src/core/schemas.ts';

export interface EvidenceData {
  codes: ClinicalCodesResponse;
  transcript: string;
  session: Session;
}

export function evidenceData(targetChars = 60_000, problems = 100, snippets = 2): EvidenceData {
  const fixture = generateConsultation(problems, { snippets, sessionId: 'bench-evidence' });
  // The mock's own padding (generated-<n>-t<size> sessions), so the bench and the mock pad alike.
  padTranscript(fixture, targetChars);
  return { codes: fixture.clinicalCodes, transcript: fixture.transcript, session: fixture.session as unknown as Session };
}

/** The same data with every offset wrong by `shift`, so each snippet must be searched for ("moved"). */
export function withShiftedOffsets(data: EvidenceData, shift = 37): EvidenceData {
  const codes = structuredClone(data.codes);
  for (const entity of codes.clinical_entities) {
    for (const ref of entity.reference_in_transcript ?? []) {
      const loc = ref.location_in_transcript;
      if (loc) ref.location_in_transcript = { start: loc.start + shift, end: loc.end + shift };
    }
  }
  return { ...data, codes };
}
