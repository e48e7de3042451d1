/**
 * One clinical entity: its chosen code, review controls, checks, similar
 * codes and evidence. Its own element so that a decision re-renders only the
 * card it changed (Lit skips cards whose properties are unchanged).
 * Internal: it talks to <heidi-clinical-codes> through `card-action` events.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CheckKind, CheckWarning, CueLocation } from '../../core/checks.ts';
import type { CodeView, EntityView } from '../../core/model.ts';
import { isLocated } from '../../core/evidence.ts';
import { bestQuote, evidenceCount, type Quote } from '../../core/quote.ts';
import type { ReviewStatus } from '../../core/review.ts';
import type { Messages } from '../../i18n/en.ts';
import { controls } from '../../styles/controls.ts';
import { speakerLabel } from '../../i18n/index.ts';
import { isCueWarning, quoteTemplate, visibleQuotes, whereLabel, withCue } from './quote.ts';
import { cardStyles } from './styles.ts';
import { cardEnginesTemplate } from './engines.ts';

type ListedWarning = CheckWarning & { readonly kind: Exclude<CheckKind, 'discarded'> };

export type CardAction =
  | { type: 'select' }
  | { type: 'status'; status: ReviewStatus }
  | { type: 'swap'; code: CodeView }
  /** Show evidence `index` in the view; `focus` moves focus to its mark there (a quote or "Open in" link was pressed). */
  | { type: 'open'; source: 'transcript' | 'note'; index: number; focus?: boolean }
  | { type: 'expand'; open: boolean };

export class CardActionEvent extends Event {
  constructor(
    readonly entityId: string,
    readonly action: CardAction,
  ) {
    super('card-action', { bubbles: true, composed: true });
  }
}

export class HeidiCodeCard extends LitElement {
  static override styles = [controls, cardStyles];

  // No defaults: the list (src/templates/code-list.ts) sets every property before the first render.
  @property({ attribute: false }) entity!: EntityView;
  @property({ attribute: false }) chosen!: CodeView;
  @property({ reflect: true }) status!: ReviewStatus;
  @property({ attribute: false }) warnings!: readonly CheckWarning[];
  @property({ type: Boolean, reflect: true }) selected!: boolean;
  @property({ type: Boolean }) sent!: boolean;
  @property({ type: Boolean }) readonly!: boolean;
  /** The element's `density="compact"`: the card's tighter layout (CSS only). */
  @property({ type: Boolean, reflect: true }) compact!: boolean;
  /** Evidence section open (Enter on a focused card opens it). */
  @property({ type: Boolean }) expanded!: boolean;
  /** False when the transcript could not be loaded: snippets are then shown without a location. */
  @property({ type: Boolean }) transcriptAvailable!: boolean;
  @state() private similarOpen = false;
  @property({ attribute: false }) messages!: Messages;
  @property({ attribute: false }) percent!: (score: number) => string;

