/**
 * Loading the session's codes, shaped like `@lit/task` by hand: its inputs
 * (the `RELOAD_ON` properties) are read on each host update and a change runs
 * it again; each run has its own AbortSignal and a new run aborts the old.
 * Owns the token source and manager, the Heidi client, the phase and the
 * "generating" seconds, and sends the host's patient and context (PATCH, through `SessionContextSync`).
 */
import type { ReactiveController } from 'lit';
import { HeidiClient, DEFAULT_API_BASE } from '../core/client.ts';
import { errorDetail, HeidiError, isAbort } from '../core/errors.ts';
import { TokenManager, type TokenSource } from '../core/token.ts';
import { loadCodes, loadNoteCodes, retryEngine, type LoadResult } from '../core/session-loader.ts';
import { configureEngines } from '../core/engines/configure.ts';
import { asHeidiError } from '../core/engines/pipeline.ts';
import { engineLabel, isWorking } from '../core/engines/types.ts';
import type { DiscardedCode, EngineName, EngineProgress, EngineState } from '../core/engines/types.ts';
import { loadNotices } from '../templates/engine-progress.ts';
import type { Localized } from '../i18n/index.ts';
import type { CodingModel } from '../core/model.ts';
import { pauseForMainThread } from '../core/slices.ts';
import { warmUp } from './warm-up.ts';
import { SessionContextSync } from './session-context.ts';
import { CreatedSessions } from './created-sessions.ts';
import { HeidiErrorEvent, HeidiSessionStartEvent, HeidiTokenExpiredEvent } from '../events.ts';
import { RELOAD_ON, type LoadPhase, type SessionLoadHost, type SessionLoadOptions } from './session-load-host.ts';

export type { LoadPhase, SessionLoadHost, SessionLoadOptions } from './session-load-host.ts';

export class SessionLoadController implements ReactiveController {
  phase: LoadPhase = 'idle';
  model: CodingModel | undefined;
  error: HeidiError | undefined;
  /** Degraded-load notices (session or transcript missing, engines failed), put in words when drawn. */
  notices: readonly Localized[] = [];
  /** Seconds Heidi has been generating the codes. */
  elapsed = 0;
  /** Each engine of the last run, in display order. */
  engineStates: readonly EngineState[] = [];
  /** What the engines considered and threw away: listed apart, never suggestions. */
  discarded: readonly DiscardedCode[] = [];
  /** `performance.now()` as of the last second's tick: what the engines' seconds are counted against. */
  now = 0;

  /** The load shown: what a Retry of one engine remakes. */
  private _last: LoadResult | undefined;
  private _hostToken: string | undefined;
  private readonly _tokens: TokenManager;
  private _client: { key: string; client: HeidiClient } | undefined;
  private _run: AbortController | undefined;
  private _engineRuns = new Map<EngineName, AbortController>();
  private _queued = false;
  private _timer: ReturnType<typeof setInterval> | undefined;
  private _warming: ReturnType<typeof setTimeout> | undefined;
  /** The reload inputs as of the last update, and the token source inputs. */
  private _lastInputs: readonly unknown[] | undefined;
  /** The token source inputs the connect-time token request was made for. */
  private _prefetched: readonly unknown[] | undefined;
  private readonly _context: SessionContextSync;
  private readonly _created = new CreatedSessions();

  constructor(
    private readonly _host: SessionLoadHost,
    private readonly _options: SessionLoadOptions,
  ) {
    this._tokens = new TokenManager({
      source: () => this._tokenSource(),
      onHostTokenNeeded: () => _host.dispatchEvent(new HeidiTokenExpiredEvent()),
      timeoutMs: () => _host.timeouts?.request,
      hostTimeoutMs: () => _host.timeouts?.hostToken,
    });
    this._context = new SessionContextSync(_host, {
      updateSession: (id, update, signal) => this._heidiClient().updateSession(id, update, signal),
      onSession: (id, session) => {
        if (this.model?.sessionId === id && !this._run?.signal.aborted) this._assign({ model: { ...this.model, session } });
      },
      // The codes are shown: a failed PATCH is said as what it blocks or lost, not as codes that could not be shown.
      onError: (error, linking) => {
        const m = this._options.locale.messages;
        this._announce(linking ? m.patientLinkFailed : `${m.contextNotSaved} ${m.errors[error.code]}`);
        this._dispatchError(error);
      },
    });
    _host.addController(this);
  }

