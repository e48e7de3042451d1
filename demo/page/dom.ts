/**
 * The demo page's few DOM and formatting helpers. Everything from the API is
 * put on the page as text (`textContent`), never as HTML.
 */

/** The element with this id in index.html; a missing one is a bug in the page, so it throws at start. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from index.html`);
  return found as T;
}

/** A new element with an optional class and text, and children appended. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

/** A wide table in a box that scrolls sideways, so it never widens its card (focusable, so keyboards can scroll it). */
export function scrollable(table: HTMLTableElement, label: string): HTMLElement {
  const box = el('div', { className: 'table-scroll' }, table);
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', label);
  return box;
}

/** Set an attribute, or remove it for `undefined`, `false` and `''` (so the element's default applies). */
export function setAttr(target: Element, name: string, value: string | boolean | undefined): void {
  if (value === undefined || value === false || value === '') target.removeAttribute(name);
  else target.setAttribute(name, value === true ? '' : value);
}

/** `HH:MM:SS.mmm`, for log lines and status messages. */
export function clock(date = new Date()): string {
  return `${date.toLocaleTimeString('en-GB', { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return '–';
  // Heidi's timestamps have no zone; a date alone is a calendar date. Both are shown as written.
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', {
    ...(withTime ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : {}),
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
