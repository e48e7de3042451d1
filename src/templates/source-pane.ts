/** The note / transcript view beside the list: values down from the selection, its tab and close requests up. */
import { html, type TemplateResult } from 'lit';
import type { Messages } from '../i18n/en.ts';
import type { CodingModel } from '../core/model.ts';
import type { SelectionController } from '../controllers/selection.ts';
import type { SourceKindChangeEvent } from '../elements/source-view/source-view.ts';

export interface SourcePaneProps {
  readonly messages: Messages;
  readonly model: Pick<CodingModel, 'note' | 'transcript'>;
  readonly selection: Pick<SelectionController, 'kind' | 'ranges' | 'focus' | 'viewOpen'>;
}

export interface SourcePaneHandlers {
  readonly showSource: (kind: SourceKindChangeEvent['kind']) => void;
  /** The drawer closed (✕, Escape): the host closes the view and gives focus back to the card the reviewer was on. */
  readonly close: () => void;
}

export function sourcePaneTemplate({ messages, model, selection }: SourcePaneProps, handlers: SourcePaneHandlers): TemplateResult {
  const ranges = selection.ranges;
  return html`<heidi-source-view
    part="source"
    .kind=${selection.kind}
    .note=${model.note}
    .transcript=${model.transcript}
    .noteRanges=${ranges.note}
    .transcriptRanges=${ranges.transcript}
    .focusTarget=${selection.focus}
    .open=${selection.viewOpen}
    .messages=${messages}
    @source-kind-change=${(e: SourceKindChangeEvent) => handlers.showSource(e.kind)}
    @source-close=${handlers.close}
  ></heidi-source-view>`;
}
