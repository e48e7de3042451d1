/**
 * The consult note or transcript with the selected code's evidence marked.
 * Text is rendered as text nodes; the marks come from checked offsets only.
 * Controlled: `kind` comes down from the parent, a tab click goes up as `source-kind-change`.
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

  @property() kind: SourceKind = 'note';
  @property({ attribute: false }) note: string | undefined;
  @property({ attribute: false }) transcript: string | undefined;
  @property({ attribute: false }) noteRanges: readonly SourceRange[] = [];
  @property({ attribute: false }) transcriptRanges: readonly SourceRange[] = [];
  /** The evidence item to bring into view; a new object each time the user asks. */
  @property({ attribute: false }) focusTarget: { kind: SourceKind; id: number } | undefined;
  @property({ attribute: false }) messages!: Messages;

  @query('.text') private textBox?: HTMLElement;

  protected override render(): TemplateResult {
    const m = this.messages;
    const text = this.kind === 'note' ? this.note : this.transcript;
    const ranges = this.kind === 'note' ? this.noteRanges : this.transcriptRanges;
    const focusId = this.focusTarget?.kind === this.kind ? this.focusTarget.id : -1;
    return html`
      <div class="tabs" role="group" aria-label=${m.documentView}>
        ${(['note', 'transcript'] as const).map(
          (kind) =>
            html`<button aria-pressed=${this.kind === kind ? 'true' : 'false'} @click=${() => this.show(kind)}>
              ${kind === 'note' ? m.note : m.transcript}
            </button>`,
        )}
      </div>
      ${
        text
          ? html`<div class="text" part="source" tabindex="0" role="group" aria-label=${this.kind === 'note' ? m.note : m.transcript}>${chunkContents(
              chunkText(text),
              ranges,
            ).map(
              (content) =>
                html`<div class="chunk">${
                  typeof content === 'string'
                    ? content
                    : content.map((s) =>
                        s.mark < 0 ? s.text : html`<mark data-i=${s.mark} class=${s.mark === focusId ? 'focus' : ''}>${s.text}</mark>`,
                      )
                }</div>`,
            )}</div>`
          : html`<p class="empty">${this.kind === 'note' ? m.noNote : m.noTranscriptText}</p>`
      }
    `;
  }

  private show(kind: SourceKind): void {
    if (kind !== this.kind) this.dispatchEvent(new SourceKindChangeEvent(kind));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('focusTarget') && !changed.has('kind') && !changed.has('noteRanges') && !changed.has('transcriptRanges')) return;
    const box = this.textBox;
    if (!box) return;
    const id = this.focusTarget?.kind === this.kind ? this.focusTarget.id : undefined;
    const mark =
      box.querySelector<HTMLElement>(id === undefined ? 'mark' : `mark[data-i="${id}"]`) ?? box.querySelector<HTMLElement>('mark');
    // Scroll only this box, never the host page. Measured from the boxes, not offsetTop: a chunk with
    // `content-visibility` contains its layout, so it would be the mark's offsetParent.
    if (mark)
      box.scrollTop = Math.max(
        0,
        box.scrollTop + mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3,
      );
  }
}
