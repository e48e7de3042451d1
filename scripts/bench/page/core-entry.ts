/**
 * The element's evidence and model code, alone, for timing in Chromium: bundled
 * by esbuild into `.bench/assets/core.js` from the very modules the element uses.
 */
import { buildModel } from '../../../src/core/model.ts';
import { locatedRanges, segmentText } from '../../../src/core/evidence.ts';
import type { ClinicalCodesResponse, Session } from '../../../src/core/schemas.ts';

export interface CoreInput {
  codes: ClinicalCodesResponse;
  transcript: string;
  session: Session;
}

export interface CoreResult {
  /** `buildModel`: locate every snippet, with context and speaker. */
  model: number;
  /** `segmentText` over the transcript with every located snippet highlighted. */
  segment: number;
  total: number;
  snippets: number;
  located: { exact: number; moved: number; unlocated: number };
  segments: number;
}

function run(input: CoreInput): CoreResult {
  const t0 = performance.now();
  const model = buildModel(input.codes, input.transcript, input.session);
  const t1 = performance.now();
  const ranges = model.entities.flatMap((e) => locatedRanges(e.transcript));
  const segments = segmentText(input.transcript, ranges);
  const t2 = performance.now();
  const located = { exact: 0, moved: 0, unlocated: 0 };
  for (const e of model.entities) for (const t of e.transcript) located[t.location] += 1;
  return {
    model: t1 - t0,
    segment: t2 - t1,
    total: t2 - t0,
    snippets: located.exact + located.moved + located.unlocated,
    located,
    segments: segments.length,
  };
}

const core = { run };
export type BenchCore = typeof core;

declare global {
  interface Window {
    benchCore: BenchCore;
  }
}

window.benchCore = core;
