/** MoveGuard: a removal is torn down at the end of the script unless the element was inserted again (a move). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoveGuard } from '../../src/controllers/move-guard.ts';

test('removed and inserted again in one script: a move, no teardown, onMoved once', async () => {
  const log: string[] = [];
  const guard = new MoveGuard(() => log.push('moved'));
  assert.equal(guard.arrived(), false, 'a first connect is not a move');
  guard.left(() => log.push('teardown'));
  assert.equal(guard.arrived(), true);
  await Promise.resolve();
  assert.deepEqual(log, ['moved']);
});

test('removed past the end of the script: torn down once, and the next connect is a fresh one', async () => {
  const log: string[] = [];
  const guard = new MoveGuard(() => log.push('moved'));
  guard.left(() => log.push('teardown'));
  await Promise.resolve();
  assert.deepEqual(log, ['teardown']);
  assert.equal(guard.arrived(), false);
  guard.left(() => log.push('teardown'));
  guard.arrived();
  guard.left(() => log.push('teardown'));
  await Promise.resolve();
  assert.deepEqual(log, ['teardown', 'moved', 'teardown'], 'a move, then a removal: each teardown runs once');
});
