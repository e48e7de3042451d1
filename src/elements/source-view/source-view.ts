/**
 * The consult note or transcript with the selected code's evidence marked.
 * Text is rendered as text nodes; the marks come from checked offsets only.
 * Controlled: `kind` comes down from the parent, a tab click goes up as `source-kind-change`.
 * Where the parent lays it out as a drawer (a narrow element), `open` shows its text and a Close
 * button (`source-close`, Escape too); the parent's CSS hides both while it is closed.
 */
import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { SourceRange } from '../../core/evidence.ts';
import { chunkContents, chunkText } from '../../core/text-chunks.ts';
import type { Messages } from '../../i18n/en.ts';
import { controls } from '../../styles/controls.ts';
import { sourceViewStyles } from './styles.ts';

export type SourceKind = 'note' | 'transcript';

export type { SourceRange };

/**
 * The reviewer picked a tab. The view is controlled: it only asks, and the parent (which owns
 * `kind`) decides, so a later selection can always move it back to the note.
 */
export class SourceKindChangeEvent extends Event {
  constructor(readonly kind: SourceKind) {
    super('source-kind-change', { bubbles: true, composed: true });
  }
}

export class HeidiSourceView extends LitElement {
  static override styles = [controls, sourceViewStyles];

  // No defaults: the element (src/templates/source-pane.ts) sets every property before the first render.
  @property() kind!: SourceKind;
  @property({ attribute: false }) note: string | undefined;
  @property({ attribute: false }) transcript: string | undefined;
  @property({ attribute: false }) noteRanges!: readonly SourceRange[];
  @property({ attribute: false }) transcriptRanges!: readonly SourceRange[];
  /** The evidence item to bring into view; a new object each time the user asks. */
  @property({ attribute: false }) focusTarget: { kind: SourceKind; id: number; move?: boolean } | undefined;
  /** Open as a drawer (only the parent's narrow layout looks at it). */
  @property({ type: Boolean, reflect: true }) open!: boolean;
  @property({ attribute: false }) messages!: Messages;

  @query('.text') private textBox?: HTMLElement;

  protected override render(): TemplateResult {
    const m = this.messages;
    const text = this.kind === 'note' ? this.note : this.transcript;
    const ranges = this.kind === 'note' ? this.noteRanges : this.transcriptRanges;
    const focusId = this.focusTarget?.kind === this.kind ? this.focusTarget.id : -1;
    return html`
      <div class="bar">
        <div class="tabs" role="group" aria-label=${m.documentView}>
          ${(['note', 'transcript'] as const).map(
            (kind) =>
              // The shown tab too: in a closed drawer it opens the view.
              html`<button aria-pressed=${this.kind === kind ? 'true' : 'false'} @click=${() => this.dispatchEvent(new SourceKindChangeEvent(kind))}>
                ${m[kind]}
              </button>`,
          )}
        </div>
        <button class="close" part="close" aria-label=${m.closeSource} title=${m.closeSource} @click=${this._close}>✕</button>
      </div>
      <div class="body" part="body" @keydown=${this._onKeydown}>
        ${
          text
            ? html`<div class="text" part="source" tabindex="0" role="group" aria-label=${m[this.kind]}>${chunkContents(
                chunkText(text),
                ranges,
              ).map(
                (content) =>
                  html`<div class="chunk">${
                    typeof content === 'string'
                      ? content
                      : content.map((s) =>
                          s.mark < 0
                            ? s.text
                            : s.mark === focusId
                              ? html`<mark data-i=${s.mark} class="focus" tabindex="-1">${s.text}</mark>`
                              : html`<mark data-i=${s.mark}>${s.text}</mark>`,
                        )
                  }</div>`,
              )}</div>`
            : html`<p class="empty">${this.kind === 'note' ? m.noNote : m.noTranscriptText}</p>`
        }
      </div>
    `;
  }

  /** The reviewer closed the drawer (its Close button or Escape). */
  private _close(): void {
    this.dispatchEvent(new Event('source-close', { bubbles: true, composed: true }));
  }

  private _onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.open) {
      event.stopPropagation();
      this._close();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const moved = changed.has('focusTarget') || changed.has('kind') || changed.has('open');
    if (!moved && !changed.has('noteRanges') && !changed.has('transcriptRanges')) return;
    const box = this.textBox;
    if (!box) return;
    const id = this.focusTarget?.kind === this.kind ? this.focusTarget.id : undefined;
    const mark =
      box.querySelector<HTMLElement>(id === undefined ? 'mark' : `mark[data-i="${id}"]`) ?? box.querySelector<HTMLElement>('mark');
    if (!mark) return;
    // Focus the words the reviewer asked for (a quote pressed) without scrolling the host page; scroll only this box.
    if (changed.has('focusTarget') && this.focusTarget?.move && mark.classList.contains('focus')) mark.focus({ preventScroll: true });
    // Measured from the boxes, not offsetTop: a chunk with `content-visibility` contains its layout, so it
    // would be the mark's offsetParent.
    box.scrollTop = Math.max(0, box.scrollTop + mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3);
  }
}
