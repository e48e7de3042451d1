/**
 * Build plugin: rename our classes' private members (`private _name`) to short names in the output
 * chunk, the way Lit's own build mangles its privates with terser (`mangle.properties`).
 *
 * Which names are mangled is decided per build, never by a broad pattern alone, because the bundle
 * also holds lit, ky and zod, whose `_`-names are not ours (zod reads `_zod` through a string, and
 * lit's cross-version `_$` names must keep their spelling):
 * 1. candidates: every `_[a-zA-Z]…` word in our own modules (src/, outside node_modules);
 * 2. minus every such word that occurs anywhere in a dependency's module;
 * 3. minus every such word found inside a string or template literal of the final chunk: a name
 *    read by string (a decorated `@state() _x` is registered as "_x", `'_x' in obj`, a JSON key)
 *    must keep its spelling, so the rule "decorated fields never start with `_`" fails safe here.
 * terser then renames exactly those property names across the whole chunk (so a renamed member can
 * never collide with a name lit or the DOM uses: terser avoids every property name it leaves alone),
 * with terser's compressor on (two passes: it folds and inlines more than Rolldown's minifier, about
 * 0.5 kB gzip on this bundle); Rolldown's own minifier runs afterwards and the sourcemaps are chained.
 */
import { minify } from 'terser';
import { parseSync, Visitor, type Plugin } from 'vite';

const PRIVATE_WORD = /(?<![\w$])_[a-zA-Z][\w$]*/g;

export interface MangleReport {
  /** Property names renamed, with their new names. */
  renamed: Record<string, string>;
  /** Own `_`-names kept because a dependency or a string uses the same spelling. */
  kept: string[];
}

function words(text: string, into: Set<string>): void {
  for (const match of text.matchAll(PRIVATE_WORD)) into.add(match[0]);
}

export function manglePrivateMembers(options: { isOwn?: (id: string) => boolean; report?: MangleReport } = {}): Plugin {
  const isOwn = options.isOwn ?? ((id: string) => /\/src\//.test(id) && !id.includes('/node_modules/'));
  const own = new Set<string>();
  const foreign = new Set<string>();
  return {
    name: 'heidi-mangle-private-members',
    apply: 'build',
    buildStart() {
      own.clear();
      foreign.clear();
    },
    // Runs on every module's source as loaded, so the own/foreign split is by file, not by guess.
    transform: {
      order: 'pre',
      handler(code, id) {
        words(code, isOwn(id) ? own : foreign);
        return null;
      },
    },
    async renderChunk(code, chunk) {
      if (!chunk.isEntry) return null;
      const inStrings = new Set<string>();
      const { program } = parseSync(`${chunk.fileName}`, code);
      new Visitor({
        Literal(node) {
          if (typeof node.value === 'string') words(node.value, inStrings);
        },
        TemplateElement(node) {
          words(node.value.raw, inStrings);
        },
      }).visit(program);
      const names = [...own].filter((name) => !foreign.has(name) && !inStrings.has(name)).sort();
      if (options.report) options.report.kept = [...own].filter((name) => foreign.has(name) || inStrings.has(name)).sort();
      if (names.length === 0) return null;
      const escaped = names.map((name) => name.replace(/\$/g, '\\$'));
      const nameCache: { props?: { props?: Record<string, string> } } = {};
      const result = await minify(code, {
        module: true,
        compress: { ecma: 2020, passes: 2 },
        // Of the property names, only the listed ones change; quoted keys (`obj['_x']`) are reserved.
        mangle: { properties: { regex: new RegExp(`^(?:${escaped.join('|')})$`), keep_quoted: true } },
        nameCache,
        format: { comments: 'some', beautify: false },
        sourceMap: { asObject: true },
      });
      if (options.report) {
        const props = nameCache.props?.props ?? {};
        options.report.renamed = Object.fromEntries(Object.entries(props).map(([k, v]) => [k.replace(/^\$/, ''), v]));
      }
      return { code: result.code ?? code, map: result.map as never };
    },
  };
}
