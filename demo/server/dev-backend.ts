/**
 * The demo's backend, mounted by the Vite dev server and by the test runner:
 * - `/mock-heidi/...`  the mock Heidi API (no account, no network);
 * - `/mock-sully/...`, `/mock-omniscribe/...` mocks of the peer coding engines;
 * - `/ehr/heidi-token` the EHR backend's token route: the reference proxy,
 *   calling Heidi's JWT endpoint with an API key that never reaches the browser;
 * - `/ehr/heidi-api/sessions/...` the proxy's optional same-origin forwarder;
 * - `/ehr/sully/v1/codings...`, `/ehr/omniscribe/v1/codify` the proxy's forwarders to the peer engines
 *   (credentials added server-side), in front of the peer mocks;
 * - `/ehr/demo-config` tells the demo page which API base to use.
 * With `HEIDI_API_KEY` set, the proxy talks to the real Heidi API instead of the mock.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMockHeidi, MOCK_HEIDI_API_KEY } from '../mock-heidi/index.ts';
import { createMockOmniscribe, MOCK_OMNISCRIBE_BASE_PATH, MOCK_OMNISCRIBE_TOKEN } from '../mock-omniscribe/index.ts';
import { createMockSully, MOCK_SULLY_ACCOUNT_ID, MOCK_SULLY_API_KEY, MOCK_SULLY_BASE_PATH } from '../mock-sully/index.ts';
import { createHeidiProxy, DEFAULT_API_BASE } from '../../src/proxy/index.ts';
import { sendFetchResponse, toFetchRequest, toNodeMiddleware } from '../../src/proxy/node.ts';

export const DEMO_USER = 'demo-clinician';

export interface DevBackendOptions {
  /** Defaults to `process.env.HEIDI_API_KEY`; without one, the mock is used. */
  heidiApiKey?: string | undefined;
  heidiApiBase?: string | undefined;
}

interface KoaLikeContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

export function createDevBackend(options: DevBackendOptions = {}) {
  const realKey = options.heidiApiKey ?? process.env.HEIDI_API_KEY;
  const realBase = options.heidiApiBase ?? process.env.HEIDI_API_BASE ?? DEFAULT_API_BASE;
  const mock = createMockHeidi();
  const mockSully = createMockSully();
  const mockOmniscribe = createMockOmniscribe();
  // Upstream calls go to the mocks in-process (no network, not even loopback); only a real Heidi key reaches out.
  const MOCK_ORIGIN = 'http://mock.invalid';
  const upstream = async (request: Request): Promise<Response> => {
    if (!request.url.startsWith(`${MOCK_ORIGIN}/`)) return fetch(request);
    return (
      (await mock.handle(request)) ??
      (await mockSully.handle(request)) ??
      (await mockOmniscribe.handle(request)) ??
      new Response(null, { status: 404 })
    );
  };
  const proxy = createHeidiProxy({
    apiKey: realKey || MOCK_HEIDI_API_KEY,
    apiBase: realKey ? realBase : `${MOCK_ORIGIN}/mock-heidi`,
    tokenPath: '/ehr/heidi-token',
    forwardPrefix: '/ehr/heidi-api',
    // The demo EHR has no login, so the signed-in clinician is simulated: `?as=` picks one (tests use it to
    // keep their mock data apart). A real host resolves the user from its own server-side session.
    resolveUser: (request) => {
      const who = new URL(request.url).searchParams.get('as') || DEMO_USER;
      return { email: `${who}@demo-ehr.example`, third_party_internal_id: who };
    },
    sully: { apiKey: MOCK_SULLY_API_KEY, accountId: MOCK_SULLY_ACCOUNT_ID, apiBase: `${MOCK_ORIGIN}${MOCK_SULLY_BASE_PATH}` },
    omniscribe: { token: MOCK_OMNISCRIBE_TOKEN, apiBase: `${MOCK_ORIGIN}${MOCK_OMNISCRIBE_BASE_PATH}` },
    fetch: upstream,
  });

  async function handle(request: Request): Promise<Response | undefined> {
    const { pathname } = new URL(request.url);
    if (pathname === '/ehr/demo-config') {
      return Response.json(
        { mode: realKey ? 'heidi' : 'mock', apiBase: realKey ? '/ehr/heidi-api' : '/mock-heidi', tokenUrl: '/ehr/heidi-token' },
        { headers: { 'cache-control': 'no-store' } },
      );
    }
    return (
      (await mock.handle(request)) ?? (await mockSully.handle(request)) ?? (await mockOmniscribe.handle(request)) ?? (await proxy(request))
    );
  }

  return {
    mode: realKey ? ('heidi' as const) : ('mock' as const),
    handle,
    /** Connect-style middleware (Vite's `server.middlewares`, Express). */
    connect: toNodeMiddleware(handle),
    /** Koa-style middleware (@web/test-runner). */
    async koa(ctx: KoaLikeContext, next: () => Promise<unknown>): Promise<unknown> {
      const response = await handle(toFetchRequest(ctx.req));
      if (!response) return next();
      ctx.respond = false;
      await sendFetchResponse(ctx.res, response);
      return undefined;
    },
  };
}
