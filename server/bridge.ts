import path from 'node:path';
import { resolveCodexBinary } from './appserver/codex-binary';
import { openCheckpoints, type CheckpointOptions, type CheckpointRecorder } from './checkpoints';
import { RuntimeSupervisor, type SupervisorOptions } from './appserver/supervisor';
import { SessionsForProjects } from './domain/project-sessions';
import { ProjectService } from './domain/projects';
import { RuntimeRouter } from './domain/runtime-router';
import { SessionIndex } from './domain/session-index';
import { SessionService, type SessionDefaults } from './domain/session-service';
import { SessionSettingsService } from './domain/session-settings';
import { TranscriptLedger } from './domain/transcript-ledger';
import { TurnTracker } from './domain/turn-tracker';
import { createOperationTable, type CallContext, type OperationTable, type RawInput, type Reply } from './operations';
import { systemSessionGuard } from './operations/system-session-guard';
import type { OperationTableOptions } from './operations/table';
import { ExtensionsService, type ExtensionOptions } from './extensions/service';
import { Orchestrator, type OrchestratorOptions } from './queue/orchestrator';
import type { BridgeServices } from './operations/services';
import { EventLog, type EventLogOptions } from './state/event-log';
import { PendingRegistry } from './state/pending-registry';
import { Store } from './state/store';
import { BRIDGE_VERSION } from './version';

export interface BridgeOptions {
  /** Where the bridge keeps its state (created 0700). */
  dataDir: string;
  /** The codex binary; default: CODEX_BIN, then the pinned package's native binary. */
  codexPath?: string;
  /** CODEX_HOME for the runtime; default: inherited (the user's ~/.codex). */
  codexHome?: string;
  /** Extra environment for the runtime (e.g. OPENAI_API_KEY for the offline demo). */
  runtimeEnv?: Record<string, string>;
  /** Extra `codex app-server` arguments (e.g. `-c key=value`). */
  runtimeArgs?: string[];
  /** Defaults for new sessions. */
  sessionDefaults?: Partial<SessionDefaults>;
  /** Supervisor tuning (backoff, breaker, timeouts); tests shorten them. */
  supervisor?: Partial<Pick<SupervisorOptions, 'backoff' | 'breaker' | 'requestTimeoutMs' | 'initializeTimeoutMs' | 'readyWaitMs' | 'stderrEcho'>>;
  eventLog?: EventLogOptions;
  /** Check every reply against its declared schema (tests). */
  validateReplies?: boolean;
  /** Sees every operation reply (tests). */
  onReply?: OperationTableOptions['onReply'];
  /**
   * Locks the default-scope session controls and settings with this reason (a team's
   * harness that manages them); null unlocks; undefined leaves the stored state as is.
   */
  lockDefaults?: string | null;
  /** Queue limits, job timeouts and extra job types (tests shorten them). */
  orchestrator?: OrchestratorOptions;
  /** Agent extensions: roots, trust mode, RBAC (default: the workspace's agents/ and the shipped ones, trust `warn`, loopback only). */
  extensions?: ExtensionOptions;
  /** Checkpoint size cap and retention (defaults in server/checkpoints). */
  checkpoints?: Partial<CheckpointOptions>;
}

/**
 * The composition root: one store, one event log, one pending registry, one runtime
 * supervisor, the domain services on top, and the operation table that every surface
 * calls. Nothing here is global; two bridges can live in one process (tests do).
 */
export class Bridge {
  private constructor(
    readonly services: BridgeServices,
    /** Records checkpoints from runtime notifications; `idle()` waits for its writes. */
    readonly checkpointRecorder: CheckpointRecorder,
    readonly operations: OperationTable,
  ) {}

  /**
   * Whether work is running that an idle exit or an upgrade would cut short: a turn, a
   * request waiting for a person, or a background job running or waiting to run. A shared
   * bridge exits when idle only if this is false.
   */
  hasRunningWork(): boolean {
    if (this.services.tracker.busy || this.services.pending.pendingCount > 0) return true;
    if (this.services.orchestrator.engine.hasPendingWork()) return true;
    return false;
  }

  get runtime(): RuntimeSupervisor { return this.services.runtime; }
  get events(): EventLog { return this.services.events; }
  get pending(): PendingRegistry { return this.services.pending; }
  get store(): Store { return this.services.store; }

  static async start(opts: BridgeOptions): Promise<Bridge> {
    const startedAt = new Date().toISOString();
    const dataDir = path.resolve(opts.dataDir);
    const store = await Store.open(dataDir);
    const events = new EventLog(opts.eventLog);
    const pending = new PendingRegistry();
    const tracker = new TurnTracker((ended) => pending.expireTurn(ended.threadId, ended.turnId, `turn ${ended.status}`));
    // The router needs the runtime's generation and the runtime needs the router's sinks;
    // the closure reads `runtime` only once messages flow, after it exists.
    const router = new RuntimeRouter(events, pending, tracker, () => runtime.generation);
    pending.onRequested((entry) => router.pendingRequested(entry));
    pending.onSettled((entry) => router.pendingSettled(entry));
    const runtime = new RuntimeSupervisor(
      {
        codexPath: resolveCodexBinary(opts.codexPath),
        ...(opts.codexHome ? { codexHome: opts.codexHome } : {}),
        ...(opts.runtimeEnv ? { env: opts.runtimeEnv } : {}),
        ...(opts.runtimeArgs ? { extraArgs: opts.runtimeArgs } : {}),
        cwd: opts.sessionDefaults?.cwd ?? process.cwd(),
        clientInfo: { name: 'codex_manager', title: 'Codex Manager', version: BRIDGE_VERSION },
        stderrLogFile: path.join(dataDir, 'logs', 'codex-stderr.log'),
        ...opts.supervisor,
      },
      {
        notification: (method, message, raw) => router.notification(method, message, raw),
        serverRequest: (request, generation) => router.serverRequest(request, generation),
      },
    );
    // The runtime starts now, while the bridge opens the rest of its state: start-up is
    // then the slower of the two, not their sum. Nothing routes to services before ready.
    runtime.onState((state) => events.append('runtime_state', null, { state, health: runtime.health() }));
    const runtimeReady = runtime.start();
    runtimeReady.catch(() => undefined); // awaited below; this only avoids an unhandled rejection meanwhile
    try {
      return await Bridge.assemble(opts, { startedAt, store, events, pending, tracker, runtime }, runtimeReady);
    } catch (error) {
      await runtime.stop().catch(() => undefined);
      throw error;
    }
  }