  get hostToken(): string | undefined {
    return this._hostToken;
  }

  /** A JWT set by the host: used only when it is the token source (tokenProvider and token-url come first). */
  setHostToken(value: string | undefined): void {
    this._hostToken = value || undefined;
    if (this._tokenSource()?.kind === 'host') this._tokens.setHostToken(this._hostToken);
    // The first token of a host that sets it after inserting the element: load now.
    if (this._hostToken && this.error?.code === 'config') this.queue();
  }

  /**
   * Load on the next microtask: attributes usually arrive together, and make one load. When the token
   * request started at connect is not on the wire yet, after it is: the load's first run (code compiled
   * on first use) must not hold back the request every later one waits for.
   */
  queue(): void {
    if (this._queued) return;
    this._queued = true;
    void this._tokens.sent.then(() => {
      this._queued = false;
      if (this._host.isConnected) void this.run();
    });
  }

  /** Linking the session to the host's patient failed (sending stays blocked until a retry succeeds). */
  get linkFailed(): boolean {
    return this._context.linkFailed(this.model?.sessionId);
  }

  /** Ask Heidi again to link the session to the host's patient (the footer's Retry after a failed link). */
  retryLink(): Promise<void> {
    this._context.retry();
    return this._sendContext();
  }

  /** Load now, aborting a load under way. */
  async run(): Promise<void> {
    if (!this._host.isConnected) return; // a removed element starts nothing (its requests were aborted as it left)
    this._abort();
    const controller = new AbortController();
    this._run = controller;
    const signal = controller.signal;
    const host = this._host;
    const m = this._options.locale.messages;
    // `session-id`, else the one created for the same consultation (created-sessions.ts).
    const created = this._created.open(host);
    const sessionId = created.sessionId;
    this._assign({ phase: 'loading', error: undefined, notices: [], discarded: [], engineStates: [] });
    this._announce(sessionId ? m.loadingSession : m.creatingSession);
    // A new load asks again for a link that failed.
    this._context.retry();
    if (sessionId !== this.model?.sessionId) {
      this.model = undefined;
      this._options.onSessionChange();
    }
    // A token source set after connect (or before the upgrade) is not the one prefetched.
    const prefetched = this._prefetched;
    this._prefetched = undefined;
    if (prefetched && (prefetched[0] !== host.tokenUrl || prefetched[1] !== host.tokenProvider)) this._tokens.clear();
    let tokenArrived = false;
    try {
      if (host.configError) throw host.configError;
      const { names, withHeidi, peers } = configureEngines(host, (engine) => this._engineSignal(engine));
      if (withHeidi && !this._tokenSource()) {
        throw new HeidiError('config', 'No token source: set the token-url attribute, or the tokenProvider or token property.');
      }
      this._assign({ engineStates: names.map((engine) => ({ engine, progress: { phase: 'queued' } })) });
      const onProgress = (engine: EngineName, progress: EngineProgress) => {
        if (signal.aborted) return;
        this._setProgress(engine, progress);
        if (progress.phase !== 'processing' || this.phase !== 'loading') return;
        this._assign({ phase: 'generating' });
        this._announce(engine === 'heidi' ? m.generatingStarted : `${engineLabel(engine)}: ${m.enginePhase.processing}`);
        this._startTimer(progress.startedAt);
      };
      const sentPatient = host.patient;
      const sentNotes = host.clinicianNotes;
      let result: LoadResult;
      if (withHeidi) {
        // The token the load's first request waits for (the same request, not another one).
        void this._tokens.get(signal).then(
          () => (tokenArrived = true),
          () => {},
        );
        const update = this._context.update(!sessionId);
        // While the first requests are on the wire: pay the one-off costs now, not after the data arrives.
        this._warming = setTimeout(() => {
          this._warming = undefined;
          warmUp(this._options.locale);
        });
        const heidiOwn = this._engineSignal('heidi');
        result = await loadCodes({
          client: this._heidiClient(),
          sessionId,
          // JSON leaves out what is unset.
          create: { patient_profile_id: host.patientProfileId || undefined, ehr_appointment_id: host.ehrAppointmentId || undefined },
          update,
          signal,
          onSessionStart: (started, isNew) => {
            created.started(started, isNew);
            if (!signal.aborted) host.dispatchEvent(new HeidiSessionStartEvent({ sessionId: started, created: isNew }));
          },
          onProgress,
          heidiSignal: heidiOwn,
          peers,
        });
      } else {
        const context = [host.ehrPatientId, host.ehrAppointmentId, host.patientProfileId]; // whose note: the review's key
        result = await loadNoteCodes({ note: host.note ?? '', context, peers, signal, onProgress });
      }
      // The codes are taken in, and drawn, in a task of their own, not after the last slice of building them.
      await pauseForMainThread();
      signal.throwIfAborted();
      if (withHeidi) {
        // What the PATCH carried; a patient the host set while loading is sent right after.
        this._context.sentWithLoad(sentPatient, sentNotes);
      }
      const everyCancelled = result.model.entities.length === 0 && this.engineStates.every((e) => e.progress.phase === 'cancelled');
      if (everyCancelled) {
        this.cancel();
        return;
      }
      // The host hears each part that failed; the reviewer hears the notices once, with the codes (onLoaded).
      this._show(result);
      for (const error of [result.sessionError, result.transcriptError]) if (error) this._dispatchError(error);
      for (const { error, engine } of result.engineFailures) this._dispatchError(error, engine);
      if (withHeidi) void this._sendContext();
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      const heidiError = asHeidiError(error);
      created.failed(heidiError, tokenArrived); // a reused created session Heidi refuses: the next load creates one
      this._assign({ phase: 'error', error: heidiError });
      // The status block says it (role="alert"); the live region saying it too would have it read twice. It is
      // emptied instead, so it holds no stale "generating…" for a screen-reader user who browses to it.
      this._announce('');
      this._dispatchError(heidiError);
    } finally {
      if (this._run === controller) this._stopTimer();
    }
  }

