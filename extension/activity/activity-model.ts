/**
 * The Tool Activity of one session: its turns and, per turn, the tool items (commands,
 * file changes, MCP and dynamic tool calls, web searches) with status and timings.
 * Fed by readSession (history) and then live by bridge events. Pure data, no `vscode`,
 * so it is unit-testable and cheap to load.
 */
import { revealHidden } from '../../protocol/untrusted-text';

export type ActivityStatus = 'running' | 'awaitingApproval' | 'completed' | 'failed' | 'declined' | 'interrupted';
export type ActivityKind = 'command' | 'fileChange' | 'mcpTool' | 'dynamicTool' | 'webSearch';

export interface ActivityItem {
  id: string;
  kind: ActivityKind;
  /** What the tree shows: the command line, the changed files, `server.tool`, ... */
  label: string;
  status: ActivityStatus;
  startedAt?: number;
  completedAt?: number;
  exitCode?: number;
  /** Absolute paths a file change touches (for "open file"). */
  paths?: string[];
  /** Added and removed lines of a file change. */
  added?: number;
  removed?: number;
}

export interface ActivityTurn {
  id: string;
  /** 1-based position in the session. */
  index: number;
  prompt: string;
  status: ActivityStatus;
  startedAt?: number;
  completedAt?: number;
  /** The runtime's own measure (its turn timestamps are whole seconds). */
  durationMs?: number;
  items: ActivityItem[];
}

/** A bridge event as the editor receives it (`codex/event`). */
export interface ActivityEvent { type: string; threadId: string | null; payload: unknown }

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const ITEM_STATUS: Record<string, ActivityStatus> = {
  inProgress: 'running', completed: 'completed', failed: 'failed', declined: 'declined',
};
const TURN_STATUS: Record<string, ActivityStatus> = {
  inProgress: 'running', completed: 'completed', failed: 'failed', interrupted: 'interrupted',
};

export class ActivityModel {
  private sessionIdValue: string | null = null;
  private readonly turns = new Map<string, ActivityTurn>();
  /** approvalId → itemId, so a resolution (which names only the approval) finds its item. */
  private readonly approvals = new Map<string, string>();

  get sessionId(): string | null { return this.sessionIdValue; }

  list(): readonly ActivityTurn[] { return [...this.turns.values()]; }

  /**
   * Start over for a session, from the runtime's turns as `readSession` returns them
   * (`thread.turns`), falling back to the transcript entries (one per item) when the
   * thread came without turns.
   */
  reset(sessionId: string | null, history: { turns?: unknown[]; transcript?: unknown[]; activeTurnId?: string | null; approvals?: unknown[] } = {}): void {
    this.sessionIdValue = sessionId;
    this.turns.clear();
    this.approvals.clear();
    if (history.turns?.length) {
      for (const t of history.turns.map(obj)) {
        const turn = this.turn(str(t.id) ?? '', turnTimes(t));
        turn.status = TURN_STATUS[str(t.status) ?? 'completed'] ?? 'completed';
        const durationMs = num(t.durationMs);
        if (durationMs !== undefined) turn.durationMs = durationMs;
        const completedAt = turnTimes(t).completedAt;
        if (completedAt !== undefined) turn.completedAt = completedAt;
        for (const item of Array.isArray(t.items) ? t.items.map(obj) : []) this.observeItem(turn, item, {});
      }
    } else {
      for (const e of (history.transcript ?? []).map(obj)) {
        const turn = this.turn(str(e.turnId) ?? '', {});
        turn.status = 'completed';
        this.observeItem(turn, obj(e.item), { startedAt: num(e.startedAt), completedAt: num(e.completedAt) });
      }
    }
    const active = history.activeTurnId ? this.turns.get(history.activeTurnId) : undefined;
    if (active) active.status = 'running';
    for (const a of (history.approvals ?? []).map(obj)) this.approvalRequested(a);
  }

  /** Apply one event; returns whether anything visible changed. */
  apply(event: ActivityEvent): boolean {
    if (!this.sessionIdValue || event.threadId !== this.sessionIdValue) return false;
    const payload = obj(event.payload);
    switch (event.type) {
      case 'notification': return this.notification(str(payload.method) ?? '', obj(payload.params));
      case 'approval': return this.approvalRequested(payload);
      case 'approval_resolved': return this.approvalResolved(payload);
      case 'turn_aborted': return this.endTurn(str(payload.turnId), 'interrupted', Date.now());
      default: return false;
    }
  }

  private notification(method: string, params: Obj): boolean {
    switch (method) {
      case 'turn/started': {
        const t = obj(params.turn);
        const turn = this.turn(str(t.id) ?? '', { startedAt: turnTimes(t).startedAt ?? Date.now() });
        turn.status = 'running';
        return true;
      }
      case 'item/started':
      case 'item/completed': {
        const turnId = str(params.turnId);
        if (!turnId) return false;
        const times = method === 'item/started' ? { startedAt: num(params.startedAtMs) ?? Date.now() } : { completedAt: num(params.completedAtMs) ?? Date.now() };
        return this.observeItem(this.turn(turnId, {}), obj(params.item), times);
      }
      case 'turn/completed': {
        const t = obj(params.turn);
        const durationMs = num(t.durationMs);
        const turn = this.turns.get(str(t.id) ?? '');
        if (turn && durationMs !== undefined) turn.durationMs = durationMs;
        return this.endTurn(str(t.id), TURN_STATUS[str(t.status) ?? 'completed'] ?? 'completed', turnTimes(t).completedAt ?? Date.now());
      }
      default:
        return false;
    }
  }

