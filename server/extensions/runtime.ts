/**
 * The agent extension runtime: a snapshot of loaded modules (each in its own worker
 * thread) and their handlers by event type. Reload builds a complete new snapshot beside
 * the active one and swaps it in only if every module loaded; otherwise the old snapshot
 * stays and the new threads are stopped. Events run the handlers in priority order; the
 * first action request that is performed wins, later ones are `not_eligible`.
 */
import { randomUUID } from 'node:crypto';
import type { ActionExecutor } from './actions';
import { discover, resolveModule, type ExtensionSource, type ResolvedModule } from './manifest';
import { HandlerTimeout, ModuleHost, ModuleLoadFailure } from './module-host';
import { checkAction, evaluateModuleTrust } from './trust';
import type { ActionRequest, ActionResult, EmitResult, ExtensionEvent, ModuleInventory, ModuleLoadError, TrustMode } from './types';

export interface ExtensionTools {
  enqueueJob(input: unknown): Promise<unknown>;
  getSessionSettings(sessionId: string): Promise<Record<string, unknown>>;
}

export interface ExtensionRuntimeOptions {
  sources: readonly ExtensionSource[];
  trustMode: TrustMode;
  actions: ActionExecutor;
  tools: ExtensionTools;
  defaultHandlerTimeoutMs?: number;
  loadTimeoutMs?: number;
  onLog?(moduleName: string, level: string, input: unknown, message?: string): void;
}

interface LoadedModule { resolved: ResolvedModule; host: ModuleHost; inventory: Omit<ModuleInventory, 'restarts'> }
interface HandlerRef { module: LoadedModule; index: number; priority: number; order: number }
interface Snapshot { version: string; loadedAt: string; modules: LoadedModule[]; byEvent: Map<string, HandlerRef[]> }

export type ReloadOutcome =
  | { status: 'ok'; reloadId: string; loadedCount: number; failedCount: 0; snapshotVersion: string; loadedAt: string; modules: { name: string; version: string; agentId: string; events: string[] }[] }
  | { status: 'error'; code: 'reload_failed' | 'reload_in_progress'; reloadId: string; message: string; snapshotVersion: string; errors: ModuleLoadError[] };

