/**
 * Two tabs, one review: ReviewSync over Node's real BroadcastChannel, and over
 * the storage-event fallback with a fake localStorage shared by fake tabs.
 * Run: node --import tsx --test test/node/review-sync.test.ts
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  ReviewSync,
  laterDecision,
  syncChannelName,
  type ReviewSyncOptions,
  type SyncChannel,
  type SyncMessage,
} from '../../src/core/review-sync.ts';

const open: ReviewSync[] = [];
afterEach(() => {
  for (const sync of open.splice(0)) sync.close();
});

interface Tab {
  readonly sync: ReviewSync;
  /** Every decision this tab applied from another tab, in order. */
  readonly applied: SyncMessage[];
  readonly lost: { remote: SyncMessage; local: SyncMessage }[];
  /** Resolves when this tab has applied a decision on `entityId`. */
  next(entityId: string): Promise<SyncMessage>;
}

function tab(sessionId: string, tabId: string, options: Partial<ReviewSyncOptions> = {}): Tab {
  const applied: SyncMessage[] = [];
  const lost: Tab['lost'] = [];
  const waiting = new Map<string, (m: SyncMessage) => void>();
  const sync = new ReviewSync({
    sessionId,
    tabId,
    onRemote: (m) => {
      applied.push(m);
      waiting.get(m.entityId)?.(m);
    },
    onLost: (remote, local) => lost.push({ remote, local }),
    ...options,
  });
  open.push(sync);
  return {
    sync,
    applied,
    lost,
    next: (entityId) => new Promise((resolve) => waiting.set(entityId, resolve)),
  };
}

const T1 = '2026-06-01T10:00:00.000Z';
const T2 = '2026-06-01T10:00:00.400Z';

