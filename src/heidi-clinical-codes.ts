/**
 * <heidi-clinical-codes>: Heidi's suggested clinical codes beside the words
 * that support them, for a clinician or coder to accept, reject or swap, and
 * hand the accepted ones to the EHR.
 *
 * The element wires controllers (src/controllers: load, review, commit,
 * locale, announcer, list view, roving focus, progressive rendering) to
 * templates (src/templates) and the card and source-view parts; the rules
 * live in the DOM-free core (src/core).
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { DEFAULT_API_BASE } from './core/client.ts';
import { errorDetail, HeidiError } from './core/errors.ts';
import { loadedEntity } from './core/payloads.ts';
import type { JwtResponse } from './core/schemas.ts';
import type { Reviewer } from './core/audit.ts';
import type { ReviewSnapshot } from './core/review-snapshot.ts';
import type { LoadResult } from './core/session-loader.ts';
import { HeidiCodesLoadEvent, HeidiErrorEvent } from './events.ts';
import { TEMPLATES_REFUSED, templatesRefused } from './elements/trusted-types.ts';
import type { CardActionEvent } from './elements/code-card/code-card.ts';
import { AnnouncerController } from './controllers/announcer.ts';
import { MoveGuard } from './controllers/move-guard.ts';
import { applyCardAction } from './controllers/card-actions.ts';
import { adoptEarlyProperties, PropertyDoorsController } from './controllers/property-doors.ts';
import { CommitController } from './controllers/commit.ts';
import { ListViewController } from './controllers/list-view.ts';
import { LocaleController, type Locale } from './controllers/locale.ts';
import { ProgressiveRenderController } from './controllers/progressive.ts';
import { ReviewController } from './controllers/review.ts';
import { focusAfterUpdate, RovingFocusController } from './controllers/roving-focus.ts';
import { FocusKeeper } from './controllers/focus-keeper.ts';
import { SelectionController, revealAboveDrawer } from './controllers/selection.ts';
import { SessionLoadController } from './controllers/session-load.ts';
import type { PatientInfo } from './controllers/session-context.ts';
import { ToolbarPanelsController } from './controllers/toolbar-panels.ts';
import { statusTemplate, emptyTemplate, shownMessage } from './templates/status.ts';
import { footerTemplate } from './templates/footer.ts';
import { engineHeaderTemplate } from './templates/engine-progress.ts';
import { codeListTemplate } from './templates/code-list.ts';
import { sourcePaneTemplate } from './templates/source-pane.ts';
import { controls } from './styles/controls.ts';
import { elementStyles } from './styles/element.ts';
import { tokens } from './styles/tokens.ts';

/**
 * Heidi clinical-code review.
 *
 * @element heidi-clinical-codes
 *
 * @attr token-url - URL on the host's backend answering GET with `{token, expiration_time}` (same-origin cookies are sent).
 * @attr api-base - Heidi API base URL.
 * @attr session-id - Attach to this Heidi session; changing it switches session. Unset creates one; empty is a config error.
 * @attr patient-profile-id - Sent to `POST /sessions` when no session-id is given.
 * @attr ehr-appointment-id - Sent to `POST /sessions` when no session-id is given.
 * @attr code-systems - Comma-separated Heidi code systems to show (e.g. `icd_10_cm,cpt_2025` or `ICD-10-CM`).
 * @attr ehr-patient-id - The host's current patient; sending is blocked for another patient's session.
 * @attr readonly - Show codes and evidence without review controls.
 * @attr lang - UI language (`en`, `es`); else the nearest ancestor's `lang`.
 * @attr theme - `light`, `dark` or `auto`.
 * @attr density - `compact` for narrow side panels.
 * @attr engines - Coding engines in display order: `heidi` (default), `sully`, `omniscribe`.
 * @attr sully-base - URL of the host's forwarder to Sully's coding API.
 * @attr omniscribe-base - URL of the host's forwarder to Omniscribe Codify.
 * @attr omniscribe-model - `fast`, `balanced` (default) or `high-quality`.
 *
 * @fires heidi-session-start - A session was created, or attached (once Heidi answers for it): `{sessionId, created}`.
 * @fires heidi-codes-load - Codes are shown: `{sessionId, entities}`.
 * @fires heidi-code-select - A code or its evidence was opened: `{sessionId, entityId, code}`.
 * @fires heidi-code-review - Accept, reject, undo or swap: `{sessionId, entityId, status, code, previousCode?}`.
 * @fires heidi-codes-commit - Cancelable. The user sends accepted codes: `{sessionId, codes, fhir, audit, added, removed, waitUntil(promise)}`.
 * @fires heidi-token-expired - A new token is needed and only `token` was given.
 * @fires heidi-error - Anything failed: `{code, message, status?, retryable, engine?}`.
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
 * @csspart card-quote - A card's always-visible quote (and a flagged one's warning).
 * @csspart progress - The header's reviewed / total progress bar.
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
  @property({ attribute: 'session-id' }) sessionId: string | undefined;
  @property({ attribute: 'patient-profile-id' }) patientProfileId = '';
  @property({ attribute: 'ehr-appointment-id' }) ehrAppointmentId = '';
  @property({ attribute: 'code-systems' }) codeSystems = '';
  @property({ attribute: 'ehr-patient-id' }) ehrPatientId = '';
  @property({ type: Boolean, reflect: true }) readonly = false;
  @property() override lang = '';
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';
  @property({ reflect: true }) density: 'comfortable' | 'compact' = 'comfortable';
  @property() engines = 'heidi';
  @property({ attribute: 'sully-base' }) sullyBase = '';
  @property({ attribute: 'omniscribe-base' }) omniscribeBase = '';
  @property({ attribute: 'omniscribe-model' }) omniscribeModel: 'fast' | 'balanced' | 'high-quality' = 'balanced';
  /** The host's own note, coded by the peers when `engines` does not include `heidi` (no Heidi token needed). */
  @property({ attribute: false }) note: string | undefined;

  /** Alternative to `token-url`: the host fetches the JWT response itself. */
  @property({ attribute: false }) tokenProvider: (() => Promise<JwtResponse>) | undefined;
  /** Patient demographics sent to the session (`PATCH /sessions/{id}`), used by the checks. */
  @property({ attribute: false }) patient: PatientInfo | undefined;
  /** Context for the session (`clinician_notes`). */
  @property({ attribute: false }) clinicianNotes: string[] | undefined;
  /** Timeouts in ms: `request` (20 s), `codes` (120 s), `hostToken` (30 s for the host to give a token), `poll` (Sully, 2 s). */
  @property({ attribute: false }) timeouts: { request?: number; codes?: number; hostToken?: number; poll?: number } | undefined;
  /** The person reviewing (`{reference: 'Practitioner/123', display}`): the audit's reviewer, the FHIR verifier. */
  @property({ attribute: false }) reviewer: Reviewer | undefined;

  /** The review as JSON (`{sessionId, decisions, audit}`) for the host to keep; set it to restore one. */
  get reviewState(): ReviewSnapshot | undefined {
    return this._review.snapshot;
  }
  set reviewState(value: unknown) {
    this._review.restore(value);
  }

  /** A JWT set by the host. Kept in memory only, never reflected. */
  set token(value: string | undefined) {
    if (this._doors.check('token', value)) this._session.setHostToken(value);
  }
  get token(): string | undefined {
    return this._session.hostToken;
  }

  // First controller: on connect, wrong property types are found before the session's token request.
  private readonly _doors: PropertyDoorsController = new PropertyDoorsController(this, () => this._session.queue());
  private readonly _locale = new LocaleController(this);
  private readonly _announcer = new AnnouncerController(this);
  private readonly _review: ReviewController = new ReviewController(this, {
    locale: this._locale,
    announcer: this._announcer,
    onChange: (change) => {
      this._commit.onReviewChange();
      this._announcer.announce(`${change.code.code}: ${this._locale.messages.status[change.status]}`);
    },
  });
  private readonly _session: SessionLoadController = new SessionLoadController(this, {
    locale: this._locale,
    announcer: this._announcer,
    onSessionChange: () => {
      this._selection.reset(undefined, true);
      this._roving.setFocused(undefined);
      this._commit.reset();
      this._review.close();
    },
    onLoaded: (result) => this._loaded(result),
  });
  private readonly _list = new ListViewController(this, { session: this._session, review: this._review });
  private readonly _commit = new CommitController(this, {
    review: this._review,
    session: this._session,
    list: this._list,
    locale: this._locale,
    announcer: this._announcer,
  });
  private readonly _selection = new SelectionController(this, {
    session: this._session,
    review: this._review,
    onSelect: (entity) => {
      this._roving.setFocused(entity.id);
      void this.updateComplete.then(() => requestAnimationFrame(() => revealAboveDrawer(this.renderRoot, entity.id)));
    },
  });
  private readonly _panels: ToolbarPanelsController = new ToolbarPanelsController(this, {
    list: this._list,
    review: this._review,
    locale: this._locale,
    announcer: this._announcer,
    roving: () => this._roving,
  });
  private readonly _progressive = new ProgressiveRenderController(this);
  private readonly _roving: RovingFocusController = new RovingFocusController(this, {
    list: this._list,
    progressive: this._progressive,
    review: this._review,
    expand: (entity) => this._selection.setExpanded(entity, true),
    pending: (entity) => this._review.state?.status(entity.id) === 'PENDING',
  });

  constructor() {
    super();
    new FocusKeeper(this); // focus never falls to the page when a status or engine button goes (it adds itself)
    adoptEarlyProperties(this, ['token', 'reviewState']);
  }

  // A move within one script keeps everything (README: Lifecycle); only the language is read again.
  private readonly _moves = new MoveGuard(() => this._locale.moved());

  override connectedCallback(): void {
    if (this._moves.arrived()) return;
    if (!templatesRefused()) return super.connectedCallback();
    this.dispatchEvent(new HeidiErrorEvent(errorDetail(new HeidiError('config', TEMPLATES_REFUSED))));
  }

  override disconnectedCallback(): void {
    this._moves.left(() => super.disconnectedCallback());
  }

  /** The first property the host set to a wrong type (a `config` error naming it); loads refuse to run while set. */
  get configError(): HeidiError | undefined {
    return this._doors.error;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this._doors.checkChanged(changed);
  }

  /** Reload the codes (the Retry button does the same). */
  refresh(): Promise<void> {
    return this._session.run();
  }

  /** Send the accepted codes to the EHR, as the Send button does. Resolves true when the host confirmed. */
  commit(): Promise<boolean> {
    return this._commit.commit(this.isConnected);
  }

  private _loaded({ model }: LoadResult): void {
    const review = this._review.open(model.sessionId, model.entities);
    this._list.reset();
    this._progressive.reset();
    this._selection.reset(model, false);
    const shown = this._list.shown;
    const at = this._list.view.list.findIndex((e) => e.id === this._roving.focusedId); // a reload of this session keeps the place
    if (at > 0) this._progressive.growTo(at);
    else if (this._roving.focusedId === undefined) this._roving.setFocused(shown[0]?.id);
    const m = this._locale.messages;
    // One announcement: the codes, then what the notices above them say (a part that failed, codes left out).
    this._announcer.announce([shownMessage(m, shown.length, model.entities.length), ...this._session.notices.map((n) => n(m))].join(' '));
    this.dispatchEvent(new HeidiCodesLoadEvent({ sessionId: model.sessionId, entities: shown.map((e) => loadedEntity(e, review)) }));
  }

  private _onCardAction(event: CardActionEvent): void {
    event.stopPropagation();
    const entity = this._session.model?.entities.find((e) => e.id === event.entityId);
    if (entity) applyCardAction(entity, event.action, { selection: this._selection, review: this._review, roving: this._roving });
  }

  /**
   * The footer's Retry: link the session again, or (it could not be read) reload. Then focus Send, or Retry when
   * it failed again (the footer's, or the error's when the reload failed): the button pressed is gone, and the
   * list was redrawn, so focus must not fall to the page. The last of these that is there wins.
   */
  private async _retryBlocked(): Promise<void> {
    await (this._session.linkFailed ? this._session.retryLink() : this.refresh());
    focusAfterUpdate(this, '[part="status"] button');
    focusAfterUpdate(this, '.footer .retry');
    focusAfterUpdate(this, '.footer .send:not(:disabled)');
  }

  protected override render(): TemplateResult {
    const locale = this._locale.current;
    const m = locale.messages;
    const phase = this._session.phase;
    // The UI's own language, so a fallback to English inside a French page is read as English.
    // `?` and Escape (the shortcut sheet) work anywhere inside, once there is a list to have shortcuts for.
    return html`<div lang=${locale.lang} @keydown=${phase === 'loaded' ? this._panels.onKeydown : nothing}>
      <div class="header" part="header">
        <h2>${m.title}</h2>
        ${engineHeaderTemplate(m, locale.percent, this._session)}
        ${phase === 'loaded' ? this._panels.renderToolbar() : nothing}
      </div>
      <div role="status" aria-live="polite" class="visually-hidden" id="live"></div>
      ${
        phase === 'loaded'
          ? this._renderLoaded(locale)
          : statusTemplate(m, this._session, !!this.sessionId, { retry: () => void this.refresh(), cancel: () => this._session.cancel() })
      }
    </div>`;
  }

  private _renderLoaded({ messages: m, percent }: Locale): TemplateResult {
    const model = this._session.model!;
    const review = this._review.state!;
    const { shown, list, groups } = this._list.view;
    const rendered = this._progressive.windowFor(list.length);
    const selection = this._selection;
    return html`
      ${[...this._session.notices, ...this._review.notices].map((n) => html`<p class="notice">${n(m)}</p>`)}
      ${this.readonly ? html`<p class="progress">${m.readonlyNote}</p>` : nothing}
      ${this._panels.render(m)}
      ${
        shown.length === 0
          ? emptyTemplate(m, model.entities.length)
          : html`<div class="layout">
            <div @card-action=${this._onCardAction} @keydown=${this._roving.onKeydown} @focusin=${this._roving.onFocusin}>
              ${codeListTemplate(
                {
                  messages: m,
                  percent,
                  list,
                  groups,
                  ...rendered,
                  tabStop: this._roving.tabStop(list, rendered.start, rendered.limit),
                  review,
                  warningsFor: (entity) => this._list.warningsFor(entity),
                  selection,
                  readonly: this.readonly,
                  compact: this.density === 'compact',
                  transcriptAvailable: model.transcript !== undefined,
                },
                { showMore: (count) => this._progressive.showMore(count) },
              )}
            </div>
            ${sourcePaneTemplate(
              { messages: m, model, selection },
              { showSource: (kind) => selection.showSource(kind), close: () => (selection.closeView(), this._roving.refocus()) },
            )}
          </div>`
      }
      ${
        this.readonly || shown.length === 0
          ? nothing
          : footerTemplate(
              { messages: m, accepted: this._list.sendCount, held: review.sentCodes.length, ...this._commit.view },
              { send: () => void this.commit(), retry: () => void this._retryBlocked() },
            )
      }
    `;
  }
}