  /** The evidence section was opened by its own summary (not "open the details"): the similar codes stay as they were. */
  private _summaryToggle = false;
  /**
   * The similar list's `open` as last rendered: follows the element's own toggles and is set only when the
   * details open as a whole, so a re-render between a summary click and its default action never undoes it.
   */
  private _similarOpenAttr = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Opening the card's details (the code clicked, Enter) opens the evidence and the similar codes together.
    if (changed.has('expanded') && this.expanded && !this._summaryToggle) this.similarOpen = this._similarOpenAttr = true;
    this._summaryToggle = false;
    if (changed.has('chosen')) this.setAttribute('aria-label', `${this.chosen.code} ${this.chosen.display}`);
  }

  private _act(action: CardAction): void {
    this.dispatchEvent(new CardActionEvent(this.entity.id, action));
  }

  protected override render(): TemplateResult {
    const m = this.messages;
    const e = this.entity;
    const code = this.chosen;
    // Cue warnings sit beside their quote, `discarded` under the engines line.
    const cueless = this.warnings.filter((w): w is ListedWarning => !isCueWarning(w) && w.kind !== 'discarded');
    const context = {
      messages: m,
      transcriptAvailable: this.transcriptAvailable,
      // A quote pressed: its words are shown and focused in the view; one that cannot be pointed at selects the code.
      open: (q: Quote) =>
        this._act(
          q.source !== 'context' && q.location !== 'unlocated'
            ? { type: 'open', source: q.source, index: q.index, focus: true }
            : { type: 'select' },
        ),
    };
    return html`
      <div class="head">
        <button
          class="pick"
          part="code"
          aria-pressed=${this.selected ? 'true' : 'false'}
          @click=${() => this._act(this.expanded ? { type: 'select' } : { type: 'expand', open: true })}
        >
          <span class="code">${code.code}</span>
          <span class="name">${code.display}</span>
        </button>
        <div class="meta">
          <span>${code.systemLabel}</span>
        ${code.score !== undefined ? html`<span>${m.score} ${this.percent(code.score)}</span>` : nothing}
        ${e.relevance ? html`<span>${m.relevance}: ${m.relevanceValue[e.relevance] ?? e.relevance}</span>` : nothing}
        ${code !== e.primary ? html`<span>${m.swappedFrom(e.primary.code)}</span>` : nothing}
        </div>
        <span class="badge ${this.status}" part="status">
          ${this.status === 'ACCEPTED' ? '✓ ' : this.status === 'REJECTED' ? '✕ ' : '○ '}${m.status[this.status]}
        </span>
        ${this.sent ? html`<span class="sent">✓ ${m.sent}</span>` : nothing}
      </div>
      ${cardEnginesTemplate(e, this.warnings, m, this.percent)}
      ${visibleQuotes(e, this.warnings).map(({ quote, warning }) => quoteTemplate(quote, warning, context))}
      ${
        cueless.length
          ? html`<ul class="checks" part="checks" aria-label=${m.checksLabel(cueless.length)}>
            ${cueless.map((w) => html`<li>⚠ ${m.checks[w.kind](w.params)}${w.suggestions?.length ? ` ${w.suggestions.join(', ')}` : ''}</li>`)}
          </ul>`
          : nothing
      }
      <div class="bar">${this.readonly ? nothing : this._renderActions(code)} ${this._renderEvidence()} ${this._renderSimilar(code)}</div>
    `;
  }

  private _renderActions(code: CodeView): TemplateResult {
    // One shape for the three: the key in the tooltip is the action's first letter (a, r, u).
    const action = (kind: 'accept' | 'reject' | 'undo', status: ReviewStatus) => html`<button
        class=${kind}
        aria-pressed=${kind === 'undo' ? nothing : this.status === status ? 'true' : 'false'}
        aria-label=${this.messages[`${kind}Code`](code.code)}
        title="${this.messages[kind]} (${kind[0]})"
        @click=${() => this._act({ type: 'status', status })}
      >
        <span class="label">${this.messages[kind]}</span>
      </button>`;
    return html`<div class="actions" part="actions">
      ${action('accept', 'ACCEPTED')}
      ${action('reject', 'REJECTED')}
      ${this.status !== 'PENDING' || code !== this.entity.primary ? action('undo', 'PENDING') : nothing}
    </div>`;
  }

  private _renderSimilar(chosen: CodeView): TemplateResult | typeof nothing {
    const e = this.entity;
    const meta = chosen.metadata;
    if (!e.similar.length && !meta?.parent_code && !meta?.children_code?.length && !meta?.sibling_code?.length) return nothing;
    // The rows are only built when opened: most cards are decided without them, and 500 cards x 5 rows add up.
    return html`<details part="similar" ?open=${this._similarOpenAttr} @toggle=${this._onSimilarToggle}>
      <summary @click=${this._onSimilarClick}>${this.messages.similarCodes(e.similar.length)}</summary>
      ${this.similarOpen ? this._renderSimilarList(chosen) : nothing}
    </details>`;
  }

  /** Build the rows as the user opens the list (the toggle event comes a task later). */
  private _onSimilarClick(event: Event): void {
    if (!((event.currentTarget as HTMLElement).parentElement as HTMLDetailsElement).open) this.similarOpen = true;
  }

  private _onSimilarToggle(event: Event): void {
    this.similarOpen = this._similarOpenAttr = (event.target as HTMLDetailsElement).open;
  }

  private _renderSimilarList(chosen: CodeView): TemplateResult {
    const m = this.messages;
    const e = this.entity;
    const meta = chosen.metadata;
    return html`<ul class="similar ${this.readonly ? 'ro' : ''}">
        ${[e.primary, ...e.similar]
          .filter((c) => c !== chosen)
          .map((c) => {
            const n = e.similar.indexOf(c) + 1;
            const label = c === e.primary ? m.restorePrimary(c.code) : m.swapTo(c.code, c.display);
            return html`<li>
            ${
              this.readonly
                ? nothing
                : html`<button aria-label=${label} title=${n > 0 && n < 10 ? `${label} (${n})` : label} @click=${() => this._act({ type: 'swap', code: c })}>
                  ${m.use}
                </button>`
            }
            <span class="code">${c.code}</span> <span class="alt">${c.display}</span>
            ${c.score !== undefined ? html`<span class="ctx">${this.percent(c.score)}</span>` : nothing}
          </li>`;
          })}
      </ul>
      ${(
        [
          [m.parentCode, [meta?.parent_code]],
          [m.childCodes, meta?.children_code],
          [m.siblingCodes, meta?.sibling_code],
        ] as const
      ).map(([label, codes]) => {
        const shown = codes?.filter(Boolean) ?? [];
        return shown.length ? html`<p class="related">${label}: ${shown.join(', ')}</p>` : nothing;
      })}`;
  }

  private _renderEvidence(): TemplateResult {
    const m = this.messages;
    const e = this.entity;
    const count = evidenceCount(e);
    const more = count - (bestQuote(e) ? 1 : 0);
    return html`<details part="evidence" ?open=${this.expanded} @toggle=${this._onToggle}>
      <summary><span class="total">${m.evidence(count)}</span>${more > 0 ? html`<span class="more">${m.moreEvidence(more)}</span>` : nothing}</summary>
      ${this.expanded ? this._renderEvidenceList() : nothing}
    </details>`;
  }

  private _onToggle(event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    if (open === this.expanded) return;
    this._summaryToggle = true;
    this.expanded = open;
    // The list keeps which cards are open (Enter opens them too), so it hears every toggle.
    this._act({ type: 'expand', open });
  }

  /** The first warning about one piece of evidence: its cue is marked in the words, a cue warning is shown beside them. */
  private _warningAt(source: 'transcript' | 'note', index: number): readonly [CueLocation | undefined, TemplateResult | typeof nothing] {
    const w = this.warnings.find((w) => w.cue?.source === source && w.cue.index === index);
    return [w?.cue, w && isCueWarning(w) ? html`<span class="warn">⚠ ${this.messages.quoteChecks[w.kind](w.cue.cue)}</span>` : nothing];
  }

  private _renderEvidenceList(): TemplateResult {
    const m = this.messages;
    const e = this.entity;
    return html`<ul class="evidence">
      ${e.transcript.map((snippet, index) => {
        const [cue, note] = this._warningAt('transcript', index);
        const where = whereLabel('transcript', snippet.location, m, this.transcriptAvailable);
        return html`<li>
          <span class="where">${m.transcript}${snippet.speaker ? ` · ${speakerLabel(m, snippet.speaker)}` : ''}${where ? ` · ${where}` : ''}</span>
          <span class="snippet"
            ><span class="ctx">${withCue(snippet.before, cue?.part === 'before' ? cue : undefined)}</span
            ><mark>${withCue(snippet.text, cue?.part === 'text' ? cue : undefined)}</mark
            ><span class="ctx">${snippet.after}</span></span
          >
          ${note}
          ${
            isLocated(snippet)
              ? html`<button class="link" @click=${() => this._act({ type: 'open', source: 'transcript', index, focus: true })}>${m.openInTranscript}</button>`
              : nothing
          }
        </li>`;
      })}
      ${e.note.map((span, index) => {
        const [cue, note] = this._warningAt('note', index);
        return html`<li>
          <span class="where">${m.note}${isLocated(span) ? '' : ` · ${m.badNoteSpan}`}</span>
          ${
            isLocated(span)
              ? html`<span class="snippet"><mark>${withCue(span.text, cue)}</mark></span> ${note}
                <button class="link" @click=${() => this._act({ type: 'open', source: 'note', index, focus: true })}>${m.openInNote}</button>`
              : nothing
          }
        </li>`;
      })}
      ${e.context.map((text) => html`<li><span class="where">${m.context}</span><span class="snippet">${text}</span></li>`)}
    </ul>`;
  }
}
