/**
 * toFhirBundle: every bundle the demo fixtures can produce (all accepted, random
 * subsets, fuzzed decisions and contexts) is valid FHIR R4 by a real validator,
 * with one resource per accepted code, the right system URI and resource type
 * per code system, and a Provenance (authors, verifier, AIAST) per resource.
 * Run: node --import tsx --test test/node/fhir.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Bundle as MedplumBundle } from '@medplum/fhirtypes';
import { FIXTURES, type Fixture } from '../../demo/fixtures/index.ts';
import { buildModel, type CodeView, type EntityView } from '../../src/core/model.ts';
import { isLocated } from '../../src/core/evidence.ts';
import { auditEntry } from '../../src/core/audit.ts';
import {
  AI_ASSERTED,
  SESSION_ID_SYSTEM,
  runIdSystem,
  toFhirBundle,
  type FhirBundle,
  type FhirCodeInput,
  type FhirCondition,
  type FhirContext,
  type FhirEngineSuggestion,
  type FhirProcedure,
  type FhirProvenance,
} from '../../src/core/fhir.ts';
import { fhirErrors } from './fhir-validator.ts';
import { FUZZ_SEED } from './fuzz-arbitraries.ts';
import { existsSync, readFileSync } from 'node:fs';
import { exampleJson, handoffExample } from '../../scripts/handoff-example.ts';

// Compile-time: the builder's output is a Bundle by @medplum/fhirtypes' own definition.
const _typeCheck = (b: FhirBundle): MedplumBundle => b;
void _typeCheck;

/** The URI and resource each Heidi code system in the fixtures must become (independent of code-systems.ts). */
const EXPECTED: Record<string, { uri: string; resource: 'Condition' | 'Procedure' }> = {
  icd_10_cm: { uri: 'http://hl7.org/fhir/sid/icd-10-cm', resource: 'Condition' },
  icd_10: { uri: 'http://hl7.org/fhir/sid/icd-10', resource: 'Condition' },
  snomed_ct: { uri: 'http://snomed.info/sct', resource: 'Condition' },
  cpt_2025: { uri: 'http://www.ama-assn.org/go/cpt', resource: 'Procedure' },
  achi_13_au: { uri: 'http://www.ihacpa.gov.au/achi', resource: 'Procedure' },
  opcs_410: { uri: 'https://fhir.nhs.uk/Id/opcs-4', resource: 'Procedure' },
};

const modelOf = (f: Fixture) => buildModel(f.clinicalCodes, f.transcript, f.session);

/** What the element commits for an entity whose chosen code is `code`. */
function committed(entity: EntityView, code: CodeView = entity.primary, extra: Partial<FhirCodeInput> = {}): FhirCodeInput {
  return {
    system: code.system,
    code: code.code,
    display: code.display,
    codeSystem: code.codeSystem,
    entityId: entity.id,
    evidence: {
      transcript: entity.transcript.filter(isLocated).map((t) => ({ start: t.start, end: t.end, text: t.text })),
      note: entity.note.filter(isLocated).map((n) => ({ start: n.start, end: n.end, text: n.text })),
    },
    warnings: [],
    engines: [{ engine: 'heidi', ...(code.score !== undefined && { score: code.score }) }],
    ...extra,
  };
}

let counter = 0;
const sequentialIds = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

type Clinical = FhirCondition | FhirProcedure;
function split(bundle: FhirBundle): { clinical: { fullUrl: string; resource: Clinical }[]; provenance: FhirProvenance[] } {
  const clinical: { fullUrl: string; resource: Clinical }[] = [];
  const provenance: FhirProvenance[] = [];
  for (const e of bundle.entry) {
    if (e.resource.resourceType === 'Provenance') provenance.push(e.resource);
    else clinical.push({ fullUrl: e.fullUrl, resource: e.resource });
  }
  return { clinical, provenance };
}

