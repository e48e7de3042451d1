/**
 * The hand-off extras of `heidi-codes-commit` that the element is gaining
 * (PRODUCT.md "Hand-off"): `fhir` (a FHIR R4 Bundle), `audit` (every decision)
 * and `added` / `removed` (changes since the last send). Each is checked by its
 * own schema, so an element without them, or with one in another shape, still
 * shows the rest; nothing here is required.
 */
import * as z from 'zod/mini';
import { copyText } from './clipboard.ts';
import { clock, el, scrollable } from './dom.ts';

const CodeLike = z.looseObject({
  code: z.string(),
  display: z.optional(z.string()),
  system: z.optional(z.string()),
  codeSystem: z.optional(z.string()),
});
type CodeLike = z.infer<typeof CodeLike>;

const Reviewer = z.union([z.string(), z.looseObject({ reference: z.optional(z.string()), display: z.optional(z.string()) })]);

const AuditSide = z.looseObject({ code: z.nullish(CodeLike), status: z.nullish(z.string()) });

/**
 * One decision. The element's field names are not final yet: both the nested form (`before`/`after`) and
 * the flat form of `heidi-code-review` (`previousCode`/`code`, `previousStatus`/`status`) are read.
 */
const AuditEntry = z.looseObject({
  at: z.optional(z.string()),
  time: z.optional(z.string()),
  entityId: z.optional(z.string()),
  before: z.nullish(AuditSide),
  after: z.nullish(AuditSide),
  previousCode: z.nullish(CodeLike),
  code: z.nullish(CodeLike),
  previousStatus: z.nullish(z.string()),
  status: z.nullish(z.string()),
  engines: z.optional(z.array(z.string())),
  score: z.nullish(z.number()),
  reviewer: z.nullish(Reviewer),
});
type AuditEntry = z.infer<typeof AuditEntry>;

const FhirBundle = z.looseObject({ resourceType: z.literal('Bundle'), entry: z.optional(z.array(z.unknown())) });

const CommitExtras = z.looseObject({
  fhir: z.optional(z.unknown()),
  audit: z.optional(z.unknown()),
  added: z.optional(z.unknown()),
  removed: z.optional(z.unknown()),
});

/** The parts of the hand-off panel, each present only when the detail had it in a readable shape. */
export function renderHandoff(detail: object): HTMLElement[] {
  const extras = CommitExtras.safeParse(detail);
  if (!extras.success) return [];
  const { fhir, audit, added, removed } = extras.data;
  const parts: HTMLElement[] = [];
  if (fhir !== undefined) parts.push(parsedOr('fhir', FhirBundle.safeParse(fhir), (bundle) => fhirPanel(fhir, bundle.entry?.length ?? 0)));
  if (added !== undefined || removed !== undefined) {
    const lists = z.object({ added: z.optional(z.array(CodeLike)), removed: z.optional(z.array(CodeLike)) }).safeParse({ added, removed });
    parts.push(parsedOr('added / removed', lists, (d) => diffPanel(d.added ?? [], d.removed ?? [])));
  }
  if (audit !== undefined) parts.push(parsedOr('audit', z.array(AuditEntry).safeParse(audit), auditTable));
  return parts;
}

type Parsed<T> = { success: true; data: T } | { success: false };

function parsedOr<T>(name: string, parsed: Parsed<T>, render: (value: T) => HTMLElement): HTMLElement {
  if (parsed.success) return render(parsed.data);
  return el('p', { className: 'hint handoff-unreadable', text: `detail.${name} is in a shape this demo does not read yet.` });
}

function codeText(code: CodeLike | null | undefined): string {
  return code ? `${code.code}${code.display ? ` ${code.display}` : ''}` : '–';
}

