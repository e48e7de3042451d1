/**
 * The message catalogues: every language has exactly the keys English has
 * (nested objects and lists too), every function takes the same arguments,
 * and every function message renders a real sentence from sample arguments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/en.ts';
import { CATALOGUES, messagesFor, relevanceLabel, speakerLabel } from '../../src/i18n/index.ts';

type Shape = string | { fn: number } | { list: Shape[] } | { [key: string]: Shape };

/** The structure of a catalogue: nested keys, list lengths, function arity; strings as 'string'. */
function shape(value: unknown): Shape {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'function') return { fn: value.length };
  if (Array.isArray(value)) return { list: value.map(shape) };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

/** Every leaf of a catalogue with its path (`checks.sex`, `shortcutList.open`). */
function leaves(value: unknown, path: string[] = []): { path: string; value: unknown }[] {
  if (typeof value === 'string' || typeof value === 'function') return [{ path: path.join('.'), value }];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
  }
  return [{ path: path.join('.'), value }];
}

/** Parameters the checks pass (see src/core/checks.ts), with values that exercise both branches. */
const CHECK_PARAMS: Record<string, string | number>[] = [
  {
    codeSex: 'female',
    patientSex: 'male',
    min: 0,
    max: 17,
    age: 62,
    status: 'Invalid - header code',
    flag: 'Rare use',
    count: 1,
    source: 'note',
    snippet: '“knee pain”',
    cue: 'no',
  },
  {
    codeSex: 'male',
    patientSex: 'female',
    min: 35,
    max: 150,
    age: 29,
    status: 'Invalid',
    flag: 'Yes',
    count: 5,
    source: 'transcript',
    snippet: '“chest pain”',
    cue: 'denies',
  },
];

/**
 * Sample arguments for each function message, by path: every function needs an entry, so a new message
 * cannot skip this test. Each entry is a list of argument lists (singular and plural where it matters).
 */
const SAMPLES: Record<string, unknown[][]> = {
  showMore: [[1], [460]],
  generating: [[0], [12]],
  loaded: [[1], [6]],
  emptyHidden: [[1], [6]],
  acceptCode: [['M17.11']],
  rejectCode: [['M17.11']],
  undoCode: [['M17.11']],
  swappedFrom: [['M17.11']],
  similarCodes: [[0], [1], [4]],
  swapTo: [['M17.12', 'Unilateral primary osteoarthritis, left knee']],
  restorePrimary: [['M17.11']],
  evidence: [[1], [3]],
  'checks.sex': CHECK_PARAMS.map((p) => [p]),
  'checks.age': CHECK_PARAMS.map((p) => [p]),
  'checks.invalid': CHECK_PARAMS.map((p) => [p]),
  'checks.rare': CHECK_PARAMS.map((p) => [p]),
  'checks.unspecified': CHECK_PARAMS.map((p) => [p]),
  'checks.negated': CHECK_PARAMS.map((p) => [p]),
  'checks.historical': CHECK_PARAMS.map((p) => [p]),
  'checks.other-person': CHECK_PARAMS.map((p) => [p]),
  'checks.no-evidence': [[]],
  'quoteChecks.negated': [['denies']],
  'quoteChecks.historical': [['history of']],
  'quoteChecks.other-person': [['mother']],
  moreEvidence: [[1], [3]],
  reviewedOf: [
    [0, 5],
    [1, 5],
    [5, 5],
  ],
  'checks.score-range': [[{ score: 79 }], [{ score: -0.2 }]],
  droppedEntities: [[1], [3]],
  droppedDetails: [[1], [4]],
  checksLabel: [[1], [3]],
  progress: [
    [0, 0, 5],
    [1, 1, 5],
    [2, 3, 5],
  ],
  batchCount: [[0], [1], [4]],
  batchConfirm: [[1], [4]],
  batchDone: [[1], [4]],
  sendCount: [[1], [4]],
  sentOk: [
    [1, 0],
    [4, 0],
    [0, 1],
    [0, 3],
    [2, 1],
    [1, 2],
  ],
  willWithdraw: [[1], [2]],
  restoredUnknown: [[1], [3]],
  auditTrimmed: [
    [1, 5000],
    [3, 5000],
  ],
  lostToOtherTab: [['M17.11']],
  sendFailed: [[''], ['EHR is offline']],
  cancelEngine: [['Sully']],
  retryEngine: [['Sully']],
  engineFailed: [['Omniscribe']],
  enginesSkipped: [['Sully'], ['Sully, Omniscribe']],
  engineDropped: [
    ['Sully', 1],
    ['Omniscribe', 3],
  ],
  discardedBy: [['Omniscribe', 'The note states the patient is not on insulin.']],
  atLeastEngines: [[2], [3]],
};

