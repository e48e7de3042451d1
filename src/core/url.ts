/**
 * Ids that go into request URLs. An id is one path segment, never a path: `..` or `.` would be resolved away
 * by URL parsing (`{api-base}/sessions/..` is `{api-base}/`), sending the bearer token to a route nobody
 * meant to call, and an empty id names the collection instead of an item. Every engine's client builds its
 * paths with `idSegment`.
 */
import { HeidiError } from './errors.ts';
import { pathSegment } from './text.ts';

export const NOT_USABLE = 'is not a usable id (it is empty, only spaces, "." or "..").';

/** Can `id` stand for one item in a URL path? Not empty, not only spaces, not a dot segment. */
export function isUsableId(id: string): boolean {
  const trimmed = id.trim();
  return trimmed !== '' && trimmed !== '.' && trimmed !== '..';
}

/**
 * `id` as one encoded URL path segment (`/`, `?`, `#`, `%` encoded), or a `config` HeidiError for an id that
 * cannot name one item (empty, spaces, `.`, `..`). `what` names it in the message, e.g. `session id`.
 * The message does not repeat the id: it may be anything the host or an API sent.
 */
export function idSegment(id: string, what: string): string {
  if (typeof id !== 'string' || !isUsableId(id)) {
    throw new HeidiError('config', `The ${what} ${NOT_USABLE}`);
  }
  return pathSegment(id);
}
