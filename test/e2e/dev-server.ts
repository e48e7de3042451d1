/**
 * Start the Vite dev server (the demo page, the mock Heidi API and the EHR
 * token route) on a free port, for scripts that drive a browser against it:
 * the e2e walk, the screenshot, a benchmark. `stop()` kills Vite's whole
 * process group; a process `exit` hook does the same if a caller forgets or
 * crashes, so no server outlives its script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export interface DevServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly port: number;
  /** Kill Vite (and anything it spawned). Safe to call more than once. */
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Project root (default: this repository). */
  cwd?: string;
  /** Fixed port; default a free one. */
  port?: number;
  /** Give up waiting for the server after this long (default 30 s). */
  timeoutMs?: number;
  /** Extra environment, e.g. `{ HEIDI_API_KEY: '' }`. */
  env?: NodeJS.ProcessEnv;
  /** Echo Vite's output (default: only on failure to start). */
  verbose?: boolean;
}

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const HOST = '127.0.0.1';

/** A port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cwd = options.cwd ?? ROOT;
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const vite = resolve(cwd, 'node_modules/.bin/vite');
  const child = spawn(vite, ['--port', String(port), '--strictPort', '--host', HOST], {
    cwd,
    env: { ...process.env, ...options.env },
    // Its own process group, so stop() reaches anything Vite starts (esbuild, rolldown workers).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    if (options.verbose) process.stderr.write(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return exited;
    stopped = true;
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://${HOST}:${port}/`;
  try {
    await waitUntilUp(`${url}ehr/demo-config`, child, timeoutMs);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Vite did not start on port ${port}: ${reason}\n--- vite output ---\n${output}`, { cause: error });
  }
  return { url, port, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function waitUntilUp(probe: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vite exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(probe, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        await response.arrayBuffer();
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${probe} within ${timeoutMs} ms`);
}
