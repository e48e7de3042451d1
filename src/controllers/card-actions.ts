/**
 * What a card's buttons mean: one place turns a card's `card-action` into calls on the selection, review and
 * roving-focus controllers (the card itself only says what was pressed).
 */
import type { CardAction } from '../elements/code-card/code-card.ts';
import type { EntityView } from '../core/model.ts';
import type { ReviewController } from './review.ts';
import type { RovingFocusController } from './roving-focus.ts';
import type { SelectionController } from './selection.ts';

export interface CardActionTargets {
  readonly selection: Pick<SelectionController, 'select' | 'setExpanded'>;
  readonly review: Pick<ReviewController, 'swap'>;
  /** Accept and Reject may move focus on to the next card to review; Undo stays. */
  readonly roving: Pick<RovingFocusController, 'setFocused' | 'setStatus'>;
}

export function applyCardAction(entity: EntityView, action: CardAction, { selection, review, roving }: CardActionTargets): void {
  roving.setFocused(entity.id);
  if (action.type === 'select') selection.select(entity);
  else if (action.type === 'status') roving.setStatus(entity, action.status);
  else if (action.type === 'swap') review.swap(entity, action.code);
  else if (action.type === 'open') selection.select(entity, { source: action.source, index: action.index, focus: action.focus });
  else selection.setExpanded(entity, action.open);
}
