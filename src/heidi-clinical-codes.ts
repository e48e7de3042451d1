/**
 * <heidi-clinical-codes>: Heidi's suggested clinical codes beside the words
 * that support them, for a clinician or coder to accept, reject or swap, and
 * hand the accepted ones to the EHR.
 *
 * The element renders and turns user intent into calls on the DOM-free core
 * (`src/core`): token, client, loader, model, review state, checks, filters.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { HeidiClient, DEFAULT_API_BASE, type SessionUpdate } from './core/client.ts';
import { HeidiError, isAbort } from './core/errors.ts';
import { TokenManager, type TokenSource } from './core/token.ts';
import { loadCodes, type LoadResult } from './core/session-loader.ts';
import { codeRef, type CodeView, type CodingModel, type EntityView } from './core/model.ts';
import { ReviewState, type ReviewChange, type ReviewStatus } from './core/review.ts';
import { checkEntity, type CheckWarning } from './core/checks.ts';
import {
  DEFAULT_BATCH_FILTER,
  allowedEntities,
  batchCandidates,
  groupByKind,
  visibleEntities,
  type EntityGroup,
  type BatchFilter,
  type SortOrder,
  type StatusFilter,
} from './core/filters.ts';
import { warmSchemas, type JwtResponse } from './core/schemas.ts';
import { messagesFor, type Messages } from './i18n/index.ts';
import {
  HeidiCodeReviewEvent,
  HeidiCodeSelectEvent,
  HeidiCodesCommitEvent,
  HeidiCodesLoadEvent,
  HeidiErrorEvent,
  HeidiSessionStartEvent,
  HeidiTokenExpiredEvent,
  type CommittedCode,
} from './events.ts';
import { CardActionEvent, type CardAction } from './elements/code-card.ts';
import type { SourceKind } from './elements/source-view.ts';
import { isLocated, locatedRanges, type SourceRange } from './core/evidence.ts';
import { controls, elementStyles, tokens } from './elements/styles.ts';

type Phase = 'idle' | 'loading' | 'generating' | 'loaded' | 'error' | 'cancelled';
type CommitPhase = 'idle' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'blocked';

export interface PatientInfo {
  name?: string;
  gender?: string;
  dob?: string;
}

/** Cards rendered at first, and added each time the end of the list comes near the view. */
const FIRST_CARDS = 40;
const MORE_CARDS = 25;

/** Properties whose change means "load again". */
const RELOAD_ON = ['sessionId', 'apiBase', 'tokenUrl', 'tokenProvider', 'patientProfileId', 'ehrAppointmentId'] as const;

/**
 * Heidi clinical-code review.
 *
 * @element heidi-clinical-codes
 *
 * @attr token-url - URL on the host's backend answering GET with `{token, expiration_time}` (same-origin cookies are sent).
 * @attr api-base - Heidi API base URL.
 * @attr session-id - Attach to this Heidi session; changing it switches session.
 * @attr patient-profile-id - Sent to `POST /sessions` when no session-id is given.
 * @attr ehr-appointment-id - Sent to `POST /sessions` when no session-id is given.
 * @attr code-systems - Comma-separated Heidi code systems to show (e.g. `icd_10_cm,cpt_2025` or `ICD-10-CM`).
 * @attr ehr-patient-id - The host's current patient; sending is blocked for another patient's session.
 * @attr readonly - Show codes and evidence without review controls.
 * @attr lang - UI language (`en`, `es`); else the nearest ancestor's `lang`.
 * @attr theme - `light`, `dark` or `auto`.
 * @attr density - `compact` for narrow side panels.
 *
 * @fires heidi-session-start - A session was created or attached: `{sessionId, created}`.
 * @fires heidi-codes-load - Codes are shown: `{sessionId, entities}`.
 * @fires heidi-code-select - A code or its evidence was opened: `{sessionId, entityId, code}`.
 * @fires heidi-code-review - Accept, reject, undo or swap: `{sessionId, entityId, status, code, previousCode?}`.
 * @fires heidi-codes-commit - Cancelable. The user sends accepted codes: `{sessionId, codes, waitUntil(promise)}`.
 * @fires heidi-token-expired - A new token is needed and only `token` was given.
 * @fires heidi-error - Anything failed: `{code, message, status?, retryable}`.
 *
 * @csspart header - Title, progress and toolbar.
 * @csspart toolbar - Filters, sorting, batch accept.
 * @csspart list - The list of code cards.
 * @csspart source - The note / transcript view with evidence marked.
 * @csspart footer - The Send to EHR area.
 * @csspart status - The status line (loading, generating, errors).
 * @csspart card-code - A card's code and name (a button that selects it).
 * @csspart card-status - A card's review status badge.
 * @csspart card-actions - A card's Accept / Reject / Undo buttons.
 * @csspart card-checks - A card's check warnings.
 * @csspart card-similar - A card's similar and related codes.
 * @csspart card-evidence - A card's evidence list.
 *
 * @cssprop --heidi-accent - Accent colour (buttons, links, selection).
 * @cssprop --heidi-on-accent - Text on the accent colour.
 * @cssprop --heidi-surface - Background.
 * @cssprop --heidi-surface-raised - Background of raised areas (source view, dialogs).
 * @cssprop --heidi-text - Text colour.
 * @cssprop --heidi-text-muted - Secondary text colour.
 * @cssprop --heidi-border - Border colour.
 * @cssprop --heidi-radius - Corner radius.
 * @cssprop --heidi-font - Font family.
 * @cssprop --heidi-space - Base spacing (density).
 * @cssprop --heidi-focus - Focus ring colour.
 * @cssprop --heidi-font-size - Base font size (default 0.9375rem).
 * @cssprop --heidi-source-height - Maximum height of the note / transcript view (default 24rem).
 */
