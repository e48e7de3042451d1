/**
 * The package as an integrator gets it: `npm pack`, install the tarball into a
 * fresh project, then use it the way the README says: import the proxy in
 * Node, resolve the element entry, and type-check consumer code against the
 * installed declarations (bundler resolution for a browser app, NodeNext
 * without DOM types for a server).
 *
 * Needs `npm run build` first (runs it when dist/ is missing). Installs with
 * `--offline` from the npm cache, falling back to `--prefer-offline`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');

const BUILT = [
  'dist/heidi-clinical-codes.js',
  'dist/types/index.d.ts',
  'dist/proxy/index.js',
  'dist/proxy/index.d.ts',
  'custom-elements.json',
];

interface PackFile {
  path: string;
  size: number;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackFile[];
}

let work = '';
let consumer = '';
let packed: PackResult;

async function sh(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await run(command, args, {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  return stdout;
}

before(async () => {
  if (BUILT.some((file) => !existsSync(path.join(root, file)))) {
    await sh(npm, ['run', 'build'], root);
  }
  work = await mkdtemp(path.join(tmpdir(), 'heidi-pack-'));
  const out = await sh(npm, ['pack', '--json', '--pack-destination', work], root);
  const result = (JSON.parse(out) as PackResult[])[0];
  assert.ok(result, 'npm pack printed no result');
  packed = result;

  consumer = path.join(work, 'consumer');
  await mkdir(consumer);
  await writeFile(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'ehr-consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  const tarball = path.join(work, packed.filename);
  const install = ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball];
  try {
    await sh(npm, [...install, '--offline'], consumer);
  } catch {
    // A cache filled by `npm ci` holds the tarballs but not always the registry metadata.
    await sh(npm, [...install, '--prefer-offline'], consumer);
  }
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball holds the built package and nothing else', (t) => {
  const paths = packed.files.map((f) => f.path).sort();
  t.diagnostic(
    `tarball ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${paths.length} files`,
  );
  for (const required of [
    'package.json',
    'README.md',
    'custom-elements.json',
    'dist/heidi-clinical-codes.js',
    'dist/types/index.d.ts',
    'dist/types/events.d.ts',
    'dist/types/heidi-clinical-codes.d.ts',
    'dist/proxy/index.js',
    'dist/proxy/index.d.ts',
    'dist/proxy/node.js',
    'dist/proxy/node.d.ts',
  ]) {
    assert.ok(paths.includes(required), `${required} is missing from the tarball`);
  }
  const stray = paths.filter((p) => !['package.json', 'README.md', 'custom-elements.json'].includes(p) && !p.startsWith('dist/'));
  assert.deepEqual(stray, [], 'only dist/, the manifest, README and package.json are shipped');
  const sources = paths.filter((p) => /\.(ts|tsx)$/.test(p) && !p.endsWith('.d.ts'));
  assert.deepEqual(sources, [], 'no TypeScript sources are shipped');
  // Most of it is the bundle's source map (every source inlined): 400 KiB until the three engines and the
  // windowed list landed together (issues 13 and 16), which took it to about 415 KiB; the fourth session's
  // review fixes (session reuse, link retry, the hand-off rules) to about 449 KiB; the fifth session's (the
  // reviews' fixes, slices at load) to about 465 KiB; the sixth's (card identity across engines, the third review's
  // fixes: focus, engine Retry, localised notices) to about 490 KiB (main alone was at 486 KiB); the seventh's review
  // (rv5b: withdrawals, warning kinds, the Send count) past 500 KiB. The bound catches
  // something shipped by mistake (a stray folder, an unminified copy), which costs far more than a session's fixes.
  assert.ok(packed.size < 512 * 1024, `tarball is ${packed.size} bytes`);
});

test('the proxy imports in Node and hands out a token', async (t) => {
  const script = `
    const { createHeidiProxy, toNodeMiddleware, toFetchRequest, sendFetchResponse } = await import('heidi-clinical-codes/proxy');
    const calls = [];
    const heidi = createHeidiProxy({
      apiKey: 'server-side-key',
      apiBase: 'https://heidi.test/api',
      resolveUser: () => ({ email: 'dr@ehr.test', third_party_internal_id: 'u-1' }),
      fetch: async (request) => {
        calls.push({ url: request.url, key: request.headers.get('Heidi-Api-Key') });
        return Response.json({ token: 'jwt-abc', expiration_time: new Date(Date.now() + 3600e3).toISOString() });
      },
    });
    const response = await heidi(new Request('http://ehr.test/heidi-token'));
    const other = await heidi(new Request('http://ehr.test/elsewhere'));
    console.log(JSON.stringify({
      status: response.status,
      cacheControl: response.headers.get('cache-control'),
      body: await response.json(),
      other: other === undefined,
      calls,
      helpers: [typeof toNodeMiddleware, typeof toFetchRequest, typeof sendFetchResponse],
      proxyUrl: import.meta.resolve('heidi-clinical-codes/proxy'),
    }));
  `;
  const out = JSON.parse(await sh(process.execPath, ['--input-type=module', '-e', script], consumer)) as {
    status: number;
    cacheControl: string;
    body: { token: string; expiration_time: string };
    other: boolean;
    calls: { url: string; key: string }[];
    helpers: string[];
    proxyUrl: string;
  };
  assert.equal(out.status, 200);
  assert.equal(out.body.token, 'jwt-abc');
  assert.equal(typeof out.body.expiration_time, 'string');
  assert.equal(out.cacheControl, 'no-store');
  assert.equal(out.other, true, 'other paths are left to the host');
  assert.equal(out.calls.length, 1);
  assert.match(out.calls[0]?.url ?? '', /^https:\/\/heidi\.test\/api\/jwt\?/);
  assert.equal(out.calls[0]?.key, 'server-side-key');
  assert.deepEqual(out.helpers, ['function', 'function', 'function']);
  assert.match(out.proxyUrl, /\/node_modules\/heidi-clinical-codes\/dist\/proxy\/index\.js$/);

  const proxyJs = await readFile(fileURLToPath(out.proxyUrl), 'utf8');
  // Statements only (the JSDoc examples mention other modules).
  const imports = (source: string) => [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  // The proxy is its own small module graph: siblings only, no packages, no Node built-ins
  // (node.ts uses node:http types only), so it runs on edge runtimes as well.
  const seen = new Map<string, string[]>([['index.js', imports(proxyJs) as string[]]]);
  const queue = [...seen.get('index.js')!];
  assert.ok(queue.includes('./node.js'), 'the Node adapter is re-exported');
  while (queue.length > 0) {
    const spec = queue.shift()!;
    assert.match(spec, /^\.\/[a-z-]+\.js$/, `the proxy imports only its siblings (${spec})`);
    const name = spec.slice(2);
    if (seen.has(name)) continue;
    const source = await readFile(fileURLToPath(new URL(spec, out.proxyUrl)), 'utf8');
    const specs = imports(source) as string[];
    seen.set(name, specs);
    queue.push(...specs);
  }
  t.diagnostic(`proxy modules: ${[...seen.keys()].sort().join(', ')}`);
});

test('the element entry resolves to the self-contained bundle', async () => {
  const script = `console.log(JSON.stringify({
    main: import.meta.resolve('heidi-clinical-codes'),
    manifest: import.meta.resolve('heidi-clinical-codes/custom-elements.json'),
    pkg: import.meta.resolve('heidi-clinical-codes/package.json'),
  }))`;
  const out = JSON.parse(await sh(process.execPath, ['--input-type=module', '-e', script], consumer)) as Record<
    'main' | 'manifest' | 'pkg',
    string
  >;
  assert.match(out.main, /\/node_modules\/heidi-clinical-codes\/dist\/heidi-clinical-codes\.js$/);
  assert.match(out.manifest, /\/node_modules\/heidi-clinical-codes\/custom-elements\.json$/);

  const pkg = JSON.parse(await readFile(fileURLToPath(out.pkg), 'utf8')) as Record<string, unknown>;
  assert.equal(pkg.customElements, 'custom-elements.json');
  const manifest = JSON.parse(await readFile(fileURLToPath(out.manifest), 'utf8')) as { modules: { path: string }[] };
  assert.deepEqual(
    manifest.modules.map((m) => m.path),
    ['dist/heidi-clinical-codes.js'],
    'the manifest describes the shipped module',
  );

  const bundle = await readFile(fileURLToPath(out.main), 'utf8');
  assert.match(bundle, /customElements\.define/);
  assert.match(bundle, /customElements\.get/, 'registration is guarded');
  for (const tag of ['heidi-clinical-codes', 'heidi-code-card', 'heidi-source-view']) assert.ok(bundle.includes(tag), tag);
  const staticImports = bundle.match(/\bimport\s*(?:[\w$*{][^;]*?\bfrom\s*)?["'`][^"'`]+["'`]/g) ?? [];
  assert.deepEqual(staticImports, [], 'no static imports');
  const reExports = bundle.match(/\bexport\s*(?:\*|\{[^}]*\})\s*from\s*["'`]/g) ?? [];
  assert.deepEqual(reExports, [], 'no re-exports from other modules');
  assert.doesNotMatch(bundle, /\bimport\s*\(/, 'no dynamic imports');
  assert.doesNotMatch(bundle, /\brequire\s*\(/, 'no require');
  assert.doesNotMatch(bundle, /from\s*["'](lit|lit\/[^"']*|zod|zod\/[^"']*|ky)["']/);
});

test('consumer TypeScript type-checks against the installed declarations', async () => {
  const typeRoots = [path.join(root, 'node_modules', '@types')];
  // A browser app (Vite/webpack style): the element, its events, and the proxy types.
  await writeFile(
    path.join(consumer, 'app.ts'),
    `import { HeidiClinicalCodes, HeidiCodesCommitEvent, HeidiCodeReviewEvent, type CommittedCode } from 'heidi-clinical-codes';
import { createHeidiProxy, type HeidiProxyOptions } from 'heidi-clinical-codes/proxy';

const el: HeidiClinicalCodes = document.createElement('heidi-clinical-codes');
el.tokenProvider = async () => ({ token: 't', expiration_time: '2030-01-01T00:00:00Z' });
el.patient = { name: 'Ada', gender: 'female', dob: '1970-01-01' };
el.clinicianNotes = ['hypertension follow-up'];
el.sessionId = 'abc';
el.readonly = true;
const done: Promise<boolean> = el.commit();
const again: Promise<void> = el.refresh();
void done;
void again;

el.addEventListener('heidi-codes-commit', (event) => {
  const e: HeidiCodesCommitEvent = event;
  const first: CommittedCode | undefined = e.detail.codes[0];
  const start: number | undefined = first?.evidence.transcript[0]?.start;
  const system: string | undefined = first?.system;
  void start;
  void system;
  e.detail.waitUntil(Promise.resolve());
});
el.addEventListener('heidi-code-review', (event: HeidiCodeReviewEvent) => {
  const status: 'ACCEPTED' | 'REJECTED' | 'PENDING' = event.detail.status;
  void status;
  void event.detail.previousCode?.code;
});
el.addEventListener('heidi-error', (event) => {
  const retry: boolean = event.detail.retryable;
  void retry;
});
// The declarations are real types, not \`any\`:
// @ts-expect-error readonly is a boolean
el.readonly = 'yes';
// @ts-expect-error unknown detail field
void new HeidiCodesCommitEvent({ sessionId: 's', codes: [], waitUntil() {} }).detail.nope;

const options: HeidiProxyOptions = { apiKey: 'k', resolveUser: () => null };
export const proxy: (request: Request) => Promise<Response | undefined> = createHeidiProxy(options);
`,
  );
  await writeFile(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots,
      },
      files: ['app.ts'],
    }),
  );
  // A Node server (NodeNext, no DOM lib): the proxy alone.
  await writeFile(
    path.join(consumer, 'server.ts'),
    `import http from 'node:http';
import { createHeidiProxy, toNodeMiddleware, type HeidiUser } from 'heidi-clinical-codes/proxy';

const heidi = createHeidiProxy({
  apiKey: process.env.HEIDI_API_KEY ?? '',
  resolveUser: (): HeidiUser | null => ({ email: 'dr@ehr.test', third_party_internal_id: '1' }),
  forwardPrefix: '/heidi-api',
});
export const server = http.createServer(toNodeMiddleware(heidi));
`,
  );
  await writeFile(
    path.join(consumer, 'tsconfig.server.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots,
      },
      files: ['server.ts'],
    }),
  );
  for (const project of ['tsconfig.json', 'tsconfig.server.json']) {
    try {
      await sh(tsc, ['-p', project], consumer);
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      assert.fail(`tsc -p ${project} failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  }
});
