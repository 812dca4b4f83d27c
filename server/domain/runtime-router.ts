import type { RuntimeServerRequest } from '../appserver/app-server-connection';
import type { InboundRuntimeMessage } from '../appserver/jsonl-transport';
import type { EventLog } from '../state/event-log';
import type { PendingEntry, PendingRegistry } from '../state/pending-registry';
import { approvalView, toolCallView, toolInputView } from './pending-views';
import type { TurnTracker } from './turn-tracker';

/** Event types per pending kind, as codex-manager names them. */
const EVENT_NAMES: Record<PendingEntry['kind'], { requested: string; resolved: string; idKey: string }> = {
  approval: { requested: 'approval', resolved: 'approval_resolved', idKey: 'approvalId' },
  user_input: { requested: 'tool_user_input_requested', resolved: 'tool_user_input_resolved', idKey: 'requestId' },
  elicitation: { requested: 'tool_user_input_requested', resolved: 'tool_user_input_resolved', idKey: 'requestId' },
  tool_call: { requested: 'tool_call_requested', resolved: 'tool_call_resolved', idKey: 'requestId' },
};

/**
 * Routes what the runtime sends into the bridge's state: every notification into the
 * event log (its raw line kept for fan-out), turn and item lifecycle into the tracker,
 * requests that wait for a person into the pending registry, and registry changes back
 * out as events.
 */
export class RuntimeRouter {
  constructor(
    private readonly events: EventLog,
    private readonly pending: PendingRegistry,
    private readonly tracker: TurnTracker,
    private readonly currentGeneration: () => number,
  ) {}

  /** Hot path: one call per runtime line. Parse happened once, upstream; nothing is re-serialized. */
  notification(method: string, message: InboundRuntimeMessage, rawLine: string): void {
    const params = message.params as Record<string, unknown> | undefined;
    this.events.append('notification', threadIdOf(params), message, rawLine);
    // Deltas dominate the stream and change no state: skip the lifecycle checks for them.
    if (method.endsWith('/delta') || method.endsWith('Delta')) return;
    if (method === 'serverRequest/resolved' && params) {
      const requestId = params.requestId;
      if (typeof requestId === 'number' || typeof requestId === 'string') this.pending.resolvedByRuntime(this.currentGeneration(), requestId);
      return;
    }
    this.tracker.observe(method, params);
  }

  serverRequest(request: RuntimeServerRequest, generation: number): void {
    const entry = this.pending.add(request.method, request.params, { runtimeId: request.id, generation, respond: request.respond });
    if (entry) {
      // The raw request, for stream clients that follow `app_server.request.*` signals; the
      // runtime's JSON-RPC id is replaced by the public one.
      this.events.append('server_request', entry.threadId, { method: request.method, params: request.params, requestId: entry.id });
      return;
    }
    if (request.method === 'currentTime/read') {
      void request.respond({ currentTimeAt: Math.floor(Date.now() / 1000) }).catch(() => undefined);
      return;
    }
    // Auth refresh, attestation, ...: not something this client can do. Say so at once
    // rather than leave the runtime waiting.
    void request.fail(-32601, `codex-manager does not handle ${request.method}`).catch(() => undefined);
  }

  pendingRequested(entry: PendingEntry): void {
    const names = EVENT_NAMES[entry.kind];
    const view = entry.kind === 'approval' ? approvalView(entry, (id) => this.tracker.item(id))
      : entry.kind === 'tool_call' ? toolCallView(entry) : toolInputView(entry);
    this.events.append(names.requested, entry.threadId, view);
  }

  pendingSettled(entry: PendingEntry): void {
    const names = EVENT_NAMES[entry.kind];
    const decision = entry.resolution?.decision as { decision?: string; scope?: string } | string | undefined;
    const payload: Record<string, unknown> = { [names.idKey]: entry.id, status: entry.status, resolvedBy: entry.resolution?.by ?? null };
    if (typeof decision === 'string') payload.decision = decision;
    else if (decision && typeof decision === 'object') {
      if (decision.decision) payload.decision = decision.decision;
      if (decision.scope) payload.scope = decision.scope;
    }
    if (entry.expiredReason) payload.reason = entry.expiredReason;
    this.events.append(names.resolved, entry.threadId, payload);
  }
}

function threadIdOf(params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  if (typeof params.threadId === 'string') return params.threadId;
  const thread = params.thread as { id?: unknown } | undefined;
  if (thread && typeof thread.id === 'string') return thread.id;
  if (typeof params.conversationId === 'string') return params.conversationId;
  return null;
}
