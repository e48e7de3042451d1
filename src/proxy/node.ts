/**
 * Mount a Fetch-API handler (`(Request) => Promise<Response | undefined>`) on
 * Node's `http` server or any connect-style stack (Vite, Express, Koa's
 * `ctx.req`/`ctx.res`). `undefined` from the handler means "not mine": the
 * request goes on to `next()` (or 404 when there is none).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FetchHandler {
  (request: Request): Promise<Response | undefined>;
  /**
   * Optional: whether the handler answers `pathname`. When given, requests for
   * other paths go to `next()` untouched (body unread), whatever their method.
   */
  owns?(pathname: string): boolean;
  /** Optional: the answer for a method a Fetch `Request` cannot carry (`TRACE`, ...) on an owned path. */
  unsupportedMethod?(pathname: string): Response | undefined;
}

/**
 * The request body as a Fetch stream that reads from Node only when pulled: a
 * handler that never reads leaves it for the next middleware, and one that
 * stops reading (a size cap) stops the socket being drained into memory.
 */
function lazyBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        return new Promise<void>((resolve) => {
          const settle = (action: () => void) => {
            req.off('readable', onReadable);
            req.off('end', onEnd);
            req.off('error', onError);
            req.off('close', onClose);
            action();
            resolve();
          };
          const onReadable = () => {
            const chunk = req.read() as Buffer | null;
            if (chunk !== null) settle(() => controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
          };
          const onEnd = () =>
            settle(() => {
              finished = true;
              controller.close();
            });
          const onError = (error: Error) => settle(() => controller.error(error));
          const onClose = () => {
            if (!req.readableEnded) settle(() => controller.error(new Error('the client closed the request before its body ended')));
          };
          if (finished || req.readableEnded) return settle(() => controller.close());
          req.on('readable', onReadable);
          req.on('end', onEnd);
          req.on('error', onError);
          req.on('close', onClose);
          onReadable();
        });
      },
      cancel() {
        req.pause();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Methods the Fetch API refuses in a `Request` (forbidden, or not an HTTP token). */
function isFetchMethod(method: string): boolean {
  try {
    new Request('http://localhost/', { method });
    return true;
  } catch {
    return false;
  }
}

function urlOf(req: IncomingMessage, origin?: string): URL {
  const host = req.headers.host ?? 'localhost';
  try {
    return new URL(req.url ?? '/', origin ?? `http://${host}`);
  } catch {
    return new URL(req.url ?? '/', 'http://localhost');
  }
}

/**
 * Turn Node's request into a Fetch `Request`. The body is streamed, and read
 * from Node only as the handler reads it, so a handler that answers
 * `undefined` ("not mine") leaves it for the next middleware (an Express body parser, say).
 */
export function toFetchRequest(req: IncomingMessage, origin?: string): Request {
  const url = urlOf(req, origin);
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
    ...(hasBody ? { body: lazyBody(req), duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * Write a Fetch `Response` to Node's response. When the request's body was not
 * read to its end (refused as too large, timed out, never needed), the
 * connection is closed after the answer instead of draining whatever the client still sends.
 */
export async function sendFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  // `Response.error()` is a network error: drop the connection rather than write a status-0 response.
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  const req = (res as { req?: IncomingMessage }).req;
  if (req && !req.complete) res.setHeader('Connection', 'close');
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
  res.end(body);
}

/** A connect-style middleware `(req, res, next)` serving a Fetch handler. */
export function toNodeMiddleware(handler: FetchHandler, origin?: string) {
  return async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    const pass = () => {
      if (next) next();
      else {
        res.statusCode = 404;
        res.end();
      }
    };
    try {
      const pathname = urlOf(req, origin).pathname;
      if (handler.owns && !handler.owns(pathname)) return pass();
      if (!isFetchMethod((req.method ?? 'GET').toUpperCase())) {
        const refusal = handler.unsupportedMethod?.(pathname);
        return refusal ? await sendFetchResponse(res, refusal) : pass();
      }
      const response = await handler(toFetchRequest(req, origin));
      if (response) await sendFetchResponse(res, response);
      else pass();
    } catch (error) {
      if (next) next(error);
      else {
        res.statusCode = 500;
        res.end();
      }
    }
  };
}
