/**
 * The hand-off at its edges: what a restored `reviewState` may carry (times a FHIR
 * bundle can take, scores in 0..1, a value that throws when read), and what
 * `toFhirBundle` makes of a host's own input (times, scores, code systems, ids)
 * and of a peer engine's unknown code system: always valid FHIR R4 by a real validator.
 * Run: node --import tsx --test test/node/handoff-hardening.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../src/core/audit.ts';
import { parseReviewSnapshot } from '../../src/core/review-snapshot.ts';
import { HeidiError } from '../../src/core/errors.ts';
import { toFhirBundle, type FhirCodeInput, type FhirCondition, type FhirContext, type FhirProvenance } from '../../src/core/fhir.ts';
import { peerEntity } from '../../src/core/engines/peer-http.ts';
import { fhirErrors } from './fhir-validator.ts';

const hypertension: FhirCodeInput = {
  system: 'http://hl7.org/fhir/sid/icd-10-cm',
  code: 'I10',
  display: 'Essential hypertension',
  codeSystem: 'icd_10_cm',
  entityId: 'e1',
};
const RECORDED = '2026-03-01T11:00:00.000Z';

const entry = (extra: Partial<Record<keyof AuditEntry, unknown>> = {}) => ({
  at: '2026-01-01T00:00:00Z',
  entityId: 'e1',
  statusBefore: 'PENDING',
  statusAfter: 'ACCEPTED',
  engines: ['heidi'],
  ...extra,
});

function bundleOf(codes: readonly FhirCodeInput[], context: Partial<FhirContext> = {}) {
  const bundle = toFhirBundle(codes, { sessionId: 'S1', recorded: RECORDED, ...context });
  const [resource, provenance] = bundle.entry.map((e) => e.resource) as [FhirCondition, FhirProvenance];
  return { bundle, resource, provenance };
}

/** A parse that must fail as a `config` HeidiError (never an exception) whose message matches `message`. */
function assertConfigError(value: unknown, message: RegExp): void {
  const result = parseReviewSnapshot(value, 'S1');
  assert.ok(result instanceof HeidiError, `expected a HeidiError for ${String(message)}`);
  assert.equal(result.code, 'config');
  assert.equal(result.retryable, false);
  assert.match(result.message, message);
}

// Each of these once passed Date.parse: year 0 and year 10000 then broke the bundle, the others read as local time or rolled over.
const BAD_TIMES = [
  '1',
  '0000-06-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '2026-03-07 10:00',
  '2026-03-07T10:00:00',
  'March 7, 2026 10:00',
  '2026-03-07',
  '2024-02-30T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:00+15:00',
];
const GOOD_TIMES = [
  '2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00.123Z',
  '2026-01-01T09:30:00+10:00',
  '2026-01-01T09:30-05:30',
  '0001-01-01T00:00:00Z',
];

describe('restored times: ISO 8601 date-time with a zone, years 0001 to 9999', () => {
  for (const at of BAD_TIMES) {
    it(`a decision or audit entry at ${JSON.stringify(at)} is a config error`, () => {
      assertConfigError({ sessionId: 'S1', decisions: { e1: { status: 'ACCEPTED', at } }, audit: [] }, /decisions\["e1"\]\.at/);
      assertConfigError({ sessionId: 'S1', decisions: {}, audit: [entry({ at })] }, /audit\.0\.at/);
    });
  }

  it('a valid time is kept as it was written, not reformatted', () => {
    const audit = GOOD_TIMES.map((at) => entry({ at }));
    const decisions = { e1: { status: 'ACCEPTED', at: GOOD_TIMES[3] } };
    const result = parseReviewSnapshot({ sessionId: 'S1', decisions, audit }, 'S1');
    assert.ok(!(result instanceof HeidiError), result instanceof HeidiError ? result.message : '');
    assert.deepEqual(
      result.audit.map((e) => e.at),
      GOOD_TIMES,
    );
    assert.equal(result.decisions.e1?.at, GOOD_TIMES[3]);
  });
});