  private static async assemble(
    opts: BridgeOptions,
    parts: { startedAt: string; store: Store; events: EventLog; pending: PendingRegistry; tracker: TurnTracker; runtime: RuntimeSupervisor },
    runtimeReady: Promise<void>,
  ): Promise<Bridge> {
    const { startedAt, store, events, pending, tracker, runtime } = parts;
    const index = await SessionIndex.open(store);
    const sessionDefaults: SessionDefaults = {
      cwd: process.cwd(),
      approvalPolicy: 'on-request',
      // codex-manager's default: a client that names no sandbox gets file changes as approvals.
      // The VS Code extension asks for its own setting's sandbox (workspace-write by default).
      filesystemSandbox: 'read-only',
      networkAccess: 'restricted',
      ...opts.sessionDefaults,
    };
    const sessions = new SessionService(runtime, index, tracker, sessionDefaults);
    sessions.publishTo(events);
    const ledger = new TranscriptLedger(store, events);
    const { approvalPolicy, networkAccess, filesystemSandbox } = sessionDefaults;
    const sessionSettings = await SessionSettingsService.open({ store, sessions, index, runtime, ledger, baseline: { model: null, approvalPolicy, networkAccess, filesystemSandbox } });
    if (opts.lockDefaults !== undefined) await sessionSettings.setDefaultsLock(opts.lockDefaults, { actor: 'bridge', source: 'configuration' });
    // New sessions start from the default-scope controls clients may have set.
    sessions.takeDefaultsFrom(() => sessionSettings.defaultControls());
    sessions.takeSettingsFrom((sessionId) => sessionSettings.sessionSettings(sessionId));
    events.subscribe((event) => {
      if (event.type !== 'session_deleted') return;
      const { sessionId } = event.payload as { sessionId: string };
      // The session is already gone and its leftover settings are inert, so a failed write
      // is reported as a warning, never an unhandled rejection that would end the process.
      sessionSettings.forgetSession(sessionId).catch((error: unknown) => {
        process.emitWarning(`could not drop the settings of deleted session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`, 'CodexManagerWarning');
      });
    });
    const projects = await ProjectService.open(store, new SessionsForProjects(index, sessions), events);
    // Workers call operations through the table, which is built from these services: bound late.
    const late: { table?: OperationTable } = {};
    const orchestrator = await Orchestrator.open({ store, events, sessions, invoke: () => late.table!.invoke.bind(late.table) }, opts.orchestrator);
    events.subscribe((event) => {
      if (event.type === 'session_deleted') orchestrator.suggestions.forget((event.payload as { sessionId: string }).sessionId);
    });
    const extensions = await ExtensionsService.open(
      { store, events, index, orchestrator, invoke: () => late.table!.invoke.bind(late.table) },
      { workspaceAgentsDir: path.join(sessionDefaults.cwd, 'agents'), ...opts.extensions },
    );
    const checkpoints = await openCheckpoints(store, events, opts.checkpoints);
    const services: BridgeServices = {
      runtime, sessions, sessionIndex: index, projects, sessionSettings, ledger, pending, checkpoints: checkpoints.service, tracker, events, store, orchestrator, extensions,
      info: { version: BRIDGE_VERSION, startedAt, codexHome: opts.codexHome ?? process.env.CODEX_HOME ?? null },
    };
    wireRuntimeLifecycle(services);
    const table = createOperationTable(services, {
      validateReplies: opts.validateReplies ?? false,
      guard: systemSessionGuard(index),
      ...(opts.onReply ? { onReply: opts.onReply } : {}),
    });
    late.table = table;
    const bridge = new Bridge(services, checkpoints.recorder, table);
    await runtimeReady;
    // Jobs recovered from the last run start once the runtime can serve their workers.
    await orchestrator.start();
    return bridge;
  }

  /** Calls an operation in-process, exactly as the HTTP and editor surfaces do. */
  call(operationId: string, input: RawInput = {}, ctx: CallContext = { actor: 'in-process' }): Promise<Reply> {
    return this.operations.invoke(operationId, input, ctx);
  }

  async stop(): Promise<void> {
    await this.services.extensions.stop();
    await this.services.orchestrator.stop();
    await this.services.runtime.stop();
    await this.checkpointRecorder.idle();
    await this.services.store.close();
  }

}

/** Runtime exits expire what it was asked; restarts resume loaded threads; both are events. */
function wireRuntimeLifecycle(s: BridgeServices): void {
  s.runtime.onExit((exit) => {
    s.pending.expireGeneration(exit.generation, `runtime exited (${exit.signal ?? `code ${exit.code ?? '?'}`})`);
    for (const ended of s.tracker.reset()) s.events.append('turn_aborted', ended.threadId, { ...ended, reason: 'runtime_exited' });
  });
  s.runtime.onReady(({ restarted }) => {
    if (!restarted) return;
    void s.sessions.resumeAfterRestart().then((result) => s.events.append('runtime_threads_resumed', null, result));
  });
}
