/**
 * The webview's view of a session: plain data, built from what the host sends (transcript
 * entries, runtime items, pending-request views). Pure functions only; the store owns the
 * instances and the views read them.
 */

import { unwrapShellCommand } from '../protocol/shell-command';

export type ItemKind = 'user' | 'assistant' | 'reasoning' | 'plan' | 'command' | 'fileChange' | 'tool' | 'notice' | 'error';
export type ItemStatus = 'inProgress' | 'completed' | 'failed' | 'declined' | 'canceled';

export interface FileChange {
  path: string;
  kind: 'add' | 'delete' | 'update';
  movePath: string | null;
  diff: string;
  added: number;
  removed: number;
}

export interface ItemModel {
  /** Runtime item id (or a synthetic id for notices); unique within a session. */
  readonly id: string;
  turnId: string;
  kind: ItemKind;
  /** The runtime's item type, for notices about types without a dedicated view. */
  type: string;
  /** Message text; the command line for commands; the tool name for tool calls. */
  text: string;
  status: ItemStatus;
  /** Command output / tool result, appended to while it streams. */
  output: string;
  exitCode: number | null;
  durationMs: number | null;
  /** Working directory (commands), server (MCP tools), or arguments as JSON (tools). */
  detail: string;
  changes: FileChange[];
  /** Bumped on every change, so views know what to repaint. */
  version: number;
}

export type PendingKind = 'approval' | 'input' | 'toolCall';

export interface PendingModel {
  /** approvalId for approvals, requestId for user input and tool calls. */
  readonly id: string;
  kind: PendingKind;
  method: string;
  summary: string;
  turnId: string | null;
  itemId: string | null;
  /** The command as a person reads it (unwrapped from `/bin/bash -lc '…'`). */
  command: string | null;
  /** The invocation as the runtime will run it (shown on hover). */
  commandFull: string | null;
  cwd: string | null;
  reason: string | null;
  changes: FileChange[];
  questions: string[];
}

export interface Resolution {
  id: string;
  status: string;
  decision: string | null;
  scope: string | null;
  resolvedBy: string | null;
  reason: string | null;
}

type Rec = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

export function emptyItem(id: string, turnId: string, kind: ItemKind, type: string): ItemModel {
  return { id, turnId, kind, type, text: '', status: 'inProgress', output: '', exitCode: null, durationMs: null, detail: '', changes: [], version: 0 };
}

const KIND_BY_TYPE: Record<string, ItemKind> = {
  userMessage: 'user',
  agentMessage: 'assistant',
  reasoning: 'reasoning',
  plan: 'plan',
  commandExecution: 'command',
  fileChange: 'fileChange',
  dynamicToolCall: 'tool',
  mcpToolCall: 'tool',
  collabAgentToolCall: 'tool',
};

const ITEM_STATUS: Record<string, ItemStatus> = {
  inProgress: 'inProgress', completed: 'completed', failed: 'failed', declined: 'declined',
  // TranscriptEntry statuses
  streaming: 'inProgress', complete: 'completed', canceled: 'canceled', error: 'failed',
};

/** A runtime ThreadItem (from item/started, item/completed or a transcript entry's `item`). */
export function itemFromRuntime(raw: Rec, turnId: string, fallbackStatus: ItemStatus = 'inProgress'): ItemModel {
  const type = str(raw.type) ?? 'unknown';
  const kind = KIND_BY_TYPE[type] ?? 'notice';
  const item = emptyItem(str(raw.id) ?? '', turnId, kind, type);
  fillFromRuntime(item, raw, fallbackStatus);
  return item;
}

/** Overwrites `item` with what a runtime item says (the runtime is the authority on items). */
export function fillFromRuntime(item: ItemModel, raw: Rec, fallbackStatus: ItemStatus): void {
  const status = str(raw.status);
  item.status = (status && ITEM_STATUS[status]) || fallbackStatus;
  item.durationMs = num(raw.durationMs) ?? item.durationMs;
  switch (item.type) {
    case 'userMessage':
      item.text = userText(raw.content);
      break;
    case 'agentMessage':
    case 'plan':
      item.text = str(raw.text) ?? item.text;
      break;
    case 'reasoning': {
      const summary = Array.isArray(raw.summary) ? raw.summary.filter((s): s is string => typeof s === 'string') : [];
      if (summary.length || !item.text) item.text = summary.join('\n\n');
      break;
    }
    case 'commandExecution':
      item.text = str(raw.command) ?? item.text;
      item.detail = str(raw.cwd) ?? item.detail;
      if (typeof raw.aggregatedOutput === 'string') item.output = raw.aggregatedOutput;
      item.exitCode = num(raw.exitCode) ?? item.exitCode;
      break;
    case 'fileChange':
      if (Array.isArray(raw.changes)) item.changes = fileChanges(raw.changes);
      break;
    case 'dynamicToolCall':
    case 'mcpToolCall':
    case 'collabAgentToolCall': {
      const tool = str(raw.tool) ?? 'tool';
      const server = str(raw.server) ?? str(raw.namespace);
      item.text = server ? `${server}.${tool}` : tool;
      item.detail = raw.arguments === undefined ? '' : json(raw.arguments);
      const result = raw.result ?? raw.contentItems ?? raw.error;
      if (result != null) item.output = json(result);
      break;
    }
    default:
      item.text = noticeText(item.type, raw);
  }
}

