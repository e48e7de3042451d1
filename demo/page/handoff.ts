/**
 * The hand-off extras of `heidi-codes-commit` (PRODUCT.md "Hand-off"; typed as
 * `CodesCommitDetail` in src/events.ts): `fhir` (a FHIR R4 Bundle), `audit`
 * (every decision) and `added` / `removed` (changes since the last send). Each
 * is checked by its own schema, as a real EHR page would check what it
 * receives, so an older element without them, or one in another shape, still
 * shows the rest; nothing here is required.
 */
import * as z from 'zod/mini';
import { copyText } from './clipboard.ts';
import { clock, el, scrollable } from './dom.ts';

/** A `CodeRef` (an audit entry's codes; `added`/`removed` also carry the `entityId`). */
const CodeLike = z.looseObject({
  code: z.string(),
  display: z.string(),
  system: z.string(),
  codeSystem: z.string(),
});
type CodeLike = z.infer<typeof CodeLike>;

const SendDiff = z.object({ added: z.optional(z.array(CodeLike)), removed: z.optional(z.array(CodeLike)) });

const Reviewer = z.looseObject({ reference: z.string(), display: z.optional(z.string()) });

/** One decision, as the element's `AuditEntry` (src/core/audit.ts) writes it. */
const AuditEntry = z.looseObject({
  at: z.string(),
  entityId: z.string(),
  codeBefore: z.optional(CodeLike),
  codeAfter: z.optional(CodeLike),
  statusBefore: z.string(),
  statusAfter: z.string(),
  engines: z.optional(z.array(z.string())),
  score: z.optional(z.number()),
  reviewer: z.optional(Reviewer),
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
    const lists = SendDiff.safeParse({ added, removed });
    parts.push(parsedOr('added / removed', lists, (d) => diffPanel(d.added ?? [], d.removed ?? [])));
  }
  if (audit !== undefined) parts.push(parsedOr('audit', z.array(AuditEntry).safeParse(audit), auditTable));
  return parts;
}

/** The codes the element says are no longer accepted since the last send: the EHR takes them off its lists. */
export function removedCodes(detail: object): readonly CodeLike[] {
  const parsed = SendDiff.safeParse(detail);
  return parsed.success ? (parsed.data.removed ?? []) : [];
}

type Parsed<T> = { success: true; data: T } | { success: false };

function parsedOr<T>(name: string, parsed: Parsed<T>, render: (value: T) => HTMLElement): HTMLElement {
  if (parsed.success) return render(parsed.data);
  return el('p', { className: 'hint handoff-unreadable', text: `detail.${name} is in a shape this demo does not read yet.` });
}

/** The audit's code cell shows codes only; the names are in its tooltip. */
function describeCodes(entry: AuditEntry): string {
  return [entry.codeBefore, entry.codeAfter]
    .filter((code): code is CodeLike => code !== undefined)
    .map((code) => `${code.code} ${code.display}`)
    .join(' → ');
}

function titled(cell: HTMLElement, title: string): HTMLElement {
  if (title) cell.title = title;
  return cell;
}

/** `bundle` is shown as the element sent it (the parsed copy would reorder its keys). */
function fhirPanel(bundle: unknown, count: number): HTMLElement {
  const json = JSON.stringify(bundle, null, 2);
  const pre = el('pre', { className: 'snippet handoff-json' }, el('code', { text: json }));
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
  return el(
    'ul',
    { className: 'handoff-codes' },
    ...codes.map((c) => el('li', {}, el('span', { className: 'mono code', text: c.code }), ` ${c.display}`)),
  );
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

function auditTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : clock(date);
}

function scoreText(score: number | undefined): string {
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
    body.append(
      el(
        'tr',
        {},
        el('td', { className: 'num', text: auditTime(entry.at) }),
        el('td', { className: 'mono', text: entry.entityId }),
        titled(
          el('td', { className: 'mono', text: change(entry.codeBefore?.code ?? '–', entry.codeAfter?.code ?? '–') }),
          describeCodes(entry),
        ),
        el('td', { text: change(entry.statusBefore, entry.statusAfter) }),
        el('td', { text: entry.engines?.join(', ') || '–' }),
        el('td', { className: 'num', text: scoreText(entry.score) }),
        el('td', { text: entry.reviewer ? (entry.reviewer.display ?? entry.reviewer.reference) : '–' }),
      ),
    );
  }
  table.append(body);
  return scrollable(table, 'Review audit');
}
