/**
 * "Received by the EHR": the host's side of `heidi-codes-commit`. It writes the
 * accepted codes to a pretend chart (which can be made to fail or veto), shows
 * the problem list and claim lines it received, and the hand-off extras.
 */
import * as z from 'zod/mini';
import { codeSystemInfo, type CodesCommitDetail, type CommittedCode } from '../../src/index.ts';
import { clock, el, errorText, scrollable } from './dom.ts';
import { removedCodes, renderHandoff } from './handoff.ts';
import { ui } from './ui.ts';

const EHR_WRITE_MS = 600;

interface ReceivedCode {
  code: CommittedCode;
  engines: readonly string[] | undefined;
  at: Date;
}

/** Each committed code is gaining `engines` (the names that suggested it); today's codes have none. */
const WithEngines = z.looseObject({ engines: z.optional(z.array(z.string())) });

const received = new Map<string, ReceivedCode>();

export function clearReceived(): void {
  received.clear();
  ui.receivedLists.replaceChildren();
  ui.receivedHandoff.replaceChildren();
  setReceivedStatus('Nothing received yet. Accept codes and press “Send to EHR”.', 'idle');
}

function setReceivedStatus(text: string, state: 'idle' | 'pending' | 'ok' | 'bad'): void {
  ui.receivedStatus.textContent = text;
  ui.receivedStatus.dataset.state = state;
}

function onCommit(event: CustomEvent<CodesCommitDetail>): void {
  const detail = event.detail;
  const count = detail.codes.length;
  const plural = count === 1 ? 'code' : 'codes';
  if (ui.vetoes.checked) {
    // The host declines: nothing is written and the element does not mark anything as sent.
    event.preventDefault();
    setReceivedStatus(`Vetoed at ${clock()}: the EHR declined ${count} ${plural} (preventDefault).`, 'bad');
    return;
  }
  const fails = ui.writeFails.checked;
  setReceivedStatus(`Writing ${count} ${plural} to the chart…`, 'pending');
  const write = new Promise<void>((resolve, reject) => {
    setTimeout(() => (fails ? reject(new Error('chart service unavailable (simulated)')) : resolve()), EHR_WRITE_MS);
  });
  // The element shows "Sent" only when the host's write succeeds.
  detail.waitUntil(write);
  write.then(
    () => {
      const at = new Date();
      // A commit carries only what changed since the last send (when the element says so): drop what it removed.
      const removed = removedCodes(detail);
      for (const code of removed) received.delete(`${code.system}|${code.code}`);
      for (const code of detail.codes) {
        const tagged = WithEngines.safeParse(code);
        received.set(`${code.system}|${code.code}`, { code, engines: tagged.success ? tagged.data.engines : undefined, at });
      }
      const took = removed.length ? ` and removed ${removed.length}` : '';
      setReceivedStatus(`Wrote ${count} ${plural}${took} at ${clock(at)} · session ${detail.sessionId}`, 'ok');
      renderReceived();
      ui.receivedHandoff.replaceChildren(...renderHandoff(detail));
    },
    (error: unknown) => {
      setReceivedStatus(`Write failed at ${clock()}: ${errorText(error)}. Nothing was saved.`, 'bad');
    },
  );
}

export function wireReceived(): void {
  document.addEventListener('heidi-codes-commit', onCommit);
}

function renderReceived(): void {
  const all = [...received.values()];
  const procedures = all.filter((r) => codeSystemInfo(r.code.codeSystem).kind === 'procedure');
  const problems = all.filter((r) => codeSystemInfo(r.code.codeSystem).kind !== 'procedure');
  ui.receivedLists.replaceChildren(
    ...(problems.length ? [receivedTable('Problem list', problems)] : []),
    ...(procedures.length ? [receivedTable('Claim lines', procedures)] : []),
  );
}

function receivedTable(caption: string, rows: readonly ReceivedCode[]): HTMLElement {
  const withEngines = rows.some((r) => r.engines);
  const table = el('table', { className: 'received-table' });
  table.append(el('caption', { text: `${caption} (${rows.length})` }));
  const head = el('tr');
  for (const title of ['System', 'Code', 'Description', 'Evidence', 'Warnings', ...(withEngines ? ['Engines'] : [])]) {
    const th = el('th', { text: title });
    th.scope = 'col';
    head.append(th);
  }
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const { code, engines } of rows) {
    const info = codeSystemInfo(code.codeSystem);
    const { transcript, note } = code.evidence;
    const evidence = transcript.length + note.length;
    const tr = el('tr');
    tr.dataset.code = code.code;
    const system = el('td', { className: 'sys' }, el('span', { className: 'sys-label', text: info.label }));
    system.title = code.system;
    const warnings = el('td');
    if (code.warnings.length) warnings.append(...code.warnings.map((w) => el('span', { className: 'warn-chip', text: w })));
    else warnings.append(el('span', { className: 'muted', text: 'none' }));
    tr.append(
      system,
      el('td', { className: 'mono code', text: code.code }),
      el('td', { text: code.display }),
      el('td', { className: 'num', text: evidence ? `${evidence} (${transcript.length} transcript, ${note.length} note)` : '0' }),
      warnings,
    );
    if (withEngines) tr.append(el('td', { text: engines?.join(', ') ?? '–' }));
    body.append(tr);
  }
  table.append(body);
  return scrollable(table, caption);
}
