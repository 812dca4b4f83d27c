import { randomUUID } from 'node:crypto';
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { BridgeError } from '../../protocol/errors';

export type PendingKind = 'approval' | 'user_input' | 'tool_call' | 'elicitation';

/** The runtime requests that wait for a person or a client, and what kind each is. */
export const PENDING_KIND_BY_METHOD: Readonly<Record<string, PendingKind>> = {
  'item/commandExecution/requestApproval': 'approval',
  'item/fileChange/requestApproval': 'approval',
  'item/permissions/requestApproval': 'approval',
  execCommandApproval: 'approval',
  applyPatchApproval: 'approval',
  'item/tool/requestUserInput': 'user_input',
  'mcpServer/elicitation/request': 'elicitation',
  'item/tool/call': 'tool_call',
};

const ID_PREFIX: Record<PendingKind, string> = { approval: 'appr', user_input: 'input', tool_call: 'tool', elicitation: 'elic' };

export interface Resolution {
  /** Who decided: surface and actor, e.g. "http:cli", "editor", "runtime". */
  by: string;
  at: string;
  decision?: unknown;
}

export interface PendingEntry {
  /** Public id, unique across runtime restarts; the runtime's JSON-RPC id is never exposed. */
  id: string;
  kind: PendingKind;
  method: string;
  threadId: string | null;
  turnId: string | null;
  itemId: string | null;
  params: unknown;
  createdAt: string;
  status: 'pending' | 'resolved' | 'expired';
  resolution: Resolution | null;
  /** Why it expired (turn ended, runtime exited). */
  expiredReason?: string;
}

/** The answering side of a runtime request, provided by the connection that received it. */
export interface RuntimeReply {
  runtimeId: number | string;
  /** Which runtime process asked; a restarted runtime reuses JSON-RPC ids. */
  generation: number;
  respond(result: unknown): Promise<void>;
}

interface Slot {
  entry: PendingEntry;
  reply: RuntimeReply;
  /** Set synchronously by the first decision, before the answer is written: the atomic claim. */
  claim: Resolution | null;
}

/**
 * Runtime requests waiting for an answer. Each gets a public id; the first decision
 * from any surface claims it atomically (JavaScript runs the check-and-set without
 * interruption) and a second decision is a conflict that names the first. Entries
 * expire when their turn ends or the runtime exits, and resolve when the runtime says
 * `serverRequest/resolved`. Settled entries are remembered (bounded) for conflicts.
 */
export class PendingRegistry {
  private readonly slots = new Map<string, Slot>();
  private readonly byRuntimeId = new Map<string, string>();
  private readonly settledOrder: string[] = [];
  private readonly requestedEmitter = new Emitter<PendingEntry>();
  private readonly settledEmitter = new Emitter<PendingEntry>();

  /** A new request waits for an answer. */
  readonly onRequested: Event<PendingEntry> = this.requestedEmitter.event;
  /** An entry left `pending`: decided here, resolved by the runtime, or expired. */
  readonly onSettled: Event<PendingEntry> = this.settledEmitter.event;

  constructor(private readonly keepSettled = 1000) {}

  /** Registers a runtime request; returns undefined for methods that are not pending kinds. */
  add(method: string, params: unknown, reply: RuntimeReply): PendingEntry | undefined {
    const kind = PENDING_KIND_BY_METHOD[method];
    if (!kind) return undefined;
    const p = (params ?? {}) as Record<string, unknown>;
    const entry: PendingEntry = {
      id: `${ID_PREFIX[kind]}_${randomUUID().replace(/-/g, '')}`,
      kind,
      method,
      threadId: str(p.threadId) ?? str(p.conversationId),
      turnId: str(p.turnId),
      itemId: str(p.itemId) ?? str(p.callId),
      params,
      createdAt: new Date().toISOString(),
      status: 'pending',
      resolution: null,
    };
    this.slots.set(entry.id, { entry, reply, claim: null });
    this.byRuntimeId.set(runtimeKey(reply.generation, reply.runtimeId), entry.id);
    this.requestedEmitter.fire(entry);
    return entry;
  }

  get(id: string): PendingEntry | undefined {
    return this.slots.get(id)?.entry;
  }