  private turn(id: string, times: { startedAt?: number }): ActivityTurn {
    let turn = this.turns.get(id);
    if (!turn) {
      turn = { id, index: this.turns.size + 1, prompt: '', status: 'running', items: [] };
      this.turns.set(id, turn);
    }
    if (times.startedAt !== undefined && turn.startedAt === undefined) turn.startedAt = times.startedAt;
    return turn;
  }

  private observeItem(turn: ActivityTurn, item: Obj, times: { startedAt?: number; completedAt?: number }): boolean {
    const type = str(item.type);
    if (type === 'userMessage') {
      if (!turn.prompt) turn.prompt = userText(item.content);
      return true;
    }
    const kind = kindOf(type);
    const id = str(item.id);
    if (!kind || !id) return false;
    let entry = turn.items.find((i) => i.id === id);
    if (!entry) {
      entry = { id, kind, label: '', status: 'running' };
      turn.items.push(entry);
    }
    Object.assign(entry, describeItem(kind, item));
    const status = ITEM_STATUS[str(item.status) ?? ''] ?? (times.completedAt !== undefined ? 'completed' : undefined);
    // An approval wait outranks the runtime's "inProgress" until it is decided.
    if (status && !(entry.status === 'awaitingApproval' && status === 'running')) entry.status = status;
    if (times.startedAt !== undefined) entry.startedAt ??= times.startedAt;
    if (times.completedAt !== undefined) entry.completedAt = times.completedAt;
    return true;
  }

  private endTurn(turnId: string | undefined, status: ActivityStatus, at: number): boolean {
    const turn = turnId ? this.turns.get(turnId) : undefined;
    if (!turn) return false;
    turn.status = status;
    turn.completedAt ??= at;
    // Items the runtime never completed (an interrupt cuts them off) stop spinning too.
    for (const item of turn.items) {
      if (item.status === 'running' || item.status === 'awaitingApproval') {
        item.status = status === 'completed' ? 'completed' : 'interrupted';
        item.completedAt ??= at;
      }
    }
    return true;
  }

  private approvalRequested(approval: Obj): boolean {
    const approvalId = str(approval.approvalId);
    const itemId = str(approval.itemId);
    if (!approvalId || !itemId) return false;
    this.approvals.set(approvalId, itemId);
    const item = this.findItem(itemId);
    if (item && item.status === 'running') item.status = 'awaitingApproval';
    return Boolean(item);
  }

  private approvalResolved(resolution: Obj): boolean {
    const itemId = this.approvals.get(str(resolution.approvalId) ?? '');
    if (!itemId) return false;
    this.approvals.delete(str(resolution.approvalId) ?? '');
    const item = this.findItem(itemId);
    if (!item || item.status !== 'awaitingApproval') return false;
    item.status = str(resolution.decision) === 'decline' ? 'declined' : 'running';
    return true;
  }

  private findItem(itemId: string): ActivityItem | undefined {
    for (const turn of this.turns.values()) {
      const found = turn.items.find((i) => i.id === itemId);
      if (found) return found;
    }
    return undefined;
  }
}

function kindOf(type: string | undefined): ActivityKind | undefined {
  switch (type) {
    case 'commandExecution': return 'command';
    case 'fileChange': return 'fileChange';
    case 'mcpToolCall': return 'mcpTool';
    case 'dynamicToolCall': return 'dynamicTool';
    case 'webSearch': return 'webSearch';
    default: return undefined;
  }
}

function describeItem(kind: ActivityKind, item: Obj): Partial<ActivityItem> {
  switch (kind) {
    case 'command': {
      const exitCode = num(item.exitCode);
      return { label: displayCommand(str(item.command) ?? ''), ...(exitCode !== undefined ? { exitCode } : {}) };
    }
    case 'fileChange': {
      const changes = Array.isArray(item.changes) ? item.changes.map(obj) : [];
      const paths = changes.map((c) => str(c.path) ?? '').filter(Boolean);
      let added = 0;
      let removed = 0;
      for (const c of changes) {
        for (const line of (str(c.diff) ?? '').split('\n')) {
          if (line.startsWith('+') && !line.startsWith('+++')) added++;
          else if (line.startsWith('-') && !line.startsWith('---')) removed++;
        }
      }
      return { label: paths.map(baseName).join(', ') || 'file changes', paths, added, removed };
    }
    case 'mcpTool': return { label: [str(item.server), str(item.tool)].filter(Boolean).join('.') || 'MCP tool' };
    case 'dynamicTool': return { label: str(item.tool) ?? 'tool' };
    case 'webSearch': return { label: `search: ${str(item.query) ?? ''}`.trim() };
  }
}

/** `/bin/bash -lc 'npm test'` → `npm test`: the shell wrapper says nothing to a person. */
export function displayCommand(command: string): string {
  const wrapped = /^\S*\/(?:ba|z)?sh -lc '([\s\S]*)'$/.exec(command.trim());
  // Hidden characters become ⟨U+…⟩ markers before white space is folded: some of them
  // (U+FEFF, U+2028) count as white space and would otherwise vanish into a plain space.
  return revealHidden(wrapped ? wrapped[1]!.replace(/'\\''/g, "'") : command).replace(/\s+/g, ' ').trim();
}

function userText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content.map(obj).filter((p) => p.type === 'text').map((p) => str(p.text) ?? '').join(' ').trim();
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Runtime turns carry seconds; the tree works in milliseconds. */
function turnTimes(t: Obj): { startedAt?: number; completedAt?: number } {
  const started = num(t.startedAt);
  const completed = num(t.completedAt);
  return {
    ...(started !== undefined ? { startedAt: started * 1000 } : {}),
    ...(completed !== undefined ? { completedAt: completed * 1000 } : {}),
  };
}
