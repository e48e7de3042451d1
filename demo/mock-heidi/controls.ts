/**
 * The mock's own control routes (`__` prefix, not part of Heidi's API): set a
 * user's scenario, reset a user, read or clear a user's request log. They need
 * no credentials: the mock only ever runs on a developer's machine or in tests.
 */
import { json, methodNotAllowed, notFound, validationError, type ValidationIssue } from './responses.ts';
import { parseScenario } from './scenario.ts';
import type { MockStore } from './store.ts';
import type { Scenario } from './types.ts';
import { readJsonObject } from './validation.ts';

const missingUser = (where: 'query' | 'body'): ValidationIssue => ({
  loc: [where, 'user'],
  msg: 'Field required',
  type: 'missing',
  input: null,
});

export async function handleControl(request: Request, url: URL, path: string, store: MockStore): Promise<Response> {
  const method = request.method;
  const queryUser = url.searchParams.get('user') || undefined;

  switch (path) {
    case '/__scenario': {
      if (method === 'GET') {
        if (!queryUser) return validationError([missingUser('query')]);
        const scenario: Scenario = store.peek(queryUser)?.scenario ?? { user: queryUser, failures: [] };
        return json(200, scenario);
      }
      if (method === 'POST') {
        const body = await readJsonObject(request);
        if (!body.ok) return validationError(body.issues);
        const parsed = parseScenario(body.value);
        if (!parsed.ok) return validationError(parsed.issues);
        // Replaces the whole scenario: leftovers from an earlier test never leak into the next.
        store.user(parsed.value.user).scenario = parsed.value;
        return json(200, parsed.value);
      }
      return methodNotAllowed(['GET', 'POST']);
    }
    case '/__reset': {
      if (method !== 'POST') return methodNotAllowed(['POST']);
      const body = await readJsonObject(request);
      if (!body.ok) return validationError(body.issues);
      const user = body.value.user;
      if (typeof user !== 'string' || user === '') return validationError([missingUser('body')]);
      store.drop(user);
      return json(200, { reset: user });
    }
    case '/__log': {
      if (method !== 'GET' && method !== 'DELETE') return methodNotAllowed(['GET', 'DELETE']);
      if (!queryUser) return validationError([missingUser('query')]);
      const state = store.peek(queryUser);
      if (method === 'GET') return json(200, state?.log ?? []);
      if (state) state.log = [];
      return new Response(null, { status: 204 });
    }
    default:
      return notFound();
  }
}
