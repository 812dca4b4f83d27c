/**
 * The orchestrator: the queue engine with the bridge's job types, the agents' worker
 * sessions and the suggested-request states, wired to the event log (every transition
 * is a stream event) and to the operation table (workers act through it in-process).
 */
import type { SessionService } from '../domain/session-service';
import type { CallContext, RawInput, Reply } from '../operations/table';
import type { EventLog } from '../state/event-log';
import type { Store } from '../state/store';
import { EmbeddedQueueEngine, type QueueLimits } from './embedded-engine';
import { agentInstructionJob } from './jobs/agent-instruction';
import { sessionTitleJob } from './jobs/session-title';
import { suggestRequestJob } from './jobs/suggest-request';
import { SuggestionStates } from './jobs/suggestions';
import type { BullmqEngineOptions } from './bullmq-engine';
import type { AnyJobDefinition, QueueEngine } from './types';
import type { InvokeOperation } from './workers/worker-api';
import { sessionOwnerId, WorkerSessions } from './workers/worker-sessions';

export interface OrchestratorOptions {
  limits?: Partial<QueueLimits>;
  /** How long suggestSessionRequest waits for its job before answering 202 queued (default 20 s). */
  suggestWaitMs?: number;
  /** Per-attempt limits of the built-in job types. */
  suggestTimeoutMs?: number;
  agentInstructionTimeoutMs?: number;
  /** More job types (tests, embedders). */
  definitions?: readonly AnyJobDefinition[];
  /** Run the queue on BullMQ and this Redis (`--redis` / CODEX_MANAGER_REDIS_URL), shared with other bridges; default: the embedded engine. */
  redisUrl?: string;
  /** BullMQ engine tuning (tests use short locks so a dead bridge's job is recovered quickly). */
  redis?: Pick<BullmqEngineOptions, 'prefix' | 'queueName' | 'bridgeId' | 'lockDurationMs' | 'stalledIntervalMs' | 'runJobs'>;
}

export interface OrchestratorDeps {
  store: Store;
  events: EventLog;
  sessions: SessionService;
  /** The operation table's invoke; bound late, because the table is built after the services. */
  invoke: () => (operationId: string, input: RawInput, ctx: CallContext) => Promise<Reply>;
}

const WORKER_CTX: CallContext = { actor: 'worker:queue', worker: { agent: 'queue' } };

export class Orchestrator {
  readonly suggestWaitMs: number;

  private constructor(
    readonly engine: QueueEngine,
    readonly workers: WorkerSessions,
    readonly suggestions: SuggestionStates,
    private readonly deps: OrchestratorDeps,
    opts: OrchestratorOptions,
  ) {
    this.suggestWaitMs = opts.suggestWaitMs ?? 20_000;
  }

  static async open(deps: OrchestratorDeps, opts: OrchestratorOptions = {}): Promise<Orchestrator> {
    const workers = await WorkerSessions.open(deps.store, deps.sessions);
    const invoke: InvokeOperation = (id, input, ctx) => deps.invoke()(id, input, ctx);
    const suggestions = new SuggestionStates();
    const definitions: AnyJobDefinition[] = [
      suggestRequestJob({ invoke, events: deps.events, workers, suggestions, ...(opts.suggestTimeoutMs ? { timeoutMs: opts.suggestTimeoutMs } : {}) }),
      agentInstructionJob({ invoke, events: deps.events, workers, ...(opts.agentInstructionTimeoutMs ? { timeoutMs: opts.agentInstructionTimeoutMs } : {}) }),
      sessionTitleJob({ invoke }),
      ...(opts.definitions ?? []),
    ];
    const interruptTurn = async (threadId: string, turnId: string) => {
      await invoke('interruptSessionTurn', { params: { sessionId: threadId }, body: { turnId } }, WORKER_CTX);
    };
    const engine: QueueEngine = opts.redisUrl
      ? await openBullmqEngine(opts.redisUrl, definitions, deps, opts, interruptTurn)
      : new EmbeddedQueueEngine({ store: deps.store, definitions, ...(opts.limits ? { limits: opts.limits } : {}), interruptTurn });
    engine.onEvent((event) => deps.events.append(event.type, event.threadId, event.payload));
    return new Orchestrator(engine, workers, suggestions, deps, opts);
  }

  start(): Promise<void> {
    return this.engine.start();
  }

  stop(): Promise<void> {
    return this.engine.stop();
  }

  /** The queue's project for a session's work: its project, else `session:<id>`. */
  ownerOf(sessionId: string): string {
    return this.deps.sessions.require(sessionId).projectId ?? sessionOwnerId(sessionId);
  }
}

/**
 * The BullMQ engine, loaded only when a Redis URL is configured (most bridges never need
 * its libraries). A job about a session runs only on a bridge that has the session (the
 * session's thread lives in that bridge's runtime); other jobs run on any bridge.
 */
async function openBullmqEngine(
  redisUrl: string, definitions: AnyJobDefinition[], deps: OrchestratorDeps, opts: OrchestratorOptions,
  interruptTurn: (threadId: string, turnId: string) => Promise<void>,
): Promise<QueueEngine> {
  const { BullmqQueueEngine } = await import('./bullmq-engine');
  return new BullmqQueueEngine({
    redisUrl, definitions, interruptTurn, ...opts.redis,
    ...(opts.limits ? { limits: opts.limits } : {}),
    canRun: (job) => job.sourceSessionId === null || deps.sessions.exists(job.sourceSessionId),
  });
}
