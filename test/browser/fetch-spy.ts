/** Records every fetch the page makes (URL, method, signal), so tests can assert aborts and overlap. */
export interface SpiedFetch {
  readonly url: string;
  readonly method: string;
  readonly signal: AbortSignal | undefined;
  readonly headers: Headers;
  settled: boolean;
}

export function spyOnFetch(respond?: (request: Request) => Response | Promise<Response> | undefined) {
  const original = window.fetch;
  const calls: SpiedFetch[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const entry: SpiedFetch = {
      url: request.url,
      method: request.method,
      signal: request.signal,
      headers: request.headers,
      settled: false,
    };
    calls.push(entry);
    try {
      const canned = respond?.(request);
      if (canned) return await canned;
      return await original(input, init);
    } finally {
      entry.settled = true;
    }
  };
  return {
    calls,
    restore: () => {
      window.fetch = original;
    },
  };
}
