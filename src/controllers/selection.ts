/**
 * What the reviewer has open: the selected code (fires `heidi-code-select`),
 * the cards whose evidence is expanded, and the source view's tab and focused
 * evidence, and whether the view is open (below about 900 px it is a drawer
 * that opens on selection). The source view is controlled: its tab comes from here, and a tab
 * click comes back as `source-kind-change`, so a later selection can always
 * move it to where the code's evidence is.
 */
import type { ReactiveControllerHost } from 'lit';
import { codeRef, type CodingModel, type EntityView } from '../core/model.ts';
import type { ReviewState } from '../core/review.ts';
import { evidenceTarget, sourceRanges, type SourceKind } from '../core/selection.ts';
import type { SourceRange } from '../core/evidence.ts';
import { HeidiCodeSelectEvent } from '../events.ts';

export interface SelectionSources {
  readonly session: { readonly model: CodingModel | undefined };
  readonly review: { readonly state: ReviewState | undefined };
  /** A card was selected: it becomes the keyboard's card too. */
  readonly onSelect: (entity: EntityView) => void;
}

/** Not a lifecycle hook user: nothing to connect or release. */
export class SelectionController {
  selectedId: string | undefined;
  expanded: ReadonlySet<string> = new Set<string>();
  /** The document the source view shows. */
  kind: SourceKind = 'note';
  /** The evidence to bring into view: a new object each time the reviewer asks; `move` also moves focus to it. */
  focus: { kind: SourceKind; id: number; move?: boolean } | undefined;
  /** The view is open: it only matters where the view is a drawer (a narrow element). */
  viewOpen = false;

  constructor(
    private readonly _host: ReactiveControllerHost & EventTarget,
    private readonly _sources: SelectionSources,
  ) {}

  /** The selected entity's highlights in the note and the transcript. */
  get ranges(): { note: SourceRange[]; transcript: SourceRange[] } {
    const id = this.selectedId;
    return sourceRanges(id === undefined ? undefined : this._sources.session.model?.entities.find((e) => e.id === id));
  }

  /** Select a card, and show its evidence (the one asked for, else its first located one). */
  select(entity: EntityView, open?: { source: SourceKind; index: number; focus?: boolean }): void {
    const model = this._sources.session.model;
    const review = this._sources.review.state;
    if (!model || !review) return;
    this.selectedId = entity.id;
    this._sources.onSelect(entity);
    const target = evidenceTarget(entity, this.kind, open);
    this.focus = open?.focus ? { ...target, move: true } : target;
    this.kind = target.kind;
    this.viewOpen = true;
    this._host.requestUpdate();
    this._host.dispatchEvent(
      new HeidiCodeSelectEvent({ sessionId: model.sessionId, entityId: entity.id, code: codeRef(review.chosenCode(entity)) }),
    );
  }

  /** Open or close a card's evidence; opening it is opening the code, so it also selects it. */
  setExpanded(entity: EntityView, open: boolean): void {
    const expanded = new Set(this.expanded);
    if (open) expanded.add(entity.id);
    else expanded.delete(entity.id);
    this.expanded = expanded;
    this._host.requestUpdate();
    if (open) this.select(entity);
  }

  /** The reviewer picked a tab (which opens the view where it is a drawer). */
  showSource(kind: SourceKind): void {
    this.kind = kind;
    this.viewOpen = true;
    this._host.requestUpdate();
  }

  /** The drawer's Close button or Escape. */
  closeView(): void {
    this.viewOpen = false;
    this._host.requestUpdate();
  }

  /** A load: the note when there is one; `forget` (another session) also drops the selection and open cards. */
  reset(model: CodingModel | undefined, forget: boolean): void {
    if (model) this.kind = model.note ? 'note' : 'transcript';
    if (forget) {
      this.selectedId = undefined;
      this.expanded = new Set();
      this.viewOpen = false;
    }
    this._host.requestUpdate();
  }
}

/**
 * Narrow, the drawer covers the list's bottom: scroll the selected card (`id`) into the space above it (the
 * cards' `scroll-margin-bottom` is the open drawer's height, styles/element.ts; focus moves honour it too).
 */
export function revealAboveDrawer(root: ParentNode, id: string): void {
  const card = root.querySelector<HTMLElement>(`heidi-code-card[data-id="${CSS.escape(id)}"]`);
  const drawer = root.querySelector('heidi-source-view')?.getBoundingClientRect();
  const box = card?.getBoundingClientRect();
  if (card && box && drawer && drawer.top < box.bottom && drawer.left < box.right) card.scrollIntoView({ block: 'nearest' });
}
