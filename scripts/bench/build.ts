/**
 * Everything the benchmark builds: the element's dist (when missing or stale),
 * the dependency-floor bundle, the in-page harness and the evidence core, and
 * the bundle-size figures (gzip level 9, per-source breakdown from the sourcemap).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const OUT = join(ROOT, '.bench');
export const ASSETS = join(OUT, 'assets');
export const DIST_FILE = join(ROOT, 'dist', 'heidi-clinical-codes.js');

export function gzip9(data: Uint8Array | string): number {
  return gzipSync(data, { level: 9 }).length;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build dist with `npm run build` when it is missing or older than anything in src/. */
export function ensureDist(force = false): { built: boolean } {
  const stale = !existsSync(DIST_FILE) || statSync(DIST_FILE).mtimeMs < newestMtime(join(ROOT, 'src'));
  if (!stale && !force) return { built: false };
  console.log(`bench: ${existsSync(DIST_FILE) ? 'dist is older than src' : 'no dist'}: npm run build`);
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !existsSync(DIST_FILE)) throw new Error('npm run build failed');
  return { built: true };
}

/** Bundle the in-page harness and the evidence core with esbuild. */
export async function buildPageAssets(): Promise<void> {
  const esbuild = await import('esbuild');
  mkdirSync(ASSETS, { recursive: true });
  await esbuild.build({
    entryPoints: {
      harness: join(ROOT, 'scripts/bench/page/harness.ts'),
      core: join(ROOT, 'scripts/bench/page/core-entry.ts'),
    },
    outdir: ASSETS,
    bundle: true,
    format: 'iife',
    target: 'es2022',
    // Minified like the element's own build, so the evidence figure times production code.
    minify: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

const FLOOR_ENTRY = `// The dependency floor: what lit, ky and zod/mini cost when used minimally.
import { LitElement, html, css } from 'lit';
import ky from 'ky';
import * as z from 'zod/mini';

const Token = z.object({ token: z.string(), expiration_time: z.number() });

export class FloorElement extends LitElement {
  static properties = { url: {} };
  static styles = css\`:host { display: block; }\`;
  async load() {
    return Token.parse(await ky.get(this.url).json());
  }
  render() {
    return html\`<p>\${this.url}</p>\`;
  }
}
customElements.define('floor-element', FloorElement);
`;

export interface FloorResult {
  bytes: number;
  gzip: number;
}

/** Vite 8 library mode with `build.rolldownOptions.output.minify: true`, as the element is built. */
export async function buildFloor(): Promise<FloorResult> {
  const dir = join(OUT, 'floor');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'entry.js'), FLOOR_ENTRY);
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    build: {
      target: 'es2022',
      outDir: join(dir, 'dist'),
      emptyOutDir: true,
      sourcemap: false,
      lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: () => 'floor.js' },
      rolldownOptions: { output: { minify: true } },
    },
  });
  const code = readFileSync(join(dir, 'dist', 'floor.js'));
  return { bytes: code.length, gzip: gzip9(code) };
}

// ------------------------------------------------------------------ sourcemap breakdown

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = B64.get(char);
    if (digit === undefined) throw new Error(`bad VLQ ${segment}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

interface Segment {
  column: number;
  source: number | undefined;
  line: number;
  sourceColumn: number;
  name: number | undefined;
}

interface DecodedMap {
  sources: string[];
  names: string[];
  /** Per generated line, segments sorted by column. */
  lines: Segment[][];
}

function decodeMap(mapPath: string): DecodedMap {
  const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[]; names?: string[]; mappings: string };
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  let name = 0;
  const lines = map.mappings.split(';').map((lineMappings) => {
    let column = 0;
    const segments: Segment[] = [];
    for (const raw of lineMappings.split(',')) {
      if (!raw) continue;
      const f = decodeVlq(raw);
      column += f[0] ?? 0;
      if (f.length >= 4) {
        source += f[1] ?? 0;
        line += f[2] ?? 0;
        sourceColumn += f[3] ?? 0;
        if (f.length >= 5) name += f[4] ?? 0;
        segments.push({ column, source, line, sourceColumn, name: f.length >= 5 ? name : undefined });
      } else segments.push({ column, source: undefined, line: 0, sourceColumn: 0, name: undefined });
    }
    return segments;
  });
  return { sources: map.sources.map(normalizeSource), names: map.names ?? [], lines };
}

export interface OriginalPosition {
  source: string;
  /** 1-based. */
  line: number;
  name: string | undefined;
}

/** Map a 0-based position in dist/heidi-clinical-codes.js to its source (for CPU profiles). */
export function distSourceLookup(): (line: number, column: number) => OriginalPosition | undefined {
  const mapPath = `${DIST_FILE}.map`;
  if (!existsSync(mapPath)) return () => undefined;
  const map = decodeMap(mapPath);
  return (line, column) => {
    const segments = map.lines[line];
    if (!segments?.length) return undefined;
    let lo = 0;
    let hi = segments.length - 1;
    if ((segments[0] as Segment).column > column) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segments[mid] as Segment).column <= column) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo] as Segment;
    if (s.source === undefined) return undefined;
    return { source: map.sources[s.source] ?? '?', line: s.line + 1, name: s.name !== undefined ? map.names[s.name] : undefined };
  };
}

export interface SourceShare {
  source: string;
  /** Minified bytes of dist attributed to this source by the sourcemap. */
  bytes: number;
  /** Those bytes gzipped on their own (an indication: gzip is not additive). */
  gzipAlone: number;
}

/** Which source files the minified bytes of dist come from. */
export function sourceBreakdown(): SourceShare[] {
  const mapPath = `${DIST_FILE}.map`;
  if (!existsSync(mapPath)) return [];
  const code = readFileSync(DIST_FILE, 'utf8').split('\n');
  const map = decodeMap(mapPath);
  const chunks = new Map<string, string[]>();
  const add = (source: string, text: string) => {
    if (!text) return;
    const list = chunks.get(source) ?? [];
    list.push(text);
    chunks.set(source, list);
  };
  code.forEach((line, lineNo) => {
    const segments = map.lines[lineNo] ?? [];
    add('(unmapped)', line.slice(0, segments[0]?.column ?? line.length));
    segments.forEach((segment, i) => {
      const text = line.slice(segment.column, segments[i + 1]?.column ?? line.length);
      add(segment.source === undefined ? '(unmapped)' : (map.sources[segment.source] ?? '?'), text);
    });
  });
  return [...chunks]
    .map(([source, parts]) => {
      const text = parts.join('');
      return { source, bytes: Buffer.byteLength(text), gzipAlone: gzip9(text) };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

function normalizeSource(source: string): string {
  const abs = source.startsWith('/') ? source : join(ROOT, 'dist', source);
  const rel = relative(ROOT, abs);
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  return nm ? `node_modules/${nm[1]}` : rel;
}
