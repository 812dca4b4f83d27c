/**
 * The BullMQ engine's worker side: what one bridge does with a job BullMQ hands it.
 *
 * BullMQ does the distributed parts: which bridge gets a job, the job lock and stalled-job
 * recovery when a bridge dies (the job goes back to wait and another bridge takes it; the
 * dead bridge can no longer complete it, its lock token is gone), delayed retries (a
 * backoff strategy that returns the delay this engine chose), retention. This module adds
 * the queue's own rules on top:
 * - one running job per project across all bridges: a Redis lock per project, renewed
 *   while the worker runs and held until it has really returned (also after a timeout);
 *   a job whose project is busy goes back to delayed for a moment (BullMQ's DelayedError);
 * - prerequisites: a bridge that cannot run a job (no such session here) passes it on;
 * - retries decided by the failure's code and the attempt count kept across stalls, so a
 *   job interrupted by a dead bridge uses one of its attempts, as in the embedded engine;
 * - timeouts and cancel through the job's AbortSignal, interrupting the worker turn.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BullJobData, JobMeta } from './bullmq-records';
import type { EngineKeys } from './bullmq-redis';
import { backoffDelayMs, classify, toFailure } from './retry';
import { JobError, type AnyJobDefinition, type JobRecord } from './types';

/** Thrown to BullMQ for a retry: its backoff strategy reads the delay from it. */
export class RetryLater extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Thrown to BullMQ for a final failure (BullMQ knows it by its name: no retry); `code` is also in the meta hash. */
export class FinalFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'UnrecoverableError';
  }
}

/** BullMQ's "the job was moved by the processor" errors, known by name (the classes live in the lazily loaded library). */
class Moved extends Error {
  constructor(name: 'DelayedError' | 'WaitingError') {
    super(name);
    this.name = name;
  }
}
const MOVED_OR_FINAL = new Set(['DelayedError', 'WaitingError', 'UnrecoverableError']);

export interface LocalAttempt {
  controller: AbortController;
  job: Job<BullJobData>;
  definition: AnyJobDefinition;
  threadId: string | null;
  turnId: string | null;
}

export interface RunnerDeps {
  commands: Redis;
  keys: EngineKeys;
  definitions: ReadonlyMap<string, AnyJobDefinition>;
  /** The project lock's lifetime; renewed every third of it while the worker runs. */
  lockMs: number;
  /** How long a job whose project is busy (or which this bridge cannot run) waits before it is offered again. */
  busyDelayMs: number;
  canRun?: (job: Pick<JobRecord, 'type' | 'projectId' | 'sourceSessionId' | 'payload'>) => boolean;
  interruptTurn?: (threadId: string, turnId: string) => Promise<void>;
  publish(type: 'started' | 'progress', job: Job<BullJobData>, extra: Record<string, unknown>): void;
  isStopping(): boolean;
  backgroundError(error: unknown): void;
  random: () => number;
}

