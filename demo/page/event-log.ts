/**
 * The live event log: every `heidi-*` event with its time and JSON detail,
 * newest first, capped. Functions in a detail (`waitUntil`) show as
 * "[function]". Built with text nodes only.
 */
import { clock } from './dom.ts';

export const LOG_CAP = 200;
const PREVIEW_CHARS = 240;

/** JSON for a detail: functions become "[function]", cycles and failures a note. */
export function detailJson(detail: unknown, indent?: number): string {
  try {
    return JSON.stringify(detail, (_key, value: unknown) => (typeof value === 'function' ? '[function]' : value), indent) ?? 'undefined';
  } catch (error) {
    return `"[unserialisable: ${error instanceof Error ? error.message : String(error)}]"`;
  }
}

/** A short human line for the entry's header. */
export function summarize(name: string, detail: unknown): string {
  const d = (typeof detail === 'object' && detail !== null ? detail : {}) as Record<string, unknown>;
  const code = (typeof d.code === 'object' && d.code !== null ? d.code : {}) as Record<string, unknown>;
  const codeText = typeof code.code === 'string' ? `${code.code} ${typeof code.display === 'string' ? code.display : ''}`.trim() : '';
  switch (name) {
    case 'heidi-session-start':
      return `${String(d.sessionId)} · ${d.created ? 'created' : 'attached'}`;
    case 'heidi-codes-load':
      return `${count(d.entities, 'code')} shown`;
    case 'heidi-code-select':
      return codeText;
    case 'heidi-code-review':
      return `${String(d.status)} · ${codeText}`;
    case 'heidi-codes-commit':
      return `${count(d.codes, 'code')} to the EHR`;
    case 'heidi-error':
      return `${String(d.code)}${typeof d.status === 'number' ? ` · HTTP ${d.status}` : ''}`;
    default:
      return '';
  }
}

function count(list: unknown, noun: string): string {
  const n = Array.isArray(list) ? list.length : 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export class EventLog {
  private _count = 0;

  constructor(
    private readonly _list: HTMLOListElement,
    private readonly _counter: HTMLElement,
    private readonly _cap = LOG_CAP,
  ) {}

  add(name: string, detail: unknown, source?: string): void {
    const json = detailJson(detail);
    const at = new Date();
    const item = document.createElement('li');
    item.className = `log-entry ${name === 'heidi-error' ? 'is-error' : ''}`;
    item.dataset.event = name;

    const details = document.createElement('details');
    const summary = document.createElement('summary');
    const head = document.createElement('span');
    head.className = 'log-head';
    const nameEl = document.createElement('span');
    nameEl.className = 'log-name';
    nameEl.textContent = name;
    const whenEl = document.createElement('time');
    whenEl.dateTime = at.toISOString();
    whenEl.textContent = clock(at);
    head.append(nameEl);
    const about = summarize(name, detail);
    if (about) {
      const aboutEl = document.createElement('span');
      aboutEl.className = 'log-about';
      aboutEl.textContent = about;
      head.append(aboutEl);
    }
    if (source) {
      const sourceEl = document.createElement('span');
      sourceEl.className = 'log-source';
      sourceEl.textContent = source;
      head.append(sourceEl);
    }
    head.append(whenEl);
    const preview = document.createElement('code');
    preview.className = 'log-json';
    preview.textContent = json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS)}…` : json;
    summary.append(head, preview);

    const full = document.createElement('pre');
    full.className = 'log-full';
    details.append(summary, full);
    // Pretty JSON only when opened: a 500-code load is large.
    details.addEventListener('toggle', () => {
      if (details.open && !full.textContent) {
        try {
          full.textContent = JSON.stringify(JSON.parse(json), null, 2);
        } catch {
          full.textContent = json;
        }
      }
    });
    item.append(details);
    this._list.prepend(item);
    while (this._list.children.length > this._cap) this._list.lastElementChild?.remove();
    this._count += 1;
    this._counter.textContent = String(this._count);
  }

  clear(): void {
    this._list.replaceChildren();
    this._count = 0;
    this._counter.textContent = '0';
  }
}
