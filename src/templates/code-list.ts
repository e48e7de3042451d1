/**
 * The cards, in display order, grouped by kind or not. Only the first `limit`
 * are rendered: a long consultation's list grows as it scrolls into view (and
 * as the keyboard moves), so 500 or 2,000 codes paint as fast as 40.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CheckWarning } from '../core/checks.ts';
import type { EntityGroup } from '../core/filters.ts';
import type { EntityView } from '../core/model.ts';
import type { ReviewState } from '../core/review.ts';
import type { Messages } from '../i18n/index.ts';

export interface CodeListProps {
  readonly messages: Messages;
  readonly percent: (score: number) => string;
  readonly list: readonly EntityView[];
  readonly groups: readonly EntityGroup[] | undefined;
  readonly limit: number;
  /** The list's tab stop. */
  readonly tabStop: string | undefined;
  readonly review: ReviewState;
  readonly warningsFor: (entity: EntityView) => readonly CheckWarning[];
  readonly selectedId: string | undefined;
  readonly expanded: ReadonlySet<string>;
  readonly readonly: boolean;
  /** `density="compact"`: the cards' tighter layout. */
  readonly compact: boolean;
  readonly transcriptAvailable: boolean;
}

export function codeListTemplate(p: CodeListProps, handlers: { readonly showMore: (count: number) => void }): TemplateResult {
  const m = p.messages;
  if (p.list.length === 0) return html`<p class="progress">${m.noneMatch}</p>`;
  let budget = p.limit;
  const take = (entities: readonly EntityView[]) => {
    const rendered = entities.slice(0, Math.max(0, budget));
    budget -= rendered.length;
    return rendered.map((entity) => card(p, entity));
  };
  const more = p.list.length - p.limit;
  const rest = more > 0 ? html`<p class="more"><button @click=${() => handlers.showMore(more)}>${m.showMore(more)}</button></p>` : nothing;
  if (!p.groups) return html`<ul class="list" part="list" aria-label=${m.title}>${take(p.list)}</ul>${rest}`;
  return html`${p.groups.map((group) => {
    if (budget <= 0) return nothing;
    return html`<h3>${m.groups[group.kind]} (${group.entities.length})</h3>
      <ul class="list" part="list" aria-label=${m.groups[group.kind] ?? m.title}>${take(group.entities)}</ul>`;
  })}${rest}`;
}

function card(p: CodeListProps, entity: EntityView): TemplateResult {
  const { review } = p;
  return html`<heidi-code-card
    role="listitem"
    exportparts="code: card-code, status: card-status, actions: card-actions, checks: card-checks, similar: card-similar, evidence: card-evidence, quote: card-quote"
    data-id=${entity.id}
    tabindex=${entity.id === p.tabStop ? '0' : '-1'}
    .entity=${entity}
    .chosen=${review.chosenCode(entity)}
    .status=${review.status(entity.id)}
    .warnings=${p.warningsFor(entity)}
    .selected=${entity.id === p.selectedId}
    .sent=${review.isSent(entity)}
    .readonly=${p.readonly}
    .compact=${p.compact}
    .expanded=${p.expanded.has(entity.id)}
    .messages=${p.messages}
    .percent=${p.percent}
    .transcriptAvailable=${p.transcriptAvailable}
  ></heidi-code-card>`;
}
