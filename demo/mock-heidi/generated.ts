/**
 * The virtual `generated-…` sessions: built on demand from the demo generator, for tests and the
 * benchmark's growth tables. Grammar (canonical spellings only, so one id means one body):
 *
 * - `generated-<n>`: n clinical entities (0 … MAX_GENERATED), 5 similar codes and 2 transcript
 *   snippets each, with exact offsets.
 * - `generated-<n>-t<size>`: the same, with the transcript padded to `<size>` characters by doctor
 *   turns between its lines (`100k` = 100,000, `1m` = 1,000,000, at most `10m`); every offset is
 *   shifted with its line, so the snippets stay exact.
 * - `…-missing`: every transcript snippet's text is changed so that it occurs nowhere in the
 *   transcript (the offsets stay): the element must search for each and find nothing.
 */
import { generateConsultation, type Fixture } from '../fixtures/index.ts';

export const MAX_GENERATED = 10_000;
export const MAX_TRANSCRIPT_CHARS = 10_000_000;

export interface GeneratedSpec {
  entities: number;
  transcriptChars: number | undefined;
  missing: boolean;
}

const ID = /^generated-(0|[1-9]\d{0,4})(?:-t([1-9]\d{0,4})([km]))?(-missing)?$/;

/** The spec of a canonical generated id, or undefined (unknown, out of range or not canonical). */
export function parseGeneratedId(id: string): GeneratedSpec | undefined {
  const match = ID.exec(id);
  if (!match) return undefined;
  const entities = Number(match[1]);
  const transcriptChars = match[2] ? Number(match[2]) * (match[3] === 'm' ? 1_000_000 : 1000) : undefined;
  if (entities > MAX_GENERATED || (transcriptChars ?? 0) > MAX_TRANSCRIPT_CHARS) return undefined;
  return { entities, transcriptChars, missing: !!match[4] };
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

/** Build the consultation a spec describes (the session id is set by the caller). */
export function buildGenerated(spec: GeneratedSpec): Fixture {
  const fixture = generateConsultation(spec.entities);
  if (spec.transcriptChars !== undefined) padTranscript(fixture, spec.transcriptChars);
  if (spec.missing) {
    for (const entity of fixture.clinicalCodes.clinical_entities) {
      for (const ref of entity.reference_in_transcript ?? []) {
        // A marker that no generated line contains, so no search can succeed.
        ref.transcript_text = `${ref.transcript_text} ⟨not said⟩`;
      }
    }
  }
  return fixture;
}

/**
 * Pad the transcript to about `targetChars` with doctor turns between its lines, moving every
 * transcript offset with its line (in place).
 */
export function padTranscript(fixture: Fixture, targetChars: number): void {
  const lines = fixture.transcript.split('\n');
  const gaps = lines.length - 1;
  const perGap = Math.max(0, Math.ceil((targetChars - fixture.transcript.length) / Math.max(1, gaps)));
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
  for (const entity of fixture.clinicalCodes.clinical_entities) {
    for (const ref of entity.reference_in_transcript ?? []) {
      const loc = ref.location_in_transcript;
      if (!loc) continue;
      ref.location_in_transcript = { start: remap(loc.start), end: remap(loc.end) };
      if (transcript.slice(ref.location_in_transcript.start, ref.location_in_transcript.end) !== ref.transcript_text) {
        throw new Error('generated session: remapped offsets do not slice the snippet');
      }
    }
  }
  fixture.transcript = transcript;
}