  /**
   * Run a failed peer engine again (the Retry in its row), the other engines' codes kept: its answer is merged
   * as the first load's was and the decisions stay (see `retryEngine`). Its Cancel stops it; a new load aborts it.
   * Heidi's codes belong to its session: its Retry is a reload, which keeps every decision (they follow their code).
   */
  async retryEngine(engine: EngineName): Promise<void> {
    const [last, run] = [this._last, this._run];
    const failed = this.engineStates.some((s) => s.engine === engine && s.progress.phase === 'failed');
    if (!last || !run || !failed || this.phase !== 'loaded') return;
    if (engine === 'heidi') return this.run();
    const signal = run.signal;
    this._setProgress(engine, { phase: 'queued' });
    this._assign({ notices: loadNotices(last, this.engineStates) });
    try {
      const own = (name: EngineName) => (name === engine ? this._engineSignal(name) : signal);
      const peer = configureEngines(this._host, own).peers.find((p) => p.name === engine);
      if (!peer) return;
      // The model as shown: the session a PATCH answered since is kept.
      const shown = () => ({ ...this._last!, model: this.model ?? this._last!.model });
      const result = await retryEngine(shown, peer, signal, (name, progress) => {
        if (signal.aborted) return;
        this._setProgress(name, progress);
        if (progress.phase === 'processing') this._startTimer(progress.startedAt);
      });
      if (this._run !== run || signal.aborted) return;
      this._show(result);
      const failure = result.engineFailures.find((f) => f.engine === engine);
      if (failure) this._dispatchError(failure.error, engine);
    } catch (error) {
      // Aborted by a new load; else the settings changed (that queued a new load, which reports them).
      if (!signal.aborted && !isAbort(error)) this._dispatchError(asHeidiError(error), engine);
    } finally {
      // The seconds tick on while another engine's Retry still runs (one timer for all of them).
      const working = this.engineStates.some((s) => isWorking(s.progress));
      if (this._run === run && !working) this._stopTimer();
    }
  }

  /** Stop one engine; the others go on, and its codes are left out. */
  cancelEngine(engine: EngineName): void {
    this._engineRuns.get(engine)?.abort();
    this._setProgress(engine, { phase: 'cancelled' });
  }

  /** The reviewer stopped waiting for Heidi. */
  cancel(): void {
    this._abort();
    this._assign({ phase: 'cancelled' });
    this._announce(this._options.locale.messages.cancelled);
  }