describe('ReviewSync over BroadcastChannel', () => {
  it('a decision made in one tab is applied in the other', async () => {
    const a = tab('sess', 'tab-a');
    const b = tab('sess', 'tab-b');
    const arrived = b.next('e1');
    a.sync.publish('e1', { status: 'ACCEPTED', swappedTo: { codeSystem: 'icd_10_cm', code: 'M17.0' } }, T1);
    const m = await arrived;
    assert.deepEqual(m, {
      sessionId: 'sess',
      entityId: 'e1',
      decision: { status: 'ACCEPTED', swappedTo: { codeSystem: 'icd_10_cm', code: 'M17.0' } },
      at: T1,
      tabId: 'tab-a',
    });
    assert.deepEqual(a.applied, [], 'a tab does not apply its own message');
    assert.deepEqual(b.lost, []);
  });

  it('two different decisions on one code: both tabs end on the later one, and the tab that lost is told', async () => {
    const a = tab('sess', 'tab-a');
    const b = tab('sess', 'tab-b');
    const bHears = b.next('e1');
    const aHeardAll = a.next('marker'); // B's messages arrive in order: once the marker is in, B's e1 was seen
    a.sync.publish('e1', { status: 'ACCEPTED' }, T2); // later
    b.sync.publish('e1', { status: 'REJECTED' }, T1); // earlier, sent before B heard of A's
    b.sync.publish('marker', { status: 'PENDING' }, T1);
    const winner = await bHears;
    await aHeardAll;
    assert.equal(winner.decision.status, 'ACCEPTED');
    assert.deepEqual(
      b.lost.map((l) => [l.remote.decision.status, l.local.decision.status]),
      [['ACCEPTED', 'REJECTED']],
    );
    assert.deepEqual(
      a.applied.map((m) => m.entityId),
      ['marker'],
      "A keeps its later decision: B's earlier one is not applied",
    );
    assert.deepEqual(a.lost, []);
  });

  it("a decision too late to win still reaches onStale, with its audit entry, so every tab's trail has it", async () => {
    const stale: SyncMessage[] = [];
    const a = tab('sess', 'tab-a', { onStale: (m) => stale.push(m) });
    const b = tab('sess', 'tab-b');
    const aHeardAll = a.next('marker');
    a.sync.publish('e1', { status: 'ACCEPTED' }, T2);
    const entry = { at: T1, entityId: 'e1', statusBefore: 'PENDING', statusAfter: 'REJECTED', engines: ['heidi'] } as const;
    b.sync.publish('e1', { status: 'REJECTED' }, T1, entry);
    b.sync.publish('marker', { status: 'PENDING' }, T1);
    await aHeardAll;
    assert.deepEqual(
      stale.map((m) => [m.entityId, m.entry]),
      [['e1', entry]],
    );
    assert.deepEqual(
      a.applied.map((m) => m.entityId),
      ['marker'],
    );
  });

  it('at the same instant the greater tab id wins, on both sides', async () => {
    const a = tab('sess', 'tab-a');
    const b = tab('sess', 'tab-b');
    const aHears = a.next('e1');
    const bHeard = b.next('marker');
    a.sync.publish('e1', { status: 'REJECTED' }, T1);
    b.sync.publish('e1', { status: 'ACCEPTED' }, T1);
    a.sync.publish('marker', { status: 'PENDING' }, T1);
    assert.equal((await aHears).decision.status, 'ACCEPTED');
    await bHeard;
    assert.deepEqual(
      b.applied.map((m) => m.entityId),
      ['marker'],
    );
    assert.deepEqual(a.lost.length, 1);
    assert.ok(laterDecision({ at: T1, tabId: 'tab-b' }, { at: T1, tabId: 'tab-a' }));
    assert.ok(!laterDecision({ at: T1, tabId: 'tab-a' }, { at: T1, tabId: 'tab-b' }));
  });

  it('the same decision from both tabs is no loss', async () => {
    const a = tab('sess', 'tab-a');
    const b = tab('sess', 'tab-b');
    const bHears = b.next('e1');
    b.sync.publish('e1', { status: 'ACCEPTED' }, T1);
    a.sync.publish('e1', { status: 'ACCEPTED' }, T2);
    await bHears;
    assert.deepEqual(b.lost, []);
  });

  it('a tab that opens later says hello with its review; every open tab merges it and answers once with its own', async () => {
    const heardByOld: unknown[] = [];
    const heardByNew: unknown[] = [];
    tab('sess', 'tab-old', { review: () => ({ from: 'old' }), onReview: (r) => heardByOld.push(r) });
    const other = tab('other-sess', 'tab-x', { review: () => ({ from: 'x' }), onReview: () => assert.fail('another session') });
    const answered = new Promise<void>((resolve) => {
      tab('sess', 'tab-new', {
        review: () => ({ from: 'new' }),
        onReview: (r) => {
          heardByNew.push(r);
          resolve();
        },
      });
    });
    await answered;
    // Let any (wrong) second round arrive before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(heardByOld, [{ from: 'new' }], 'the old tab heard the hello once');
    assert.deepEqual(heardByNew, [{ from: 'old' }], 'the new tab heard one answer, and the old tab did not greet back');
    assert.ok(other);
  });

  it('ignores malformed messages and messages for another session on its channel', async () => {
    const b = tab('sess', 'tab-b');
    const raw = new BroadcastChannel(syncChannelName('sess'));
    try {
      const marker = b.next('marker');
      raw.postMessage('not a message');
      raw.postMessage({ sessionId: 'sess', entityId: 'e1', decision: { status: 'MAYBE' }, at: T1, tabId: 'x' });
      raw.postMessage({ sessionId: 'sess', entityId: 'e1', decision: { status: 'ACCEPTED' }, at: 'soon', tabId: 'x' });
      raw.postMessage({ sessionId: 'other', entityId: 'e1', decision: { status: 'ACCEPTED' }, at: T1, tabId: 'x' });
      // An audit entry about another entity than the decision's: not a message this element sends.
      const entry = { at: T1, entityId: 'e2', statusBefore: 'PENDING', statusAfter: 'ACCEPTED', engines: ['heidi'] };
      raw.postMessage({ sessionId: 'sess', entityId: 'e1', decision: { status: 'REJECTED' }, at: T1, tabId: 'x', entry });
      raw.postMessage({ sessionId: 'sess', entityId: 'marker', decision: { status: 'ACCEPTED' }, at: T1, tabId: 'x' });
      await marker;
      assert.deepEqual(
        b.applied.map((m) => m.entityId),
        ['marker'],
      );
    } finally {
      raw.close();
    }
  });

  it('tabs on different sessions never hear each other', async () => {
    const a = tab('sess-1', 'tab-a');
    const b = tab('sess-2', 'tab-b');
    const sameSession = tab('sess-2', 'tab-c');
    const heard = Promise.all([b.next('e1'), sameSession.next('e1')]);
    a.sync.publish('e1', { status: 'ACCEPTED' }, T1);
    tab('sess-2', 'tab-d').sync.publish('e1', { status: 'REJECTED' }, T1);
    await heard;
    assert.deepEqual(
      b.applied.map((m) => m.decision.status),
      ['REJECTED'],
    );
    assert.deepEqual(
      sameSession.applied.map((m) => m.decision.status),
      ['REJECTED'],
    );
  });

  it('close() unsubscribes and closes the channel; publishing after it sends nothing', () => {
    const calls: string[] = [];
    const channel: SyncChannel = {
      postMessage: () => calls.push('post'),
      addEventListener: () => calls.push('add'),
      removeEventListener: () => calls.push('remove'),
      close: () => calls.push('close'),
    };
    const sync = new ReviewSync({ sessionId: 's', onRemote: () => assert.fail('no remote'), channel });
    sync.publish('e1', { status: 'ACCEPTED' });
    sync.close();
    sync.close();
    sync.publish('e1', { status: 'REJECTED' });
    assert.deepEqual(calls, ['add', 'post', 'remove', 'close']);
  });
});

