/**
 * The agent extension runtime as the bridge uses it: configured from options (or the
 * environment for `serve`), fed with bridge events in order, guarded by RBAC, with every
 * reload audited. Handler results are published on the stream as `agent_extension_results`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SessionIndex } from '../domain/session-index';
import type { CallContext } from '../operations/table';
import type { Orchestrator } from '../queue/orchestrator';
import type { EventLog } from '../state/event-log';
import type { Store } from '../state/store';
import { ActionExecutor, type Invoke } from './actions';
import { ExtensionAudit } from './audit';
import type { ExtensionSource } from './manifest';
import { resolveRole, validateRbacConfig, type RbacConfig, type Role, type RoleResolution } from './rbac';
import { ExtensionRuntime, type ReloadOutcome } from './runtime';
import { toExtensionEvents } from './signals';
import type { EmitResult, ExtensionEvent, TrustMode } from './types';

export interface ExtensionOptions {
  /** Disable the runtime entirely (no module is loaded). */
  enabled?: boolean;
  /** The workspace's `agents/` folder (repo-local extensions). */
  workspaceAgentsDir?: string;
  /** Extra roots (`configured_root`). */
  roots?: string[];
  /** Installed extension packages' roots (`installed_package`); the shipped `agents/` is one. */
  installedRoots?: string[];
  /** Load the extensions shipped with the product (agents/supervisor); default true. */
  builtin?: boolean;
  trustMode?: TrustMode;
  rbac?: RbacConfig;
  handlerTimeoutMs?: number;
}

/** The shipped extensions: `agents/` beside the sources (dev, tests) or beside the bundle. */
export function builtinAgentsDir(): string | undefined {
  return [path.resolve(__dirname, '..', '..', 'agents'), path.resolve(__dirname, '..', 'agents')].find((p) => fs.existsSync(path.join(p, 'supervisor')));
}

/** `serve` reads its extension settings from the environment (codex-manager's variable names where they exist). */
export function extensionOptionsFromEnv(env: NodeJS.ProcessEnv): ExtensionOptions {
  const list = (v: string | undefined) => (v ? v.split(path.delimiter).filter(Boolean) : undefined);
  const trust = env.AGENT_EXTENSION_TRUST_MODE;
  const mode = env.AGENT_EXTENSION_RBAC_MODE;
  const roots = list(env.AGENT_EXTENSION_CONFIGURED_ROOTS);
  const installed = list(env.AGENT_EXTENSION_PACKAGE_ROOTS);
  return {
    ...(roots ? { roots } : {}),
    ...(installed ? { installedRoots: installed } : {}),
    ...(trust === 'disabled' || trust === 'warn' || trust === 'enforced' ? { trustMode: trust } : {}),
    ...(mode === 'header' || mode === 'jwt' || mode === 'disabled'
      ? {
        rbac: {
          mode,
          ...(env.AGENT_EXTENSION_RBAC_HEADER_SECRET ? { headerSecret: env.AGENT_EXTENSION_RBAC_HEADER_SECRET } : {}),
          ...(env.AGENT_EXTENSION_RBAC_JWT_SECRET ? {
            jwt: {
              secret: env.AGENT_EXTENSION_RBAC_JWT_SECRET,
              ...(env.AGENT_EXTENSION_RBAC_JWT_ISSUER ? { issuer: env.AGENT_EXTENSION_RBAC_JWT_ISSUER } : {}),
              ...(env.AGENT_EXTENSION_RBAC_JWT_AUDIENCE ? { audience: env.AGENT_EXTENSION_RBAC_JWT_AUDIENCE } : {}),
            },
          } : {}),
        },
      }
      : {}),
  };
}