/** The invariants every bundle must keep, given the codes it was built from. */
function assertBundle(bundle: FhirBundle, codes: readonly FhirCodeInput[], where: string): void {
  assert.deepEqual(fhirErrors(bundle), [], `${where}: FHIR R4 validation`);
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'collection');
  const fullUrls = bundle.entry.map((e) => e.fullUrl);
  assert.equal(new Set(fullUrls).size, fullUrls.length, `${where}: unique fullUrls`);
  for (const url of fullUrls) assert.match(url, /^urn:uuid:[0-9a-f-]{36}$/);
  const { clinical, provenance } = split(bundle);
  assert.equal(clinical.length, codes.length, `${where}: one resource per accepted code`);
  assert.equal(provenance.length, codes.length, `${where}: one Provenance per resource`);
  clinical.forEach(({ fullUrl, resource }, i) => {
    const code = codes[i]!;
    const expected = EXPECTED[code.codeSystem];
    assert.ok(expected, `${where}: fixture system ${code.codeSystem} has an expectation`);
    const wantType = code.codeSystem === 'snomed_ct' && code.kind === 'procedure' ? 'Procedure' : expected.resource;
    assert.equal(resource.resourceType, wantType, `${where}: ${code.codeSystem} ${code.code} resource`);
    assert.deepEqual(resource.code.coding, [{ system: expected.uri, code: code.code, display: code.display }]);
    assert.equal(resource.code.text, code.display);
    assert.deepEqual(resource.meta.security, [AI_ASSERTED]);
    if (resource.resourceType === 'Condition') {
      assert.equal(resource.category[0]?.coding?.[0]?.code, 'encounter-diagnosis');
      assert.equal(resource.verificationStatus.coding?.[0]?.code, 'confirmed');
    } else {
      assert.equal(resource.status, 'completed');
    }
    const prov = provenance.filter((p) => p.target.some((t) => t.reference === fullUrl));
    assert.equal(prov.length, 1, `${where}: exactly one Provenance targets ${fullUrl}`);
    const p = prov[0]!;
    assert.deepEqual(p.meta.security, [AI_ASSERTED]);
    const roles = p.agent.map((a) => a.type.coding?.[0]?.code);
    const engines = code.engines?.length ? code.engines : [{ engine: 'heidi' }];
    assert.deepEqual(roles, [...engines.map(() => 'author'), 'verifier']);
    engines.forEach((engine, k) => {
      const device = p.contained.find((d) => `#${d.id}` === p.agent[k]!.who.reference);
      assert.ok(device, `${where}: author ${k} is a contained Device`);
      assert.equal(device.deviceName[0]?.name.toLowerCase(), engine.engine);
      assert.deepEqual(device.property?.[0]?.valueQuantity[0]?.value, engine.score);
    });
    assert.ok(p.entity.some((e) => e.what.identifier?.system === SESSION_ID_SYSTEM));
  });
}