  hostConnected(): void {
    // The token request goes on the wire now, before the first render (the queued run shares it).
    const host = this._host;
    this._prefetched = [host.tokenUrl, host.tokenProvider];
    if (this._tokenSource()?.kind !== 'host' && !host.configError) this._tokens.get().catch(() => {});
    this.queue();
  }

  hostUpdate(): void {
    const host = this._host;
    // The host's note is what is coded only without Heidi (else the session's note is); whose note it is keys its review.
    const own = !/\bheidi\b/i.test(host.engines || 'heidi');
    const args = [...RELOAD_ON.map((name) => host[name]), own && host.note, own && host.ehrPatientId];
    const last = this._lastInputs;
    this._lastInputs = args;
    if (!last) return; // the first update only records them: the connected host is already loading
    // A new token source: forget the old source's token.
    if (last[2] !== args[2] || last[3] !== args[3]) this._tokens.clear();
    if (args.some((value, i) => value !== last[i])) this.queue();
    else if (this.phase === 'loaded' && !this._queued) void this._sendContext();
  }

  hostDisconnected(): void {
    // No request, timer or token wait outlives the element.
    this._abort();
    this._tokens.abort();
    clearTimeout(this._warming);
    this._warming = undefined;
  }

  /** Show a load's codes and notices, and tell the element (onLoaded). */
  private _show(result: LoadResult): void {
    this._last = result;
    this._assign({ model: result.model, phase: 'loaded', discarded: result.discarded, notices: loadNotices(result, this.engineStates) });
    this._options.onLoaded(result);
  }

  /** A fresh abort controller for one engine of this run (the header's Cancel for that engine). */
  private _engineSignal(engine: EngineName): AbortSignal {
    const own = new AbortController();
    this._engineRuns.set(engine, own);
    return own.signal;
  }

  private _setProgress(engine: EngineName, progress: EngineProgress): void {
    const states = this.engineStates;
    const at = states.findIndex((s) => s.engine === engine);
    // A cancelled engine stays cancelled: its late 'cancelled' or a stray report does not bring it back.
    if (at < 0 || states[at]!.progress.phase === 'cancelled') return;
    this._assign({ engineStates: states.map((s, i) => (i === at ? { engine, progress } : s)) });
  }

  private _assign(
    patch: Partial<Pick<SessionLoadController, 'phase' | 'model' | 'error' | 'notices' | 'elapsed' | 'engineStates' | 'discarded' | 'now'>>,
  ): void {
    Object.assign(this, patch);
    this._host.requestUpdate();
  }

  private _tokenSource(): TokenSource | undefined {
    const { tokenProvider, tokenUrl } = this._host;
    if (tokenProvider) return { kind: 'provider', provide: () => tokenProvider() };
    if (tokenUrl) return { kind: 'url', url: tokenUrl };
    if (this._hostToken) return { kind: 'host' };
    return undefined;
  }

  private _heidiClient(): HeidiClient {
    const { apiBase, timeouts } = this._host;
    const base = apiBase || DEFAULT_API_BASE;
    const key = `${base} ${timeouts?.request ?? ''} ${timeouts?.codes ?? ''}`;
    if (this._client?.key !== key) {
      // Unset timeouts take the client's defaults (set ones are positive: core/config-check).
      const client = new HeidiClient({
        apiBase: base,
        tokens: this._tokens,
        timeoutMs: timeouts?.request,
        codesTimeoutMs: timeouts?.codes,
      });
      this._client = { key, client };
    }
    return this._client.client;
  }

  private _abort(): void {
    this._run?.abort();
    this._engineRuns.clear();
    this._run = undefined;
    this._stopTimer();
  }

  private _sendContext(): Promise<void> {
    return this._context.send(this.model, this._run?.signal);
  }

  private _announce(message: string): void {
    this._options.announcer.announce(message);
  }

  private _dispatchError(error: HeidiError, engine?: EngineName): void {
    this._host.dispatchEvent(new HeidiErrorEvent(errorDetail(error, engine)));
  }

  private _startTimer(started: number): void {
    this._stopTimer();
    this.elapsed = 0;
    this.now = performance.now();
    this._timer = setInterval(() => {
      const now = performance.now();
      this._assign({ now, elapsed: Math.floor((now - started) / 1000) });
    }, 1000);
  }

  private _stopTimer(): void {
    clearInterval(this._timer);
    this._timer = undefined;
  }
}
