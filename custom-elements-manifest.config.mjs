/**
 * Custom Elements Manifest (`custom-elements.json`) for <heidi-clinical-codes>,
 * written by `npm run build` (`cem analyze`) from the element's JSDoc
 * (`@attr`, `@fires`, `@csspart`, `@cssprop`) and its Lit decorators.
 *
 * The analyzer reads `src/`, which is not shipped, so the `heidi-shipped-module`
 * plugin below reshapes its output to describe the package as installed: one
 * module, `dist/heidi-clinical-codes.js`, that defines the element and exports
 * what `src/index.ts` exports at run time (the element, its event classes,
 * `HEIDI_EVENT_TYPES`, `HeidiError`, `codeSystemInfo`, `toFhirBundle`); public
 * members only; each event typed with its event class; defaults that name a
 * constant resolved to the value.
 */
import { readFileSync } from 'node:fs';

const SHIPPED = 'dist/heidi-clinical-codes.js';
const TAG = 'heidi-clinical-codes';

export default {
  // src/index.ts and every module it takes a run-time export from.
  globs: [
    'src/index.ts',
    'src/heidi-clinical-codes.ts',
    'src/events.ts',
    'src/core/errors.ts',
    'src/core/code-systems.ts',
    'src/core/fhir.ts',
  ],
  exclude: [],
  outdir: '.',
  litelement: true,
  // Never let the analyzer rewrite package.json (it sets `customElements` to its outdir otherwise).
  packagejson: false,
  dependencies: false,
  plugins: [shippedModule()],
};

/** `'x'` → `x` for a string-literal default as the analyzer prints it. */
function unquote(text) {
  return typeof text === 'string' ? text.replace(/^(['"`])(.*)\1$/, '$2') : undefined;
}

/** Exported string constants the element uses as defaults, read from the source they live in. */
function constants() {
  const source = readFileSync(new URL('./src/core/client.ts', import.meta.url), 'utf8');
  const found = {};
  for (const match of source.matchAll(/export const (\w+) = '([^']*)';/g)) found[match[1]] = `'${match[2]}'`;
  return found;
}

/** The names src/index.ts exports as types only (`export type { A }`, `export { type A }`). */
function typeOnlyExports() {
  const source = readFileSync(new URL('./src/index.ts', import.meta.url), 'utf8');
  const names = new Set();
  for (const [, isType, list] of source.matchAll(/export (type )?\{([^}]*)\}/g)) {
    for (const item of list.split(',').map((i) => i.trim())) {
      const typed = /^type\s+(\w+)/.exec(item);
      if (typed) names.add(typed[1]);
      else if (isType && item) names.add(item.split(/\s/)[0]);
    }
  }
  return names;
}

function shippedModule() {
  return {
    name: 'heidi-shipped-module',
    packageLinkPhase({ customElementsManifest }) {
      const declarations = customElementsManifest.modules.flatMap((m) => m.declarations ?? []);
      const element = declarations.find((d) => d.customElement && d.tagName === TAG);
      if (!element) throw new Error(`custom-elements-manifest: no <${TAG}> found (is @element still in its JSDoc?)`);
      const eventClasses = declarations.filter((d) => d.kind === 'class' && /^Heidi\w+Event$/.test(d.name));

      // Event name → event class, from each class's `static readonly type = '...'`.
      const classOf = new Map();
      for (const cls of eventClasses) {
        const type = unquote(cls.members?.find((m) => m.static && m.name === 'type')?.default);
        if (type) classOf.set(type, cls.name);
        cls.superclass = { name: 'CustomEvent', package: 'global:' };
        cls.description ||= type ? `The \`${type}\` event of <${TAG}>.` : '';
      }

      // The analyzer also records each `dispatchEvent(new X())` as a nameless event: keep the named (JSDoc) ones.
      element.events = (element.events ?? [])
        .filter((event) => event.name)
        .map((event) => {
          const cls = classOf.get(event.name);
          return cls ? { ...event, type: { text: cls } } : event;
        });

      // Public API only.
      element.members = (element.members ?? []).filter((m) => !m.privacy || m.privacy === 'public');

      // Defaults that name an exported constant: the value, and its type.
      const known = constants();
      for (const item of [...element.members, ...(element.attributes ?? [])]) {
        if (item.default && item.default in known) {
          item.default = known[item.default];
          item.type ??= { text: 'string' };
        }
        // `JwtResponse` is an internal (zod-inferred) name: spell its shape out.
        if (item.type?.text?.includes('JwtResponse')) {
          item.type = { text: item.type.text.replaceAll('JwtResponse', '{ token: string; expiration_time: string }') };
        }
      }

      // What src/index.ts exports at run time: its named exports and `export *`'s, less the type-only ones
      // (those have no declaration). A name it exports that no glob declares is an error, not a gap.
      const moduleAt = (p) => customElementsManifest.modules.find((m) => m.path === p);
      const index = moduleAt('src/index.ts');
      if (!index) throw new Error('custom-elements-manifest: src/index.ts was not analysed');
      const exported = index.exports
        .filter((e) => e.kind === 'js')
        .flatMap((e) => (e.name === '*' ? (moduleAt(e.declaration.module)?.exports ?? []) : [e]))
        .map((e) => e.name);
      const byName = new Map(declarations.map((d) => [d.name, d]));
      const typeOnly = typeOnlyExports();
      const shipped = [...new Set(exported)].flatMap((name) => {
        const declaration = byName.get(name);
        if (!declaration && !typeOnly.has(name))
          throw new Error(`custom-elements-manifest: src/index.ts exports ${name}, which no glob declares`);
        return declaration ? [declaration] : [];
      });
      const heidiError = byName.get('HeidiError');
      if (heidiError) heidiError.superclass = { name: 'Error', package: 'global:' };
      const eventTypes = byName.get('HEIDI_EVENT_TYPES');
      if (eventTypes) {
        eventTypes.type = { text: `readonly [${[...classOf.keys()].map((t) => `'${t}'`).join(', ')}]` };
        delete eventTypes.default;
      }
      customElementsManifest.modules = [
        {
          kind: 'javascript-module',
          path: SHIPPED,
          description: `Registers <${TAG}>. Self-contained ES module; loading it twice never throws.`,
          declarations: shipped,
          exports: [
            ...shipped.map((d) => ({ kind: 'js', name: d.name, declaration: { name: d.name, module: SHIPPED } })),
            { kind: 'custom-element-definition', name: TAG, declaration: { name: element.name, module: SHIPPED } },
          ],
        },
      ];
      // Any remaining reference into src/ now points at the shipped module.
      retarget(customElementsManifest.modules);
    },
  };
}

function retarget(value) {
  if (Array.isArray(value)) value.forEach(retarget);
  else if (value && typeof value === 'object') {
    if (typeof value.module === 'string' && value.module.startsWith('src/')) value.module = SHIPPED;
    Object.values(value).forEach(retarget);
  }
}
