/**
 * Custom Elements Manifest (`custom-elements.json`) for <heidi-clinical-codes>,
 * written by `npm run build` (`cem analyze`) from the element's JSDoc
 * (`@attr`, `@fires`, `@csspart`, `@cssprop`) and its Lit decorators.
 *
 * The analyzer reads `src/`, which is not shipped, so the `heidi-shipped-module`
 * plugin below reshapes its output to describe the package as installed: one
 * module, `dist/heidi-clinical-codes.js`, that defines the element and exports
 * it and its event classes; public members only; each event typed with its
 * event class; defaults that name a constant resolved to the value.
 */
import { readFileSync } from 'node:fs';

const SHIPPED = 'dist/heidi-clinical-codes.js';
const TAG = 'heidi-clinical-codes';

export default {
  globs: ['src/heidi-clinical-codes.ts', 'src/events.ts'],
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

      const shipped = [element, ...eventClasses];
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
