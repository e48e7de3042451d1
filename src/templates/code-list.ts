/**
 * The cards, in display order, grouped by kind or not. Only a window of them
 * (`start..limit`, see controllers/progressive.ts) is rendered, keyed by id;
 * spacers stand for the rest, and each card says where it is in its group
 * (`aria-posinset` / `aria-setsize`), so 10,000 codes cost what 120 do.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { MORE_CARDS } from '../controllers/progressive.ts';
import type { CheckWarning } from '../core/checks.ts';
import type { EntityGroup } from '../core/filters.ts';
import type { EntityView } from '../core/model.ts';
import type { ReviewState } from '../core/review.ts';
import type { Messages } from '../i18n/index.ts';
import type { SelectionController } from '../controllers/selection.ts';

export interface CodeListProps {
  readonly messages: Messages;
  readonly percent: (score: number) => string;
  readonly list: readonly EntityView[];
  readonly groups: readonly EntityGroup[] | undefined;
  /** The window (inside the list, see `ProgressiveRenderController.windowFor`): the cards `start..limit` of `list` are rendered, the rest stand as spacers. */
  readonly start: number;
  readonly limit: number;
  /** The list's tab stop, one of the rendered cards. */
  readonly tabStop: string | undefined;
  readonly review: ReviewState;
  readonly warningsFor: (entity: EntityView) => readonly CheckWarning[];
  readonly selection: Pick<SelectionController, 'selectedId' | 'expanded'>;
  readonly readonly: boolean;
  /** `density="compact"`: the cards' tighter layout. */
  readonly compact: boolean;
  readonly transcriptAvailable: boolean;
}

export function codeListTemplate(p: CodeListProps, handlers: { readonly showMore: (count: number) => void }): TemplateResult {
  const m = p.messages;
  if (p.list.length === 0) return html`<p class="progress">${m.noneMatch}</p>`;
  const { start, limit: end, tabStop } = p;
  const groups = p.groups ?? [{ kind: undefined, entities: p.list }];
  let offset = 0;
  const drawn = groups.map((group) => {
    const from = offset;
    const setSize = group.entities.length;
    offset += setSize;
    const label = group.kind === undefined ? m.title : (m.groups[group.kind] ?? m.title);
    const first = Math.min(Math.max(start - from, 0), setSize);
    const last = Math.max(Math.min(end - from, setSize), first);
    return html`${group.kind === undefined ? nothing : html`<h3>${m.groups[group.kind]} (${setSize})</h3>`}${spacer(from, from + first)}
      <ul class="list" part="list" aria-label=${label}>${repeat(
        group.entities.slice(first, last),
        (entity) => entity.id,
        (entity, i) => card(p, entity, tabStop, first + i + 1, setSize),
      )}</ul>${spacer(from + last, from + setSize)}`;
  });
  const more = Math.min(p.list.length - end, MORE_CARDS);
  const rest = more > 0 ? html`<p class="more"><button @click=${() => handlers.showMore(more)}>${m.showMore(more)}</button></p>` : nothing;
  return html`${drawn}${rest}`;
}

/** Stands for the cards `from..to` of the list that are not rendered (the window controller sets its height). */
function spacer(from: number, to: number): TemplateResult | typeof nothing {
  return to > from ? html`<div class="spacer" aria-hidden="true" data-from=${from} data-to=${to}></div>` : nothing;
}

function card(p: CodeListProps, entity: EntityView, tabStop: string | undefined, position: number, setSize: number): TemplateResult {
  const { review } = p;
  return html`<heidi-code-card
    role="listitem"
    exportparts="code: card-code, status: card-status, actions: card-actions, checks: card-checks, similar: card-similar, evidence: card-evidence, quote: card-quote"
    aria-posinset=${position}
    aria-setsize=${setSize}
    data-id=${entity.id}
    tabindex=${entity.id === tabStop ? '0' : '-1'}
    .entity=${entity}
    .chosen=${review.chosenCode(entity)}
    .status=${review.status(entity.id)}
    .warnings=${p.warningsFor(entity)}
    .selected=${entity.id === p.selection.selectedId}
    .sent=${review.isSent(entity)}
    .readonly=${p.readonly}
    .compact=${p.compact}
    .expanded=${p.selection.expanded.has(entity.id)}
    .messages=${p.messages}
    .percent=${p.percent}
    .transcriptAvailable=${p.transcriptAvailable}
  ></heidi-code-card>`;
}
