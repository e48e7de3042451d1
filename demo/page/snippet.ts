/**
 * The embed snippet an integrator copies: the script tag, the element with the
 * attributes the demo currently uses, and the host-side wiring (patient, note,
 * reviewer and the commit handler). Plain text; the page shows it with `textContent`.
 */
import { DEFAULT_API_BASE } from '../../src/core/client.ts';
import type { EngineName } from '../../src/core/engines/types.ts';
import type { PatientInfo } from '../../src/index.ts';
import { DEFAULT_OMNISCRIBE_MODEL, REVIEWER, type OmniscribeModel } from './state.ts';

export interface SnippetInput {
  tokenUrl: string;
  apiBase: string;
  sessionId: string | undefined;
  appointmentId: string | undefined;
  ehrPatientId: string | undefined;
  codeSystems: string;
  readonly: boolean;
  lang: string;
  theme: 'light' | 'dark' | 'auto';
  density: 'comfortable' | 'compact';
  patient: PatientInfo | undefined;
  engines: readonly EngineName[];
  sullyBase: string;
  omniscribeBase: string;
  omniscribeModel: OmniscribeModel;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** JSON that is safe inside an inline `<script>`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function attributesOf(input: SnippetInput): [string, string | true][] {
  const heidi = input.engines.includes('heidi');
  const attributes: [string, string | true][] = [];
  // Without Heidi among the engines no Heidi token or session is needed: the peers code the host's note.
  if (heidi) {
    attributes.push(['token-url', input.tokenUrl]);
    if (input.apiBase && input.apiBase !== DEFAULT_API_BASE) attributes.push(['api-base', input.apiBase]);
    if (input.sessionId) attributes.push(['session-id', input.sessionId]);
    else if (input.appointmentId) attributes.push(['ehr-appointment-id', input.appointmentId]);
  }
  if (input.engines.join(',') !== 'heidi') attributes.push(['engines', input.engines.join(',')]);
  if (input.engines.includes('sully')) attributes.push(['sully-base', input.sullyBase]);
  if (input.engines.includes('omniscribe')) {
    attributes.push(['omniscribe-base', input.omniscribeBase]);
    if (input.omniscribeModel !== DEFAULT_OMNISCRIBE_MODEL) attributes.push(['omniscribe-model', input.omniscribeModel]);
  }
  if (input.ehrPatientId) attributes.push(['ehr-patient-id', input.ehrPatientId]);
  if (input.codeSystems) attributes.push(['code-systems', input.codeSystems]);
  if (input.readonly) attributes.push(['readonly', true]);
  if (input.lang && input.lang !== 'en') attributes.push(['lang', input.lang]);
  if (input.theme !== 'light') attributes.push(['theme', input.theme]);
  if (input.density !== 'comfortable') attributes.push(['density', input.density]);
  return attributes;
}

export function renderSnippet(input: SnippetInput): string {
  const lines = [
    '<!-- dist/heidi-clinical-codes.js from the package, served by your app -->',
    '<script type="module" src="/assets/heidi-clinical-codes.js"></script>',
    '',
    '<heidi-clinical-codes',
    ...attributesOf(input).map(([name, value]) => (value === true ? `  ${name}` : `  ${name}="${escapeAttribute(value)}"`)),
    '></heidi-clinical-codes>',
    '',
    '<script type="module">',
    "  const codes = document.querySelector('heidi-clinical-codes');",
  ];
  // The patient goes to the Heidi session; without Heidi the peers code the EHR's own note instead.
  if (!input.engines.includes('heidi')) lines.push("  codes.note = chartNoteText; // the EHR's own consultation note");
  else if (input.patient) lines.push(`  codes.patient = ${scriptJson(input.patient)};`);
  if (!input.readonly) {
    lines.push(
      `  codes.reviewer = ${scriptJson(REVIEWER)};`,
      "  codes.addEventListener('heidi-codes-commit', (event) => {",
      '    // Write to your problem list / claim; the widget shows "Sent" once this resolves.',
      '    event.detail.waitUntil(saveToChart(event.detail.codes));',
      '  });',
    );
  }
  lines.push(
    "  codes.addEventListener('heidi-error', (event) => console.warn('Heidi:', event.detail.code, event.detail.message));",
    '</script>',
  );
  return lines.join('\n');
}
