/**
 * The embed snippet an integrator copies: the script tag, the element with the
 * attributes the demo currently uses, and the host-side wiring (patient and
 * the commit handler). Plain text; the page shows it with `textContent`.
 */
import type { PatientInfo } from '../../src/index.ts';

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
}

/** The element's default Heidi API base (omitted from the snippet). */
const DEFAULT_API_BASE = 'https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** JSON that is safe inside an inline `<script>`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderSnippet(input: SnippetInput): string {
  const attributes: [string, string | true][] = [['token-url', input.tokenUrl]];
  if (input.apiBase && input.apiBase !== DEFAULT_API_BASE) attributes.push(['api-base', input.apiBase]);
  if (input.sessionId) attributes.push(['session-id', input.sessionId]);
  else if (input.appointmentId) attributes.push(['ehr-appointment-id', input.appointmentId]);
  if (input.ehrPatientId) attributes.push(['ehr-patient-id', input.ehrPatientId]);
  if (input.codeSystems) attributes.push(['code-systems', input.codeSystems]);
  if (input.readonly) attributes.push(['readonly', true]);
  if (input.lang && input.lang !== 'en') attributes.push(['lang', input.lang]);
  if (input.theme !== 'light') attributes.push(['theme', input.theme]);
  if (input.density !== 'comfortable') attributes.push(['density', input.density]);

  const lines = [
    '<!-- dist/heidi-clinical-codes.js from the package, served by your app -->',
    '<script type="module" src="/assets/heidi-clinical-codes.js"></script>',
    '',
    '<heidi-clinical-codes',
    ...attributes.map(([name, value]) => (value === true ? `  ${name}` : `  ${name}="${escapeAttribute(value)}"`)),
    '></heidi-clinical-codes>',
    '',
    '<script type="module">',
    "  const codes = document.querySelector('heidi-clinical-codes');",
  ];
  if (input.patient) lines.push(`  codes.patient = ${scriptJson(input.patient)};`);
  if (!input.readonly) {
    lines.push(
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
