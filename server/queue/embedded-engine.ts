/**
 * The embedded queue engine: jobs in memory, each transition appended to a JSONL log in
 * the bridge's store (group-committed, see job-store.ts), scheduled in this process. See types.ts for the contract
 * and scheduler.ts for the fairness rules.
 *
 * Exactly-once-at-a-time: a project's slot stays taken until its worker has really
 * settled, even when cancel or timeout already marked the job terminal, so no second job
 * of that project (and no retry of this one) starts beside a worker that is still going.
 * After a crash, a job found `running` is re-queued (or failed when out of attempts): the
 * worker it had died with the bridge and its runtime.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../state/store';
import { JobStore } from './job-store';
import { backoffDelayMs, classify, toFailure } from './retry';
import { checkCapacity, findDuplicate, recoverInterrupted } from './job-rules';
import { Retention } from './retention';
import { pickRunnable } from './scheduler';
import {
  JobError, QueueError, TERMINAL_STATES,
  type AnyJobDefinition, type CancelResult, type EnqueueInput, type EnqueueResult, type JobRecord, type JobState,
  type QueueEngine, type QueueEvent, type QueueEventType, type QueueStats,
} from './types';

export interface QueueLimits {
  /** Jobs running at once across all projects. */
  globalConcurrency: number;
  /** Queued + running jobs accepted in total / per project before enqueue answers 429 queue_full. */
  maxActiveGlobal: number;
  maxActivePerProject: number;
  /** A background job waiting this long is scheduled like an interactive one. */
  backgroundAgingMs: number;
  /** Terminal jobs kept per project (newest), and for at most this long. */
  retainTerminalPerProject: number;
  retainTerminalMs: number;
}

export const DEFAULT_LIMITS: QueueLimits = {
  globalConcurrency: 2,
  maxActiveGlobal: 1000,
  maxActivePerProject: 200,
  backgroundAgingMs: 30_000,
  retainTerminalPerProject: 100,
  retainTerminalMs: 7 * 24 * 3600_000,
};

export interface EmbeddedEngineOptions {
  store: Store;
  definitions: readonly AnyJobDefinition[];
  limits?: Partial<QueueLimits>;
  /** Interrupts a worker's running turn (cancel, timeout). */
  interruptTurn?: (threadId: string, turnId: string) => Promise<void>;
  /** Failures with no caller to report to (a persistence error in the background). */
  onBackgroundError?: (error: unknown) => void;
  now?: () => number;
  random?: () => number;
  /** How long stop() waits for running workers to return (default 5 s). */
  stopWaitMs?: number;
  /** Document name in the store (tests run two queues in one store). */
  storeName?: string;
}

interface Attempt {
  controller: AbortController;
  /** Resolves when the worker's promise has settled (the slot is free again). */
  settled: Promise<void>;
  /** Set once the job left `running` for this attempt (by its worker, cancel or timeout). */
  finalized: boolean;
  timers: NodeJS.Timeout[];
}

export class EmbeddedQueueEngine implements QueueEngine {
  readonly kind = 'embedded';
  private readonly jobs = new Map<string, JobRecord>();
  private readonly attempts = new Map<string, Attempt>();
  private readonly definitions = new Map<string, AnyJobDefinition>();
  private readonly listeners = new Set<(event: QueueEvent) => void>();
  private readonly waiters = new Map<string, Set<(job: JobRecord) => void>>();
  private readonly limits: QueueLimits;
  private readonly retention: Retention;
  private readonly now: () => number;
  private readonly random: () => number;
  private jobStore: JobStore | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private running = false;
  private pumpScheduled = false;