  /** Pending entries, oldest first, optionally for one thread and/or kind. */
  list(filter: { threadId?: string; kind?: PendingKind } = {}): PendingEntry[] {
    const out: PendingEntry[] = [];
    for (const { entry } of this.slots.values()) {
      if (entry.status !== 'pending') continue;
      if (filter.threadId !== undefined && entry.threadId !== filter.threadId) continue;
      if (filter.kind !== undefined && entry.kind !== filter.kind) continue;
      out.push(entry);
    }
    return out;
  }

  get pendingCount(): number {
    let n = 0;
    for (const { entry } of this.slots.values()) if (entry.status === 'pending') n++;
    return n;
  }

  /**
   * Decides an entry: claims it, sends `result` to the runtime, marks it resolved.
   * Throws `not_found` for an unknown id and `conflict` (with the first resolution in
   * details) when someone else decided first or the entry expired.
   */
  async decide(id: string, by: string, decision: unknown, result: unknown): Promise<PendingEntry> {
    const slot = this.slots.get(id);
    if (!slot) throw new BridgeError('not_found', `no pending request ${id}`, { details: { id } });
    const winner = slot.claim ?? slot.entry.resolution;
    if (slot.entry.status !== 'pending' || winner) {
      const message = slot.entry.status === 'expired'
        ? `request ${id} expired (${slot.entry.expiredReason ?? 'no longer pending'})`
        : `request ${id} was already decided by ${winner?.by ?? 'the runtime'}`;
      throw new BridgeError('conflict', message, { details: { id, status: slot.entry.status, resolution: winner ?? null, threadId: slot.entry.threadId } });
    }
    const claim: Resolution = { by, at: new Date().toISOString(), decision };
    slot.claim = claim;
    try {
      await slot.reply.respond(result);
    } catch (error) {
      slot.claim = null; // the answer never reached the runtime: let another surface try
      throw error instanceof BridgeError ? error : new BridgeError('runtime_unavailable', `could not answer the runtime: ${String(error)}`);
    }
    if (slot.entry.status !== 'pending') {
      // The runtime exited (or the turn ended) while the answer was on its way: the entry
      // already settled as expired, once, with its event. It must not settle again.
      throw new BridgeError('conflict', `request ${id} expired (${slot.entry.expiredReason ?? 'no longer pending'}) before the answer reached the runtime`, {
        details: { id, status: slot.entry.status, resolution: null, threadId: slot.entry.threadId },
      });
    }
    this.settle(slot, 'resolved', claim);
    return slot.entry;
  }

  /** The runtime says a request is resolved (`serverRequest/resolved`): answered, or withdrawn. */
  resolvedByRuntime(generation: number, runtimeId: number | string): void {
    const id = this.byRuntimeId.get(runtimeKey(generation, runtimeId));
    const slot = id ? this.slots.get(id) : undefined;
    if (!slot || slot.entry.status !== 'pending' || slot.claim) return;
    this.settle(slot, 'resolved', { by: 'runtime', at: new Date().toISOString() });
  }

  /** A turn ended: whatever it still waits for will never be answered usefully. */
  expireTurn(threadId: string, turnId: string | null, reason: string): void {
    for (const slot of this.slots.values()) {
      const e = slot.entry;
      if (e.status === 'pending' && !slot.claim && e.threadId === threadId && (turnId === null || e.turnId === null || e.turnId === turnId)) {
        this.settle(slot, 'expired', null, reason);
      }
    }
  }

  /** The runtime process that asked is gone: its requests can no longer be answered. */
  expireGeneration(generation: number, reason: string): void {
    for (const slot of this.slots.values()) {
      if (slot.entry.status === 'pending' && slot.reply.generation === generation) this.settle(slot, 'expired', null, reason);
    }
  }

  private settle(slot: Slot, status: 'resolved' | 'expired', resolution: Resolution | null, reason?: string): void {
    if (slot.entry.status !== 'pending') return; // settles once: one event per entry
    slot.entry.status = status;
    slot.entry.resolution = resolution;
    if (reason) slot.entry.expiredReason = reason;
    slot.claim = null;
    this.byRuntimeId.delete(runtimeKey(slot.reply.generation, slot.reply.runtimeId));
    this.settledOrder.push(slot.entry.id);
    while (this.settledOrder.length > this.keepSettled) this.slots.delete(this.settledOrder.shift()!);
    this.settledEmitter.fire(slot.entry);
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function runtimeKey(generation: number, runtimeId: number | string): string {
  return `${generation}:${typeof runtimeId}:${runtimeId}`;
}