const EMPTY: Snapshot = { version: 'bootstrap', loadedAt: new Date(0).toISOString(), modules: [], byEvent: new Map() };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ExtensionRuntime {
  private snapshot: Snapshot = EMPTY;
  private reloading: Promise<ReloadOutcome> | null = null;
  /** Diagnostics of the last build (modules that failed to load at start). */
  lastErrors: ModuleLoadError[] = [];

  constructor(private readonly opts: ExtensionRuntimeOptions) {}

  get trustMode(): TrustMode { return this.opts.trustMode; }
  get snapshotVersion(): string { return this.snapshot.version; }

  /** First load: modules that fail are left out (and reported); the others run. */
  async load(): Promise<void> {
    const { snapshot, errors } = await this.build(false);
    this.snapshot = snapshot;
    this.lastErrors = errors;
  }

  /** Atomic: all modules load and the new snapshot replaces the old, or nothing changes. */
  reload(): Promise<ReloadOutcome> {
    const reloadId = randomUUID();
    if (this.reloading) {
      return Promise.resolve({ status: 'error', code: 'reload_in_progress', reloadId, message: 'a reload is already in progress', snapshotVersion: this.snapshot.version, errors: [] });
    }
    this.reloading = this.doReload(reloadId).finally(() => { this.reloading = null; });
    return this.reloading;
  }

  list(): { snapshotVersion: string; loadedAt: string; modules: ModuleInventory[] } {
    return {
      snapshotVersion: this.snapshot.version,
      loadedAt: this.snapshot.loadedAt,
      modules: this.snapshot.modules.map((m) => ({ ...m.inventory, restarts: m.host.restarts })),
    };
  }

  hasHandlers(eventType: string): boolean {
    return (this.snapshot.byEvent.get(eventType)?.length ?? 0) > 0;
  }

  async emit(event: ExtensionEvent): Promise<EmitResult[]> {
    const refs = this.snapshot.byEvent.get(event.type) ?? [];
    const results: EmitResult[] = [];
    let winner: (EmitResult & { kind: 'action_result' }) | null = null;
    for (const ref of refs) {
      const { moduleName } = ref.module.resolved;
      let output: unknown;
      try {
        output = await ref.module.host.invoke(ref.index, event);
      } catch (error) {
        results.push({ kind: 'handler_error', moduleName, eventType: event.type, error: error instanceof HandlerTimeout || error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (isRecord(output) && output.kind === 'action_request' && typeof output.actionType === 'string' && isRecord(output.payload)) {
        const request = output as unknown as ActionRequest;
        const result = await this.runAction(ref.module, request, winner);
        results.push({ kind: 'action_result', moduleName, ...result });
        if (!winner && result.status === 'performed') winner = { kind: 'action_result', moduleName, ...result };
        continue;
      }
      results.push(normalize(moduleName, output));
    }
    return results;
  }

  async stop(): Promise<void> {
    await Promise.all(this.snapshot.modules.map((m) => m.host.stop()));
    this.snapshot = EMPTY;
  }

  private async runAction(module: LoadedModule, request: ActionRequest, winner: { moduleName: string; actionType: string } | null): Promise<ActionResult> {
    const base = { actionType: request.actionType, ...(request.requestId ? { requestId: request.requestId } : {}), ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}) };
    if (winner) {
      return { ...base, status: 'not_eligible', details: { code: 'action_winner_already_selected', winnerModuleName: winner.moduleName, winnerActionType: winner.actionType } };
    }
    const allowed = checkAction(this.opts.trustMode, module.resolved.name, module.resolved.capabilities, request.actionType);
    if (!allowed.allowed) return { ...base, status: 'forbidden', details: { code: 'undeclared_capability', reason: allowed.reason } };
    if (allowed.reason) this.opts.onLog?.(module.resolved.moduleName, 'warn', { actionType: request.actionType }, allowed.reason);
    try {
      return await this.opts.actions.execute(module.resolved.agentId, request);
    } catch (error) {
      return { ...base, status: 'failed', details: { message: error instanceof Error ? error.message : String(error) } };
    }
  }

  private async doReload(reloadId: string): Promise<ReloadOutcome> {
    const { snapshot, errors } = await this.build(true);
    if (errors.length > 0) {
      await Promise.all(snapshot.modules.map((m) => m.host.stop()));
      return { status: 'error', code: 'reload_failed', reloadId, message: `${errors.length} extension(s) failed to load; the previous snapshot stays active`, snapshotVersion: this.snapshot.version, errors };
    }
    const previous = this.snapshot;
    this.snapshot = snapshot;
    this.lastErrors = [];
    await Promise.all(previous.modules.map((m) => m.host.stop()));
    return {
      status: 'ok', reloadId, loadedCount: snapshot.modules.length, failedCount: 0, snapshotVersion: snapshot.version, loadedAt: snapshot.loadedAt,
      modules: snapshot.modules.map((m) => ({ name: m.inventory.name, version: m.inventory.version, agentId: m.inventory.agentId, events: m.inventory.events })),
    };
  }

  private async build(strict: boolean): Promise<{ snapshot: Snapshot; errors: ModuleLoadError[] }> {
    const errors: ModuleLoadError[] = [];
    const modules: LoadedModule[] = [];
    const agentIds = new Set<string>();
    for (const candidate of discover(this.opts.sources)) {
      const resolved = resolveModule(candidate);
      if ('code' in resolved) { errors.push(resolved); continue; }
      if (agentIds.has(resolved.agentId)) {
        errors.push({ extension: resolved.moduleName, code: 'agent_id_conflict', message: `agentId ${resolved.agentId} is already used by another module` });
        continue;
      }
      const host = new ModuleHost(resolved.moduleName, resolved.entrypointPath, {
        defaultTimeoutMs: this.opts.defaultHandlerTimeoutMs ?? 30_000,
        loadTimeoutMs: this.opts.loadTimeoutMs ?? 15_000,
        onTool: (name, args) => this.tool(resolved, name, args),
        onLog: (level, input, message) => this.opts.onLog?.(resolved.moduleName, level, input, message),
      });
      try {
        await host.start();
      } catch (error) {
        errors.push({ extension: resolved.moduleName, code: error instanceof ModuleLoadFailure ? error.code : 'import_failed', message: error instanceof Error ? error.message : String(error) });
        await host.stop();
        continue;
      }
      const events = [...new Set(host.handlers.map((h) => h.eventType))];
      const trust = evaluateModuleTrust(this.opts.trustMode, resolved.name, resolved.capabilities, events);
      if (trust.status === 'denied') {
        errors.push({ extension: resolved.moduleName, code: 'trust_denied', message: trust.errors.join('; ') });
        await host.stop();
        continue;
      }
      agentIds.add(resolved.agentId);
      modules.push({
        resolved, host,
        inventory: {
          moduleName: resolved.moduleName, name: resolved.name, version: resolved.version, agentId: resolved.agentId, displayName: resolved.displayName,
          manifestPath: resolved.manifestPath, entrypointPath: resolved.entrypointPath, events, origin: { ...resolved.origin },
          compatibility: { status: resolved.diagnostics.length ? 'unknown' : 'compatible', reasons: resolved.diagnostics },
          capabilities: resolved.capabilities ?? { events: [], actions: [] }, trust, diagnostics: [...resolved.diagnostics, ...trust.warnings], isolation: 'worker_thread',
        },
      });
    }
    if (strict && errors.length > 0) return { snapshot: { ...EMPTY, modules }, errors };
    const byEvent = new Map<string, HandlerRef[]>();
    let order = 0;
    for (const module of modules) {
      module.host.handlers.forEach((h, index) => {
        const list = byEvent.get(h.eventType) ?? [];
        list.push({ module, index, priority: h.priority, order: order++ });
        byEvent.set(h.eventType, list);
      });
    }
    for (const list of byEvent.values()) list.sort((a, b) => a.priority - b.priority || a.order - b.order);
    return { snapshot: { version: randomUUID(), loadedAt: new Date().toISOString(), modules, byEvent }, errors };
  }

  /** A handler's tool call, checked against its module's declared capabilities. */
  private async tool(module: ResolvedModule, name: string, args: unknown): Promise<unknown> {
    if (name === 'enqueueJob') {
      const allowed = checkAction(this.opts.trustMode, module.name, module.capabilities, 'queue.enqueue');
      if (!allowed.allowed) throw new Error(`forbidden: ${allowed.reason}`);
      return this.opts.tools.enqueueJob(args);
    }
    if (name === 'getSessionSettings' || name === 'getSessionSetting') {
      const { sessionId, key } = (args ?? {}) as { sessionId?: unknown; key?: unknown };
      if (typeof sessionId !== 'string') throw new Error('sessionId is required');
      const settings = await this.opts.tools.getSessionSettings(sessionId);
      return name === 'getSessionSettings' ? settings : typeof key === 'string' ? settings[key] ?? null : null;
    }
    throw new Error(`unknown tool ${name}`);
  }
}

function normalize(moduleName: string, output: unknown): EmitResult {
  if (isRecord(output) && (output.status === 'enqueued' || output.status === 'already_queued') && isRecord(output.job) && typeof output.job.id === 'string') {
    const job = output.job;
    return { kind: 'enqueue_result', moduleName, status: output.status, job: { id: String(job.id), type: String(job.type), projectId: String(job.projectId), state: String(job.state) } };
  }
  if (isRecord(output) && typeof output.actionType === 'string' && typeof output.status === 'string') {
    return { kind: 'action_result', moduleName, ...(output as unknown as ActionResult) };
  }
  if (output === undefined || output === null) return { kind: 'handler_result', moduleName };
  if (isRecord(output) && output.kind === 'handler_result') return { kind: 'handler_result', moduleName, ...(isRecord(output.details) ? { details: output.details } : {}) };
  return { kind: 'handler_result', moduleName, details: { value: output } };
}
