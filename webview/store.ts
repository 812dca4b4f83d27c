import type { BridgeEvent, ChatState } from '../protocol/webview';
import {
  emptyItem, fileChanges, fillFromRuntime, itemFromEntry, itemFromRuntime, pendingFromView, resolutionFrom,
  type ItemKind, type ItemModel, type ItemStatus, type PendingModel, type Resolution,
} from './model';

/** What one `load` / `applyEvents` call changed; views repaint only that. */
export interface Changes {
  /** The whole state was replaced (a new `state` message). */
  reset: boolean;
  /** Index of the first item appended, or null. Items are only ever appended between resets. */
  appendedFrom: number | null;
  /** Indexes of existing items whose content changed. */
  changed: Set<number>;
  pending: boolean;
  resolved: { pending: PendingModel | null; resolution: Resolution }[];
  /** Session, title, runtime state or active turn changed. */
  status: boolean;
  /** Short sentences for the aria-live region. */
  announcements: string[];
}

export type ChangeListener = (changes: Changes) => void;

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Command output kept per item; older output is dropped (the runtime keeps the full text). */
const MAX_OUTPUT_CHARS = 512 * 1024;
/** Events that arrive before the first state are held (bounded) and replayed after it. */
const MAX_EARLY_EVENTS = 20_000;

const TURN_END_STATUS: Record<string, ItemStatus> = { completed: 'completed', interrupted: 'canceled', failed: 'failed' };
const DELTA_KIND: Record<string, ItemKind> = {
  'item/agentMessage/delta': 'assistant',
  'item/plan/delta': 'plan',
  'item/reasoning/summaryTextDelta': 'reasoning',
};
const DELTA_TYPE: Record<ItemKind, string> = {
  assistant: 'agentMessage', plan: 'plan', reasoning: 'reasoning', user: 'userMessage', command: 'commandExecution',
  fileChange: 'fileChange', tool: 'dynamicToolCall', notice: 'notice', error: 'error',
};

/**
 * The session as the webview knows it, and the reducer that keeps it current: `load`
 * replaces everything from a `state` message, `applyEvents` folds bridge events in seq
 * order (duplicates and events already in the state are skipped by seq). Mutates in
 * place (10,000 items are not copied per delta) and reports what changed to one listener.
 */
export class ChatStore {
  session: { sessionId: string; title: string } | null = null;
  runtimeState = 'unknown';
  activeTurnId: string | null = null;
  /** An error the runtime will retry, shown until the turn moves on. */
  retrying: string | null = null;
  lastSeq = 0;
  readonly items: ItemModel[] = [];
  readonly pending = new Map<string, PendingModel>();
  private readonly indexById = new Map<string, number>();
  private loaded = false;
  private early: BridgeEvent[] = [];
  private changes = ChatStore.noChanges();

  constructor(private readonly listener: ChangeListener) {}

  private static noChanges(): Changes {
    return { reset: false, appendedFrom: null, changed: new Set(), pending: false, resolved: [], status: false, announcements: [] };
  }

  item(id: string): ItemModel | undefined {
    const index = this.indexById.get(id);
    return index === undefined ? undefined : this.items[index];
  }

  load(state: ChatState): void {
    this.session = state.session ? { ...state.session } : null;
    this.runtimeState = state.runtimeState;
    this.activeTurnId = state.activeTurnId;
    this.retrying = null;
    this.lastSeq = state.lastSeq;
    this.items.length = 0;
    this.indexById.clear();
    for (const entry of state.transcript) this.append(itemFromEntry(entry));
    this.pending.clear();
    for (const view of state.approvals) {
      const model = pendingFromView(view);
      if (model) this.pending.set(model.id, model);
    }
    this.changes = ChatStore.noChanges();
    this.changes.reset = true;
    this.loaded = true;
    const early = this.early;
    this.early = [];
    this.fold(early);
    this.flush();
  }

  applyEvents(events: readonly BridgeEvent[]): void {
    if (!this.loaded) {
      this.early.push(...events);
      if (this.early.length > MAX_EARLY_EVENTS) this.early.splice(0, this.early.length - MAX_EARLY_EVENTS);
      return;
    }
    this.fold(events);
    this.flush();
  }

  setRuntimeState(state: string): void {
    if (state === this.runtimeState) return;
    this.runtimeState = state;
    this.changes.status = true;
    this.flush();
  }