/** `bundle` is shown as the element sent it (the parsed copy would reorder its keys). */
function fhirPanel(bundle: unknown, count: number): HTMLElement {
  const json = JSON.stringify(bundle, null, 2);
  const pre = el('pre', { className: 'handoff-json' }, el('code', { text: json }));
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', 'FHIR R4 Bundle JSON');
  const status = el('span', { className: 'hint copy-status' });
  status.setAttribute('role', 'status');
  const copy = el('button', { className: 'btn btn-small', text: 'Copy JSON' });
  copy.type = 'button';
  copy.addEventListener('click', () => void copyText(json, pre, status));
  const details = el(
    'details',
    { className: 'handoff-fhir' },
    el('summary', { text: `FHIR R4 Bundle · ${count} resource${count === 1 ? '' : 's'}` }),
    el('div', { className: 'row' }, copy, status),
    pre,
  );
  details.dataset.part = 'fhir';
  return details;
}

function codeItems(codes: readonly CodeLike[], empty: string): HTMLElement {
  if (!codes.length) return el('p', { className: 'muted', text: empty });
  return el('ul', { className: 'handoff-codes' }, ...codes.map((c) => el('li', {}, el('span', { className: 'mono code', text: c.code }), ` ${c.display ?? ''}`)));
}

function diffPanel(added: readonly CodeLike[], removed: readonly CodeLike[]): HTMLElement {
  const section = el(
    'div',
    { className: 'handoff-diff' },
    el('div', {}, el('h3', { text: `Added since the last send (${added.length})` }), codeItems(added, 'None')),
    el('div', {}, el('h3', { text: `Removed since the last send (${removed.length})` }), codeItems(removed, 'None')),
  );
  section.dataset.part = 'diff';
  return section;
}

function change(before: string, after: string): string {
  return before === after || before === '–' ? after : `${before} → ${after}`;
}

function auditTime(entry: AuditEntry): string {
  const iso = entry.at ?? entry.time;
  const date = iso ? new Date(iso) : undefined;
  return date && !Number.isNaN(date.getTime()) ? clock(date) : (iso ?? '–');
}

function reviewerText(reviewer: AuditEntry['reviewer']): string {
  if (!reviewer) return '–';
  return typeof reviewer === 'string' ? reviewer : (reviewer.display ?? reviewer.reference ?? '–');
}

function scoreText(score: number | null | undefined): string {
  if (typeof score !== 'number') return '–';
  // The element's scores are 0..1; show a percentage as the cards do.
  return score <= 1 ? `${Math.round(score * 100)}%` : String(score);
}

function auditTable(entries: readonly AuditEntry[]): HTMLElement {
  const table = el('table', { className: 'received-table audit-table' });
  table.dataset.part = 'audit';
  table.append(el('caption', { text: `Review audit (${entries.length} decision${entries.length === 1 ? '' : 's'})` }));
  const head = el('tr');
  for (const title of ['Time', 'Entity', 'Code', 'Status', 'Engines', 'Score', 'Reviewer']) {
    const th = el('th', { text: title });
    th.scope = 'col';
    head.append(th);
  }
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const entry of entries) {
    const codeBefore = codeText(entry.before?.code ?? entry.previousCode);
    const codeAfter = codeText(entry.after?.code ?? entry.code);
    const statusBefore = entry.before?.status ?? entry.previousStatus ?? '–';
    const statusAfter = entry.after?.status ?? entry.status ?? '–';
    body.append(
      el(
        'tr',
        {},
        el('td', { className: 'num', text: auditTime(entry) }),
        el('td', { className: 'mono', text: entry.entityId ?? '–' }),
        el('td', { text: change(codeBefore, codeAfter) }),
        el('td', { text: change(statusBefore, statusAfter) }),
        el('td', { text: entry.engines?.join(', ') || '–' }),
        el('td', { className: 'num', text: scoreText(entry.score) }),
        el('td', { text: reviewerText(entry.reviewer) }),
      ),
    );
  }
  table.append(body);
  return scrollable(table, 'Review audit');
}
