/** Copy text for the integrator, with a fallback where the Clipboard API is refused. */
import { el } from './dom.ts';

/**
 * Copy `text`; on failure, select `shown` (the element displaying it) so the user can copy by hand.
 * Writes the outcome into `status` (a live region). Resolves to whether the copy worked.
 */
export async function copyText(text: string, shown: HTMLElement, status: HTMLElement): Promise<boolean> {
  let ok: boolean;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard permission (or an insecure context): select the text and use the legacy command.
    const area = el('textarea', { className: 'offscreen' });
    area.value = text;
    area.setAttribute('readonly', '');
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
  }
  status.textContent = ok ? 'Copied to the clipboard.' : 'Copy failed: the text is selected, copy it by hand (Ctrl+C / ⌘C).';
  status.dataset.state = ok ? 'ok' : 'bad';
  if (!ok) {
    const range = document.createRange();
    range.selectNodeContents(shown);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
  return ok;
}