export class HeidiClinicalCodes extends LitElement {
  static override styles = [tokens, controls, elementStyles];

  /** URL on the host's backend that answers GET with `{token, expiration_time}`. */
  @property({ attribute: 'token-url' }) tokenUrl = '';
  @property({ attribute: 'api-base' }) apiBase = DEFAULT_API_BASE;
  @property({ attribute: 'session-id' }) sessionId = '';
  @property({ attribute: 'patient-profile-id' }) patientProfileId = '';
  @property({ attribute: 'ehr-appointment-id' }) ehrAppointmentId = '';
  @property({ attribute: 'code-systems' }) codeSystems = '';
  @property({ attribute: 'ehr-patient-id' }) ehrPatientId = '';
  @property({ type: Boolean, reflect: true }) readonly = false;
  @property() override lang = '';
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';
  @property({ reflect: true }) density: 'comfortable' | 'compact' = 'comfortable';

  /** Alternative to `token-url`: the host fetches the JWT response itself. */
  @property({ attribute: false }) tokenProvider: (() => Promise<JwtResponse>) | undefined;
  /** Patient demographics sent to the session (`PATCH /sessions/{id}`), used by the checks. */
  @property({ attribute: false }) patient: PatientInfo | undefined;
  /** Context for the session (`clinician_notes`). */
  @property({ attribute: false }) clinicianNotes: string[] | undefined;
  /**
   * Per-attempt timeouts in ms: `request` for ordinary calls (default 20 s), `codes` for the
   * clinical-codes call, which Heidi generates on request (default 120 s).
   */
  @property({ attribute: false }) timeouts: { request?: number; codes?: number } | undefined;

  /** A JWT set by the host. Kept in memory only, never reflected. */
  set token(value: string | undefined) {
    this.hostToken = value || undefined;
    // Used only when it is the token source: tokenProvider and token-url come first.
    if (this.tokenSource()?.kind === 'host') this.tokens.setHostToken(this.hostToken);
    // The first token of a host that sets it after inserting the element: load now.
    if (this.hostToken && this.error?.code === 'config') this.queueLoad();
  }
  get token(): string | undefined {
    return this.hostToken;
  }

  @state() private phase: Phase = 'idle';
  @state() private model: CodingModel | undefined;
  @state() private error: HeidiError | undefined;
  @state() private notices: string[] = [];
  @state() private elapsed = 0;
  @state() private reviewVersion = 0;
  @state() private selectedId: string | undefined;
  @state() private focusedId: string | undefined;
  @state() private expanded = new Set<string>();
  @state() private sourceKind: SourceKind = 'note';
  @state() private sourceFocus: { kind: SourceKind; id: number } | undefined;
  @state() private systemFilter: string | undefined;
  @state() private statusFilter: StatusFilter = 'ALL';
  @state() private sort: SortOrder = 'document';
  @state() private grouped = true;
  @state() private batchOpen = false;
  @state() private batchFilter: BatchFilter = DEFAULT_BATCH_FILTER;
  @state() private shortcutsOpen = false;
  @state() private commitPhase: CommitPhase = 'idle';
  @state() private commitMessage = '';

  private hostToken: string | undefined;
  private readonly tokens = new TokenManager({
    source: () => this.tokenSource(),
    onHostTokenNeeded: () => this.dispatchEvent(new HeidiTokenExpiredEvent()),
    timeoutMs: () => this.timeouts?.request,
  });
  private client: HeidiClient | undefined;
  private clientKey = '';
  private load: AbortController | undefined;
  private loadQueued = false;
  private review: ReviewState | undefined;
  private generatingTimer: ReturnType<typeof setInterval> | undefined;
  private warningCache = new Map<string, { code: CodeView; patient: unknown; warnings: readonly CheckWarning[] }>();
  private sentPatient: PatientInfo | undefined;
  private sentNotes: string[] | undefined;
  private pendingAnnouncement: string | undefined;
  /** How many cards of the visible list are rendered; grows as the list scrolls into view. */
  @state() private renderLimit = FIRST_CARDS;
  private moreObserver: IntersectionObserver | undefined;
  private shownCache: { model: CodingModel; codeSystems: string; entities: EntityView[] } | undefined;
  private listCache: { key: readonly unknown[]; list: EntityView[]; groups: EntityGroup[] | undefined } | undefined;

  private get liveRegion(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('#live') ?? null;
  }

  // ---------------------------------------------------------------- lifecycle

  constructor() {
    super();
    // A token set before this script upgraded the element is an own property hiding the setter: adopt it.
    if (Object.prototype.hasOwnProperty.call(this, 'token')) {
      const early = (this as { token?: string }).token;
      delete (this as { token?: string }).token;
      this.token = early;
    }
  }

  override connectedCallback(): void {
    // Queued before Lit's first render, so the token request is on the wire before anything is drawn.
    this.queueLoad();
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // No request outlives its element, and no observer either.
    this.abortLoad();
    this.tokens.abort();
    this.moreObserver?.disconnect();
    this.moreObserver = undefined;
  }

  protected override firstUpdated(): void {
    if (this.pendingAnnouncement !== undefined) this.announce(this.pendingAnnouncement);
    this.pendingAnnouncement = undefined;
  }

