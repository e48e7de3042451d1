/**
 * The benchmark's HTTP server on 127.0.0.1 (port 0): the bench pages, the built
 * element, the harness assets, and the dev backend (mock Heidi + token route).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createDevBackend } from '../../demo/server/dev-backend.ts';
import { ASSETS, ROOT } from './build.ts';

/** The element page: harness first (observers, fetch wrapper), then the built element as a module. */
const ELEMENT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>heidi-clinical-codes bench</title>
<style>body { margin: 0; font-family: system-ui, sans-serif; } #root { max-width: 1200px; margin: 0 auto; padding: 8px; }</style>
<script src="/bench-assets/harness.js"></script>
<script type="module" src="/dist/heidi-clinical-codes.js"></script>
</head>
<body><main id="root"></main></body>
</html>`;

/** The evidence page: only the core bundle. */
const CORE_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>evidence bench</title><script src="/bench-assets/core.js"></script></head>
<body></body>
</html>`;

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

export interface BenchServer {
  origin: string;
  close(): Promise<void>;
  /** Set a mock user's scenario (latency) from Node. */
  scenario(user: string, scenario: { latencyMs?: number; generationMs?: number }): Promise<void>;
  log(user: string): Promise<MockLogEntry[]>;
}

export interface MockLogEntry {
  route: string;
  method: string;
  path: string;
  status: number;
  startedAt: number;
  endedAt: number;
}

export async function startServer(): Promise<BenchServer> {
  const backend = createDevBackend({ heidiApiKey: '' });
  const files = async (res: ServerResponse, path: string) => {
    try {
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? '/', 'http://bench.local');
    if (pathname === '/' || pathname === '/element') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(ELEMENT_PAGE);
    } else if (pathname === '/core') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(CORE_PAGE);
    } else if (pathname.startsWith('/dist/') && !pathname.includes('..')) {
      void files(res, join(ROOT, pathname));
    } else if (pathname.startsWith('/bench-assets/') && !pathname.includes('..')) {
      void files(res, join(ASSETS, pathname.slice('/bench-assets/'.length)));
    } else if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      void backend.connect(req, res, () => {
        res.writeHead(404).end();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    async scenario(user, scenario) {
      const response = await fetch(`${origin}/mock-heidi/__scenario`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, ...scenario }),
      });
      if (!response.ok) throw new Error(`scenario rejected: ${response.status} ${await response.text()}`);
    },
    async log(user) {
      const response = await fetch(`${origin}/mock-heidi/__log?user=${encodeURIComponent(user)}`);
      return (await response.json()) as MockLogEntry[];
    },
  };
}

/** A request with a start and an end on one clock (the page's or the mock's). */
export interface Span {
  label: string;
  start: number;
  end: number;
}

/**
 * Sequential round trips: the depth of the longest chain of requests where
 * each starts after the previous one ended (parallel requests share a level).
 */
export function roundTrips(spans: readonly Span[]): { depth: number; levels: string[][] } {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const depth = new Map<Span, number>();
  for (const span of sorted) {
    let d = 1;
    for (const earlier of sorted) {
      if (earlier === span) break;
      if (earlier.end <= span.start) d = Math.max(d, (depth.get(earlier) ?? 1) + 1);
    }
    depth.set(span, d);
  }
  const max = Math.max(0, ...depth.values());
  const levels: string[][] = Array.from({ length: max }, () => []);
  for (const [span, d] of depth) levels[d - 1]?.push(span.label);
  return { depth: max, levels };
}