export class ExtensionsService {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly runtime: ExtensionRuntime,
    private readonly audit: ExtensionAudit,
    private readonly rbac: RbacConfig,
    private readonly events: EventLog,
  ) {}

  static async open(deps: { store: Store; events: EventLog; index: SessionIndex; orchestrator: Orchestrator; invoke: () => Invoke }, opts: ExtensionOptions = {}): Promise<ExtensionsService> {
    const rbac = opts.rbac ?? { mode: 'disabled' };
    validateRbacConfig(rbac);
    const sources: ExtensionSource[] = [];
    if (opts.enabled !== false) {
      if (opts.workspaceAgentsDir) sources.push({ type: 'repo_local', path: path.resolve(opts.workspaceAgentsDir) });
      const builtin = opts.builtin === false ? undefined : builtinAgentsDir();
      for (const p of [...(opts.installedRoots ?? []), ...(builtin ? [builtin] : [])]) sources.push({ type: 'installed_package', path: path.resolve(p) });
      for (const p of opts.roots ?? []) sources.push({ type: 'configured_root', path: path.resolve(p) });
    }
    const invoke: Invoke = (id, input, ctx) => deps.invoke()(id, input, ctx);
    const runtime = new ExtensionRuntime({
      sources,
      trustMode: opts.trustMode ?? 'warn',
      actions: new ActionExecutor(invoke, () => deps.orchestrator.engine),
      ...(opts.handlerTimeoutMs ? { defaultHandlerTimeoutMs: opts.handlerTimeoutMs } : {}),
      tools: {
        enqueueJob: async (input) => {
          const i = (input ?? {}) as { type?: unknown; projectId?: unknown; sourceSessionId?: unknown; payload?: unknown };
          const result = await deps.orchestrator.engine.enqueue({
            type: String(i.type), projectId: String(i.projectId),
            sourceSessionId: typeof i.sourceSessionId === 'string' ? i.sourceSessionId : null,
            payload: (typeof i.payload === 'object' && i.payload !== null ? i.payload : {}) as Record<string, unknown>,
          });
          return { status: result.status, job: { id: result.job.id, type: result.job.type, projectId: result.job.projectId, state: result.job.state } };
        },
        getSessionSettings: async (sessionId) => {
          const reply = await invoke('getSessionSettings', { params: { sessionId }, query: {} }, { actor: 'extension', worker: { agent: 'extension' } });
          const body = reply.body as { settings?: Record<string, unknown> };
          return reply.status === 200 ? body.settings ?? {} : {};
        },
      },
    });
    const service = new ExtensionsService(runtime, await ExtensionAudit.open(deps.store), rbac, deps.events);
    await runtime.load();
    if (runtime.lastErrors.length) deps.events.append('agent_extension_diagnostics', null, { errors: runtime.lastErrors });
    deps.events.subscribe((event) => {
      const wanted = (type: string) => runtime.hasHandlers(type);
      for (const ev of toExtensionEvents(event, (threadId) => deps.index.get(threadId), wanted)) {
        if (wanted(ev.type)) void service.dispatch(ev);
      }
    });
    return service;
  }

  /** Runs an event's handlers after every earlier event's (one event at a time, in order). */
  dispatch(event: ExtensionEvent): Promise<EmitResult[]> {
    const run = this.chain.then(() => this.runtime.emit(event));
    this.chain = run.catch(() => undefined);
    return run.then((results) => {
      if (results.length) this.events.append('agent_extension_results', typeof event.payload.sessionId === 'string' ? event.payload.sessionId : null, { eventType: event.type, results });
      return results;
    });
  }

  authorize(ctx: CallContext, allowed: readonly Role[]): Promise<RoleResolution | { ok: false; httpStatus: 403; body: { status: 'forbidden'; code: string; message: string; required: Role[]; role: Role } }> {
    return resolveRole(this.rbac, ctx.request).then((r) => {
      if (!r.ok || allowed.includes(r.role)) return r;
      return { ok: false as const, httpStatus: 403 as const, body: { status: 'forbidden' as const, code: 'insufficient_role', message: `role ${r.role} may not do this`, required: [...allowed], role: r.role } };
    });
  }

  async reload(ctx: CallContext): Promise<{ httpStatus: 200 | 400 | 401 | 403 | 409; body: Record<string, unknown> }> {
    const before = this.runtime.snapshotVersion;
    const access = await this.authorize(ctx, ['admin', 'owner', 'system']);
    const origin = { ip: ctx.request?.remoteAddress ?? null, userAgent: headerOf(ctx, 'user-agent') };
    const record = (result: 'success' | 'failed' | 'forbidden' | 'in_progress', extra: { reloadId: string; after: string | null; error: string | null; impacted: string[]; role: string; actorId: string | null }) =>
      this.audit.append({
        reloadId: extra.reloadId, recordedAt: new Date().toISOString(), actorRole: extra.role, actorId: extra.actorId, requestOrigin: origin, result,
        snapshotBefore: before, snapshotAfter: extra.after, trustMode: this.runtime.trustMode, errorSummary: extra.error, impactedExtensions: extra.impacted,
      });
    if (!access.ok) {
      await record('forbidden', { reloadId: randomUUID(), after: null, error: access.body.code, impacted: [], role: 'unknown', actorId: null });
      return { httpStatus: access.httpStatus, body: access.body };
    }
    const outcome: ReloadOutcome = await this.runtime.reload();
    const who = { role: access.role, actorId: access.actorId };
    if (outcome.status === 'ok') {
      await record('success', { reloadId: outcome.reloadId, after: outcome.snapshotVersion, error: null, impacted: outcome.modules.map((m) => m.name), ...who });
      return { httpStatus: 200, body: outcome };
    }
    const inProgress = outcome.code === 'reload_in_progress';
    await record(inProgress ? 'in_progress' : 'failed', { reloadId: outcome.reloadId, after: null, error: outcome.message, impacted: outcome.errors.map((e) => e.extension), ...who });
    return { httpStatus: inProgress ? 409 : 400, body: outcome };
  }

  async stop(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.runtime.stop();
  }
}

function headerOf(ctx: CallContext, name: string): string | null {
  const v = ctx.request?.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? null : null;
}