  protected override updated(): void {
    // Re-observing makes the observer report the sentinel's current position, so a short
    // first chunk keeps growing until the list fills the view.
    const sentinel = this.renderRoot.querySelector('.more');
    if (!sentinel) return;
    this.moreObserver ??= new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.renderLimit += MORE_CARDS;
    }, { rootMargin: '400px' });
    this.moreObserver.disconnect();
    this.moreObserver.observe(sentinel);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new token source: forget the old source's token (the first update only sets them up).
    if (this.hasUpdated && (changed.has('tokenUrl') || changed.has('tokenProvider'))) this.tokens.clear();
    if (RELOAD_ON.some((key) => changed.has(key)) && this.hasUpdated) this.queueLoad();
    if ((changed.has('patient') || changed.has('clinicianNotes')) && this.hasUpdated && this.phase === 'loaded' && !this.loadQueued) {
      void this.sendContext();
    }
  }

  // ---------------------------------------------------------------- public API

  /** Reload the codes (the Retry button does the same). */
  refresh(): Promise<void> {
    return this.startLoad();
  }

  /** Send the accepted codes to the EHR, as the Send button does. Resolves true when the host confirmed. */
  async commit(): Promise<boolean> {
    const model = this.model;
    const review = this.review;
    if (!model || !review || this.readonly || this.commitPhase === 'sending') return false;
    if (this.wrongPatient()) {
      this.setCommit('blocked', this.messages.wrongPatient);
      return false;
    }
    const accepted = review.accepted(this.shownEntities());
    if (accepted.length === 0) {
      this.announce(this.messages.nothingToSend);
      return false;
    }
    const codes = accepted.map((entity) => this.committedCode(entity, review));
    const pending: Promise<unknown>[] = [];
    const event = new HeidiCodesCommitEvent({
      sessionId: model.sessionId,
      codes,
      waitUntil: (promise) => {
        pending.push(Promise.resolve(promise));
      },
    });
    this.dispatchEvent(event);
    if (event.defaultPrevented) {
      this.setCommit('cancelled', this.messages.sendCancelled);
      return false;
    }
    this.setCommit('sending', this.messages.sending);
    try {
      await Promise.all(pending);
    } catch (error) {
      this.setCommit('failed', this.messages.sendFailed(error instanceof Error ? error.message : typeof error === 'string' ? error : ''));
      return false;
    }
    if (this.review !== review) return false; // the session changed while the host was writing
    review.markSent(codes);
    this.reviewVersion += 1;
    this.setCommit('sent', this.messages.sentOk(codes.length));
    return true;
  }

  // ---------------------------------------------------------------- loading

  private tokenSource(): TokenSource | undefined {
    if (this.tokenProvider) {
      const provide = this.tokenProvider;
      return { kind: 'provider', provide: () => provide() };
    }
    if (this.tokenUrl) return { kind: 'url', url: this.tokenUrl };
    if (this.hostToken) return { kind: 'host' };
    return undefined;
  }

  private queueLoad(): void {
    if (this.loadQueued) return;
    this.loadQueued = true;
    // Attributes usually arrive together; one load for all of them.
    queueMicrotask(() => {
      this.loadQueued = false;
      if (this.isConnected) void this.startLoad();
    });
  }

  private abortLoad(): void {
    this.load?.abort();
    this.load = undefined;
    this.stopTimer();
  }

  private heidiClient(): HeidiClient {
    const base = this.apiBase || DEFAULT_API_BASE;
    const key = `${base} ${this.timeouts?.request ?? ''} ${this.timeouts?.codes ?? ''}`;
    if (!this.client || this.clientKey !== key) {
      this.client = new HeidiClient({
        apiBase: base,
        tokens: this.tokens,
        ...(this.timeouts?.request ? { timeoutMs: this.timeouts.request } : {}),
        ...(this.timeouts?.codes ? { codesTimeoutMs: this.timeouts.codes } : {}),
      });
      this.clientKey = key;
    }
    return this.client;
  }

  private async startLoad(): Promise<void> {
    this.abortLoad();
    const controller = new AbortController();
    this.load = controller;
    const signal = controller.signal;
    this.phase = 'loading';
    this.error = undefined;
    this.notices = [];
    this.announce(this.sessionId ? this.messages.loadingSession : this.messages.creatingSession);
    if (this.sessionId !== this.model?.sessionId) {
      this.model = undefined;
      this.selectedId = undefined;
      this.focusedId = undefined;
      this.expanded = new Set();
      this.commitPhase = 'idle';
      this.commitMessage = '';
    }
    try {
      if (!this.tokenSource()) {
        throw new HeidiError('config', 'No token source: set the token-url attribute, or the tokenProvider or token property.', {
          retryable: false,
        });
      }
      const update = this.contextUpdate(!this.sessionId);
      const sentPatient = this.patient;
      // While the first requests are on the wire: pay the one-off costs (Intl's first formatter, zod's
      // lazy set-up of each schema) now, not after the data arrives.
      setTimeout(() => {
        this.percentFormatter();
        warmSchemas();
      });
      const sentNotes = this.clinicianNotes;
      const result = await loadCodes({
        client: this.heidiClient(),
        sessionId: this.sessionId || undefined,
        create: {
          ...(this.patientProfileId ? { patient_profile_id: this.patientProfileId } : {}),
          ...(this.ehrAppointmentId ? { ehr_appointment_id: this.ehrAppointmentId } : {}),
        },
        update,
        signal,
        onSessionStart: (sessionId, created) => {
          if (signal.aborted) return;
          this.dispatchEvent(new HeidiSessionStartEvent({ sessionId, created }));
        },
        onGenerating: () => {
          if (signal.aborted) return;
          this.phase = 'generating';
          this.announce(this.messages.generatingStarted);
          this.startTimer();
        },
      });
      if (signal.aborted) return;
      // What the PATCH carried; a patient the host set while loading is sent right after.
      this.sentPatient = sentPatient;
      this.sentNotes = sentNotes;
      this.showResult(result);
      void this.sendContext();
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      this.fail(error);
    } finally {
      if (this.load === controller) this.stopTimer();
    }
  }

  /** PATCH body from the host's patient and context, if it set any. */
  private contextUpdate(creating: boolean): SessionUpdate | undefined {
    const update: SessionUpdate & { ehr_patient_id?: string } = {};
    if (this.patient) update.patient = pickPatient(this.patient);
    if (this.clinicianNotes) update.clinician_notes = [...this.clinicianNotes];
    // A session this element created is linked to the host's patient, so the wrong-patient guard can check it later.
    if (creating && this.ehrPatientId) update.ehr_patient_id = this.ehrPatientId;
    return Object.keys(update).length ? update : undefined;
  }

  private async sendContext(): Promise<void> {
    const model = this.model;
    if (!model || (this.patient === this.sentPatient && this.clinicianNotes === this.sentNotes)) return;
    const update = this.contextUpdate(false);
    if (!update) return;
    this.sentPatient = this.patient;
    this.sentNotes = this.clinicianNotes;
    const signal = this.load?.signal;
    try {
      const session = await this.heidiClient().updateSession(model.sessionId, update, signal);
      if (this.model?.sessionId !== model.sessionId || signal?.aborted) return;
      this.model = { ...model, session };
      this.warningCache.clear();
    } catch (error) {
      if (!isAbort(error)) this.reportError(toHeidiError(error));
    }
  }

  private showResult(result: LoadResult): void {
    const { model } = result;
    if (this.review?.sessionId !== model.sessionId) this.review = new ReviewState(model.sessionId);
    this.warningCache.clear();
    this.model = model;
    this.notices = [
      ...(result.sessionError ? [this.messages.degradedSession] : []),
      ...(result.transcriptError ? [this.messages.degradedTranscript] : []),
    ];
    this.phase = 'loaded';
    this.renderLimit = FIRST_CARDS;
    this.sourceKind = model.note ? 'note' : 'transcript';
    const shown = this.shownEntities();
    this.focusedId ??= shown[0]?.id;
    this.announce(shown.length ? this.messages.loaded(shown.length) : this.messages.empty);
    const review = this.review;
    this.dispatchEvent(
      new HeidiCodesLoadEvent({
        sessionId: model.sessionId,
        entities: shown.map((e) => ({
          entityId: e.id,
          code: codeRef(review.chosenCode(e)),
          similarCodes: e.similar.map(codeRef),
          relevance: e.relevance,
          score: review.chosenCode(e).score,
          status: review.status(e.id),
        })),
      }),
    );
  }

  private fail(error: unknown): void {
    const heidiError = toHeidiError(error);
    this.phase = 'error';
    this.error = heidiError;
    this.reportError(heidiError);
  }

  private reportError(error: HeidiError): void {
    this.announce(`${this.messages.errorTitle}. ${this.messages.errors[error.code]}`);
    this.dispatchEvent(
      new HeidiErrorEvent({
        code: error.code,
        message: error.message,
        ...(error.status !== undefined ? { status: error.status } : {}),
        retryable: error.retryable,
      }),
    );
  }

  private cancelGeneration(): void {
    this.abortLoad();
    this.phase = 'cancelled';
    this.announce(this.messages.cancelled);
  }

  private startTimer(): void {
    this.stopTimer();
    const started = performance.now();
    this.elapsed = 0;
    this.generatingTimer = setInterval(() => {
      this.elapsed = Math.floor((performance.now() - started) / 1000);
    }, 1000);
  }

  private stopTimer(): void {
    if (this.generatingTimer !== undefined) clearInterval(this.generatingTimer);
    this.generatingTimer = undefined;
  }

  // ---------------------------------------------------------------- review

  private get messages(): Messages {
    return messagesFor(this.resolvedLang()).messages;
  }

  /** Own `lang`, else the nearest ancestor's, looking through the host's own shadow roots too. */
  private resolvedLang(): string {
    if (this.lang) return this.lang;
    const hostOf = (node: Node): Element | null => {
      const root = node.getRootNode();
      return root instanceof ShadowRoot ? root.host : null;
    };
    for (let scope = this.parentElement ?? hostOf(this); scope; scope = hostOf(scope)) {
      const ancestor = scope.closest<HTMLElement>('[lang]');
      if (ancestor?.lang) return ancestor.lang;
    }
    return document.documentElement.lang || 'en';
  }

  private codeSystemList(): string[] {
    return (this.codeSystems ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  private warningsFor(entity: EntityView): readonly CheckWarning[] {
    const review = this.review;
    const model = this.model;
    if (!review || !model) return [];
    const code = review.chosenCode(entity);
    const patient = model.session?.patient;
    const cached = this.warningCache.get(entity.id);
    if (cached && cached.code === code && cached.patient === patient) return cached.warnings;
    const warnings = checkEntity(entity, code, { patient, sessionDate: model.session?.created_at });
    this.warningCache.set(entity.id, { code, patient, warnings });
    return warnings;
  }

  private entityById(id: string): EntityView | undefined {
    return this.model?.entities.find((e) => e.id === id);
  }

  private applyChange(change: ReviewChange | undefined): void {
    if (!change || !this.model) return;
    this.reviewVersion += 1;
    if (this.commitPhase !== 'sending') this.commitPhase = 'idle';
    this.announce(`${change.code.code}: ${this.messages.status[change.status]}`);
    this.dispatchEvent(
      new HeidiCodeReviewEvent({
        sessionId: this.model.sessionId,
        entityId: change.entityId,
        status: change.status,
        code: change.code,
        ...(change.previousCode ? { previousCode: change.previousCode } : {}),
      }),
    );
  }

  private setStatus(entity: EntityView, status: ReviewStatus): void {
    if (this.readonly || !this.review) return;
    this.applyChange(this.review.setStatus(entity, status));
  }

  private swap(entity: EntityView, code: CodeView): void {
    if (this.readonly || !this.review) return;
    this.applyChange(this.review.swap(entity, code));
  }

  private select(entity: EntityView, open?: { source: SourceKind; index: number }): void {
    if (!this.model || !this.review) return;
    this.selectedId = entity.id;
    this.focusedId = entity.id;
    const source = open?.source ?? (entity.note.some(isLocated) ? 'note' : entity.transcript.some(isLocated) ? 'transcript' : this.sourceKind);
    this.sourceKind = source;
    this.sourceFocus = { kind: source, id: open?.index ?? firstIndex(entity, source) };
    this.dispatchEvent(
      new HeidiCodeSelectEvent({ sessionId: this.model.sessionId, entityId: entity.id, code: codeRef(this.review.chosenCode(entity)) }),
    );
  }

  /** Open or close a card's evidence; opening it is opening the code, so it also selects it. */
  private setExpanded(entity: EntityView, open: boolean): void {
    const expanded = new Set(this.expanded);
    if (open) expanded.add(entity.id);
    else expanded.delete(entity.id);
    this.expanded = expanded;
    if (open) this.select(entity);
  }

  private onCardAction(event: CardActionEvent): void {
    event.stopPropagation();
    const entity = this.entityById(event.entityId);
    if (!entity) return;
    this.focusedId = entity.id;
    const action: CardAction = event.action;
    switch (action.type) {
      case 'select':
        this.select(entity);
        break;
      case 'status':
        this.setStatus(entity, action.status);
        break;
      case 'swap':
        this.swap(entity, action.code);
        break;
      case 'open':
        this.select(entity, { source: action.source, index: action.index });
        break;
      case 'expand':
        this.setExpanded(entity, action.open);
        break;
    }
  }

  private committedCode(entity: EntityView, review: ReviewState): CommittedCode {
    const code = review.chosenCode(entity);
    return {
      ...codeRef(code),
      entityId: entity.id,
      evidence: {
        transcript: entity.transcript.filter(isLocated).map((t) => ({ start: t.start, end: t.end, text: t.text })),
        note: entity.note.filter(isLocated).map((n) => ({ start: n.start, end: n.end, text: n.text })),
      },
      warnings: this.warningsFor(entity).map((w) => w.kind),
    };
  }

  private wrongPatient(): boolean {
    if (!this.ehrPatientId) return false;
    const sessionPatient = this.model?.session?.ehr_patient_id;
    // Without the session we cannot prove it is this patient's: block rather than risk the wrong chart.
    if (!this.model?.session) return true;
    return !!sessionPatient && sessionPatient !== this.ehrPatientId;
  }

  private setCommit(phase: CommitPhase, message: string): void {
    this.commitPhase = phase;
    this.commitMessage = message;
    this.announce(message);
  }

  /**
   * Say something through the live region. Written straight into the DOM, so an
   * announcement costs no render; a repeated message gets a trailing no-break
   * space so screen readers hear it again.
   */
  private announce(message: string): void {
    const region = this.liveRegion;
    if (!region) {
      this.pendingAnnouncement = message;
      return;
    }
    region.textContent = region.textContent === message ? `${message}\u00a0` : message;
  }

  // ---------------------------------------------------------------- keyboard

  private onListKeydown(event: KeyboardEvent): void {
    const origin = event.composedPath()[0];
    if (origin instanceof HTMLElement && (origin.matches('input, select, textarea, [contenteditable=""], [contenteditable="true"]') || origin.isContentEditable)) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // The card the key came from (a key pressed on a card's own button acts on that card), else the list's focus.
    const fromCard = event.composedPath().find((node): node is HTMLElement => node instanceof HTMLElement && node.localName === 'heidi-code-card');
    if (fromCard?.dataset.id) this.focusedId = fromCard.dataset.id;
    const { list } = this.visibleList();
    const index = list.findIndex((e) => e.id === this.focusedId);
    const entity = list[index];
    const onCard = origin === fromCard;
    const key = event.key;
    let handled = true;
    if (key === 'ArrowDown' || key === 'j') this.moveFocus(list, index + 1);
    else if (key === 'ArrowUp' || key === 'k') this.moveFocus(list, index - 1);
    else if (key === 'Home') this.moveFocus(list, 0);
    else if (key === 'End') this.moveFocus(list, list.length - 1);
    else if (key === '?') this.shortcutsOpen = !this.shortcutsOpen;
    else if (!entity) handled = false;
    else if (key === 'a') this.setStatus(entity, 'ACCEPTED');
    else if (key === 'r') this.setStatus(entity, 'REJECTED');
    else if (key === 'u') this.setStatus(entity, 'PENDING');
    else if (/^[1-9]$/.test(key)) {
      const code = entity.similar[Number(key) - 1];
      if (code) this.swap(entity, code);
    } else if (key === 'Enter' && onCard) {
      this.setExpanded(entity, true);
    } else handled = false;
    if (handled) event.preventDefault();
  }

  /** A click or Tab into a card makes it the card the shortcuts act on (and the list's tab stop). */
  private onListFocusin(event: FocusEvent): void {
    const card = event.composedPath().find((node): node is HTMLElement => node instanceof HTMLElement && node.localName === 'heidi-code-card');
    if (card?.dataset.id && card.dataset.id !== this.focusedId) this.focusedId = card.dataset.id;
  }

  private moveFocus(list: readonly EntityView[], index: number): void {
    const at = Math.max(0, Math.min(list.length - 1, index));
    const target = list[at];
    if (!target) return;
    this.focusedId = target.id;
    this.focusWhenRendered(target.id, at);
  }

  /**
   * Focus a card, rendering up to it first. A far jump (End in 2,000 codes) grows the
   * list a chunk per frame, so the page stays responsive while it catches up.
   */
  private focusWhenRendered(id: string, index: number): void {
    const step = () => {
      if (!this.isConnected || this.focusedId !== id) return; // the user moved on, or the element left
      if (index >= this.renderLimit) {
        this.renderLimit = Math.min(index + 1, this.renderLimit + MORE_CARDS);
        void this.updateComplete.then(() => requestAnimationFrame(step));
        return;
      }
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`heidi-code-card[data-id="${CSS.escape(id)}"]`)?.focus());
    };
    step();
  }

  /** The entities `code-systems` allows, computed once per model and attribute value (toolbar, list and footer share it). */
  private shownEntities(): EntityView[] {
    const model = this.model;
    if (!model) return [];
    if (this.shownCache?.model !== model || this.shownCache.codeSystems !== this.codeSystems) {
      this.shownCache = { model, codeSystems: this.codeSystems, entities: allowedEntities(model.entities, this.codeSystemList()) };
    }
    return this.shownCache.entities;
  }

  /** The list as shown (filtered, sorted, grouped), computed once per change of its inputs. */
  private visibleList(): { list: EntityView[]; groups: EntityGroup[] | undefined } {
    const model = this.model;
    const review = this.review;
    if (!model || !review) return { list: [], groups: undefined };
    const key = [model, review, this.reviewVersion, this.codeSystems, this.systemFilter, this.statusFilter, this.sort, this.grouped];
    if (this.listCache?.key.every((v, i) => v === key[i])) return this.listCache;
    const shown = visibleEntities(model.entities, review, {
      codeSystems: this.codeSystemList(),
      system: this.systemFilter,
      status: this.statusFilter,
      sort: this.sort,
    });
    const groups = this.grouped ? groupByKind(shown) : undefined;
    this.listCache = { key, list: groups ? groups.flatMap((g) => g.entities) : shown, groups };
    return this.listCache;
  }

  // ---------------------------------------------------------------- batch

  private candidates(): EntityView[] {
    if (!this.model || !this.review) return [];
    const shown = visibleEntities(this.model.entities, this.review, {
      codeSystems: this.codeSystemList(),
      system: this.systemFilter,
      status: 'ALL',
      sort: 'document',
    });
    return batchCandidates(shown, this.review, (e) => this.warningsFor(e), this.batchFilter);
  }

  /** Close a toolbar panel and give focus back to the button that opened it. */
  private closePanel(panel: 'batch' | 'shortcuts'): void {
    if (panel === 'batch') this.batchOpen = false;
    else this.shortcutsOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`.toolbar button[data-panel="${panel}"]`)?.focus());
  }

  private confirmBatch(): void {
    const review = this.review;
    if (!review || this.readonly) return;
    const chosen = this.candidates();
    for (const change of review.setStatuses(chosen, 'ACCEPTED')) this.applyChange(change);
    this.closePanel('batch');
    this.announce(this.messages.batchDone(chosen.length));
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const m = this.messages;
    // The UI's own language, so a fallback to English inside a French page is read as English.
    return html`<div lang=${messagesFor(this.resolvedLang()).lang}>
      <div class="header" part="header">
        <h2>${m.title}</h2>
        ${this.phase === 'loaded' ? this.renderToolbar(m) : nothing}
      </div>
      <div role="status" aria-live="polite" class="visually-hidden" id="live"></div>
      ${this.renderBody(m)}
    </div>`;
  }

  private renderBody(m: Messages): TemplateResult {
    switch (this.phase) {
      case 'idle':
      case 'loading':
        return html`<div class="state" part="status"><span><span class="spinner" aria-hidden="true"></span>${this.sessionId ? m.loadingSession : m.creatingSession}</span></div>`;
      case 'generating':
        return html`<div class="state" part="status">
          <span><span class="spinner" aria-hidden="true"></span>${m.generating(this.elapsed)}</span>
          <button @click=${this.cancelGeneration}>${m.cancel}</button>
        </div>`;
      case 'cancelled':
        return html`<div class="state" part="status"><span>${m.cancelled}</span><button class="primary" @click=${() => void this.refresh()}>${m.loadCodes}</button></div>`;
      case 'error':
        return this.renderError(m);
      case 'loaded':
        return this.renderLoaded(m);
    }
  }

  private renderError(m: Messages): TemplateResult {
    const error = this.error;
    return html`<div class="state error" part="status" role="alert">
      <strong>${m.errorTitle}</strong>
      <span>${error ? m.errors[error.code] : ''}</span>
      ${error?.message ? html`<details><summary>${m.details}</summary><span lang="en">${error.message}</span></details>` : nothing}
      ${error?.retryable !== false ? html`<button class="primary" @click=${() => void this.refresh()}>${m.retry}</button>` : nothing}
    </div>`;
  }

  private renderToolbar(m: Messages): TemplateResult {
    const review = this.review!;
    const shown = this.shownEntities();
    const counts = review.counts(shown);
    const systems = [...new Set(shown.map((e) => e.primary.systemLabel))];
    return html`
      <span class="progress">${m.progress(counts.ACCEPTED, counts.REJECTED, shown.length)}</span>
      ${shown.length
        ? html`<div class="toolbar" part="toolbar">
            ${systems.length > 1
              ? html`<label
                  >${m.filterSystem}
                  <select @change=${(e: Event) => (this.systemFilter = (e.target as HTMLSelectElement).value || undefined)}>
                    <option value="" ?selected=${!this.systemFilter}>${m.allSystems}</option>
                    ${systems.map((s) => html`<option value=${s} ?selected=${this.systemFilter === s}>${s}</option>`)}
                  </select></label
                >`
              : nothing}
            <label
              >${m.filterStatus}
              <select @change=${(e: Event) => (this.statusFilter = (e.target as HTMLSelectElement).value as StatusFilter)}>
                ${(['ALL', 'PENDING', 'ACCEPTED', 'REJECTED'] as const).map(
                  (s) => html`<option value=${s} ?selected=${this.statusFilter === s}>${s === 'ALL' ? m.allStatuses : m.status[s]}</option>`,
                )}
              </select></label
            >
            <label
              >${m.sortBy}
              <select @change=${(e: Event) => (this.sort = (e.target as HTMLSelectElement).value as SortOrder)}>
                <option value="document" ?selected=${this.sort === 'document'}>${m.sortDocument}</option>
                <option value="relevance" ?selected=${this.sort === 'relevance'}>${m.sortRelevance}</option>
                <option value="score" ?selected=${this.sort === 'score'}>${m.sortScore}</option>
              </select></label
            >
            <label class="check"
              ><input type="checkbox" .checked=${this.grouped} @change=${(e: Event) => (this.grouped = (e.target as HTMLInputElement).checked)} />${m.groupByKind}</label
            >
            ${this.readonly
              ? nothing
              : html`<button data-panel="batch" aria-expanded=${this.batchOpen ? 'true' : 'false'} @click=${() => (this.batchOpen = !this.batchOpen)}>${m.batchAccept}</button>`}
            <button data-panel="shortcuts" aria-expanded=${this.shortcutsOpen ? 'true' : 'false'} title="${m.shortcuts} (?)" @click=${() => (this.shortcutsOpen = !this.shortcutsOpen)}>
              ${m.shortcuts}
            </button>
          </div>`
        : nothing}
    `;
  }

  private renderLoaded(m: Messages): TemplateResult {
    const shown = this.shownEntities();
    return html`
      ${this.notices.map((n) => html`<p class="notice">${n}</p>`)}
      ${this.readonly ? html`<p class="progress">${m.readonlyNote}</p>` : nothing}
      ${this.batchOpen && !this.readonly ? this.renderBatch(m) : nothing} ${this.shortcutsOpen ? this.renderShortcuts(m) : nothing}
      ${shown.length === 0
        ? html`<div class="state" part="status"><span>${m.empty}</span></div>`
        : html`<div class="layout">
            <div @card-action=${this.onCardAction} @keydown=${this.onListKeydown} @focusin=${this.onListFocusin}>${this.renderList(m)}</div>
            ${this.renderSource(m)}
          </div>`}
      ${this.readonly || shown.length === 0 ? nothing : this.renderFooter(m)}
    `;
  }

  /**
   * The cards, in display order. Only the first `renderLimit` are rendered: a long
   * consultation's list grows as it scrolls into view (and as the keyboard moves),
   * so 500 or 2,000 codes paint as fast as 40.
   */
  private renderList(m: Messages): TemplateResult {
    const { list, groups } = this.visibleList();
    if (list.length === 0) return html`<p class="progress">${m.noneMatch}</p>`;
    const focused = list.some((e) => e.id === this.focusedId) ? this.focusedId : list[0]?.id;
    let budget = this.renderLimit;
    const take = (entities: readonly EntityView[]) => {
      const shown = entities.slice(0, Math.max(0, budget));
      budget -= shown.length;
      return this.renderCards(shown, focused);
    };
    const more = list.length - this.renderLimit;
    const rest =
      more > 0
        ? html`<p class="more"><button @click=${() => (this.renderLimit += Math.max(more, 0))}>${m.showMore(more)}</button></p>`
        : nothing;
    if (!groups) return html`<ul class="list" part="list" aria-label=${m.title}>${take(list)}</ul>${rest}`;
    return html`${groups.map((group) => {
      if (budget <= 0) return nothing;
      return html`<h3>${m.groups[group.kind]} (${group.entities.length})</h3>
        <ul class="list" part="list" aria-label=${m.groups[group.kind] ?? m.title}>${take(group.entities)}</ul>`;
    })}${rest}`;
  }

  private renderCards(entities: readonly EntityView[], focused: string | undefined): TemplateResult[] {
    const review = this.review!;
    const m = this.messages;
    const percent = this.percentFormatter();
    return entities.map(
      (entity) => html`<heidi-code-card
        role="listitem"
        exportparts="code: card-code, status: card-status, actions: card-actions, checks: card-checks, similar: card-similar, evidence: card-evidence"
        data-id=${entity.id}
        tabindex=${entity.id === focused ? '0' : '-1'}
        .entity=${entity}
        .chosen=${review.chosenCode(entity)}
        .status=${review.status(entity.id)}
        .warnings=${this.warningsFor(entity)}
        .selected=${entity.id === this.selectedId}
        .sent=${review.isSent(entity)}
        .readonly=${this.readonly}
        .expanded=${this.expanded.has(entity.id)}
        .messages=${m}
        .percent=${percent}
        .transcriptAvailable=${this.model?.transcript !== undefined}
      ></heidi-code-card>`,
    );
  }

  private percentCache: { lang: string; format: (score: number) => string } | undefined;

  private percentFormatter(): (score: number) => string {
    const lang = this.resolvedLang();
    if (this.percentCache?.lang !== lang) {
      let formatter: Intl.NumberFormat;
      try {
        formatter = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
      } catch {
        formatter = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });
      }
      this.percentCache = { lang, format: (score) => formatter.format(score) };
    }
    return this.percentCache.format;
  }

  private renderSource(m: Messages): TemplateResult {
    const model = this.model!;
    const entity = this.selectedId ? this.entityById(this.selectedId) : undefined;
    const noteRanges: SourceRange[] = entity ? locatedRanges(entity.note) : [];
    const transcriptRanges: SourceRange[] = entity ? locatedRanges(entity.transcript) : [];
    return html`<heidi-source-view
      part="source"
      .kind=${this.sourceKind}
      .note=${model.note}
      .transcript=${model.transcript}
      .noteRanges=${noteRanges}
      .transcriptRanges=${transcriptRanges}
      .focusTarget=${this.sourceFocus}
      .messages=${m}
    ></heidi-source-view>`;
  }

  private renderBatch(m: Messages): TemplateResult {
    const count = this.candidates().length;
    const f = this.batchFilter;
    const set = (patch: Partial<BatchFilter>) => (this.batchFilter = { ...this.batchFilter, ...patch });
    return html`<section class="panel" aria-labelledby="batch-title">
      <h3 id="batch-title">${m.batchTitle}</h3>
      <div class="row">
        <label
          >${m.batchMinRelevance}
          <select @change=${(e: Event) => set({ minRelevance: (e.target as HTMLSelectElement).value as BatchFilter['minRelevance'] })}>
            ${(['HIGH', 'MEDIUM', 'LOW'] as const).map((r) => html`<option value=${r} ?selected=${f.minRelevance === r}>${m.relevanceValue[r]}</option>`)}
          </select></label
        >
        <label
          >${m.batchMinScore}
          <input
            type="number"
            min="0"
            max="100"
            step="5"
            .value=${String(Math.round(f.minScore * 100))}
            @input=${(e: Event) => set({ minScore: clamp01(Number((e.target as HTMLInputElement).value) / 100) })}
        /></label>
      </div>
      <label class="row"
        ><input type="checkbox" .checked=${f.requireEvidence} @change=${(e: Event) => set({ requireEvidence: (e.target as HTMLInputElement).checked })} />${m.batchRequireEvidence}</label
      >
      <label class="row"
        ><input type="checkbox" .checked=${f.excludeWarnings} @change=${(e: Event) => set({ excludeWarnings: (e.target as HTMLInputElement).checked })} />${m.batchExcludeWarnings}</label
      >
      <p aria-live="polite">${m.batchCount(count)}</p>
      <div class="row">
        <button class="primary batch-confirm" ?disabled=${count === 0} @click=${this.confirmBatch}>${m.batchConfirm(count)}</button>
        <button @click=${() => this.closePanel('batch')}>${m.cancel}</button>
      </div>
    </section>`;
  }

  private renderShortcuts(m: Messages): TemplateResult {
    return html`<section class="panel" aria-labelledby="keys-title">
      <h3 id="keys-title">${m.shortcuts}</h3>
      <dl class="keys">${m.shortcutList.map(([key, what]) => html`<dt>${key}</dt><dd>${what}</dd>`)}</dl>
      <div class="row"><button @click=${() => this.closePanel('shortcuts')}>${m.close}</button></div>
    </section>`;
  }

  private renderFooter(m: Messages): TemplateResult {
    const review = this.review!;
    const accepted = review.accepted(this.shownEntities()).length;
    const blocked = this.wrongPatient();
    return html`<div class="footer" part="footer">
      <button
        class="primary send"
        ?disabled=${accepted === 0 || blocked}
        aria-disabled=${this.commitPhase === 'sending' ? 'true' : 'false'}
        @click=${() => void this.commit()}
      >
        ${accepted ? m.sendCount(accepted) : m.sendToEhr}
      </button>
      <span class="commit-msg ${blocked ? 'blocked' : this.commitPhase}"
        >${blocked ? m.wrongPatient : this.commitPhase === 'idle' ? (accepted ? '' : m.nothingToSend) : this.commitMessage}</span
      >
    </div>`;
  }
}

function pickPatient(patient: PatientInfo): { name?: string; gender?: string; dob?: string } {
  return {
    ...(patient.name !== undefined ? { name: patient.name } : {}),
    ...(patient.gender !== undefined ? { gender: patient.gender } : {}),
    ...(patient.dob !== undefined ? { dob: patient.dob } : {}),
  };
}

function firstIndex(entity: EntityView, source: SourceKind): number {
  const index = source === 'note' ? entity.note.findIndex(isLocated) : entity.transcript.findIndex(isLocated);
  return Math.max(0, index);
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/** Anything that is not already a HeidiError is a bug or an unknown failure: reported, never thrown at the host. */
export function toHeidiError(error: unknown): HeidiError {
  if (error instanceof HeidiError) return error;
  return new HeidiError('server', error instanceof Error ? error.message : 'Unexpected failure.', { cause: error });
}
