/**
 * Static safety: the element never turns strings into markup or code. Every
 * source file under src/ (comments stripped, so a comment may name what it
 * avoids) is searched for the APIs that would.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const srcDir = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Drop comments but keep strings and line numbers (a small tokenizer: enough for this code base's TS). */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      const start = i;
      i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      i++;
      out += source.slice(start, i);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const FORBIDDEN: { name: string; pattern: RegExp; example: string }[] = [
  { name: 'unsafeHTML', pattern: /\bunsafeHTML\b/, example: `html\`\${unsafeHTML(x)}\`` },
  { name: 'unsafeSVG', pattern: /\bunsafeSVG\b/, example: `unsafeSVG(x)` },
  { name: 'unsafeStatic', pattern: /\bunsafeStatic\b/, example: `unsafeStatic(tag)` },
  { name: '.innerHTML', pattern: /\.innerHTML\b/, example: `el.innerHTML = x` },
  { name: '.outerHTML', pattern: /\.outerHTML\s*=/, example: `el.outerHTML = x` },
  { name: 'insertAdjacentHTML', pattern: /\binsertAdjacentHTML\b/, example: `el.insertAdjacentHTML('beforeend', x)` },
  { name: 'document.write', pattern: /\bdocument\s*\.\s*write(ln)?\b/, example: `document.write(x)` },
  { name: 'eval(', pattern: /(^|[^\w$.])eval\s*\(/, example: `const y = eval(x);` },
  { name: 'new Function', pattern: /\bnew\s+Function\b/, example: `new Function('return 1')` },
  { name: 'Function( constructor call', pattern: /(^|[^\w$.])Function\s*\(/, example: `const f = Function('return 1');` },
  { name: 'setTimeout/setInterval with a string', pattern: /\bset(Timeout|Interval)\s*\(\s*['"`]/, example: `setTimeout('alert(1)', 0)` },
  { name: 'createContextualFragment', pattern: /\bcreateContextualFragment\b/, example: `range.createContextualFragment(x)` },
  { name: 'DOMParser', pattern: /\bDOMParser\b/, example: `new DOMParser()` },
  { name: 'srcdoc', pattern: /\bsrcdoc\b/, example: `frame.srcdoc = x` },
  { name: 'javascript: URL', pattern: /javascript:/i, example: `a.href = 'javascript:void 0'` },
];

describe('static safety of src/', () => {
  const files = sourceFiles(srcDir);

  it('finds the sources', () => {
    assert.ok(files.length >= 10, `expected the src tree, found ${files.length} files`);
    assert.ok(files.some((f) => f.endsWith('heidi-clinical-codes.ts')));
  });

  it('the comment stripper keeps code and strings, drops comments', () => {
    const stripped = stripComments('a(); // eval(x)\n/* new Function */ b(\'// not a comment\', "/* nor this */");');
    assert.ok(!/eval|Function/.test(stripped));
    assert.ok(stripped.includes("'// not a comment'") && stripped.includes('"/* nor this */"'));
  });

  it('every pattern catches its example (the search itself works)', () => {
    for (const { name, pattern, example } of FORBIDDEN) assert.ok(pattern.test(stripComments(example)), name);
    assert.ok(!/(^|[^\w$.])eval\s*\(/.test('retrieval(x); medieval (y)'), 'eval( does not match words ending in eval');
  });

  for (const { name, pattern } of FORBIDDEN) {
    it(`no ${name}`, () => {
      const hits: string[] = [];
      for (const file of files) {
        const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
        lines.forEach((line, n) => {
          if (pattern.test(line)) hits.push(`${relative(root, file)}:${n + 1}: ${line.trim()}`);
        });
      }
      assert.deepEqual(hits, [], `${name} found:\n${hits.join('\n')}`);
    });
  }
});