describe('toFhirBundle over the demo fixtures', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.id}: every code accepted gives a valid bundle with one resource and one Provenance each`, () => {
      const model = modelOf(fixture);
      const codes = model.entities.map((e) => committed(e));
      const bundle = toFhirBundle(codes, {
        sessionId: model.sessionId,
        patient: { id: 'pat-1', display: 'Test Patient' },
        encounterId: 'enc-7',
        reviewer: { reference: 'Practitioner/dr-1', display: 'Dr One' },
      });
      assertBundle(bundle, codes, fixture.id);
      for (const { resource } of split(bundle).clinical) {
        assert.deepEqual(resource.subject, { reference: 'Patient/pat-1', display: 'Test Patient' });
        assert.deepEqual(resource.encounter, { reference: 'Encounter/enc-7' });
      }
      for (const p of split(bundle).provenance) {
        assert.deepEqual(p.agent.at(-1)?.who, { reference: 'Practitioner/dr-1', display: 'Dr One' });
      }
    });
  }

  it('covers every code system the fixtures use, and both resource types', () => {
    const systems = new Set(FIXTURES.flatMap((f) => modelOf(f).entities.map((e) => e.primary.codeSystem)));
    assert.deepEqual([...systems].sort(), Object.keys(EXPECTED).sort());
  });

  it('no accepted code, no resource: an empty collection is still valid', () => {
    const bundle = toFhirBundle([], { sessionId: 's' });
    assert.deepEqual(bundle.entry, []);
    assert.deepEqual(fhirErrors(bundle), []);
  });

  it('the validator is real: a Condition without its subject is an error', () => {
    const model = modelOf(FIXTURES[0]!);
    const bundle = toFhirBundle([committed(model.entities[0]!)], { sessionId: model.sessionId });
    const broken = structuredClone(bundle) as unknown as { entry: { resource: Record<string, unknown> }[] };
    delete broken.entry[0]!.resource.subject;
    assert.ok(fhirErrors(broken).some((m) => m.includes('subject')));
  });
});

describe('toFhirBundle context', () => {
  const model = modelOf(FIXTURES[1]!);
  const entity = model.entities[0]!;

  it('without a patient id the subject is display-only; without a reviewer the verifier is "Unidentified reviewer"', () => {
    const named = toFhirBundle([committed(entity)], { sessionId: model.sessionId, patient: { display: 'Jane Citizen' } });
    const c = split(named).clinical[0]!.resource;
    assert.deepEqual(c.subject, { display: 'Jane Citizen' });
    assert.equal(c.encounter, undefined);
    assert.deepEqual(split(named).provenance[0]!.agent.at(-1)?.who, { display: 'Unidentified reviewer' });
    const anonymous = toFhirBundle([committed(entity)], { sessionId: model.sessionId });
    assert.deepEqual(split(anonymous).clinical[0]!.resource.subject, { display: `Patient of Heidi session ${model.sessionId}` });
    assert.deepEqual(fhirErrors(named), []);
    assert.deepEqual(fhirErrors(anonymous), []);
  });

  it('Provenance.recorded is the decision time: decidedAt, else the latest audit entry, else recorded', () => {
    const [a, b, c] = model.entities;
    const audit = [
      auditEntry({ entityId: b!.id, statusBefore: 'PENDING', statusAfter: 'ACCEPTED' }, { at: '2026-03-01T10:00:00.000Z' }),
      auditEntry({ entityId: b!.id, statusBefore: 'ACCEPTED', statusAfter: 'REJECTED' }, { at: '2026-03-01T10:05:00.000Z' }),
      auditEntry({ entityId: b!.id, statusBefore: 'REJECTED', statusAfter: 'ACCEPTED' }, { at: '2026-03-01T10:07:30.000Z' }),
    ];
    const bundle = toFhirBundle([committed(a!, a!.primary, { decidedAt: '2026-03-01T09:00:00+10:00' }), committed(b!), committed(c!)], {
      sessionId: model.sessionId,
      audit,
      recorded: '2026-03-01T11:00:00.000Z',
    });
    assert.deepEqual(
      split(bundle).provenance.map((p) => p.recorded),
      ['2026-02-28T23:00:00.000Z', '2026-03-01T10:07:30.000Z', '2026-03-01T11:00:00.000Z'],
    );
    assert.equal(bundle.timestamp, '2026-03-01T11:00:00.000Z');
    assert.deepEqual(fhirErrors(bundle), []);
  });

  it('names each suggesting engine as an author Device with its score, and its run id as a source entity', () => {
    const engines: FhirEngineSuggestion[] = [
      { engine: 'heidi', score: 0.91, runId: model.sessionId },
      { engine: 'sully', score: 0.8, runId: 'coding_123' },
      { engine: 'omniscribe', runId: 'run_9', justification: 'HbA1c 8.1% on metformin.' },
    ];
    const bundle = toFhirBundle([committed(entity, entity.primary, { engines })], { sessionId: model.sessionId, idFactory: sequentialIds });
    assert.deepEqual(fhirErrors(bundle), []);
    const p = split(bundle).provenance[0]!;
    assert.deepEqual(
      p.contained.map((d) => [d.deviceName[0]?.name, d.property?.[0]?.valueQuantity[0]?.value]),
      [
        ['Heidi', 0.91],
        ['Sully', 0.8],
        ['Omniscribe', undefined],
      ],
    );
    assert.deepEqual(
      p.entity.map((e) => e.what.identifier),
      [
        { system: SESSION_ID_SYSTEM, value: model.sessionId },
        { system: runIdSystem('sully'), value: 'coding_123' },
        { system: runIdSystem('omniscribe'), value: 'run_9' },
      ],
    );
    const notes = split(bundle).clinical[0]!.resource.note?.map((n) => n.text) ?? [];
    assert.ok(notes.includes('Omniscribe justification: HbA1c 8.1% on metformin.'));
    assert.ok(notes.some((n) => n.startsWith('Transcript: "')));
    assert.ok(notes.some((n) => n.startsWith('Note: "')));
  });

  it('bidi controls never reach FHIR: a name the card shows as it is filed, and a host-given text cleaned by the same rule', () => {
    // RIGHT-TO-LEFT OVERRIDE ... POP: "gnorw" would look like "wrong" where it is shown with the controls.
    const spoofed = buildModel(
      {
        session_id: 's',
        clinical_entities: [
          { id: 'a', primary_code: { code: 'R06.02', code_name: 'Shortness of breath \u202Egnorw\u202C', code_system: 'icd_10_cm' } },
        ],
      } as never,
      undefined,
      undefined,
    ).entities[0]!;
    assert.equal(spoofed.primary.display, 'Shortness of breath gnorw', 'the model (so the card and the events) carries the filed text');
    const engines: FhirEngineSuggestion[] = [{ engine: 'omniscribe', justification: 'Reason \u2067isolated\u2069 \u200Fmark\u0007.' }];
    const host = { ...committed(spoofed, spoofed.primary, { engines }), display: '\u202Dleft\u202A \u2066x\u2069 name' };
    const bundle = toFhirBundle([host], { sessionId: 's', reviewer: { reference: 'Practitioner/1', display: 'Dr \u202ESmith' } });
    assert.deepEqual(fhirErrors(bundle), []);
    const json = JSON.stringify(bundle);
    assert.doesNotMatch(json, /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u);
    const clinical = split(bundle).clinical[0]!.resource;
    assert.equal(clinical.code.text, 'left x name');
    assert.ok(clinical.note?.some((n) => n.text === 'Omniscribe justification: Reason isolated mark .'));
    assert.match(json, /"display":"Dr Smith"/);
  });

  it('a SNOMED CT code is a Condition unless its kind says procedure', () => {
    const snomed = FIXTURES.flatMap((f) => modelOf(f).entities).find((e) => e.primary.codeSystem === 'snomed_ct')!;
    const asCondition = toFhirBundle([committed(snomed)], { sessionId: 's' });
    const asProcedure = toFhirBundle([committed(snomed, snomed.primary, { kind: 'procedure' })], { sessionId: 's' });
    assert.equal(split(asCondition).clinical[0]!.resource.resourceType, 'Condition');
    assert.equal(split(asProcedure).clinical[0]!.resource.resourceType, 'Procedure');
    assert.deepEqual(fhirErrors(asProcedure), []);
  });

  it('takes the URI from the code-systems table, not a stale system the host stored', () => {
    const opcs = FIXTURES.flatMap((f) => modelOf(f).entities).find((e) => e.primary.codeSystem === 'opcs_410')!;
    const stored = { ...committed(opcs), system: 'http://fhir.nhs.net/Id/opcs-4' };
    const coding = split(toFhirBundle([stored], { sessionId: 's' })).clinical[0]!.resource.code.coding?.[0];
    assert.equal(coding?.system, 'https://fhir.nhs.uk/Id/opcs-4');
  });
});

type Choice = { kind: 'pending' } | { kind: 'rejected' } | { kind: 'accepted'; similar: number };
const choiceArb: fc.Arbitrary<Choice> = fc.oneof(
  fc.constant({ kind: 'pending' as const }),
  fc.constant({ kind: 'rejected' as const }),
  fc.record({ kind: fc.constant('accepted' as const), similar: fc.integer({ min: -1, max: 3 }) }),
);
const engineArb: fc.Arbitrary<FhirEngineSuggestion> = fc.record(
  {
    engine: fc.constantFrom('heidi', 'sully', 'omniscribe'),
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    runId: fc.stringMatching(/^[a-z0-9_-]{1,20}$/),
    justification: fc.string({ unit: 'binary', maxLength: 40 }),
  },
  { requiredKeys: ['engine'] },
);
const contextArb = fc.record({
  patientId: fc.option(fc.stringMatching(/^[A-Za-z0-9.-]{1,16}$/), { nil: undefined }),
  patientName: fc.option(fc.string({ unit: 'grapheme', maxLength: 20 }), { nil: undefined }),
  encounterId: fc.option(fc.stringMatching(/^[A-Za-z0-9.-]{1,16}$/), { nil: undefined }),
  reviewer: fc.option(
    fc.record({ reference: fc.constantFrom('Practitioner/1', 'PractitionerRole/x'), display: fc.string({ maxLength: 12 }) }),
    { nil: undefined },
  ),
  recorded: fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), { nil: undefined }),
});

describe('toFhirBundle with fuzzed decisions (fixed seed)', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.id}: any mix of accepted, swapped, rejected and pending gives a valid bundle of the accepted only`, () => {
      const model = modelOf(fixture);
      fc.assert(
        fc.property(
          fc.array(choiceArb, { minLength: model.entities.length, maxLength: model.entities.length }),
          fc.array(fc.array(engineArb, { maxLength: 3 }), { minLength: model.entities.length, maxLength: model.entities.length }),
          contextArb,
          fc.string({ unit: 'binary', maxLength: 30 }),
          (choices, engineLists, ctx, weirdQuote) => {
            const codes: FhirCodeInput[] = [];
            model.entities.forEach((entity, i) => {
              const choice = choices[i]!;
              if (choice.kind !== 'accepted') return; // the caller passes accepted codes only
              const code = entity.similar[choice.similar] ?? entity.primary;
              const base = committed(entity, code, { engines: engineLists[i]! });
              // Text from the API can be anything: control characters, lone surrogates, blanks.
              codes.push(i % 2 ? { ...base, evidence: { transcript: [{ text: weirdQuote }], note: base.evidence!.note } } : base);
            });
            const context: FhirContext = {
              sessionId: model.sessionId,
              patient: { id: ctx.patientId, display: ctx.patientName },
              encounterId: ctx.encounterId,
              reviewer: ctx.reviewer,
              ...(ctx.recorded && { recorded: ctx.recorded.toISOString() }),
            };
            const bundle = toFhirBundle(codes, context);
            assertBundle(bundle, codes, fixture.id);
            const accepted = choices.filter((c) => c.kind === 'accepted').length;
            assert.equal(split(bundle).clinical.length, accepted);
          },
        ),
        { seed: FUZZ_SEED, numRuns: 60 },
      );
    });
  }
});