describe('restored times: the day is one of its month', () => {
  it('agrees with the calendar on every day of every month, leap years (1900 no, 2000 yes) included', () => {
    for (const year of [1, 4, 100, 400, 1900, 1996, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 28; day <= 31; day++) {
          const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${day}`;
          // The calendar's answer: a Date set to that day keeps it only when the month has it (setUTCFullYear: years < 100 too).
          const real = new Date(new Date(0).setUTCFullYear(year, month - 1, day)).getUTCMonth() === month - 1;
          const parsed = parseReviewSnapshot({ sessionId: 'S1', decisions: {}, audit: [entry({ at: `${date}T12:00:00Z` })] }, 'S1');
          assert.equal(!(parsed instanceof HeidiError), real, date);
        }
      }
    }
  });
});

describe('toFhirBundle with a host’s own times', () => {
  for (const at of BAD_TIMES) {
    it(`an audit time or decidedAt of ${JSON.stringify(at)} is not used: the bundle is valid and takes recorded`, () => {
      const fromAudit = bundleOf([hypertension], { audit: [entry({ at }) as AuditEntry] });
      assert.deepEqual(fhirErrors(fromAudit.bundle), []);
      assert.equal(fromAudit.provenance.recorded, RECORDED);
      assert.equal(fromAudit.resource.recordedDate, RECORDED);

      const fromCode = bundleOf([{ ...hypertension, decidedAt: at }]);
      assert.deepEqual(fhirErrors(fromCode.bundle), []);
      assert.equal(fromCode.provenance.recorded, RECORDED);
    });
  }

  it('a bad latest audit time does not hide an earlier good one', () => {
    const audit = [entry({ at: '2026-02-01T08:00:00Z' }), entry({ at: '+010000-01-01T00:00:00Z' })] as AuditEntry[];
    const { bundle, provenance } = bundleOf([hypertension], { audit });
    assert.equal(provenance.recorded, '2026-02-01T08:00:00.000Z');
    assert.deepEqual(fhirErrors(bundle), []);
  });

  it('an offset that carries a time out of years 0001 to 9999 is not used either', () => {
    for (const decidedAt of ['0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00']) {
      const { bundle, provenance } = bundleOf([{ ...hypertension, decidedAt }]);
      assert.equal(provenance.recorded, RECORDED, decidedAt);
      assert.deepEqual(fhirErrors(bundle), []);
    }
  });

  it('a bad recorded falls back to now, still valid', () => {
    const before = Date.now();
    const { bundle } = bundleOf([hypertension], { recorded: '0000-06-01T00:00:00Z' });
    assert.ok(Date.parse(bundle.timestamp) >= before - 1000);
    assert.deepEqual(fhirErrors(bundle), []);
  });
});

describe('reviewState that throws when read', () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const values: [string, unknown][] = [
    [
      'a throwing getter',
      {
        sessionId: 'S1',
        audit: [],
        get decisions(): never {
          throw new Error('boom');
        },
      },
    ],
    [
      'a Proxy whose every trap throws',
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('get');
          },
          ownKeys: () => {
            throw new Error('ownKeys');
          },
          getOwnPropertyDescriptor: () => {
            throw new Error('descriptor');
          },
          has: () => {
            throw new Error('has');
          },
          getPrototypeOf: () => {
            throw new Error('prototype');
          },
        },
      ),
    ],
    [
      'decisions behind a throwing Proxy',
      {
        sessionId: 'S1',
        audit: [],
        decisions: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('ownKeys');
            },
          },
        ),
      },
    ],
    ['a revoked Proxy', revoked.proxy],
  ];
  for (const [name, value] of values) {
    it(`${name} is a config error, not an exception`, () => {
      assertConfigError(value, /reviewState.*unreadable/);
    });
  }
});

describe('scores stay in 0..1', () => {
  for (const score of [92, -0.1, 1.0001]) {
    it(`a restored audit entry with score ${score} is a config error`, () => {
      assertConfigError({ sessionId: 'S1', decisions: {}, audit: [entry({ score })] }, /audit\.0\.score/);
    });
  }

  it('a restored audit entry with a score in 0..1 parses and keeps it', () => {
    const result = parseReviewSnapshot({ sessionId: 'S1', decisions: {}, audit: [entry({ score: 0 }), entry({ score: 1 })] }, 'S1');
    assert.ok(!(result instanceof HeidiError));
    assert.deepEqual(
      result.audit.map((e) => e.score),
      [0, 1],
    );
  });

  it('toFhirBundle clamps an engine score outside 0..1 the way the model does', () => {
    const engines = [
      { engine: 'heidi', score: 5 },
      { engine: 'sully', score: -1 },
      { engine: 'omniscribe', score: 0.4 },
    ];
    const { bundle, provenance } = bundleOf([{ ...hypertension, engines }]);
    assert.deepEqual(
      provenance.contained.map((d) => d.property?.[0]?.valueQuantity[0]?.value),
      [1, 0, 0.4],
    );
    assert.deepEqual(fhirErrors(bundle), []);
  });
});

describe('code systems are absolute URIs', () => {
  it('a peer code in an unknown, non-URI system is sent as urn:heidi:code-system:<value>', () => {
    const entity = peerEntity(
      'sully',
      { system: 'Local Lab Codes', code: 'X1', display: 'Thing', score: undefined, procedure: false },
      [],
      new Set(),
    );
    assert.equal(entity.primary.system, 'urn:heidi:code-system:Local%20Lab%20Codes');
    assert.equal(entity.engines[0]?.engine, 'sully');
    const { primary } = entity;
    const { bundle, resource } = bundleOf([{ ...primary, entityId: entity.id }]);
    assert.equal(resource.code.coding?.[0]?.system, 'urn:heidi:code-system:Local%20Lab%20Codes');
    assert.deepEqual(fhirErrors(bundle), []);
  });

  it('a peer code in an unknown absolute URI is kept as given; a known one gets its canonical URI', () => {
    const peer = (system: string) =>
      peerEntity('omniscribe', { system, code: '1234-5', display: 'Lab', score: 0.5, procedure: false }, [], new Set()).primary.system;
    assert.equal(peer('http://loinc.org'), 'http://loinc.org');
    assert.equal(peer('urn:oid:2.16.840.1.113883.6.1'), 'urn:oid:2.16.840.1.113883.6.1');
    assert.equal(peer('https://hl7.org/fhir/sid/icd-10-cm/'), 'http://hl7.org/fhir/sid/icd-10-cm');
  });

  it('toFhirBundle never emits a coding.system that is not an absolute URI', () => {
    for (const system of ['Local Lab Codes', '', '  ', 'no-scheme', 'http://exa mple.org']) {
      const { bundle, resource } = bundleOf([{ ...hypertension, system, codeSystem: 'local lab' }]);
      assert.equal(resource.code.coding?.[0]?.system, 'urn:heidi:code-system:local%20lab', JSON.stringify(system));
      assert.deepEqual(fhirErrors(bundle), []);
    }
    const kept = bundleOf([{ ...hypertension, system: 'http://loinc.org', codeSystem: 'loinc' }]);
    assert.equal(kept.resource.code.coding?.[0]?.system, 'http://loinc.org');
  });
});

describe('patient and encounter references', () => {
  it('a valid FHIR id is a literal reference', () => {
    const { bundle, resource } = bundleOf([hypertension], {
      patient: { id: 'EHR-PT-1004', display: 'Hollis Pengelly' },
      encounterId: 'APPT.5',
    });
    assert.deepEqual(resource.subject, { reference: 'Patient/EHR-PT-1004', display: 'Hollis Pengelly' });
    assert.deepEqual(resource.encounter, { reference: 'Encounter/APPT.5' });
    assert.deepEqual(fhirErrors(bundle), []);
  });

  it('an id FHIR does not allow is a reference by identifier, and the bundle is valid', () => {
    const { bundle, resource } = bundleOf([hypertension], {
      patient: { id: 'PT 10/02', display: 'Hollis Pengelly' },
      encounterId: 'APPT#5 x',
    });
    assert.deepEqual(resource.subject, { type: 'Patient', identifier: { value: 'PT 10/02' }, display: 'Hollis Pengelly' });
    assert.deepEqual(resource.encounter, { type: 'Encounter', identifier: { value: 'APPT#5 x' } });
    assert.deepEqual(fhirErrors(bundle), []);
    const unnamed = bundleOf([hypertension], { patient: { id: 'x'.repeat(65) } });
    assert.deepEqual(unnamed.resource.subject, { type: 'Patient', identifier: { value: 'x'.repeat(65) } });
    assert.deepEqual(fhirErrors(unnamed.bundle), []);
  });

  it('the identifier value is made valid FHIR text too', () => {
    const { bundle, resource } = bundleOf([hypertension], { patient: { id: ' PT\u000010 ' } });
    assert.deepEqual(resource.subject, { type: 'Patient', identifier: { value: 'PT 10' } });
    assert.deepEqual(fhirErrors(bundle), []);
  });
});

describe('host-given references: one rule for the reviewer, patient and encounter', () => {
  const verifier = (reference: string, display?: string) =>
    bundleOf([hypertension], { reviewer: { reference, ...(display !== undefined && { display }) } });
  const who = (b: ReturnType<typeof bundleOf>) => b.provenance.agent.at(-1)!.who;

  it('a literal reference (Type/id, an http(s) URL, urn:uuid, urn:oid) is kept as it is', () => {
    for (const reference of [
      'Practitioner/dr-amara-okoro',
      'PractitionerRole/42.a',
      'https://ehr.example.org/fhir/Practitioner/7',
      'urn:uuid:6f1c2a4e-0000-4000-8000-000000000001',
      'urn:oid:1.2.36.1.2001.1003.0.8003611234567890',
    ]) {
      const b = verifier(reference, 'Dr Okoro');
      assert.deepEqual(who(b), { reference, display: 'Dr Okoro' });
      assert.deepEqual(fhirErrors(b.bundle), []);
    }
  });

  it('anything else is a reference by identifier with the name: nothing the host gave is lost', () => {
    for (const reference of [
      'Dr Smith',
      'Practitioner/dr smith',
      'Practitioner/',
      'practitioner/1',
      `Practitioner/${'x'.repeat(65)}`,
      'Practitioner/1/_history/2',
      'urn:uuid:not-a-uuid',
      'urn:oid:1.02',
      'http://ehr example/Practitioner/1',
      'mailto:dr@example.org',
      // A host's record is never a contained resource here: `#engine1` would make the engine's Device the verifier.
      '#engine1',
    ]) {
      const b = verifier(reference, 'Dr Smith');
      assert.deepEqual(who(b), { identifier: { value: reference }, display: 'Dr Smith' }, reference);
      assert.deepEqual(fhirErrors(b.bundle), []);
    }
  });

  it('the reference is FHIR text first (trimmed, no control characters), and a blank one is no reference', () => {
    assert.deepEqual(who(verifier('  Practitioner/1 ', 'Dr A')), { reference: 'Practitioner/1', display: 'Dr A' });
    assert.deepEqual(who(verifier('Dr\u0000Smith')), { identifier: { value: 'Dr Smith' } });
    assert.deepEqual(who(verifier('   ', 'Dr A')), { display: 'Dr A' });
    assert.deepEqual(who(verifier('')), { display: 'Unidentified reviewer' });
  });

  it('the patient and encounter ids follow the same rule, as Type/id', () => {
    const { resource } = bundleOf([hypertension], {
      patient: { id: 'urn:uuid:6f1c2a4e-0000-4000-8000-000000000001' },
      encounterId: 'Encounter/5',
    });
    // A bare id: `Patient/urn:uuid:…` and `Encounter/Encounter/5` are not literal references, so both are identifiers.
    assert.deepEqual(resource.subject, { type: 'Patient', identifier: { value: 'urn:uuid:6f1c2a4e-0000-4000-8000-000000000001' } });
    assert.deepEqual(resource.encounter, { type: 'Encounter', identifier: { value: 'Encounter/5' } });
  });
});

