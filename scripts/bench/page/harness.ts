/**
 * In-page half of the benchmark, bundled by esbuild into `.bench/assets/harness.js`
 * and loaded as a classic script before the element, so its observers and the
 * fetch wrapper see everything. Every time here is Chromium's own clock
 * (`performance.now()` / `event.timeStamp`, same origin); Node only drives.
 */

export interface FetchRecord {
  path: string;
  method: string;
  status: number;
  bytes: number;
  /** `fetch()` called. */
  start: number;
  /** The whole body is in the page (the wrapper buffers it before the element sees the response). */
  end: number;
}

export interface TaskRecord {
  start: number;
  duration: number;
}

export interface FrameScript {
  invoker: string;
  sourceURL: string;
  sourceFunctionName: string;
  sourceCharPosition: number;
  duration: number;
  forcedStyleAndLayoutDuration: number;
}

/** A Long Animation Frame entry (Chromium 123+): what made a frame late. */
export interface FrameRecord {
  start: number;
  duration: number;
  blockingDuration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: FrameScript[];
}

export interface KeyRecord {
  key: string;
  /** `keydown` event.timeStamp. */
  at: number;
  /** First rAF callback after the handler (and the element's update) ran. */
  raf: number;
  /** A task queued from that rAF callback: runs once the frame's style, layout and paint are done. */
  paint: number;
  /** `heidi-code-card` render() calls between the keydown and the paint. */
  renders: number;
  /** Card focused after the key. */
  focused: string | undefined;
  /** <heidi-clinical-codes>.update() calls between the keydown and the paint, and their total time. */
  hostUpdates: number;
  hostMs: number;
}

export interface Timings {
  /** Wall time spent in <heidi-clinical-codes>.update() (its render + commit). */
  hostUpdate: number;
  hostUpdates: number;
  /** Total time spent in all <heidi-code-card>.update() calls. */
  cardUpdate: number;
  cardUpdates: number;
}

export interface MountResult {
  ok: boolean;
  error?: string;
  /** `performance.now()` just before the element was appended. */
  connect: number;
  /** `heidi-codes-load` dispatched. */
  load: number;
  /** First rAF after the event (the list is in the DOM by then). */
  raf: number;
  /** The task after that frame: the list has been styled, laid out and painted. */
  paint: number;
  /** Last body of the load's session / transcript / clinical-codes responses in the page. */
  dataArrived: number | undefined;
  codesArrived: number | undefined;
  entities: number;
  cards: number;
  timings: Timings;
  /** This load's requests, in page time. */
  fetches: FetchRecord[];
}

export interface HeapSample {
  usedJSHeapSize: number;
  totalJSHeapSize: number;
  gc: boolean;
}

type CardHost = HTMLElement & { updateComplete: Promise<boolean> };

const fetches: FetchRecord[] = [];
const longTasks: TaskRecord[] = [];
const frames: FrameRecord[] = [];
const keys: KeyRecord[] = [];
const keydownEventTimings: { start: number; duration: number }[] = [];
const timings: Timings = { hostUpdate: 0, hostUpdates: 0, cardUpdate: 0, cardUpdates: 0 };
let renders = 0;
let current: CardHost | undefined;
/** The entity ids of the last `heidi-codes-load` (every code, not only the rendered window). */
let loadedIds: string[] = [];

// ------------------------------------------------------------------ observers

function observe(type: string, onEntry: (entry: PerformanceEntry) => void, extra: Record<string, unknown> = {}): boolean {
  try {
    new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({
      type,
      buffered: true,
      ...extra,
    } as PerformanceObserverInit);
    return true;
  } catch {
    return false;
  }
}

const supports = {
  longtask: observe('longtask', (e) => longTasks.push({ start: e.startTime, duration: e.duration })),
  longAnimationFrame: observe('long-animation-frame', (e) => {
    const f = e as PerformanceEntry & {
      blockingDuration: number;
      renderStart: number;
      styleAndLayoutStart: number;
      scripts: readonly (PerformanceEntry & Omit<FrameScript, 'duration'>)[];
    };
    frames.push({
      start: f.startTime,
      duration: f.duration,
      blockingDuration: f.blockingDuration,
      renderStart: f.renderStart,
      styleAndLayoutStart: f.styleAndLayoutStart,
      scripts: f.scripts.map((s) => ({
        invoker: s.invoker,
        sourceURL: s.sourceURL,
        sourceFunctionName: s.sourceFunctionName,
        sourceCharPosition: s.sourceCharPosition,
        duration: s.duration,
        forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration,
      })),
    });
  }),
  eventTiming: observe(
    'event',
    (e) => {
      if (e.name === 'keydown') keydownEventTimings.push({ start: e.startTime, duration: e.duration });
    },
    { durationThreshold: 16 },
  ),
};

