/**
 * Post-build step for the declaration files. `tsc` keeps the specifiers of
 * relative imports as written in `src` (`./events.ts`) in the `.d.ts` files it
 * emits (`rewriteRelativeImportExtensions` only rewrites emitted JavaScript),
 * and a consumer's TypeScript cannot resolve `./events.ts` next to
 * `events.d.ts`. This rewrites every relative `.ts` specifier in
 * `dist/types` and `dist/proxy` to `.js`, which resolves to the `.d.ts`
 * beside it under every module resolution mode.
 *
 * Usage: node --import tsx scripts/build-dts.ts [dir ...]
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]*?)\.(m|c)?ts\2/g;

/** `./a.ts` → `./a.js` in import/export specifiers (static and `import()` types); other text untouched. */
export function rewriteSpecifiers(source: string): string {
  return source.replace(SPECIFIER, (_match, lead: string, quote: string, stem: string, flavour: string | undefined) => {
    return `${lead}${quote}${stem}.${flavour ?? ''}js${quote}`;
  });
}

async function* declarationFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* declarationFiles(full);
    else if (/\.d\.(m|c)?ts$/.test(entry.name)) yield full;
  }
}

export async function rewriteDir(dir: string): Promise<number> {
  let changed = 0;
  for await (const file of declarationFiles(dir)) {
    const before = await readFile(file, 'utf8');
    const after = rewriteSpecifiers(before);
    if (after !== before) {
      await writeFile(file, after);
      changed += 1;
    }
  }
  return changed;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const dirs = process.argv.slice(2);
  for (const dir of dirs.length ? dirs : ['dist/types', 'dist/proxy']) {
    const changed = await rewriteDir(dir);
    console.log(`build-dts: ${dir}: rewrote .ts specifiers in ${changed} file(s)`);
  }
}
