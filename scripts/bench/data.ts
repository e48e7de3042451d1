/**
 * Test data for the evidence figure: a consultation with 200 transcript
 * snippets in a transcript of about 60,000 characters. Built from the demo
 * generator (100 problems x 2 snippets), then padded with extra doctor turns
 * between the lines, shifting every offset so the references stay exact.
 */
import { generateConsultation } from '../../demo/fixtures/generate.ts';
import type { ClinicalCodesResponse, Session } from '../../src/core/schemas.ts';

export interface EvidenceData {
  codes: ClinicalCodesResponse;
  transcript: string;
  session: Session;
}

const FILLER = [
  'Let me just write that down before we go on.',
  'I will check the record from your last visit as well.',
  'We can look at the results together in a minute.',
  'Bear with me while I pull up the previous letters.',
  'That is helpful to know, thank you for explaining it.',
  'We will come back to the medication list at the end.',
  'I am going to examine you shortly if that is all right.',
  'Please stop me if anything I say does not make sense.',
];

export function evidenceData(targetChars = 60_000, problems = 100, snippets = 2): EvidenceData {
  const fixture = generateConsultation(problems, { snippets, sessionId: 'bench-evidence' });
  const lines = fixture.transcript.split('\n');
  const gaps = lines.length - 1;
  const perGap = Math.max(0, Math.ceil((targetChars - fixture.transcript.length) / Math.max(1, gaps)));
  // Old line start -> new line start.
  const oldStarts: number[] = [];
  const newStarts: number[] = [];
  const parts: string[] = [];
  let oldAt = 0;
  let newAt = 0;
  lines.forEach((line, i) => {
    oldStarts.push(oldAt);
    newStarts.push(newAt);
    const last = i === lines.length - 1;
    const text = last ? line : `${line}\n`;
    parts.push(text);
    oldAt += text.length;
    newAt += text.length;
    if (!last && perGap > 12) {
      let filler = '[doctor]';
      for (let k = 0; filler.length < perGap - 1; k++) filler += ` ${FILLER[(i + k) % FILLER.length]}`;
      filler = `${filler.slice(0, perGap - 1)}\n`;
      parts.push(filler);
      newAt += filler.length;
    }
  });
  const transcript = parts.join('');
  const remap = (offset: number): number => {
    let lo = 0;
    let hi = oldStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((oldStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (newStarts[lo] as number) + offset - (oldStarts[lo] as number);
  };
  const codes = fixture.clinicalCodes;
  for (const entity of codes.clinical_entities) {
    for (const ref of entity.reference_in_transcript ?? []) {
      const loc = ref.location_in_transcript;
      if (loc) {
        ref.location_in_transcript = { start: remap(loc.start), end: remap(loc.end) };
        if (transcript.slice(ref.location_in_transcript.start, ref.location_in_transcript.end) !== ref.transcript_text) {
          throw new Error('evidence data: remapped offsets do not slice the snippet');
        }
      }
    }
  }
  return { codes, transcript, session: fixture.session as unknown as Session };
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
