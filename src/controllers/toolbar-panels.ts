/**
 * The toolbar and its two panels (batch accept and the shortcut sheet): which panel is open, opening and
 * closing them (closing gives focus back to what opened it, so focus never falls to the page), and confirming a
 * batch. Renders the toolbar and the open panels for the host.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Messages } from '../i18n/en.ts';
import { batchPanelTemplate } from '../templates/batch-panel.ts';
import { shortcutSheetTemplate } from '../templates/shortcut-sheet.ts';
import { toolbarTemplate } from '../templates/toolbar.ts';
import type { AnnouncerController } from './announcer.ts';
import type { ListViewController } from './list-view.ts';
import type { LocaleController } from './locale.ts';
import type { ReviewController } from './review.ts';
import { focusAfterUpdate, SHORTCUTS, typedOrChord, type RovingFocusController } from './roving-focus.ts';

export type ToolbarPanel = 'batch' | 'shortcuts';

export interface ToolbarPanelsHost extends ReactiveControllerHost, HTMLElement {
  readonly readonly: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface ToolbarPanelsOptions {
  readonly list: ListViewController;
  readonly review: Pick<ReviewController, 'state' | 'acceptAll'>;
  readonly locale: Pick<LocaleController, 'messages'>;
  readonly announcer: Pick<AnnouncerController, 'announce'>;
  /** The "move on after a decision" setting lives with the keyboard (read lazily: created after this). */
  readonly roving: () => Pick<RovingFocusController, 'autoAdvance' | 'setAutoAdvance' | 'refocus'>;
}

/** The focused element, through the shadow roots of the parts inside `root` (a card's own button, a quote). */
function deepFocus(root: HTMLElement | DocumentFragment): HTMLElement | undefined {
  let active = (root as ShadowRoot).activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

export class ToolbarPanelsController implements ReactiveController {
  private readonly _open = new Set<ToolbarPanel>();
  /** What had focus when `?` opened the sheet (undefined: its toolbar button did); focus goes back there. */
  private _sheetOpener: HTMLElement | undefined;

  constructor(
    private readonly _host: ToolbarPanelsHost,
    private readonly _options: ToolbarPanelsOptions,
  ) {
    _host.addController(this);
  }

  /** A panel closes when its element leaves; nothing else to release. */
  hostDisconnected(): void {
    this._open.clear();
  }

  /** `opener`: what had focus when a key opened it (undefined: the panel's toolbar button). */
  toggle(panel: ToolbarPanel, opener?: HTMLElement): void {
    if (!this.dismiss(panel)) {
      this._open.add(panel);
      if (panel === 'shortcuts') this._sheetOpener = opener;
      this._host.requestUpdate();
    }
  }

  /**
   * `?` opens or closes the sheet, Escape closes it, from anywhere in the element (the toolbar, the list, the
   * source view); `?` never from a form control. Closed by a key pressed inside it, focus goes back to the opener;
   * pressed elsewhere, focus stays where the reviewer is.
   */
  readonly onKeydown = (event: KeyboardEvent): void => {
    const [what] = SHORTCUTS.find(([, keys]) => keys.includes(event.key)) ?? [];
    // Escape types nothing: it closes the sheet from a form control too (the batch panel's score field).
    const chord = event.altKey || event.ctrlKey || event.metaKey;
    if ((what === 'close' ? chord : typedOrChord(event)) || (what !== 'sheet' && what !== 'close')) return;
    const inSheet = !!(event.target as Element).closest('#keys');
    if (what === 'sheet' && !this._open.has('shortcuts')) this.toggle('shortcuts', deepFocus(this._host.renderRoot));
    else if (!this._open.has('shortcuts'))
      return; // Escape with the sheet closed is left to the page
    else if (inSheet) this._close('shortcuts');
    else this.dismiss('shortcuts');
    event.preventDefault();
  };

  /** Close a panel, focus left where it is; false when it was not open. */
  dismiss(panel: ToolbarPanel): boolean {
    const open = this._open.delete(panel);
    if (open) this._host.requestUpdate();
    return open;
  }

  /** Close a panel and give focus back to what opened it. */
  private _close(panel: ToolbarPanel): void {
    this._open.delete(panel);
    this._host.requestUpdate();
    const opener = panel === 'shortcuts' ? this._sheetOpener : undefined;
    if (opener?.isConnected) void this._host.updateComplete.then(() => opener.focus());
    // The opener went away (a card scrolled out, a closed source view): the list's card, as a closed drawer does.
    else if (opener) this._options.roving().refocus();
    else focusAfterUpdate(this._host, `.toolbar button[data-panel="${panel}"]`);
  }

  private _confirmBatch(): void {
    const { list, review, locale, announcer } = this._options;
    if (this._host.readonly || !review.state) return;
    const chosen = list.candidates;
    review.acceptAll(chosen);
    this._close('batch');
    announcer.announce(locale.messages.batchDone(chosen.length));
  }

  renderToolbar(): TemplateResult {
    const { list, roving } = this._options;
    return toolbarTemplate(
      {
        messages: this._options.locale.messages,
        list,
        autoAdvance: roving().autoAdvance,
        readonly: this._host.readonly,
        batchOpen: this._open.has('batch'),
        shortcutsOpen: this._open.has('shortcuts'),
      },
      {
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
      this._open.has('batch') && !this._host.readonly
        ? batchPanelTemplate(
            { messages: m, list },
            {
              confirm: () => this._confirmBatch(),
              cancel: () => this._close('batch'),
            },
          )
        : nothing;
    const sheet = this._open.has('shortcuts')
      ? shortcutSheetTemplate({ messages: m, readonly: this._host.readonly }, { close: () => this._close('shortcuts') })
      : nothing;
    return batch === nothing && sheet === nothing ? nothing : html`${batch} ${sheet}`;
  }
}
