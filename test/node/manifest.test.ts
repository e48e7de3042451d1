/**
 * custom-elements.json: the committed manifest describes the public contract
 * (PRODUCT.md) and is what `cem analyze` (run by `npm run build`) generates
 * from the element's JSDoc right now.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Named {
  name?: string;
  description?: string;
  type?: { text: string };
  default?: string;
  fieldName?: string;
  kind?: string;
  privacy?: string;
}
interface Declaration extends Named {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Named[];
  members?: Named[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface Manifest {
  schemaVersion: string;
  modules: {
    kind: string;
    path: string;
    declarations?: Declaration[];
    exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
  }[];
}

const ATTRIBUTES = [
  'token-url',
  'api-base',
  'session-id',
  'patient-profile-id',
  'ehr-appointment-id',
  'code-systems',
  'ehr-patient-id',
  'readonly',
  'lang',
  'theme',
  'density',
  // Coding engines (PRODUCT.md "Coding engines")
  'engines',
  'sully-base',
  'omniscribe-base',
  'omniscribe-model',
];
const EVENTS = [
  'heidi-session-start',
  'heidi-codes-load',
  'heidi-code-select',
  'heidi-code-review',
  'heidi-codes-commit',
  'heidi-token-expired',
  'heidi-error',
];
const CSS_PARTS = ['header', 'toolbar', 'list', 'source', 'footer', 'status'];
const CSS_PROPERTIES = [
  '--heidi-accent',
  '--heidi-on-accent',
  '--heidi-surface',
  '--heidi-surface-raised',
  '--heidi-text',
  '--heidi-text-muted',
  '--heidi-border',
  '--heidi-radius',
  '--heidi-font',
  '--heidi-space',
  '--heidi-focus',
];

let committedText = '';
let manifest: Manifest;
let element: Declaration;

const names = (items: Named[] | undefined): string[] => (items ?? []).map((i) => i.name ?? '');

before(async () => {
  committedText = await readFile(path.join(root, 'custom-elements.json'), 'utf8');
  manifest = JSON.parse(committedText) as Manifest;
  const found = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'heidi-clinical-codes');
  assert.ok(found, 'the manifest declares <heidi-clinical-codes>');
  element = found;
});

test('the committed manifest equals a fresh generation from the sources', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'heidi-cem-'));
  try {
    // `cem` joins --outdir onto the working directory, so pass it relative.
    await run(path.join(root, 'node_modules', '.bin', 'cem'), ['analyze', '--quiet', '--outdir', path.relative(root, out)], {
      cwd: root,
    });
    const fresh = await readFile(path.join(out, 'custom-elements.json'), 'utf8');
    assert.equal(committedText, fresh, 'custom-elements.json is stale: run `npm run build` (or `npm run manifest`) and commit it');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('it describes the shipped module and registers the tag', () => {
  assert.deepEqual(
    manifest.modules.map((m) => m.path),
    ['dist/heidi-clinical-codes.js'],
  );
  const exports = manifest.modules[0]?.exports ?? [];
  assert.ok(
    exports.some(
      (e) => e.kind === 'custom-element-definition' && e.name === 'heidi-clinical-codes' && e.declaration.name === 'HeidiClinicalCodes',
    ),
  );
  for (const name of ['HeidiClinicalCodes', 'HeidiCodesCommitEvent', 'HeidiCodeReviewEvent', 'HeidiErrorEvent']) {
    assert.ok(
      exports.some((e) => e.kind === 'js' && e.name === name),
      `exports ${name}`,
    );
  }
  assert.equal(element.name, 'HeidiClinicalCodes');
  assert.equal(element.customElement, true);
});

test('it lists every run-time export of the shipped bundle, each with its declaration', async () => {
  const bundle = await readFile(path.join(root, 'dist', 'heidi-clinical-codes.js'), 'utf8').catch(() => {
    throw new Error('dist/heidi-clinical-codes.js is missing: run `npm run build` first');
  });
  const list = /export\s*\{([^}]*)\}\s*;?\s*(\/\/# sourceMappingURL=\S+\s*)?$/.exec(bundle)?.[1];
  assert.ok(list, 'the bundle ends with its export list');
  const shipped = list.split(',').map((item) =>
    item
      .trim()
      .split(/\s+as\s+/)
      .pop()!,
  );
  const module = manifest.modules[0]!;
  const listed = (module.exports ?? []).filter((e) => e.kind === 'js').map((e) => e.name);
  assert.deepEqual([...listed].sort(), [...shipped].sort());
  for (const name of shipped) {
    assert.ok(
      module.declarations?.some((d) => d.name === name && d.description),
      `${name} is declared and described`,
    );
  }
  assert.equal(module.declarations?.find((d) => d.name === 'toFhirBundle')?.kind, 'function');
  assert.equal(module.declarations?.find((d) => d.name === 'HeidiError')?.kind, 'class');
});

test('every public attribute of PRODUCT.md, with its property', () => {
  const attributes = element.attributes ?? [];
  assert.deepEqual(names(attributes).sort(), [...ATTRIBUTES].sort());
  for (const attribute of attributes) {
    assert.ok(attribute.fieldName, `${attribute.name} names its property`);
    assert.ok(attribute.description, `${attribute.name} is described`);
  }
  const apiBase = attributes.find((a) => a.name === 'api-base');
  assert.equal(apiBase?.default, "'https://registrar.api.heidihealth.com/api/v2/ml-scribe/open-api'");
});

test('the properties and methods of the public API, and no private members', () => {
  const members = element.members ?? [];
  const memberNames = names(members);
  for (const name of [
    'tokenProvider',
    'token',
    'patient',
    'clinicianNotes',
    'sessionId',
    'tokenUrl',
    'note',
    'engines',
    'refresh',
    'commit',
  ]) {
    assert.ok(memberNames.includes(name), `member ${name}`);
  }
  assert.deepEqual(
    members.filter((m) => m.privacy && m.privacy !== 'public').map((m) => m.name),
    [],
  );
  const commit = members.find((m) => m.name === 'commit') as (Named & { return?: { type?: { text: string } } }) | undefined;
  assert.equal(commit?.kind, 'method');
  assert.equal(commit?.return?.type?.text, 'Promise<boolean>');
});

test('every event, typed with its event class', () => {
  const events = element.events ?? [];
  assert.deepEqual(names(events), EVENTS);
  for (const event of events) {
    assert.match(event.type?.text ?? '', /^Heidi\w+Event$/, `${event.name} has its class`);
    assert.ok(event.description, `${event.name} is described`);
  }
  assert.equal(events.find((e) => e.name === 'heidi-codes-commit')?.type?.text, 'HeidiCodesCommitEvent');
});

test('the CSS parts and custom properties', () => {
  // At least these (README documents them); more may be added.
  const parts = names(element.cssParts);
  const properties = names(element.cssProperties);
  for (const part of CSS_PARTS) assert.ok(parts.includes(part), `part ${part}`);
  for (const property of CSS_PROPERTIES) assert.ok(properties.includes(property), `custom property ${property}`);
  for (const item of [...(element.cssParts ?? []), ...(element.cssProperties ?? [])]) {
    assert.ok(item.description, `${item.name} is described`);
  }
});
