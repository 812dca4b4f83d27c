/**
 * The agent extension vocabulary, compatible with codex-manager's extension modules: a
 * handler receives `(event, tools)` and returns nothing, a job enqueue result, an action
 * request (`{kind:"action_request", actionType, payload}`) or an action result. These are
 * the shapes that cross the worker-thread boundary and the API.
 */
export type TrustMode = 'disabled' | 'warn' | 'enforced';
export type OriginType = 'repo_local' | 'installed_package' | 'configured_root';

export const ACTION_TYPES = ['transcript.upsert', 'approval.decide', 'turn.steer.create', 'queue.enqueue'] as const;

export type ActionStatus = 'performed' | 'already_resolved' | 'not_eligible' | 'conflict' | 'forbidden' | 'invalid' | 'failed';

export interface ExtensionEvent {
  type: string;
  payload: Record<string, unknown>;
  emittedAt?: string;
  correlationId?: string;
}

export interface ActionRequest {
  kind: 'action_request';
  actionType: string;
  payload: Record<string, unknown>;
  requestId?: string;
  idempotencyKey?: string;
}

export interface ActionResult {
  actionType: string;
  status: ActionStatus;
  requestId?: string;
  idempotencyKey?: string;
  details?: Record<string, unknown>;
}

export type EmitResult =
  | { kind: 'enqueue_result'; moduleName: string; status: 'enqueued' | 'already_queued'; job: { id: string; type: string; projectId: string; state: string } }
  | ({ kind: 'action_result'; moduleName: string } & ActionResult)
  | { kind: 'handler_result'; moduleName: string; details?: Record<string, unknown> }
  | { kind: 'handler_error'; moduleName: string; eventType: string; error: string };

export type Capabilities = {
  events: string[];
  actions: string[];
};

export type TrustEvaluation = {
  mode: TrustMode;
  status: 'accepted' | 'accepted_with_warnings' | 'denied';
  warnings: string[];
  errors: string[];
};

/** One loaded module as listAgentExtensions reports it (codex-manager's inventory shape). */
export type ModuleInventory = {
  moduleName: string;
  name: string;
  version: string;
  agentId: string;
  displayName: string;
  manifestPath: string | null;
  entrypointPath: string;
  events: string[];
  origin: { type: OriginType; path: string };
  compatibility: { status: 'compatible' | 'unknown'; reasons: string[] };
  capabilities: Capabilities;
  trust: TrustEvaluation;
  diagnostics: string[];
  /** Bridge extensions: how the module runs, and how often its worker was restarted. */
  isolation: 'worker_thread';
  restarts: number;
};

export interface ModuleLoadError {
  extension: string;
  code: 'missing_entrypoint' | 'invalid_manifest' | 'import_failed' | 'missing_register' | 'registration_failed' | 'trust_denied' | 'agent_id_conflict';
  message: string;
}

/** Worker ↔ host messages. */
export type HostMessage =
  | { kind: 'invoke'; callId: number; handlerIndex: number; event: ExtensionEvent }
  | { kind: 'toolResult'; toolCallId: number; ok: boolean; value?: unknown; error?: string };

export type WorkerMessage =
  | { kind: 'registered'; handlers: { eventType: string; priority: number; timeoutMs: number }[] }
  | { kind: 'loadError'; code: 'import_failed' | 'missing_register' | 'registration_failed'; message: string }
  | { kind: 'result'; callId: number; ok: boolean; value?: unknown; error?: string }
  | { kind: 'tool'; callId: number; toolCallId: number; name: string; args: unknown }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; input: unknown; message?: string };
