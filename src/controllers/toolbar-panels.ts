/**
 * The toolbar and its two panels (batch accept and the shortcut sheet): which panel is open, opening and
 * closing them (closing gives focus back to the toolbar button that opened it, so focus never falls to the
 * page), and confirming a batch. Renders the toolbar and the open panels for the host.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Messages } from '../i18n/en.ts';
import { batchPanelTemplate } from '../templates/batch-panel.ts';
import { shortcutSheetTemplate } from '../templates/shortcut-sheet.ts';
import { toolbarTemplate } from '../templates/toolbar.ts';
import type { ListViewController } from './list-view.ts';
import type { ReviewController } from './review.ts';
import type { RovingFocusController } from './roving-focus.ts';

export type ToolbarPanel = 'batch' | 'shortcuts';

export interface ToolbarPanelsHost extends ReactiveControllerHost, HTMLElement {
  readonly readonly: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface ToolbarPanelsOptions {
  readonly list: ListViewController;
  readonly review: Pick<ReviewController, 'state' | 'acceptAll'>;
  readonly announce: (message: string) => void;
  readonly messages: () => Messages;
  /** The "move on after a decision" setting lives with the keyboard (read lazily: created after this). */
  readonly roving: () => Pick<RovingFocusController, 'autoAdvance' | 'setAutoAdvance'>;
}

export class ToolbarPanelsController implements ReactiveController {
  batchOpen = false;
  shortcutsOpen = false;

  constructor(
    private readonly _host: ToolbarPanelsHost,
    private readonly _options: ToolbarPanelsOptions,
  ) {
    _host.addController(this);
  }

  /** A panel closes when its element leaves; nothing else to release. */
  hostDisconnected(): void {
    this.batchOpen = false;
    this.shortcutsOpen = false;
  }

  toggle(panel: ToolbarPanel): void {
    if (panel === 'batch') this.batchOpen = !this.batchOpen;
    else this.shortcutsOpen = !this.shortcutsOpen;
    this._host.requestUpdate();
  }

  /** Close a panel and give focus back to the button that opened it. */
  close(panel: ToolbarPanel): void {
    if (panel === 'batch') this.batchOpen = false;
    else this.shortcutsOpen = false;
    this._host.requestUpdate();
    const host = this._host;
    void host.updateComplete.then(() => host.renderRoot.querySelector<HTMLElement>(`.toolbar button[data-panel="${panel}"]`)?.focus());
  }

  confirmBatch(): void {
    if (this._host.readonly || !this._options.review.state) return;
    const chosen = this._options.list.candidates;
    this._options.review.acceptAll(chosen);
    this.close('batch');
    this._options.announce(this._options.messages().batchDone(chosen.length));
  }

  renderToolbar(): TemplateResult {
    const { list, roving } = this._options;
    const { shown, systems, engineCount } = list.view;
    return toolbarTemplate(
      {
        messages: this._options.messages(),
        counts: list.counts,
        total: shown.length,
        autoAdvance: roving().autoAdvance,
        systems,
        engineCount,
        filters: list,
        readonly: this._host.readonly,
        batchOpen: this.batchOpen,
        shortcutsOpen: this.shortcutsOpen,
      },
      {
        set: (patch) => list.set(patch),
        toggleBatch: () => this.toggle('batch'),
        toggleShortcuts: () => this.toggle('shortcuts'),
        setAutoAdvance: (on) => roving().setAutoAdvance(on),
      },
    );
  }

  /** The open panels, above the list. */
  render(m: Messages): TemplateResult | typeof nothing {
    const list = this._options.list;
    const batch =
      this.batchOpen && !this._host.readonly
        ? batchPanelTemplate(
            { messages: m, filter: list.batchFilter, count: list.candidates.length, engineCount: list.view.engineCount },
            {
              change: (patch) => list.set({ batchFilter: { ...list.batchFilter, ...patch } }),
              confirm: () => this.confirmBatch(),
              cancel: () => this.close('batch'),
            },
          )
        : nothing;
    const sheet = this.shortcutsOpen ? shortcutSheetTemplate({ messages: m }, { close: () => this.close('shortcuts') }) : nothing;
    return batch === nothing && sheet === nothing ? nothing : html`${batch} ${sheet}`;
  }
}