/** Every function message of a catalogue rendered with every sample: `[path, args, output]`. */
function rendered(catalogue: unknown): [string, unknown[], unknown][] {
  return leaves(catalogue)
    .filter((leaf) => typeof leaf.value === 'function')
    .flatMap((leaf) => {
      const samples = SAMPLES[leaf.path];
      assert.ok(samples, `no sample arguments for the function message "${leaf.path}": add them to SAMPLES`);
      return samples.map((args): [string, unknown[], unknown] => [leaf.path, args, (leaf.value as (...a: unknown[]) => unknown)(...args)]);
    });
}

const others = Object.entries(CATALOGUES).filter(([lang]) => lang !== 'en');

describe('message catalogues', () => {
  it('English is registered and there is at least one other language', () => {
    assert.equal(CATALOGUES.en, en);
    assert.ok(others.length >= 1);
  });

  for (const [lang, catalogue] of others) {
    it(`${lang} has exactly the keys of en, nested, with the same list lengths and function arities`, () => {
      assert.deepEqual(shape(catalogue), shape(en));
    });

    it(`${lang}: no string is left in English (bar key names and the product name)`, () => {
      const english = new Map(leaves(en).map((leaf) => [leaf.path, leaf.value]));
      // Keyboard key names are the same keys in every language.
      const sameByDesign = /^keyNames\./;
      const untranslated = leaves(catalogue).filter(
        (leaf) => typeof leaf.value === 'string' && !sameByDesign.test(leaf.path) && leaf.value === english.get(leaf.path),
      );
      assert.deepEqual(
        untranslated.map((leaf) => leaf.path),
        [],
      );
    });
  }

  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    it(`${lang}: every function message returns a real sentence for its sample arguments`, () => {
      const outputs = rendered(catalogue);
      assert.ok(outputs.length >= Object.keys(SAMPLES).length);
      for (const [path, args, output] of outputs) {
        const where = `${lang}.${path}(${JSON.stringify(args)})`;
        assert.equal(typeof output, 'string', where);
        const text = output as string;
        assert.ok(text.trim().length > 0, `${where} is empty`);
        assert.doesNotMatch(text, /undefined|NaN|\[object Object\]|\$\{/, `${where} = ${JSON.stringify(text)}`);
        assert.equal(text, text.trim(), `${where} has stray spaces at an end`);
        assert.doesNotMatch(text, / {2}/, `${where} has a double space`);
        // Every string argument shows up in the sentence (a message that drops its code or reason is a bug).
        for (const arg of args) {
          const values = typeof arg === 'object' && arg ? [] : [arg];
          for (const value of values) if (typeof value === 'string' && value) assert.ok(text.includes(value), `${where} omits ${value}`);
        }
      }
    });

    it(`${lang}: every string message is non-empty and trimmed`, () => {
      for (const leaf of leaves(catalogue)) {
        if (typeof leaf.value !== 'string') continue;
        assert.ok(leaf.value.trim().length > 0, `${lang}.${leaf.path} is empty`);
        assert.equal(leaf.value, leaf.value.trim(), `${lang}.${leaf.path} has stray spaces`);
      }
    });
  }

  it('the check messages name what the check found (the cue, the snippet, the ages)', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      const [p] = CHECK_PARAMS as [Record<string, string | number>];
      assert.match(catalogue.checks.negated(p), /“knee pain”.*no/, lang);
      assert.match(catalogue.checks.age(p), /0.*17.*62/, lang);
      assert.match(catalogue.checks.invalid(p), /Invalid - header code/, lang);
    }
  });

  it('Spanish uses the standard clinical terms and agrees in number', () => {
    const es = CATALOGUES.es!;
    assert.equal(es.accept, 'Aceptar');
    assert.equal(es.reject, 'Rechazar');
    assert.equal(es.sendToEhr, 'Enviar a la historia clínica');
    assert.equal(es.sendCount(3), 'Enviar 3 a la historia clínica');
    assert.equal(es.loaded(1), '1 código sugerido.');
    assert.equal(es.loaded(6), '6 códigos sugeridos.');
    assert.equal(es.progress(1, 0, 5), '1 aceptado y 0 rechazados de 5');
    assert.equal(es.progress(2, 1, 5), '2 aceptados y 1 rechazado de 5');
    assert.equal(es.sentOk(1, 0), 'Se envió 1 código a la historia clínica.');
    assert.equal(es.sentOk(2, 0), 'Se enviaron 2 códigos a la historia clínica.');
    assert.equal(es.sentOk(0, 1), 'Se retiró 1 código de la historia clínica.');
    assert.equal(es.sentOk(2, 1), 'Se enviaron 2 códigos a la historia clínica y se retiró 1.');
    assert.equal(es.willWithdraw(1), 'Al enviar se retirará 1 código de la historia clínica.');
    assert.equal(es.batchCount(1), '1 código pendiente cumple este filtro.');
    assert.equal(es.status.ACCEPTED, 'Aceptado');
    assert.equal(es.status.REJECTED, 'Rechazado');
    assert.equal(es.keyNames.Enter, 'Intro');
    assert.equal(es.shortcutList.open, 'Abrir la evidencia');
  });

  it('messagesFor picks the catalogue by the language subtag and falls back to English', () => {
    assert.equal(messagesFor('es').messages, CATALOGUES.es);
    assert.equal(messagesFor('es-MX').messages, CATALOGUES.es);
    assert.equal(messagesFor('ES-419').messages, CATALOGUES.es);
    assert.equal(messagesFor('en-GB').messages, en);
    assert.deepEqual(messagesFor('fr-CA'), { lang: 'en', messages: en });
    assert.deepEqual(messagesFor(''), { lang: 'en', messages: en });
    assert.deepEqual(messagesFor(undefined), { lang: 'en', messages: en });
  });

  // Outside text (a page's `lang`, a transcript's speaker tag, Heidi's relevance) never indexes a plain object:
  // `constructor`, `__proto__` or `toString` must fall back like any unknown key, not return Object.prototype's members.
  const HOSTILE_KEYS = [
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
    'isPrototypeOf',
    'CONSTRUCTOR',
    '__PROTO__',
  ];

  it('messagesFor falls back to English for every hostile language tag', () => {
    for (const key of HOSTILE_KEYS) {
      for (const tag of [key, `${key}-US`, ` ${key}`]) {
        const { lang, messages } = messagesFor(tag);
        assert.equal(messages, en, tag);
        assert.equal(lang, 'en', tag);
        assert.equal(typeof messages.generating, 'function', tag);
      }
    }
  });

  it('speaker and relevance labels fall back to the raw value for hostile keys', () => {
    for (const m of [en, CATALOGUES.es!]) {
      for (const key of HOSTILE_KEYS) {
        assert.equal(speakerLabel(m, key), key);
        assert.equal(relevanceLabel(m, key), key);
        // The tables themselves have no prototype, so a direct `m.speaker[key]` in an element finds nothing either.
        assert.equal((m.speaker as Record<string, unknown>)[key], undefined, key);
        assert.equal((m.relevanceValue as Record<string, unknown>)[key], undefined, key);
        assert.equal((m.groups as Record<string, unknown>)[key], undefined, key);
      }
      assert.equal(speakerLabel(m, 'doctor'), m === en ? 'Doctor' : 'Médico');
      assert.equal(relevanceLabel(m, 'HIGH'), m === en ? 'High' : 'Alta');
    }
  });
  it("an error the EHR's own server can give (its token URL, the peers' forwarders) does not blame Heidi alone", () => {
    // The headline is picked by the code only; the detail line says which server it was.
    for (const m of [en, CATALOGUES.es!]) {
      for (const code of ['auth', 'network', 'timeout', 'rate-limited', 'server', 'invalid-response'] as const) {
        assert.match(m.errors[code], /EHR/, `${m === en ? 'en' : 'es'} ${code}`);
      }
    }
  });
});