/** A localStorage shared by fake tabs: a write fires `storage` in every other tab, as browsers do. */
class SharedStorage {
  readonly data = new Map<string, string>();
  readonly tabs = new Set<EventTarget>();
  forTab(self: EventTarget): Pick<Storage, 'setItem' | 'removeItem'> {
    return {
      setItem: (key, value) => {
        this.data.set(key, value);
        for (const other of this.tabs) {
          if (other !== self) other.dispatchEvent(Object.assign(new Event('storage'), { key, newValue: value }));
        }
      },
      removeItem: (key) => {
        this.data.delete(key);
        for (const other of this.tabs) {
          if (other !== self) other.dispatchEvent(Object.assign(new Event('storage'), { key, newValue: null }));
        }
      },
    };
  }
}

describe('ReviewSync over the storage event (no BroadcastChannel)', () => {
  function storageTab(shared: SharedStorage, sessionId: string, tabId: string): Tab & { events: EventTarget } {
    const events = new EventTarget();
    shared.tabs.add(events);
    return { ...tab(sessionId, tabId, { channel: null, storage: shared.forTab(events), storageEvents: events }), events };
  }

  it('converges like the channel, later decision winning, and leaves nothing in storage', () => {
    const shared = new SharedStorage();
    const a = storageTab(shared, 'sess', 'tab-a');
    const b = storageTab(shared, 'sess', 'tab-b');
    b.sync.publish('e1', { status: 'REJECTED' }, T1);
    a.sync.publish('e1', { status: 'ACCEPTED' }, T2);
    b.sync.publish('e1', { status: 'REJECTED' }, T1); // a stale repeat changes nothing
    assert.deepEqual(
      a.applied.map((m) => [m.tabId, m.decision.status]),
      [['tab-b', 'REJECTED']],
    );
    assert.deepEqual(
      b.applied.map((m) => [m.tabId, m.decision.status]),
      [['tab-a', 'ACCEPTED']],
    );
    assert.deepEqual(
      b.lost.map((l) => l.local.decision.status),
      ['REJECTED'],
    );
    assert.equal(shared.data.size, 0);
  });

  it('catches a later tab up over the storage event too, and leaves nothing in storage', () => {
    const shared = new SharedStorage();
    const heard: [string, unknown][] = [];
    const events = () => {
      const target = new EventTarget();
      shared.tabs.add(target);
      return { channel: null, storage: shared.forTab(target), storageEvents: target };
    };
    tab('sess', 'tab-old', { ...events(), review: () => 'old review', onReview: (r) => heard.push(['old', r]) });
    tab('sess', 'tab-new', { ...events(), review: () => 'new review', onReview: (r) => heard.push(['new', r]) });
    assert.deepEqual(heard, [
      ['old', 'new review'],
      ['new', 'old review'],
    ]);
    assert.equal(shared.data.size, 0);
  });

  it('ignores other keys, removals and corrupt values', () => {
    const shared = new SharedStorage();
    const a = storageTab(shared, 'sess', 'tab-a');
    const writer = shared.forTab(new EventTarget());
    writer.setItem('something-else', JSON.stringify({ sessionId: 'sess' }));
    writer.setItem(syncChannelName('sess'), '{corrupt');
    writer.removeItem(syncChannelName('sess'));
    assert.deepEqual(a.applied, []);
  });

  it('close() removes the storage listener', () => {
    const shared = new SharedStorage();
    const a = storageTab(shared, 'sess', 'tab-a');
    const b = storageTab(shared, 'sess', 'tab-b');
    a.sync.close();
    b.sync.publish('e1', { status: 'ACCEPTED' }, T1);
    assert.deepEqual(a.applied, []);
  });
});