describe('README "Hand-off: FHIR"', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = handoffExample();
  it('shows the real output of the builders (scripts/handoff-example.ts), and that output is valid FHIR', () => {
    assert.ok(readme.includes(`\`\`\`json\n${exampleJson(example.bundle)}\n\`\`\``), 'README bundle example is stale: regenerate it');
    assert.ok(readme.includes(`\`\`\`json\n${exampleJson(example.audit)}\n\`\`\``), 'README audit example is stale');
    assert.ok(readme.includes(`\`\`\`json\n${exampleJson(example.reviewState)}\n\`\`\``), 'README reviewState example is stale');
    assert.deepEqual(fhirErrors(example.bundle), []);
    assert.deepEqual(
      example.bundle.entry.map((e) => e.resource.resourceType),
      ['Procedure', 'Provenance', 'Condition', 'Provenance'],
    );
  });
});

describe('the shipped bundle', () => {
  const dist = new URL('../../dist/heidi-clinical-codes.js', import.meta.url);
  it(
    'exports toFhirBundle and holds nothing of the validator (a dev dependency)',
    { skip: !existsSync(dist) && 'needs npm run build' },
    () => {
      const code = readFileSync(dist, 'utf8');
      assert.doesNotMatch(code, /medplum/i);
      assert.match(code, /\btoFhirBundle\b/);
      assert.match(code, /AIAST/);
    },
  );
});