  constructor(private readonly opts: EmbeddedEngineOptions) {
    for (const d of opts.definitions) this.definitions.set(d.type, d);
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.retention = new Retention(this.limits.retainTerminalPerProject, this.limits.retainTerminalMs);
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  async start(): Promise<void> {
    this.jobStore = await JobStore.open(this.opts.store, this.opts.storeName);
    const nowIso = this.iso();
    for (const job of this.jobStore.load()) {
      this.jobs.set(job.id, job);
      if (!this.definitions.has(job.type) && !TERMINAL_STATES.has(job.state)) {
        Object.assign(job, { state: 'failed', completedAt: nowIso, errorCode: 'unknown_job_type', error: `unknown_job_type: no worker for ${job.type}` });
      } else if (job.state === 'running') {
        recoverInterrupted(job, nowIso);
      }
    }
    this.retention.seed(this.jobs.values());
    const removed = this.drop(this.retention.sweep(this.jobs, this.now(), (id) => this.attempts.has(id)));
    await this.jobStore.save([...this.jobs.values()], removed);
    this.running = true;
    this.schedulePump();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.wakeTimer);
    for (const attempt of this.attempts.values()) attempt.controller.abort(new JobError('interrupted_by_restart', 'the bridge is stopping'));
    // Workers that ignore their signal are not waited for forever: their jobs stay
    // `running` on disk and the next start re-queues them.
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.opts.stopWaitMs ?? 5000); });
    await Promise.race([Promise.all([...this.attempts.values()].map((a) => a.settled)), limit]);
    clearTimeout(timer);
    // Appends already resolved are durable; nothing is buffered here.
  }

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    if (!this.running) throw new QueueError('queue_unavailable', 'the queue is not running', 503);
    const definition = this.definitions.get(input.type);
    if (!definition) throw new QueueError('unknown_job_type', `unknown job type ${input.type}`, 400);
    const parsed = definition.payloadSchema.safeParse(input.payload);
    if (!parsed.success) throw new QueueError('invalid_payload', `invalid ${input.type} payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 400);
    const payload = parsed.data as Record<string, unknown>;
    const dedupeKey = definition.dedupe.mode === 'none' ? null : definition.dedupe.key(payload);
    const duplicate = dedupeKey === null ? undefined : findDuplicate(this.jobs.values(), definition, input.projectId, dedupeKey);
    if (duplicate) {
      if (definition.dedupe.mode === 'merge_duplicate' && duplicate.state === 'queued' && definition.dedupe.merge) {
        duplicate.payload = definition.payloadSchema.parse(definition.dedupe.merge(duplicate.payload, payload)) as Record<string, unknown>;
        await this.persist(duplicate);
      }
      return { status: 'already_queued', job: structuredClone(duplicate) };
    }
    checkCapacity(this.jobs.values(), this.limits, input.projectId);
    const job: JobRecord = {
      id: randomUUID(), type: definition.type, version: definition.version, projectId: input.projectId,
      sourceSessionId: input.sourceSessionId ?? null, priority: definition.priority, state: 'queued', dedupeKey, payload,
      result: null, error: null, errorCode: null, attempts: 0, maxAttempts: Math.max(1, definition.retry.maxAttempts),
      createdAt: this.iso(), startedAt: null, completedAt: null, cancelRequestedAt: null, nextAttemptAt: null,
      lastAttemptAt: null, runningContext: { threadId: null, turnId: null }, progress: null,
    };
    this.jobs.set(job.id, job);
    await this.persist(job);
    this.emit('orchestrator_job_queued', job);
    this.schedulePump();
    return { status: 'enqueued', job: structuredClone(job) };
  }

  async get(jobId: string): Promise<JobRecord | null> {
    const job = this.jobs.get(jobId);
    return job ? structuredClone(job) : null;
  }

  async list(filter: { projectId?: string; state?: JobState }): Promise<JobRecord[]> {
    return [...this.jobs.values()]
      .filter((j) => (filter.projectId === undefined || j.projectId === filter.projectId) && (filter.state === undefined || j.state === filter.state))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .map((j) => structuredClone(j));
  }

  async cancel(jobId: string, reason = 'cancel_requested'): Promise<CancelResult> {
    const job = this.jobs.get(jobId);
    if (!job) return { status: 'not_found', job: null };
    if (TERMINAL_STATES.has(job.state)) return { status: 'already_terminal', job: structuredClone(job) };
    job.cancelRequestedAt = this.iso();
    const attempt = this.attempts.get(jobId);
    if (job.state === 'queued' || !attempt) {
      await this.finish(job, 'canceled', { error: `canceled: ${reason}`, errorCode: 'canceled' });
      return { status: 'canceled', job: structuredClone(job) };
    }
    const definition = this.definitions.get(job.type)!;
    // Durable before the worker is told: a crash now must not run the job again.
    await this.persist(job);
    attempt.controller.abort(new JobError('canceled', `canceled: ${reason}`, false));
    if (definition.cancel.strategy === 'interrupt_turn') this.interrupt(job);
    // Give the worker its graceful wait to stop; then the job is canceled regardless
    // (its slot stays taken until the worker really settles).
    const grace = new Promise<void>((resolve) => { attempt.timers.push(setTimeout(resolve, definition.cancel.gracefulWaitMs)); });
    await Promise.race([attempt.settled, grace]);
    if (!attempt.finalized) await this.finalize(job, attempt, 'canceled', { error: `canceled: ${reason}`, errorCode: 'canceled' });
    return { status: 'canceled', job: structuredClone(job) };
  }

  waitForTerminal(jobId: string, timeoutMs: number): Promise<JobRecord | null> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.resolve(null);
    if (TERMINAL_STATES.has(job.state)) return Promise.resolve(structuredClone(job));
    return new Promise((resolve) => {
      const set = this.waiters.get(jobId) ?? new Set();
      this.waiters.set(jobId, set);
      const timer = setTimeout(() => { set.delete(done); resolve(null); }, Math.max(0, timeoutMs));
      const done = (finished: JobRecord) => { clearTimeout(timer); resolve(finished); };
      set.add(done);
    });
  }

  onEvent(listener: (event: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stats(): Promise<QueueStats> {
    const counts: QueueStats = { queued: 0, running: 0, completed: 0, failed: 0, canceled: 0, projects: 0 };
    const projects = new Set<string>();
    for (const job of this.jobs.values()) {
      counts[job.state] += 1;
      projects.add(job.projectId);
    }
    counts.projects = projects.size;
    return counts;
  }

  hasPendingWork(): boolean {
    if (this.attempts.size > 0) return true;
    for (const job of this.jobs.values()) if (job.state === 'queued') return true;
    return false;
  }

  // ---- scheduling -----------------------------------------------------------

  private schedulePump(): void {
    if (this.pumpScheduled || !this.running) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.running) return;
    const busyProjects = new Set<string>();
    for (const id of this.attempts.keys()) busyProjects.add(this.jobs.get(id)!.projectId);
    const { start, wakeAt } = pickRunnable(this.jobs.values(), {
      now: this.now(),
      freeSlots: this.limits.globalConcurrency - this.attempts.size,
      busyProjects,
      agingMs: this.limits.backgroundAgingMs,
    });
    for (const job of start) this.begin(job);
    clearTimeout(this.wakeTimer);
    if (wakeAt !== null) {
      this.wakeTimer = setTimeout(() => this.schedulePump(), Math.max(0, wakeAt - this.now()));
      this.wakeTimer.unref();
    }
  }

  private begin(job: JobRecord): void {
    const definition = this.definitions.get(job.type)!;
    const controller = new AbortController();
    const attempt: Attempt = { controller, settled: Promise.resolve(), finalized: false, timers: [] };
    this.attempts.set(job.id, attempt);
    const nowIso = this.iso();
    Object.assign(job, { state: 'running', attempts: job.attempts + 1, startedAt: job.startedAt ?? nowIso, lastAttemptAt: nowIso, nextAttemptAt: null, runningContext: { threadId: null, turnId: null } });
    const number = job.attempts;
    if (definition.timeoutMs !== null) {
      attempt.timers.push(setTimeout(() => {
        controller.abort(new JobError('job_timeout', `attempt ${number} timed out after ${definition.timeoutMs} ms`));
        if (definition.cancel.strategy === 'interrupt_turn') this.interrupt(job);
      }, definition.timeoutMs));
    }
    const ctx = {
      jobId: job.id, projectId: job.projectId, sourceSessionId: job.sourceSessionId, attempt: number, signal: controller.signal,
      setRunningContext: (context: { threadId: string | null; turnId: string | null }) => {
        if (attempt.finalized) return;
        job.runningContext = { ...context };
        void this.persist(job).catch((e: unknown) => this.backgroundError(e));
      },
      progress: (progress: Record<string, unknown>) => {
        if (attempt.finalized) return;
        job.progress = structuredClone(progress);
        this.emit('orchestrator_job_progress', job, { progress: job.progress });
      },
    };
    // The attempt is durable as `running` before the worker starts (so a crash re-queues it).
    const work = this.persist(job).then(() => {
      this.emit('orchestrator_job_started', job, { attempt: number });
      if (controller.signal.aborted) throw controller.signal.reason;
      return definition.run(ctx, definition.payloadSchema.parse(job.payload));
    });
    // A worker that ignores its signal is not waited for: abort wins the race for the
    // job's state, while `settled` keeps the slot until the worker really returns.
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
    attempt.settled = work.then(() => undefined, () => undefined).finally(() => {
      for (const t of attempt.timers) clearTimeout(t);
      if (this.attempts.get(job.id) === attempt) this.attempts.delete(job.id);
      this.schedulePump();
    });
    Promise.race([work, aborted]).then(
      (result) => this.succeed(job, attempt, result),
      (error: unknown) => this.fail(job, attempt, error),
    ).catch((e: unknown) => this.backgroundError(e));
  }

  private async succeed(job: JobRecord, attempt: Attempt, result: unknown): Promise<void> {
    if (attempt.finalized) return;
    if (job.cancelRequestedAt) return this.finalize(job, attempt, 'canceled', { error: 'canceled: cancel_requested', errorCode: 'canceled' });
    const value = result && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : { value: result ?? null };
    await this.finalize(job, attempt, 'completed', { result: structuredClone(value), error: null, errorCode: null });
  }

  private async fail(job: JobRecord, attempt: Attempt, error: unknown): Promise<void> {
    if (attempt.finalized) return;
    const failure = toFailure(error);
    if (job.cancelRequestedAt || failure.code === 'canceled') {
      return this.finalize(job, attempt, 'canceled', { error: `canceled: ${failure.message}`, errorCode: 'canceled' });
    }
    const definition = this.definitions.get(job.type)!;
    const text = `${failure.code}: ${failure.message}`;
    if (classify(definition, failure) === 'retryable' && job.attempts < job.maxAttempts && this.running) {
      attempt.finalized = true;
      const nextAttemptAt = new Date(this.now() + backoffDelayMs(definition.retry, job.attempts, this.random)).toISOString();
      Object.assign(job, { state: 'queued', error: text, errorCode: failure.code, nextAttemptAt, runningContext: { threadId: null, turnId: null } });
      await this.persist(job);
      this.emit('orchestrator_job_queued', job, { error: text, attempt: job.attempts, nextAttemptAt });
      return;
    }
    if (!this.running && failure.code === 'interrupted_by_restart') {
      // Stopping: leave it `running` on disk; the next start re-queues it.
      attempt.finalized = true;
      return;
    }
    await this.finalize(job, attempt, 'failed', { error: text, errorCode: failure.code });
  }

  private async finalize(job: JobRecord, attempt: Attempt, state: 'completed' | 'failed' | 'canceled', fields: Partial<JobRecord>): Promise<void> {
    attempt.finalized = true;
    await this.finish(job, state, fields);
  }

  private async finish(job: JobRecord, state: 'completed' | 'failed' | 'canceled', fields: Partial<JobRecord>): Promise<void> {
    Object.assign(job, fields, { state, completedAt: this.iso(), nextAttemptAt: null });
    const removed = this.drop(this.retention.recordFinished(job, this.jobs, this.now(), (id) => this.attempts.has(id)));
    await this.persist(job, removed);
    const type: QueueEventType = state === 'completed' ? 'orchestrator_job_completed' : state === 'failed' ? 'orchestrator_job_failed' : 'orchestrator_job_canceled';
    this.emit(type, job, state === 'completed' ? { result: job.result ?? {} } : job.error ? { error: job.error } : {});
    const waiting = this.waiters.get(job.id);
    this.waiters.delete(job.id);
    for (const done of waiting ?? []) done(structuredClone(job));
    this.schedulePump();
  }

  // ---- helpers --------------------------------------------------------------

  private drop(ids: string[]): string[] {
    for (const id of ids) this.jobs.delete(id);
    return ids;
  }

  private interrupt(job: JobRecord): void {
    const { threadId, turnId } = job.runningContext;
    if (!threadId || !turnId || !this.opts.interruptTurn) return;
    this.opts.interruptTurn(threadId, turnId).catch(() => undefined); // the turn may have ended already
  }

  private emit(type: QueueEventType, job: JobRecord, extra: Partial<QueueEvent['payload']> = {}): void {
    const event: QueueEvent = {
      type,
      threadId: job.sourceSessionId,
      payload: { jobId: job.id, projectId: job.projectId, jobType: job.type, state: job.state, ...(job.sourceSessionId ? { sourceSessionId: job.sourceSessionId } : {}), ...extra },
    };
    for (const listener of this.listeners) {
      try { listener(event); } catch (e) { this.backgroundError(e); }
    }
  }

  private persist(job: JobRecord, removed: readonly string[] = []): Promise<void> {
    return this.jobStore ? this.jobStore.save([job], removed) : Promise.resolve();
  }

  private backgroundError(error: unknown): void {
    (this.opts.onBackgroundError ?? ((e: unknown) => process.emitWarning(`queue: ${String(e)}`)))(error);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
