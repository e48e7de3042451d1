/**
 * English messages: every user-visible string of the element. Other
 * catalogues have the same type, so a missing key fails the type-check and
 * the catalogue test.
 */
import type { HeidiErrorCode } from '../core/errors.ts';
import { ownTable } from '../core/text.ts';

const where = (p: Record<string, string | number>) => `${p.source === 'note' ? 'Note passage' : 'Transcript snippet'} ${p.snippet}`;

export const en = {
  title: 'Clinical codes',
  loadingSession: 'Loading the consultation…',
  creatingSession: 'Starting a Heidi session…',
  generating: (seconds: number) => `Heidi is generating codes… ${seconds} s`,
  /** Announced once when generation starts (the visible line counts seconds; the live region should not). */
  generatingStarted: 'Heidi is generating codes…',
  cancel: 'Cancel',
  cancelled: 'Code generation cancelled.',
  loadCodes: 'Load codes',
  retry: 'Retry',
  empty: 'No codes suggested for this consultation.',
  /** Every code suggested is in a code system the host's `code-systems` leaves out. */
  emptyHidden: (count: number) =>
    `${count} ${count === 1 ? 'code was' : 'codes were'} suggested, none in the code systems this view shows (code-systems).`,
  loaded: (count: number) => `${count} ${count === 1 ? 'code' : 'codes'} suggested.`,
  errorTitle: 'Codes could not be shown',
  errors: {
    // Every one but not-found may come from the EHR's own server (its token URL, the peers' forwarders): the detail line names which.
    auth: 'The sign-in was not accepted: your EHR or Heidi session may have ended. Sign in again or retry.',
    network: "Could not reach Heidi or the EHR's server. Check the connection and retry.",
    timeout: "Heidi or the EHR's server took too long to answer. Retry in a moment.",
    'not-found': 'This consultation was not found in Heidi.',
    'rate-limited': "Heidi or the EHR's server is busy right now. Retry in a moment.",
    server: "Heidi or the EHR's server had a problem answering. Retry in a moment.",
    'invalid-response': "Heidi or the EHR's server sent data this widget cannot read.",
    'invalid-request': 'The coding service refused the note it was sent (for example, it was over its size limit).',
    config: 'The widget is not set up correctly: the details say which setting to change.',
  } satisfies Record<HeidiErrorCode, string>,
  details: 'Details',
  degradedTranscript: 'The transcript could not be loaded: evidence is shown without its context.',
  /** Parts of Heidi's answer that could not be read (see CodingModel.dropped): the rest is shown. */
  droppedEntities: (count: number) =>
    `${count} suggested ${count === 1 ? 'code' : 'codes'} could not be read and ${count === 1 ? 'is' : 'are'} not shown.`,
  droppedDetails: (count: number) =>
    `${count} ${count === 1 ? 'detail' : 'details'} (similar codes, evidence or scores) could not be read and ${count === 1 ? 'is' : 'are'} left out.`,
  degradedSession: 'The consultation details could not be loaded: the note and patient checks are unavailable.',
  // Code card
  score: 'Score',
  relevance: 'Relevance',
  relevanceValue: ownTable({ HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' }),
  status: { PENDING: 'To review', ACCEPTED: 'Accepted', REJECTED: 'Rejected' },
  sent: 'Sent',
  accept: 'Accept',
  reject: 'Reject',
  undo: 'Undo',
  acceptCode: (code: string) => `Accept ${code}`,
  rejectCode: (code: string) => `Reject ${code}`,
  undoCode: (code: string) => `Undo decision on ${code}`,
  swappedFrom: (code: string) => `Swapped from ${code}`,
  similarCodes: (count: number) => `Similar codes (${count})`,
  swapTo: (code: string, name: string) => `Use ${code} ${name} instead`,
  use: 'Use',
  restorePrimary: (code: string) => `Use ${code}, Heidi's suggestion`,
  parentCode: 'Parent',
  childCodes: 'More specific',
  siblingCodes: 'Siblings',
  evidence: (count: number) => `Evidence (${count})`,
  transcript: 'Transcript',
  note: 'Note',
  context: 'Context',
  openInNote: 'Open in note',
  openInTranscript: 'Open in transcript',
  unlocated: 'Not found in the transcript',
  moved: 'Found near the given position',
  noTranscript: 'Transcript unavailable',
  badNoteSpan: 'Note location out of range',
  speaker: ownTable({ doctor: 'Doctor', patient: 'Patient' }),
  // Checks
  checks: {
    sex: (p: Record<string, string | number>) =>
      `Sex edit: this code is for ${p.codeSex === 'female' ? 'female' : 'male'} patients; the patient is ${p.patientSex === 'female' ? 'female' : 'male'}.`,
    age: (p: Record<string, string | number>) => `Age edit: this code is for ages ${p.min}–${p.max}; the patient was ${p.age}.`,
    invalid: (p: Record<string, string | number>) => `Not a valid code to report (${p.status}).`,
    rare: (p: Record<string, string | number>) => `Rarely used code (${p.flag}): check it applies.`,
    unspecified: (p: Record<string, string | number>) =>
      `Unspecified code: ${p.count} more specific ${Number(p.count) === 1 ? 'code exists' : 'codes exist'}.`,
    negated: (p: Record<string, string | number>) => `${where(p)} may be negated (“${p.cue}”).`,
    historical: (p: Record<string, string | number>) => `${where(p)} may be past history (“${p.cue}”).`,
    'other-person': (p: Record<string, string | number>) => `${where(p)} may be about someone else (“${p.cue}”).`,
    'no-evidence': () => 'No supporting evidence in the transcript or note.',
    'score-range': (p: Record<string, string | number>) => `Heidi sent a score outside 0–1 (${p.score}): the score shown is not reliable.`,
  },
  /** A negation / history / family warning drawn beside the quote it concerns (the cue is marked in the quote). */
  quoteChecks: {
    negated: (cue: string) => `May be negated (“${cue}”)`,
    historical: (cue: string) => `May be past history (“${cue}”)`,
    'other-person': (cue: string) => `May be about someone else (“${cue}”)`,
  },
  moreEvidence: (count: number) => `${count} more ${count === 1 ? 'quote' : 'quotes'}`,
  checksLabel: (count: number) => `${count} ${count === 1 ? 'check' : 'checks'} to look at`,
  // Coding engines (their names are not translated)
  enginePhase: {
    queued: 'Waiting for the note',
    processing: 'Coding…',
    done: 'Done',
    failed: 'Failed',
    cancelled: 'Cancelled',
    skipped: 'Skipped: no note',
  },
  cancelEngine: (name: string) => `Cancel ${name}`,
  retryEngine: (name: string) => `Retry ${name}`,
  engineFailed: (name: string) => `${name} could not code this consultation; the other engines' codes are shown.`,
  enginesSkipped: (names: string) => `No note to code: ${names} skipped.`,
  engineDropped: (name: string, count: number) => `${name}: ${count} suggested ${count === 1 ? 'code' : 'codes'} could not be read.`,
  suggestedBy: 'Suggested by',
  discardedBy: (name: string, reason: string) => `${name} discarded this code: ${reason}`,
  discarded: 'Considered and discarded',
  atLeastEngines: (count: number) => `At least ${count}`,
  sortAgreement: 'Agreement',
  // Toolbar
  filterSystem: 'Code system',
  allSystems: 'All systems',
  filterStatus: 'Status',
  allStatuses: 'All',
  sortBy: 'Sort by',
  sortDocument: 'Order suggested',
  sortRelevance: 'Relevance',
  sortScore: 'Score',
  groupByKind: 'Group diagnoses and procedures',
  groups: ownTable({ diagnosis: 'Diagnoses', procedure: 'Procedures', 'clinical-term': 'Clinical terms', other: 'Other codes' }),
  progress: (accepted: number, rejected: number, total: number) => `${accepted} accepted, ${rejected} rejected of ${total}`,
  reviewedOf: (reviewed: number, total: number) => `${reviewed} of ${total} reviewed`,
  advanceSetting: 'Move on after a decision',
  noneMatch: 'No codes match these filters.',
  showMore: (count: number) => `Show ${count} more ${count === 1 ? 'code' : 'codes'}`,
  // Batch accept
  batchAccept: 'Accept filtered…',
  batchTitle: 'Accept the codes that pass this filter',
  batchMinRelevance: 'Relevance at least',
  batchMinScore: 'Score at least (%)',
  batchUnrated: 'Sully and Omniscribe do not rate relevance: a code only they suggested is taken on its score.',
  batchRequireEvidence: 'Has direct evidence in the transcript or note',
  batchExcludeWarnings: 'No check warnings',
  batchCount: (count: number) => `${count} pending ${count === 1 ? 'code passes' : 'codes pass'} this filter.`,
  batchConfirm: (count: number) => `Accept ${count}`,
  batchDone: (count: number) => `Accepted ${count} ${count === 1 ? 'code' : 'codes'}.`,
  // Shortcuts
  shortcuts: 'Keyboard shortcuts',
  shortcutList: {
    move: 'Move between codes',
    ends: 'First / last code',
    accept: 'Accept',
    reject: 'Reject',
    undo: 'Undo',
    pending: 'Next / previous code to review',
    swap: 'Use the n-th similar code',
    open: 'Open the evidence',
    sheet: 'Show or hide this list',
    close: 'Close this list',
  },
  keyNames: { ArrowUp: '↑', ArrowDown: '↓', Enter: 'Enter', Escape: 'Esc' } as Partial<Record<string, string>>,
  close: 'Close',
  // Evidence document view
  documentView: 'Source',
  closeSource: 'Close the note and transcript',
  noNote: 'No note for this consultation.',
  noTranscriptText: 'No transcript for this consultation.',
  // Send
  sendToEhr: 'Send to EHR',
  sendCount: (count: number) => `Send ${count} to EHR`,
  nothingToSend: 'Accept codes to send them to the EHR.',
  sending: 'Sending to the EHR…',
  /** Before a send that withdraws codes the EHR holds (rejected, undone or swapped away since the last send). */
  willWithdraw: (count: number) => `Sending withdraws ${count} ${count === 1 ? 'code' : 'codes'} from the EHR.`,
  /** `count`: the codes the EHR holds after the send; `withdrawn`: those it was told to remove. */
  sentOk: (count: number, withdrawn: number) =>
    withdrawn === 0
      ? `Sent ${count} ${count === 1 ? 'code' : 'codes'} to the EHR.`
      : count === 0
        ? `Withdrew ${withdrawn} ${withdrawn === 1 ? 'code' : 'codes'} from the EHR.`
        : `Sent ${count} ${count === 1 ? 'code' : 'codes'} to the EHR and withdrew ${withdrawn}.`,
  sendFailed: (reason: string) => `The EHR did not receive the codes${reason ? `: ${reason}` : ''}. Your decisions are kept; try again.`,
  sendCancelled: 'The EHR declined the codes. Nothing was marked as sent.',
  wrongPatient: 'This consultation belongs to another patient than the one open in the EHR. Sending is blocked.',
  patientUnlinked: 'This consultation is not linked to the patient open in the EHR. Sending is blocked until it is.',
  patientLinkFailed:
    'This consultation is not linked to the patient open in the EHR, and linking it failed. Sending is blocked until it is: retry.',
  contextNotSaved: 'The patient details and notes from the EHR were not saved in Heidi.',
  patientUnread: 'The consultation details could not be read, so its patient cannot be checked against the EHR. Sending is blocked: retry.',
  restoredUnknown: (count: number) =>
    `${count} saved ${count === 1 ? 'decision is' : 'decisions are'} for codes no longer suggested and ${count === 1 ? 'was' : 'were'} not applied.`,
  auditTrimmed: (count: number, kept: number) =>
    `${count} older audit ${count === 1 ? 'entry was' : 'entries were'} not kept: a review keeps its newest ${kept}.`,
  lostToOtherTab: (code: string) => `${code} was changed in another tab or window: the later decision is kept.`,
  notStored:
    'This browser’s storage is full: your decisions are kept on this page but not saved; saving is tried again at your next change.',
  readonlyNote: 'Read-only view',
};

export type Messages = typeof en;
