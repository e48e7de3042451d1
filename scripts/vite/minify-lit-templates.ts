/**
 * Build plugin: shrink the static text of Lit's `html` / `svg` and `css` tagged templates in our own
 * modules (src/), with a correct sourcemap. Lit keeps that text verbatim, so the source indentation
 * ships in the bundle unless a build step removes it.
 *
 * Deliberately conservative, so the rendered page cannot change:
 * - html/svg: a whitespace run that contains a line break becomes one "\n" (HTML renders it as the
 *   same single space, so inline spacing between elements is kept); whitespace on one line is left
 *   alone; complete `<!-- -->` comments are dropped; nothing is touched inside <pre>, <textarea>,
 *   <script> or <style>. Text inside an element styled `white-space: pre*` loses only the line's
 *   indentation after a line break, which is source formatting, not content.
 * - css: comments go; whitespace collapses to one space, and goes entirely around `{ } ; ,` and
 *   after `:`; the last `;` of a block goes; quoted strings (e.g. `content: '✓ '`) are copied verbatim.
 * Each quasi (the text between `${}` holes) is processed on its own, so text is never joined across
 * an expression.
 */
import MagicString from 'magic-string';
import { parseSync, Visitor, type Plugin } from 'vite';

const HTML_TAGS = new Set(['html', 'svg']);
const CSS_TAGS = new Set(['css']);
/** Elements whose text content is whitespace-sensitive by default. */
const VERBATIM = /<(\/?)(pre|textarea|script|style)\b/gi;

export interface MinifyStats {
  templates: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** Minify the raw text of one html`` quasi; `verbatimDepth` carries <pre>-like nesting across quasis. */
export function minifyHtmlQuasi(raw: string, state: { verbatimDepth: number }): string {
  // Split at verbatim-element tags, so whitespace inside <pre> etc. is kept exactly.
  let out = '';
  let last = 0;
  for (const match of raw.matchAll(VERBATIM)) {
    const index = match.index;
    const segment = raw.slice(last, index);
    out += state.verbatimDepth > 0 ? segment : collapseHtml(segment);
    state.verbatimDepth = Math.max(0, state.verbatimDepth + (match[1] ? -1 : 1));
    out += match[0];
    last = index + match[0].length;
  }
  const rest = raw.slice(last);
  return out + (state.verbatimDepth > 0 ? rest : collapseHtml(rest));
}

function collapseHtml(text: string): string {
  return (
    text
      .replace(/<!--(?!\?)[\s\S]*?-->/g, '')
      // A run with a line break: keep one "\n", unless it follows a backslash (a line continuation).
      .replace(/(\\?)([ \t]*(?:\r\n|\r|\n)\s*)/g, (_all, backslash: string, ws: string) => (backslash ? backslash + ws : '\n'))
  );
}

/** Minify the raw text of one css`` quasi; the first/last quasi of a template may also be trimmed. */
export function minifyCssQuasi(raw: string, trimStart: boolean, trimEnd: boolean): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i] as string;
    if (ch === '"' || ch === "'") {
      // A CSS string: copy through the closing quote (escapes included).
      let j = i + 1;
      while (j < raw.length && raw[j] !== ch) j += raw[j] === '\\' ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && raw[i + 1] === '*') {
      const end = raw.indexOf('*/', i + 2);
      if (end < 0) {
        out += raw.slice(i);
        break;
      }
      // A comment separates tokens: leave a space, which the rules below drop where it is not needed.
      out += ' ';
      i = end + 2;
    } else if (/\s/.test(ch)) {
      let j = i;
      while (j < raw.length && /\s/.test(raw[j] as string)) j++;
      out += ' ';
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  out = joinPunctuation(out);
  if (trimStart) out = out.replace(/^ /, '');
  if (trimEnd) out = out.replace(/ $/, '');
  return out;
}

/** Drop spaces around `{ } ; ,`, after `:`, and `;` before `}`, outside quoted strings. */
function joinPunctuation(css: string): string {
  const parts = css.split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/);
  return parts
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/ *([{};,]) */g, '$1')
            .replace(/: +/g, ':')
            .replace(/;+}/g, '}'),
    )
    .join('');
}

/** The Vite plugin. `filter` decides which module ids are ours (default: under /src/, not node_modules). */
export function minifyLitTemplates(options: { filter?: (id: string) => boolean; stats?: MinifyStats } = {}): Plugin {
  const filter = options.filter ?? ((id: string) => /\/src\/.*\.[cm]?[jt]s$/.test(id) && !id.includes('/node_modules/'));
  return {
    name: 'heidi-minify-lit-templates',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!filter(id) || !/\b(?:html|svg|css)`/.test(code)) return null;
      const { program, errors } = parseSync(id, code);
      if (errors.length) return null; // let the real transform report the syntax error
      const s = new MagicString(code);
      let changed = false;
      new Visitor({
        TaggedTemplateExpression(node) {
          if (node.tag.type !== 'Identifier') return;
          const isHtml = HTML_TAGS.has(node.tag.name);
          if (!isHtml && !CSS_TAGS.has(node.tag.name)) return;
          const quasis = node.quasi.quasis;
          const state = { verbatimDepth: 0 };
          quasis.forEach((quasi, index) => {
            const raw = quasi.value.raw;
            // The quasi's text sits between its span's delimiters (` or } before, ${ or ` after).
            const start = code.indexOf(raw, quasi.start);
            if (start < 0 || start + raw.length > quasi.end + 1) return;
            const next = isHtml ? minifyHtmlQuasi(raw, state) : minifyCssQuasi(raw, index === 0, index === quasis.length - 1);
            if (options.stats) {
              options.stats.bytesBefore += raw.length;
              options.stats.bytesAfter += next.length;
            }
            if (next !== raw) {
              if (next.length === 0) s.remove(start, start + raw.length);
              else s.overwrite(start, start + raw.length, next);
              changed = true;
            }
          });
          if (options.stats) options.stats.templates += 1;
        },
      }).visit(program);
      if (!changed) return null;
      return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: id, includeContent: true }) };
    },
  };
}