// ------------------------------------------------------------------ fetch

const nativeFetch = window.fetch.bind(window);
const NULL_BODY = new Set([101, 204, 205, 304]);

window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const start = performance.now();
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const response = await nativeFetch(input, init);
  // Buffer the body here, so the mark is when the bytes are in the page, before the element can touch them.
  const body = NULL_BODY.has(response.status) ? null : await response.arrayBuffer();
  const end = performance.now();
  fetches.push({ path: url.pathname + url.search, method, status: response.status, bytes: body?.byteLength ?? 0, start, end });
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
};

// ------------------------------------------------------------------ helpers

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
const nextTask = () => new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 0));

/** rAF, then a task queued from it: returns [rAF time, after-paint time]. */
function afterPaint(): Promise<[number, number]> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const raf = performance.now();
      setTimeout(() => resolve([raf, performance.now()]), 0);
    });
  });
}

function wrap(proto: object, name: string, before: () => void, after?: (ms: number) => void): void {
  const target = proto as Record<string, unknown>;
  const original = target[name] as (...args: unknown[]) => unknown;
  target[name] = function (this: unknown, ...args: unknown[]) {
    before();
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      after?.(performance.now() - t0);
    }
  };
}

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function focusedCard(): string | undefined {
  const root = current?.shadowRoot;
  const active = root?.activeElement;
  return active?.localName === 'heidi-code-card' ? (active.getAttribute('data-id') ?? undefined) : undefined;
}

let instrumented = false;

/** Time every keydown reaching `target` (capture, so before the element's own handlers) to the next frame and paint. */
function probeKeys(target: HTMLElement, prefix = ''): void {
  target.addEventListener(
    'keydown',
    (event) => {
      const at = event.timeStamp;
      const rendersBefore = renders;
      const hostBefore = { ...timings };
      const key = prefix + event.key;
      void afterPaint().then(([raf, paint]) =>
        keys.push({
          key,
          at,
          raf,
          paint,
          renders: renders - rendersBefore,
          focused: focusedCard(),
          hostUpdates: timings.hostUpdates - hostBefore.hostUpdates,
          hostMs: timings.hostUpdate - hostBefore.hostUpdate,
        }),
      );
    },
    { capture: true },
  );
}