describe('host- and API-given strings: trimmed, and left out when blank', () => {
  it('a whitespace-only session id gives no blank identifier, and a padded one is trimmed', () => {
    const blank = bundleOf([hypertension], { sessionId: ' \t ' });
    assert.deepEqual(blank.provenance.entity, []);
    assert.deepEqual(blank.resource.subject, { display: 'Unidentified patient' });
    assert.deepEqual(fhirErrors(blank.bundle), []);
    const padded = bundleOf([hypertension], { sessionId: '  S1\n' });
    assert.deepEqual(padded.provenance.entity, [{ role: 'source', what: { identifier: { system: 'urn:heidi:session-id', value: 'S1' } } }]);
    assert.deepEqual(padded.resource.subject, { display: 'Patient of Heidi session S1' });
  });

  it('every string a host or an engine gave, exactly as the bundle carries it', () => {
    const { bundle, resource, provenance } = bundleOf(
      [
        {
          ...hypertension,
          evidence: { transcript: [{ text: '  blood pressure high \n' }, { text: ' ' }], note: [{ text: '\tHTN ' }] },
          warnings: [' score-range ', '  ', 'age\u0000'],
          engines: [
            { engine: ' sully ', runId: ' run-1 ', justification: ' BP 160/100 ' },
            { engine: '  ', runId: ' S1 ', score: 0.5 },
            { engine: 'omniscribe', runId: '   ', justification: ' ' },
          ],
        },
      ],
      {
        sessionId: ' S1 ',
        patient: { id: ' P1 ', display: '  Hollis Pengelly ' },
        encounterId: '   ',
        reviewer: { reference: ' Practitioner/1 ', display: ' Dr A\u0007 ' },
      },
    );
    assert.deepEqual(resource.subject, { reference: 'Patient/P1', display: 'Hollis Pengelly' });
    assert.equal(resource.encounter, undefined);
    assert.deepEqual(resource.note, [
      { text: 'Transcript: "blood pressure high"' },
      { text: 'Note: "HTN"' },
      { text: 'Sully justification: BP 160/100' },
      { text: 'Accepted despite check warnings: score-range, age' },
    ]);
    assert.deepEqual(
      provenance.contained.map((d) => d.deviceName[0]!.name),
      ['Sully', 'Coding engine', 'Omniscribe'],
    );
    assert.deepEqual(
      provenance.agent.map((a) => a.who),
      [
        { reference: '#engine1', display: 'Sully' },
        { reference: '#engine2', display: 'Coding engine' },
        { reference: '#engine3', display: 'Omniscribe' },
        { reference: 'Practitioner/1', display: 'Dr A' },
      ],
    );
    // The second engine's run id is the session's own, the third's is blank: neither is an entity.
    assert.deepEqual(
      provenance.entity.map((e) => e.what.identifier),
      [
        { system: 'urn:heidi:session-id', value: 'S1' },
        { system: 'urn:heidi:run-id:sully', value: 'run-1' },
      ],
    );
    assert.deepEqual(fhirErrors(bundle), []);
  });
});