// Deletes the project lock only if this attempt still holds it.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export class JobRunner {
  /** Attempts running in this bridge, by job id (cancel messages find them here). */
  readonly local = new Map<string, LocalAttempt>();
  /** Workers still going after their attempt ended (timeout, cancel, stop): their project stays locked. */
  private readonly lingering = new Set<Promise<void>>();

  constructor(private readonly d: RunnerDeps) {}

  /** BullMQ's processor. */
  async process(job: Job<BullJobData>, token: string | undefined): Promise<Record<string, unknown>> {
    const { commands, keys } = this.d;
    const data = job.data;
    const definition = this.d.definitions.get(data.type);
    const metaKey = keys.meta(String(job.id));
    if (!definition) return this.finalFailure(metaKey, 'unknown_job_type', `no worker for ${data.type}`);
    const meta = (await commands.hgetall(metaKey)) as JobMeta;
    if (meta.cancelRequestedAt) return this.finalFailure(metaKey, 'canceled', 'cancel_requested');
    if (this.d.canRun && !this.d.canRun(data)) return this.later(job, token);
    const lockValue = `${job.id}:${randomUUID()}`;
    const locked = await commands.set(keys.projectLock(data.projectId), lockValue, 'PX', this.d.lockMs, 'NX');
    if (locked !== 'OK') return this.later(job, token);

    const controller = new AbortController();
    const attempt: LocalAttempt = { controller, job, definition, threadId: null, turnId: null };
    let settled!: Promise<void>;
    try {
      const now = new Date().toISOString();
      const number = await commands.hincrby(metaKey, 'attempts', 1);
      await commands.multi().hsetnx(metaKey, 'startedAt', now).hset(metaKey, { lastAttemptAt: now, nextAttemptAt: '', threadId: '', turnId: '' }).exec();
      if (number > data.maxAttempts) {
        // The last attempt died with its bridge (stalled-job recovery brought it back).
        await this.releaseLock(data.projectId, lockValue);
        return this.finalFailure(metaKey, meta.errorCode || 'interrupted_by_restart', meta.error?.replace(/^[^:]*: /, '') || 'the bridge running this job stopped');
      }
      this.local.set(String(job.id), attempt);
      // A stop or a cancel that came while this attempt was being set up did not find it in `local`.
      if (this.d.isStopping()) controller.abort(new JobError('interrupted_by_restart', 'the bridge is stopping'));
      else if (await commands.hget(metaKey, 'cancelRequestedAt')) controller.abort(new JobError('canceled', 'canceled: cancel_requested', false));
      if (!controller.signal.aborted) this.d.publish('started', job, { attempt: number });
      const { work, progressDone } = this.startWorker(job, attempt, number, metaKey);
      settled = this.holdLock(work, data.projectId, lockValue);
      const aborted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        else controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      const result = await Promise.race([work, aborted]);
      await progressDone();
      if (controller.signal.aborted) throw controller.signal.reason;
      const cancelRequested = await commands.hget(metaKey, 'cancelRequestedAt');
      if (cancelRequested) return this.finalFailure(metaKey, 'canceled', 'cancel_requested');
      await commands.hset(metaKey, { errorCode: '', error: '' });
      return result && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : { value: result ?? null };
    } catch (error) {
      return await this.failed(job, token, definition, metaKey, error);
    } finally {
      this.local.delete(String(job.id));
      if (settled) {
        // The worker may outlive its attempt (it ignored its signal): the project stays locked until it returns.
        this.lingering.add(settled);
        void settled.finally(() => this.lingering.delete(settled));
      }
    }
  }

  /** Aborts a job running here (cancel from any bridge, or stop). */
  abort(jobId: string, reason: JobError): void {
    const attempt = this.local.get(jobId);
    if (!attempt) return;
    attempt.controller.abort(reason);
    if (reason.code !== 'interrupted_by_restart' && attempt.definition.cancel.strategy === 'interrupt_turn') this.interrupt(attempt);
  }

  abortAll(reason: JobError): void {
    for (const id of this.local.keys()) this.abort(id, reason);
  }

  /** Waits for workers that outlived their attempts (bounded by the caller). */
  async drain(): Promise<void> {
    await Promise.all([...this.lingering]);
  }

  private startWorker(job: Job<BullJobData>, attempt: LocalAttempt, number: number, metaKey: string) {
    const { definition, controller } = attempt;
    const data = job.data;
    let progressChain: Promise<unknown> = Promise.resolve();
    const timer = definition.timeoutMs === null ? undefined : setTimeout(() => {
      controller.abort(new JobError('job_timeout', `attempt ${number} timed out after ${definition.timeoutMs} ms`));
      if (definition.cancel.strategy === 'interrupt_turn') this.interrupt(attempt);
    }, definition.timeoutMs);
    const ctx = {
      jobId: String(job.id), projectId: data.projectId, sourceSessionId: data.sourceSessionId, attempt: number, signal: controller.signal,
      setRunningContext: (context: { threadId: string | null; turnId: string | null }) => {
        if (controller.signal.aborted) return;
        attempt.threadId = context.threadId;
        attempt.turnId = context.turnId;
        this.d.commands.hset(metaKey, { threadId: context.threadId ?? '', turnId: context.turnId ?? '' }).catch((e: unknown) => this.d.backgroundError(e));
      },
      progress: (progress: Record<string, unknown>) => {
        if (controller.signal.aborted) return;
        const copy = structuredClone(progress);
        // BullMQ keeps the progress on the job; the event follows once it is stored, in order.
        progressChain = progressChain.then(() => job.updateProgress(copy)).then(
          () => this.d.publish('progress', job, { progress: copy }),
          (e: unknown) => this.d.backgroundError(e),
        );
      },
    };
    const work = Promise.resolve().then(() => {
      if (controller.signal.aborted) throw controller.signal.reason;
      return definition.run(ctx, definition.payloadSchema.parse(data.payload)) as Promise<unknown>;
    });
    void work.finally(() => clearTimeout(timer)).catch(() => undefined);
    return { work, progressDone: () => progressChain };
  }

  /** Keeps the project lock alive until the worker's promise settles, then releases it. */
  private holdLock(work: Promise<unknown>, projectId: string, lockValue: string): Promise<void> {
    const key = this.d.keys.projectLock(projectId);
    const renew = setInterval(() => {
      this.d.commands.eval(RENEW, 1, key, lockValue, String(this.d.lockMs)).catch(() => undefined);
    }, Math.max(50, Math.floor(this.d.lockMs / 3)));
    return work.then(() => undefined, () => undefined).finally(() => {
      clearInterval(renew);
      return this.releaseLock(projectId, lockValue);
    });
  }

  private async releaseLock(projectId: string, lockValue: string): Promise<void> {
    await this.d.commands.eval(RELEASE, 1, this.d.keys.projectLock(projectId), lockValue).catch(() => undefined);
  }

  private async failed(job: Job<BullJobData>, token: string | undefined, definition: AnyJobDefinition, metaKey: string, error: unknown): Promise<never> {
    if (error instanceof Error && MOVED_OR_FINAL.has(error.name)) throw error;
    const failure = toFailure(error);
    const { commands } = this.d;
    if (this.d.isStopping() && failure.code === 'interrupted_by_restart') {
      // Stopping: straight back to wait for another bridge (or this one's next start),
      // rather than waiting for stalled-job detection. The attempt counts.
      await commands.hset(metaKey, { errorCode: 'interrupted_by_restart', error: 'interrupted_by_restart: the bridge stopped while this job ran', threadId: '', turnId: '' });
      await job.moveToWait(token);
      throw new Moved('WaitingError');
    }
    const cancelRequested = await commands.hget(metaKey, 'cancelRequestedAt');
    if (cancelRequested || failure.code === 'canceled') return this.finalFailure(metaKey, 'canceled', failure.message.replace(/^canceled: /, ''));
    const text = `${failure.code}: ${failure.message}`;
    const attempts = Number(await commands.hget(metaKey, 'attempts'));
    if (classify(definition, failure) === 'retryable' && attempts < job.data.maxAttempts) {
      const delayMs = backoffDelayMs(definition.retry, attempts, this.d.random);
      await commands.hset(metaKey, { errorCode: failure.code, error: text, nextAttemptAt: new Date(Date.now() + delayMs).toISOString(), threadId: '', turnId: '' });
      throw new RetryLater(text, delayMs);
    }
    return this.finalFailure(metaKey, failure.code, failure.message);
  }

  private async finalFailure(metaKey: string, code: string, message: string): Promise<never> {
    const text = `${code}: ${message}`;
    await this.d.commands.hset(metaKey, { errorCode: code, error: text, threadId: '', turnId: '' });
    throw new FinalFailure(code, text);
  }

  /** Back to delayed for a moment: the project is busy, or this bridge lacks the job's prerequisites. */
  private async later(job: Job<BullJobData>, token: string | undefined): Promise<never> {
    const jitter = Math.floor(this.d.random() * this.d.busyDelayMs);
    await job.moveToDelayed(Date.now() + this.d.busyDelayMs + jitter, token);
    throw new Moved('DelayedError');
  }

  private interrupt(attempt: LocalAttempt): void {
    if (!attempt.threadId || !attempt.turnId || !this.d.interruptTurn) return;
    this.d.interruptTurn(attempt.threadId, attempt.turnId).catch(() => undefined); // the turn may have ended already
  }
}