/** A codex-manager TranscriptEntry (state.transcript, transcript_updated). */
export function itemFromEntry(entry: Rec): ItemModel {
  const raw = rec(entry.item);
  const turnId = str(entry.turnId) ?? '';
  const status = ITEM_STATUS[str(entry.status) ?? 'complete'] ?? 'completed';
  const type = str(entry.type) ?? str(raw.type) ?? 'unknown';
  if (entry.item !== undefined && entry.item !== null) {
    const item = emptyItem(str(raw.id) ?? str(entry.messageId) ?? '', turnId, KIND_BY_TYPE[type] ?? 'notice', type);
    fillFromRuntime(item, raw, status);
    // The entry's status accounts for the turn (an item left inProgress by a finished turn
    // was canceled); the item's own says more only when it failed or was declined.
    if (item.status !== 'failed' && item.status !== 'declined') item.status = status;
    if (!item.text && typeof entry.content === 'string') item.text = entry.content;
    return item;
  }
  // Ledger entries (client upserts) have no runtime item: role and content are all there is.
  const role = str(entry.role);
  const kind: ItemKind = KIND_BY_TYPE[type] ?? (role === 'user' ? 'user' : role === 'assistant' ? 'assistant' : 'notice');
  const item = emptyItem(str(entry.messageId) ?? '', turnId, kind, type);
  item.status = status;
  item.text = str(entry.content) ?? '';
  if (typeof entry.details === 'string') item.output = entry.details;
  return item;
}

export function fileChanges(raw: unknown[]): FileChange[] {
  return raw.map((c) => {
    const change = rec(c);
    const diff = str(change.diff) ?? '';
    const kind = rec(change.kind);
    const kindType = str(kind.type) ?? str(change.kind) ?? 'update';
    const { added, removed } = diffStats(diff);
    return {
      path: str(change.path) ?? '',
      kind: kindType === 'add' || kindType === 'delete' ? kindType : 'update',
      movePath: str(kind.move_path),
      diff,
      added,
      removed,
    };
  });
}

/** +/- line counts of a unified diff (headers excluded). A bare file body counts as added. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  let sawHunk = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('@@')) sawHunk = true;
    else if (line.startsWith('+++') || line.startsWith('---')) continue;
    else if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  if (!sawHunk && added === 0 && removed === 0 && diff.length > 0) added = diff.replace(/\n$/, '').split('\n').length;
  return { added, removed };
}

/** A pending-request view (state.approvals entries, `approval` / `*_requested` event payloads). */
export function pendingFromView(view: Rec): PendingModel | null {
  const approvalId = str(view.approvalId);
  const requestId = str(view.requestId);
  const id = approvalId ?? requestId;
  if (!id) return null;
  const details = rec(view.details);
  const kind: PendingKind = approvalId ? 'approval' : str(view.tool) != null || str(view.method) === 'item/tool/call' ? 'toolCall' : 'input';
  const command = details.command;
  const questions = Array.isArray(view.questions) ? view.questions.map((q) => str(rec(q).question) ?? '').filter(Boolean) : [];
  let changes: FileChange[] = Array.isArray(details.changes) ? fileChanges(details.changes) : [];
  const legacy = rec(details.fileChanges);
  if (!changes.length && Object.keys(legacy).length) {
    changes = Object.entries(legacy).map(([path, c]) => {
      const diff = str(rec(c).unified_diff) ?? str(rec(c).content) ?? '';
      return { path, kind: 'update', movePath: null, diff, ...diffStats(diff) };
    });
  }
  return {
    id,
    kind,
    method: str(view.method) ?? '',
    summary: str(view.summary) ?? 'Approval needed',
    turnId: str(view.turnId),
    itemId: str(view.itemId),
    command: Array.isArray(command) ? argvCommand(command.map(String)) : unwrapOrNull(str(command)),
    commandFull: Array.isArray(command) ? shellJoin(command.map(String)) : str(command),
    cwd: str(details.cwd),
    reason: str(details.reason),
    changes,
    questions,
  };
}

export function resolutionFrom(payload: Rec): Resolution | null {
  const id = str(payload.approvalId) ?? str(payload.requestId);
  if (!id) return null;
  return { id, status: str(payload.status) ?? 'resolved', decision: str(payload.decision), scope: str(payload.scope), resolvedBy: str(payload.resolvedBy), reason: str(payload.reason) };
}

function userText(content: unknown): string {
  if (!Array.isArray(content)) return typeof content === 'string' ? content : '';
  return content.map((part) => {
    const p = rec(part);
    if (p.type === 'text') return str(p.text) ?? '';
    if (p.type === 'mention' || p.type === 'skill') return `@${str(p.name) ?? str(p.path) ?? ''}`;
    return `[${str(p.type) ?? 'input'}${str(p.path) ? `: ${str(p.path)}` : ''}]`;
  }).join('\n');
}

function noticeText(type: string, raw: Rec): string {
  switch (type) {
    case 'webSearch': {
      const query = str(raw.query) ?? str(rec(raw.action).query);
      return query ? `Searched the web for "${query}"` : 'Searched the web';
    }
    case 'contextCompaction':
      return 'Context compacted';
    case 'imageView':
      return `Viewed image ${str(raw.path) ?? ''}`.trim();
    case 'enteredReviewMode':
      return 'Entered review mode';
    case 'exitedReviewMode':
      return 'Exited review mode';
    case 'hookPrompt':
      return 'Hook prompt';
    default:
      return type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
  }
}

function json(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    return String(value);
  }
}

/**
 * An argv as one shell line, quoted where needed, so what the card shows is what runs:
 * a plain join would show `sh -c a; b` for ['sh', '-c', 'a; b'].
 */
export function shellJoin(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** An argv as the command a person asked for: the inner command of a shell wrapper, else the argv quoted. */
function argvCommand(argv: readonly string[]): string {
  const inner = unwrapShellCommand(argv);
  return inner === argv.join(' ') ? shellJoin(argv) : inner;
}

const unwrapOrNull = (command: string | null): string | null => (command === null ? null : unwrapShellCommand(command));