describe("fullUrls from a host's idFactory", () => {
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const counting = (make: (n: number) => string) => {
    let n = 0;
    return () => make(++n);
  };
  const refused = (idFactory: () => string, named: RegExp) =>
    assert.throws(
      () =>
        toFhirBundle([hypertension, { ...hypertension, entityId: 'e2', code: 'E11.9' }], {
          sessionId: 'S1',
          recorded: RECORDED,
          idFactory,
        }),
      (error: unknown) => error instanceof HeidiError && error.code === 'config' && named.test(error.message),
    );

  it('a UUID per call makes urn:uuid fullUrls, written lowercase, and a valid Bundle', () => {
    const { bundle } = bundleOf([hypertension], { idFactory: counting((n) => uuid(n).replace('4000', 'A000')) });
    assert.deepEqual(
      bundle.entry.map((e) => e.fullUrl),
      ['urn:uuid:00000000-0000-a000-8000-000000000001', 'urn:uuid:00000000-0000-a000-8000-000000000002'],
    );
    assert.equal(bundle.entry[1]!.resource.resourceType, 'Provenance');
    assert.deepEqual((bundle.entry[1]!.resource as FhirProvenance).target, [{ reference: bundle.entry[0]!.fullUrl }]);
    assert.deepEqual(fhirErrors(bundle), []);
  });

  it('an id that is not a UUID throws a config HeidiError naming it, instead of a malformed Bundle', () => {
    refused(
      counting((n) => `PT-${n}`),
      /idFactory's "PT-1" is not a UUID/,
    );
    refused(() => 'not a uuid', /"not a uuid" is not a UUID/);
    refused(() => `urn:uuid:${uuid(1)}`, /is not a UUID/); // the prefix is ours to add
    refused(
      counting((n) => `${uuid(n)}\n`),
      /is not a UUID/,
    );
    refused(() => undefined as unknown as string, /"undefined" is not a UUID/);
  });

  it('the same UUID twice throws (FHIR refuses a Bundle whose fullUrls repeat: bdl-7)', () => {
    refused(() => uuid(7), new RegExp(`"${uuid(7)}" was given twice`));
    // What that Bundle would have been, by the validator: why it is refused rather than sent.
    const repeated = bundleOf([hypertension]).bundle;
    const same = { ...repeated, entry: repeated.entry.map((e) => ({ ...e, fullUrl: `urn:uuid:${uuid(7)}` })) };
    assert.ok(fhirErrors(same).some((line) => line.includes('bdl-7')));
  });
});