  private fold(events: readonly BridgeEvent[]): void {
    let ordered = events;
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.seq < events[i - 1]!.seq) {
        ordered = [...events].sort((a, b) => a.seq - b.seq);
        break;
      }
    }
    for (const event of ordered) {
      if (event.seq <= this.lastSeq) continue; // already in the state, or a duplicate
      this.lastSeq = event.seq;
      if (event.threadId !== null && this.session && event.threadId !== this.session.sessionId) continue;
      this.applyEvent(event);
    }
  }

  private flush(): void {
    const changes = this.changes;
    this.changes = ChatStore.noChanges();
    const empty = !changes.reset && changes.appendedFrom === null && changes.changed.size === 0 && !changes.pending
      && changes.resolved.length === 0 && !changes.status && changes.announcements.length === 0;
    if (!empty) this.listener(changes);
  }

  private applyEvent(event: BridgeEvent): void {
    const payload = rec(event.payload);
    switch (event.type) {
      case 'notification':
        this.applyNotification(str(payload.method) ?? '', rec(payload.params), event.seq);
        break;
      case 'approval':
      case 'tool_user_input_requested':
      case 'tool_call_requested': {
        const model = pendingFromView(payload);
        if (!model) break;
        this.pending.set(model.id, model);
        this.changes.pending = true;
        if (model.kind === 'approval') this.changes.announcements.push(`Approval needed: ${model.summary}`);
        else this.changes.announcements.push(model.kind === 'input' ? `Codex asks: ${model.questions[0] ?? model.summary}` : model.summary);
        break;
      }
      case 'approval_resolved':
      case 'tool_user_input_resolved':
      case 'tool_call_resolved': {
        const resolution = resolutionFrom(payload);
        if (!resolution) break;
        const pending = this.pending.get(resolution.id) ?? null;
        this.pending.delete(resolution.id);
        this.changes.pending = true;
        this.changes.resolved.push({ pending, resolution });
        if (pending?.kind === 'approval') this.changes.announcements.push(describeResolution(resolution));
        break;
      }
      case 'runtime_state': {
        const state = str(payload.state);
        if (state && state !== this.runtimeState) {
          this.runtimeState = state;
          this.changes.status = true;
        }
        break;
      }
      case 'turn_aborted': {
        const turnId = str(payload.turnId);
        this.endTurn(turnId, 'canceled');
        this.addNotice(`aborted:${turnId ?? event.seq}`, turnId ?? '', 'error', `The turn stopped: ${str(payload.reason)?.replace(/_/g, ' ') ?? 'aborted'}.`);
        this.changes.announcements.push('The turn stopped');
        break;
      }
      case 'transcript_updated': {
        const entry = rec(payload.entry);
        if (str(entry.messageId)) this.upsert(itemFromEntry(entry));
        break;
      }
      default:
        break; // server_request (covered by `approval`), project and session-list events
    }
  }

  private applyNotification(method: string, params: Rec, seq: number): void {
    const deltaKind = DELTA_KIND[method];
    if (deltaKind) {
      const item = this.liveItem(str(params.itemId) ?? '', str(params.turnId) ?? '', deltaKind);
      item.text += str(params.delta) ?? '';
      this.touch(item);
      return;
    }
    switch (method) {
      case 'item/commandExecution/outputDelta': {
        const item = this.liveItem(str(params.itemId) ?? '', str(params.turnId) ?? '', 'command');
        item.output += str(params.delta) ?? '';
        if (item.output.length > MAX_OUTPUT_CHARS) item.output = item.output.slice(-MAX_OUTPUT_CHARS);
        this.touch(item);
        return;
      }
      case 'item/reasoning/summaryPartAdded': {
        const item = this.liveItem(str(params.itemId) ?? '', str(params.turnId) ?? '', 'reasoning');
        if (item.text) {
          item.text += '\n\n';
          this.touch(item);
        }
        return;
      }
      case 'item/fileChange/patchUpdated': {
        const item = this.liveItem(str(params.itemId) ?? '', str(params.turnId) ?? '', 'fileChange');
        if (Array.isArray(params.changes)) item.changes = fileChanges(params.changes);
        this.touch(item);
        return;
      }
      case 'item/started':
      case 'item/completed': {
        const raw = rec(params.item);
        if (!str(raw.id)) return;
        const turnId = str(params.turnId) ?? '';
        const fallback: ItemStatus = method === 'item/completed' ? 'completed' : 'inProgress';
        const existing = this.item(String(raw.id));
        if (existing) {
          fillFromRuntime(existing, raw, fallback);
          this.touch(existing);
        } else {
          this.append(itemFromRuntime(raw, turnId, fallback));
        }
        return;
      }
      case 'turn/started': {
        const turnId = str(rec(params.turn).id) ?? str(params.turnId);
        this.activeTurnId = turnId;
        this.retrying = null;
        this.changes.status = true;
        this.changes.announcements.push('Codex is working');
        return;
      }
      case 'turn/completed': {
        const turn = rec(params.turn);
        const turnId = str(turn.id) ?? str(params.turnId);
        const status = str(turn.status) ?? 'completed';
        this.endTurn(turnId, TURN_END_STATUS[status] ?? 'completed');
        const error = str(rec(turn.error).message);
        // The runtime sends an `error` notification and then the failed turn with the same
        // message: one row per turn (the first one stays).
        if (status === 'failed' && !(turnId && this.item(`turn-error:${turnId}`))) this.addNotice(`turn-error:${turnId ?? seq}`, turnId ?? '', 'error', error ?? 'The turn failed.');
        this.changes.announcements.push(status === 'completed' ? 'Codex finished' : status === 'interrupted' ? 'Turn interrupted' : `Turn failed${error ? `: ${error}` : ''}`);
        return;
      }
      case 'error': {
        const error = rec(params.error);
        const message = str(error.message) ?? 'The runtime reported an error.';
        if (params.willRetry === true) {
          this.retrying = message;
          this.changes.status = true;
        } else {
          const turnId = str(params.turnId);
          this.addNotice(turnId ? `turn-error:${turnId}` : `error:${seq}`, turnId ?? '', 'error', message);
        }
        return;
      }
      case 'thread/name/updated': {
        const name = str(params.threadName);
        if (name && this.session) {
          this.session.title = name;
          this.changes.status = true;
        }
        return;
      }
      default:
        return;
    }
  }

  /** The item a delta belongs to; created when its item/started was not seen (joined mid-item). */
  private liveItem(id: string, turnId: string, kind: ItemKind): ItemModel {
    const existing = this.item(id);
    if (existing) return existing;
    const item = emptyItem(id, turnId, kind, DELTA_TYPE[kind]);
    this.append(item);
    return item;
  }

  private endTurn(turnId: string | null, status: ItemStatus): void {
    if (turnId === null || this.activeTurnId === turnId) this.activeTurnId = null;
    this.retrying = null;
    this.changes.status = true;
    // Items the turn left running end with it. Walk back from the end: a turn's items are recent.
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i]!;
      if (turnId !== null && item.turnId !== turnId) {
        if (item.turnId) break;
        continue;
      }
      if (item.status === 'inProgress') {
        item.status = status;
        this.touch(item);
      }
    }
  }

  private addNotice(id: string, turnId: string, kind: 'notice' | 'error', text: string): void {
    const item = emptyItem(id, turnId, kind, kind);
    item.text = text;
    item.status = 'completed';
    this.upsert(item);
  }

  private upsert(item: ItemModel): void {
    const index = this.indexById.get(item.id);
    if (index === undefined) {
      this.append(item);
      return;
    }
    const current = this.items[index]!;
    item.version = current.version + 1;
    this.items[index] = item;
    this.changes.changed.add(index);
  }

  private append(item: ItemModel): void {
    if (this.indexById.has(item.id)) {
      this.upsert(item);
      return;
    }
    const index = this.items.length;
    this.items.push(item);
    this.indexById.set(item.id, index);
    if (this.changes.appendedFrom === null) this.changes.appendedFrom = index;
  }

  private touch(item: ItemModel): void {
    item.version += 1;
    const index = this.indexById.get(item.id);
    if (index !== undefined && (this.changes.appendedFrom === null || index < this.changes.appendedFrom)) this.changes.changed.add(index);
  }
}

export function describeResolution(r: Resolution): string {
  const by = r.resolvedBy ? ` by ${r.resolvedBy}` : '';
  if (r.status === 'expired') return `Approval expired${r.reason ? ` (${r.reason.replace(/_/g, ' ')})` : ''}`;
  if (r.status === 'canceled' || r.decision === 'cancel') return `Approval canceled${by}`;
  if (r.decision === 'decline') return `Declined${by}`;
  if (r.decision === 'accept') return `Accepted${r.scope === 'session' ? ' for the session' : ''}${by}`;
  return `Resolved${by}`;
}