const bench = {
  supports,

  /** Wait for the element's definitions, then count card renders and time updates. */
  async ready(): Promise<boolean> {
    await customElements.whenDefined('heidi-clinical-codes');
    await customElements.whenDefined('heidi-code-card');
    if (!instrumented) {
      instrumented = true;
      const card = customElements.get('heidi-code-card')!.prototype as object;
      const host = customElements.get('heidi-clinical-codes')!.prototype as object;
      wrap(card, 'render', () => (renders += 1));
      wrap(
        card,
        'update',
        () => undefined,
        (ms) => {
          timings.cardUpdate += ms;
          timings.cardUpdates += 1;
        },
      );
      wrap(
        host,
        'update',
        () => undefined,
        (ms) => {
          timings.hostUpdate += ms;
          timings.hostUpdates += 1;
        },
      );
    }
    return true;
  },

  /** Turn content-visibility off on cards (for the with/without comparison). */
  disableContentVisibility(): void {
    const card = customElements.get('heidi-code-card') as unknown as { elementStyles: unknown[] };
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(':host { content-visibility: visible !important; contain-intrinsic-size: none !important; }');
    card.elementStyles.push(sheet);
  },

  renders: () => renders,
  fetches: () => fetches.slice(),
  longTasks: (from = 0, to = Infinity) => longTasks.filter((t) => t.start >= from && t.start < to),
  frames: (from = 0, to = Infinity) => frames.filter((f) => f.start + f.duration > from && f.start < to),
  keys: () => keys.slice(),
  keydownEventTimings: () => keydownEventTimings.slice(),
  now: () => performance.now(),

  /** Append <heidi-clinical-codes> and resolve once the codes are painted (or it reports an error). */
  mount(options: {
    user: string;
    sessionId?: string;
    attrs?: Record<string, string>;
    props?: Record<string, unknown>;
  }): Promise<MountResult> {
    const el = document.createElement('heidi-clinical-codes') as unknown as CardHost;
    el.setAttribute('api-base', '/mock-heidi');
    el.setAttribute('token-url', `/ehr/heidi-token?as=${encodeURIComponent(options.user)}`);
    if (options.sessionId) el.setAttribute('session-id', options.sessionId);
    // Other attributes (engines, sully-base...) and properties (timeouts) for the engine rows.
    for (const [name, value] of Object.entries(options.attrs ?? {})) el.setAttribute(name, value);
    Object.assign(el, options.props ?? {});
    current = el;
    const fetchesBefore = fetches.length;
    const before: Timings = { ...timings };
    return new Promise<MountResult>((resolve) => {
      let connect = 0;
      const finish = (partial: Partial<MountResult>) => {
        const mine = fetches.slice(fetchesBefore);
        const load = mine.filter(
          (f) => /\/mock-heidi\/sessions\/[^/?]+(\/transcript|\/clinical-codes)?$/.test(f.path) && f.method === 'GET',
        );
        const codes = load.filter((f) => f.path.endsWith('/clinical-codes'));
        const cards = el.shadowRoot?.querySelectorAll('heidi-code-card').length ?? 0;
        resolve({
          ok: false,
          connect,
          load: Number.NaN,
          raf: Number.NaN,
          paint: Number.NaN,
          dataArrived: load.length ? Math.max(...load.map((f) => f.end)) : undefined,
          codesArrived: codes.length ? Math.max(...codes.map((f) => f.end)) : undefined,
          entities: 0,
          cards,
          fetches: mine,
          timings: {
            hostUpdate: timings.hostUpdate - before.hostUpdate,
            hostUpdates: timings.hostUpdates - before.hostUpdates,
            cardUpdate: timings.cardUpdate - before.cardUpdate,
            cardUpdates: timings.cardUpdates - before.cardUpdates,
          },
          ...partial,
        });
      };
      el.addEventListener(
        'heidi-codes-load',
        (event) => {
          const load = performance.now();
          const loaded = (event as unknown as CustomEvent<{ entities: readonly { entityId: string }[] }>).detail?.entities ?? [];
          loadedIds = loaded.map((e) => e.entityId);
          const entities = loaded.length;
          void afterPaint().then(([raf, paint]) => finish({ ok: true, load, raf, paint, entities }));
        },
        { once: true },
      );
      el.addEventListener('heidi-error', (event) => finish({ ok: false, error: JSON.stringify((event as CustomEvent).detail) }), {
        once: true,
      });
      performance.mark('bench:connect');
      connect = performance.now();
      document.getElementById('root')!.append(el);
    });
  },

  /** Remove the element (and forget it). */
  unmount(): void {
    current?.remove();
    current = undefined;
  },

  /** Decide every loaded code at once, as a review restored from another workstation (`reviewState`) would. */
  async decideAll(status: 'ACCEPTED' | 'REJECTED'): Promise<number> {
    const el = current as (CardHost & { reviewState: unknown; sessionId: string }) | undefined;
    if (!el) return 0;
    const at = new Date().toISOString();
    el.reviewState = { sessionId: el.sessionId, decisions: Object.fromEntries(loadedIds.map((id) => [id, { status, at }])), audit: [] };
    await bench.settle(2);
    return loadedIds.length;
  },

  /** Let pending frames and tasks finish. */
  async settle(frameCount = 2): Promise<void> {
    for (let i = 0; i < frameCount; i++) await nextFrame();
    await nextTask();
  },

  /** Focus the card with the roving tabindex and start timing keystrokes on the host. */
  async focusCard(): Promise<string | undefined> {
    const el = current;
    if (!el) return undefined;
    await el.updateComplete;
    const card = el.shadowRoot?.querySelector<HTMLElement>('heidi-code-card[tabindex="0"]');
    card?.focus();
    probeKeys(el);
    await bench.settle();
    return card?.getAttribute('data-id') ?? undefined;
  },

  /** The harness's own floor: a focused element that does nothing with keys, timed the same way (keys recorded as `floor:<key>`). */
  async focusFloor(): Promise<void> {
    const div = document.createElement('div');
    div.tabIndex = 0;
    div.textContent = 'keyboard floor';
    document.getElementById('root')!.append(div);
    div.focus();
    probeKeys(div, 'floor:');
    await bench.settle();
  },

  /** Resolve once `count` keys have been measured (or after `timeoutMs`). */
  async waitKeys(count: number, timeoutMs = 5000): Promise<number> {
    const until = performance.now() + timeoutMs;
    while (keys.length < count && performance.now() < until) await nextFrame();
    return keys.length;
  },

  activeDescription(): string {
    const a = deepActive();
    return a ? `${a.localName}${a.getAttribute('data-id') ? `#${a.getAttribute('data-id')}` : ''}` : 'none';
  },

  /** Used JS heap after a full GC (`--js-flags=--expose-gc --enable-precise-memory-info`). */
  async heap(): Promise<HeapSample> {
    const gc = (window as unknown as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) {
      gc?.();
      await nextTask();
    }
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
    return { usedJSHeapSize: memory?.usedJSHeapSize ?? Number.NaN, totalJSHeapSize: memory?.totalJSHeapSize ?? Number.NaN, gc: !!gc };
  },
};

export type Harness = typeof bench;

declare global {
  interface Window {
    bench: Harness;
  }
}

window.bench = bench;
