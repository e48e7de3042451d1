/**
 * Omniscribe Codify as a `CodingEngine`: one `POST {base}/v1/codify` with the
 * note, answered at once or after minutes (allow `timeoutMs`, 600 s). `base`
 * is the host's forwarder, which adds the bearer token and `x-doctor`.
 * Omniscribe's codes are ICD-10-CM without offsets: each final assessment is
 * an entity whose justification is evidence text, not a location; discarded
 * assessments are `DiscardedCode`s, never suggestions. 429 and 5xx are retried
 * (twice, with backoff, honouring `Retry-After`).
 */
import { HeidiError } from '../errors.ts';
import { percentToScore, readScore, type EntityView } from '../model.ts';
import { inSlices } from '../slices.ts';
import { plainText } from '../text.ts';
import { retryPolicy } from '../http-errors.ts';
import { createPeerHttp, peerEntity, type FetchFunction, type PeerEngineResult } from './peer-http.ts';
import { OmniscribeAssessment, OmniscribeResponse } from './omniscribe-schemas.ts';
import type { CodingEngine, CodingInput, DiscardedCode, EngineProgress } from './types.ts';

export type OmniscribeModel = 'fast' | 'balanced' | 'high-quality';
export const OMNISCRIBE_MODELS: readonly OmniscribeModel[] = ['fast', 'balanced', 'high-quality'];

export interface OmniscribeEngineOptions {
  /** The forwarder's URL, e.g. `/ehr/omniscribe` (calls go to `{base}/v1/codify`). */
  base: string;
  model?: OmniscribeModel;
  /** Sent as `x-patient` (Omniscribe's audit header), from `ehr-patient-id`. */
  patientId?: string | undefined;
  fetch?: FetchFunction;
  /** Per attempt. */
  timeoutMs?: number;
  /** Upper bound of one retry delay, including a server's `Retry-After`. Default 30 s. */
  maxRetryDelayMs?: number;
}

export interface OmniscribeEngine extends CodingEngine {
  code(input: CodingInput, signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<PeerEngineResult>;
}

const ICD_10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';

export function createOmniscribeEngine(options: OmniscribeEngineOptions): OmniscribeEngine {
  const { model = 'balanced', patientId } = options;
  const call = createPeerHttp({
    base: options.base,
    fetch: options.fetch,
    timeout: options.timeoutMs ?? 600_000,
    // Coding is stateless, so a retried POST cannot do anything twice.
    retry: retryPolicy(options.maxRetryDelayMs ?? 30_000, ['post'], [429, 500, 502, 503, 504]),
    service: 'Omniscribe',
  });

  async function code(input: CodingInput, signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<PeerEngineResult> {
    signal.throwIfAborted();
    // A header cannot carry line breaks or non-Latin-1 text; sending a mangled audit id would be worse than none.
    if (patientId !== undefined && !/^[\x20-\x7e]*$/.test(patientId)) {
      throw new HeidiError('config', 'The EHR patient id cannot be sent to Omniscribe: it is not printable ASCII.');
    }
    onProgress({ phase: 'processing', startedAt: performance.now() });
    const answer = await call(
      'v1/codify',
      { method: 'post', json: { medical_note: input.note, model }, headers: patientId ? { 'x-patient': patientId } : {}, signal },
      OmniscribeResponse,
      'coding the note',
    );
    if (!answer.ok) throw answer.error;
    const { final_code_assessments: finals, discarded_code_assessments: discards, run_id: runId } = answer.data;
    // Read a slice at a time, as Heidi's codes are: thousands of assessments read in one go are one long task.
    return inSlices(readAssessments(finals, discards ?? [], runId ?? undefined), signal);
  }

  return { name: 'omniscribe', code };
}

/** The final assessments as entities, the discarded ones as `DiscardedCode`s; a step per assessment (`inSlices`). */
function* readAssessments(
  finals: readonly unknown[],
  discards: readonly unknown[],
  runId: string | undefined,
): Generator<void, PeerEngineResult> {
  let dropped = 0;
  const used = new Set<string>();
  const entities: EntityView[] = [];
  const discarded: DiscardedCode[] = [];
  for (const [list, final] of [
    [finals, true],
    [discards, false],
  ] as const) {
    for (const raw of list) {
      yield;
      const parsed = OmniscribeAssessment.safeParse(raw);
      const code = parsed.success ? parsed.data.code.trim() : '';
      if (!parsed.success || !code) {
        dropped++;
        continue;
      }
      const { description, justification, confidence_percent: percent } = parsed.data;
      // The one score rule (model.ts readScore): 0..1, out-of-range clamped, anything not finite left out.
      const score = typeof percent === 'number' ? readScore(percentToScore(percent)).score : undefined;
      const assessment = {
        engine: 'omniscribe' as const,
        system: ICD_10_CM,
        code,
        // Shown and filed as one text (`plainText`): the card shows what FHIR carries.
        display: plainText(description ?? '') || code,
        justification: plainText(justification ?? ''),
        score,
      };
      if (final) entities.push(peerEntity('omniscribe', { ...assessment, procedure: false }, [], used, assessment.justification));
      else discarded.push(assessment);
    }
  }
  return { engine: 'omniscribe', entities, discarded, runId, dropped };
}
