/**
 * The background job queue's vocabulary: job records (codex-manager's `OrchestratorJob`
 * shape, plus a few additive fields), job definitions, the events every transition emits,
 * and the engine interface. The embedded engine implements it today; a distributed one
 * (BullMQ on Redis, issue 15) implements the same interface, so operations, workers and
 * tests never know which engine runs.
 */
import { z, type ZodType } from 'zod';

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'canceled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'canceled']);

export type JobPriority = 'interactive' | 'background';
export type DedupeMode = 'single_flight' | 'drop_duplicate' | 'merge_duplicate' | 'none';

export const JobRecordSchema = z.object({
  id: z.string(),
  type: z.string(),
  version: z.number().int(),
  projectId: z.string(),
  sourceSessionId: z.string().nullable(),
  priority: z.enum(['interactive', 'background']),
  state: z.enum(JOB_STATES),
  dedupeKey: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  /** `<code>: <message>` of the last failure (codex-manager clients read it as text). */
  error: z.string().nullable(),
  /** The machine-readable code of the last failure (bridge extension). */
  errorCode: z.string().nullable().default(null),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  cancelRequestedAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  runningContext: z.object({ threadId: z.string().nullable(), turnId: z.string().nullable() }),
  /** The last progress the worker reported (bridge extension). */
  progress: z.record(z.string(), z.unknown()).nullable().default(null),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

/** What a running job may do: report progress, say which turn it runs, notice cancel/timeout. */
export interface JobRunContext {
  readonly jobId: string;
  readonly projectId: string;
  readonly sourceSessionId: string | null;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted on cancel and on timeout; its reason is a JobError (`canceled` / `job_timeout`). */
  readonly signal: AbortSignal;
  /** The worker turn this job runs, so cancel and timeout can interrupt it. */
  setRunningContext(context: { threadId: string | null; turnId: string | null }): void;
  progress(progress: Record<string, unknown>): void;
}

export type RetryClass = 'retryable' | 'fatal';

export interface JobDefinition<P extends Record<string, unknown> = Record<string, unknown>, R extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  version: number;
  priority: JobPriority;
  payloadSchema: ZodType<P>;
  dedupe: {
    mode: DedupeMode;
    key(payload: P): string | null;
    /** merge_duplicate: the payload the existing job continues with. */
    merge?(existing: P, incoming: P): P;
  };
  retry: {
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    jitter: boolean;
    /** Default: by the failure's code (see retry.ts), never by its message. */
    classify?(failure: JobFailure): RetryClass;
  };
  /** Per attempt; null: no limit. */
  timeoutMs: number | null;
  cancel: {
    /** interrupt_turn: the running worker turn is interrupted, then the job waits for it to end. */
    strategy: 'interrupt_turn' | 'mark_canceled';
    /** How long cancel waits for the worker to stop before the job is marked canceled anyway. */
    gracefulWaitMs: number;
  };
  run(ctx: JobRunContext, payload: P): Promise<R>;
}

// Definitions are stored by type in one map; their payload types differ per entry.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any, any>;

/** A failure as the queue sees it: a machine-readable code and a message. */
export interface JobFailure {
  code: string;
  message: string;
  /** Set when the thrower knows better than the code table. */
  retryable?: boolean;
}

/** Thrown by workers (and by the engine for timeouts and cancels): carries a code for retry classification. */
export class JobError extends Error {
  constructor(readonly code: string, message: string, readonly retryable?: boolean) {
    super(message);
    this.name = 'JobError';
  }
}

/** Refusals of enqueue/cancel, with codex-manager's codes and HTTP statuses. */
export class QueueError extends Error {
  constructor(
    readonly code: 'queue_full' | 'job_conflict' | 'unknown_job_type' | 'invalid_payload' | 'queue_unavailable',
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}

export interface EnqueueInput {
  type: string;
  projectId: string;
  sourceSessionId?: string | null;
  payload: Record<string, unknown>;
}

export interface EnqueueResult {
  status: 'enqueued' | 'already_queued';
  job: JobRecord;
}

export interface CancelResult {
  status: 'canceled' | 'already_terminal' | 'not_found';
  job: JobRecord | null;
}

export type QueueEventType =
  | 'orchestrator_job_queued'
  | 'orchestrator_job_started'
  | 'orchestrator_job_progress'
  | 'orchestrator_job_completed'
  | 'orchestrator_job_failed'
  | 'orchestrator_job_canceled';

/** codex-manager's stream event for a job transition; `threadId` is the source session. */
export interface QueueEvent {
  type: QueueEventType;
  threadId: string | null;
  payload: {
    jobId: string;
    projectId: string;
    jobType: string;
    state: JobState;
    sourceSessionId?: string;
    result?: Record<string, unknown>;
    error?: string;
    progress?: Record<string, unknown>;
    /** Bridge extensions: the attempt number, and when a retry is due. */
    attempt?: number;
    nextAttemptAt?: string;
  };
}

export interface QueueStats {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  canceled: number;
  projects: number;
}

/**
 * The one interface every engine implements. Reads are async so an engine may keep its
 * state elsewhere (Redis); the embedded engine answers from memory.
 */
export interface QueueEngine {
  readonly kind: string;
  start(): Promise<void>;
  /** Stops scheduling, aborts running attempts and waits for them (they are re-queued at the next start). */
  stop(): Promise<void>;
  /** Durable once it resolves. Throws QueueError (queue_full 429, unknown_job_type, invalid_payload 400). */
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  get(jobId: string): Promise<JobRecord | null>;
  /** Newest first. */
  list(filter: { projectId?: string; state?: JobState }): Promise<JobRecord[]>;
  cancel(jobId: string, reason?: string): Promise<CancelResult>;
  /** The terminal job, or null if it is not terminal within timeoutMs (or unknown). */
  waitForTerminal(jobId: string, timeoutMs: number): Promise<JobRecord | null>;
  onEvent(listener: (event: QueueEvent) => void): () => void;
  stats(): Promise<QueueStats>;
  /** Whether a job is running or waiting to run (an idle bridge may exit only when false). */
  hasPendingWork(): boolean;
  /** For health and capabilities: which engine, and (distributed engines) whether their backend answers. */
  describe?(): QueueEngineInfo;
}

export interface QueueEngineInfo {
  engine: string;
  redis?: { url: string; reachable: boolean; status: string };
}
