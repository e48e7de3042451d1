/**
 * Mount a Fetch-API handler (`(Request) => Promise<Response | undefined>`) on
 * Node's `http` server or any connect-style stack (Vite, Express, Koa's
 * `ctx.req`/`ctx.res`). `undefined` from the handler means "not mine": the
 * request goes on to `next()` (or 404 when there is none).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response | undefined>;

/**
 * Turn Node's request into a Fetch `Request`. The body is streamed, not read
 * up front, so a handler that answers `undefined` ("not mine") leaves it for
 * the next middleware (an Express body parser, say).
 */
export function toFetchRequest(req: IncomingMessage, origin?: string): Request {
  const host = req.headers.host ?? 'localhost';
  const base = origin ?? `http://${host}`;
  const url = new URL(req.url ?? '/', base);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else headers.set(name, value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Write a Fetch `Response` to Node's response. */
export async function sendFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  // `Response.error()` is a network error: drop the connection rather than write a status-0 response.
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
  res.end(body);
}

/** A connect-style middleware `(req, res, next)` serving a Fetch handler. */
export function toNodeMiddleware(handler: FetchHandler, origin?: string) {
  return async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    try {
      const response = await handler(toFetchRequest(req, origin));
      if (response) await sendFetchResponse(res, response);
      else if (next) next();
      else {
        res.statusCode = 404;
        res.end();
      }
    } catch (error) {
      if (next) next(error);
      else {
        res.statusCode = 500;
        res.end();
      }
    }
  };
}
