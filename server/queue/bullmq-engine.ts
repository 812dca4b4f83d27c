/**
 * The queue engine on BullMQ and Redis (issue 15): the same QueueEngine contract as the
 * embedded engine, for several bridges sharing one Redis. Chosen with `--redis URL` /
 * CODEX_MANAGER_REDIS_URL; the embedded engine stays the default.
 *
 * What BullMQ does here: job storage and states, job ids and single-flight dedupe
 * (its deduplication ids), drop-duplicate (its unique job ids), priorities, delayed retries
 * with this engine's backoff, the global concurrency limit, stalled-job recovery, retention
 * by age. What this engine adds: see bullmq-runner.ts for the worker side, and here
 * capacity (429), per-project retention by count, cancel across bridges, and the stream
 * events: every transition is published on a Redis channel; each bridge delivers the events
 * of the jobs it enqueued to its own listeners, and resolves waiters for any job.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Job, Queue, Worker } from 'bullmq';
import { loadBullmqLibs } from './bullmq-libs';
import { toRecord, BULL_PRIORITY, type BullJobData, type JobMeta } from './bullmq-records';
import { closeConnections, guarded, isConnectionError, keysFor, openConnections, redactRedisUrl, type EngineKeys, type RedisConnections } from './bullmq-redis';
import { QueueEventBus } from './bullmq-events';
import { ageBackgroundJobs, settleTerminal } from './bullmq-retention';
import { JobRunner, RetryLater, type RunnerDeps } from './bullmq-runner';
import { DEFAULT_LIMITS, type QueueLimits } from './embedded-engine';
import {
  JobError, QueueError, TERMINAL_STATES,
  type AnyJobDefinition, type CancelResult, type EnqueueInput, type EnqueueResult, type JobRecord, type JobState,
  type QueueEngine, type QueueEvent, type QueueEventType, type QueueStats,
} from './types';

export interface BullmqEngineOptions {
  redisUrl: string;
  definitions: readonly AnyJobDefinition[];
  limits?: Partial<QueueLimits>;
  /** Key prefix and queue name: bridges sharing work use the same pair (default codex-manager / orchestrator). */
  prefix?: string;
  queueName?: string;
  /** This bridge's id (default random): the origin of the jobs it enqueues. */
  bridgeId?: string;
  /** false: this bridge enqueues and reads but runs no jobs. */
  runJobs?: boolean;
  /** BullMQ's job lock (and the project lock); a dead bridge's job is recovered after about this long plus stalledIntervalMs. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Whether this bridge has what a job needs (its session, its project folder); others pick it up otherwise. */
  canRun?: RunnerDeps['canRun'];
  interruptTurn?: (threadId: string, turnId: string) => Promise<void>;
  onBackgroundError?: (error: unknown) => void;
  random?: () => number;
  stopWaitMs?: number;
}

const BULL_ACTIVE_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children'] as const;
const BACKOFF = 'codex-manager';

export class BullmqQueueEngine implements QueueEngine {
  readonly kind = 'bullmq';
  readonly bridgeId: string;
  private readonly definitions = new Map<string, AnyJobDefinition>();
  private readonly bus: QueueEventBus;
  private readonly limits: QueueLimits;
  private readonly keys: EngineKeys;
  private readonly queueName: string;
  private readonly prefix: string;
  private conns: RedisConnections | undefined;
  private queue: Queue<BullJobData> | undefined;
  private worker: Worker<BullJobData> | undefined;
  private runner: JobRunner | undefined;
  private agingTimer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;

  constructor(private readonly opts: BullmqEngineOptions) {
    for (const d of opts.definitions) this.definitions.set(d.type, d);
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.prefix = opts.prefix ?? 'codex-manager';
    this.queueName = opts.queueName ?? 'orchestrator';
    this.keys = keysFor(this.prefix, this.queueName);
    this.bridgeId = opts.bridgeId ?? randomUUID();
    this.bus = new QueueEventBus(() => this.conns?.commands, this.keys, this.bridgeId,
      (jobId, reason) => this.runner?.abort(jobId, new JobError('canceled', `canceled: ${reason}`, false)), (e) => this.backgroundError(e));
  }

  /** Never fails because Redis is away: queue operations answer 503 until it is reachable. */
  async start(): Promise<void> {
    const conns = openConnections(this.opts.redisUrl);
    this.conns = conns;
    const keepAge = Math.ceil(this.limits.retainTerminalMs / 1000);
    const { Queue } = loadBullmqLibs().bullmq;
    this.queue = new Queue<BullJobData>(this.queueName, {
      connection: conns.commands, prefix: this.prefix,
      defaultJobOptions: { removeOnComplete: { age: keepAge }, removeOnFail: { age: keepAge } },
    });
    this.queue.on('error', () => undefined); // reported through health
    const setConcurrency = () => { void this.queue?.setGlobalConcurrency(this.limits.globalConcurrency).catch(() => undefined); };
    if (conns.commands.status === 'ready') setConcurrency();
    conns.commands.on('ready', setConcurrency);
    await conns.subscriber.subscribe(this.keys.events, this.keys.cancel).catch(() => undefined); // ioredis re-subscribes on reconnect
    conns.subscriber.on('message', (channel: string, message: string) => this.bus.handle(channel, message));
    this.running = true;
    if (this.opts.runJobs !== false) this.startWorker(conns);
    const agingEvery = Math.max(1000, Math.min(this.limits.backgroundAgingMs, 10_000));
    this.agingTimer = setInterval(() => void ageBackgroundJobs(this.queue, this.conns?.commands, this.limits.backgroundAgingMs).catch(() => undefined), agingEvery);
    this.agingTimer.unref();
  }

  async stop(): Promise<void> {
    if (!this.conns) return;
    this.running = false;
    this.stopping = true;
    clearInterval(this.agingTimer);
    this.runner?.abortAll(new JobError('interrupted_by_restart', 'the bridge is stopping'));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), this.opts.stopWaitMs ?? 5000); });
    const closed = await Promise.race([this.worker?.close() ?? Promise.resolve(), limit]);
    if (closed === 'late') await this.worker?.close(true).catch(() => undefined);
    await Promise.race([this.runner?.drain(), limit]);
    clearTimeout(timer);
    await this.queue?.close().catch(() => undefined);
    await closeConnections(this.conns);
    this.conns = undefined;
  }

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    if (!this.running) throw new QueueError('queue_unavailable', 'the queue is not running', 503);
    const definition = this.definitions.get(input.type);
    if (!definition) throw new QueueError('unknown_job_type', `unknown job type ${input.type}`, 400);
    const parsed = definition.payloadSchema.safeParse(input.payload);
    if (!parsed.success) throw new QueueError('invalid_payload', `invalid ${input.type} payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 400);
    const payload = parsed.data as Record<string, unknown>;
    const mode = definition.dedupe.mode;
    const dedupeKey = mode === 'none' ? null : definition.dedupe.key(payload);
    return this.redis('enqueue', async () => {
      const dedupe = dedupeKey === null ? null : this.dedupeIds(definition.type, input.projectId, dedupeKey);
      const existing = dedupe ? await this.findDuplicate(mode, dedupe) : null;
      if (existing) return this.joined(definition, existing, payload);
      await this.checkCapacity(input.projectId);
      const token = randomUUID();
      const data: BullJobData = {
        type: definition.type, version: definition.version, projectId: input.projectId, sourceSessionId: input.sourceSessionId ?? null,
        priority: definition.priority, dedupeKey, payload, maxAttempts: Math.max(1, definition.retry.maxAttempts),
        createdAt: new Date().toISOString(), origin: this.bridgeId, token,
      };
      const jobId = mode === 'drop_duplicate' && dedupe ? dedupe.uniqueJobId : randomUUID();
      const added = await this.queue!.add(definition.type, data, {
        jobId,
        priority: BULL_PRIORITY[definition.priority],
        // The retry decision is the engine's (by code and attempts across stalls); BullMQ only
        // needs to allow it and to wait the delay the engine chose.
        attempts: data.maxAttempts + 10,
        backoff: { type: BACKOFF },
        ...(mode === 'single_flight' || mode === 'merge_duplicate') && dedupe ? { deduplication: { id: dedupe.dedupeId } } : {},
      });
      const id = String(added.id);
      const stored = await this.bullJob(id);
      if (!stored || stored.data.token !== token) {
        // Another bridge added the same key a moment earlier: join it.
        const other = stored ? await this.recordOf(stored) : null;
        if (other) return this.joined(definition, other, payload);
        throw new QueueError('job_conflict', `job ${id} vanished while it was being enqueued`, 409);
      }
      const c = this.conns!.commands;
      const score = Date.parse(data.createdAt);
      await c.multi().zadd(this.keys.jobs(input.projectId), score, id).sadd(this.keys.active(input.projectId), id).sadd(this.keys.projects, input.projectId).exec();
      const record = await this.recordOf(stored);
      this.bus.publish('orchestrator_job_queued', stored.data, id, record?.state ?? 'queued', {});
      return { status: 'enqueued' as const, job: record! };
    });
  }

  async get(jobId: string): Promise<JobRecord | null> {
    return this.redis('get', () => this.read(jobId));
  }

  async list(filter: { projectId?: string; state?: JobState }): Promise<JobRecord[]> {
    return this.redis('list', async () => {
      const c = this.conns!.commands;
      const projects = filter.projectId !== undefined ? [filter.projectId] : await c.smembers(this.keys.projects);
      const records: JobRecord[] = [];
      for (const projectId of projects) {
        const ids = await c.zrevrange(this.keys.jobs(projectId), 0, -1);
        const found = await Promise.all(ids.map((id) => this.read(id)));
        const gone = ids.filter((_, i) => !found[i]);
        if (gone.length) await c.zrem(this.keys.jobs(projectId), ...gone); // removed by BullMQ's age retention
        for (const r of found) if (r && (filter.state === undefined || r.state === filter.state)) records.push(r);
      }
      return records.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    });
  }

  async cancel(jobId: string, reason = 'cancel_requested'): Promise<CancelResult> {
    const first = await this.redis('cancel', async () => {
      const job = await this.read(jobId);
      if (!job) return { status: 'not_found' as const, job: null };
      if (TERMINAL_STATES.has(job.state)) return { status: 'already_terminal' as const, job };
      const c = this.conns!.commands;
      const now = new Date().toISOString();
      await c.hset(this.keys.meta(jobId), { cancelRequestedAt: now });
      if (job.state === 'queued') {
        const bull = await this.bullJob(jobId);
        const removed = bull ? await bull.remove().then(() => true, () => false) : false;
        if (removed) {
          const record: JobRecord = { ...job, state: 'canceled', cancelRequestedAt: now, completedAt: now, nextAttemptAt: null, errorCode: 'canceled', error: `canceled: ${reason}` };
          await c.set(this.keys.tomb(jobId), JSON.stringify(record), 'PX', this.limits.retainTerminalMs);
          await settleTerminal(c, this.queue!, this.keys, this.limits, bull!.data, jobId, now);
          this.bus.publish('orchestrator_job_canceled', bull!.data, jobId, 'canceled', { error: record.error! });
          return { status: 'canceled' as const, job: record };
        }
      }
      // Running (here or on another bridge): the bridge running it aborts it.
      await this.bus.requestCancel(jobId, reason);
      return null;
    });
    if (first) return first;
    const definition = this.definitions.get((await this.get(jobId))?.type ?? '');
    await this.waitForSettled(jobId, definition?.cancel.gracefulWaitMs ?? 1000);
    const job = await this.get(jobId);
    return { status: 'canceled', job };
  }

  async waitForTerminal(jobId: string, timeoutMs: number): Promise<JobRecord | null> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const job = await this.get(jobId).catch(() => undefined);
      if (job === null) return null;
      if (job && TERMINAL_STATES.has(job.state)) return job;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      // Woken by the job's terminal event from whichever bridge ran it; polled too, as
      // pub/sub drops messages while a connection is down.
      await this.bus.wake(jobId, Math.min(left, 1000));
    }
  }

  onEvent(listener: (event: QueueEvent) => void): () => void {
    return this.bus.onEvent(listener);
  }

  async stats(): Promise<QueueStats> {
    return this.redis('stats', async () => {
      const counts = await this.queue!.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
      const projects = await this.conns!.commands.scard(this.keys.projects);
      return {
        queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0) ,
        running: counts.active ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0, canceled: 0, projects,
      };
    });
  }

  hasPendingWork(): boolean {
    return (this.runner?.local.size ?? 0) > 0;
  }

  /** For health: the engine and whether Redis answers. */
  describe(): { engine: string; redis: { url: string; reachable: boolean; status: string } } {
    const status = this.conns?.commands.status ?? 'closed';
    return { engine: this.kind, redis: { url: redactRedisUrl(this.opts.redisUrl), reachable: status === 'ready', status } };
  }

  // ---- worker side ------------------------------------------------------------

  private startWorker(conns: RedisConnections): void {
    const lockMs = this.opts.lockDurationMs ?? 30_000;
    this.runner = new JobRunner({
      commands: conns.commands, keys: this.keys, definitions: this.definitions, lockMs, busyDelayMs: 100,
      ...(this.opts.canRun ? { canRun: this.opts.canRun } : {}),
      ...(this.opts.interruptTurn ? { interruptTurn: this.opts.interruptTurn } : {}),
      publish: (type, job, extra) => this.bus.publish(type === 'started' ? 'orchestrator_job_started' : 'orchestrator_job_progress', job.data, String(job.id), 'running', extra),
      isStopping: () => this.stopping,
      backgroundError: (e) => this.backgroundError(e),
      random: this.opts.random ?? Math.random,
    });
    const runner = this.runner;
    const { Worker } = loadBullmqLibs().bullmq;
    this.worker = new Worker<BullJobData>(this.queueName, (job, token) => runner.process(job, token), {
      connection: conns.worker, prefix: this.prefix, concurrency: this.limits.globalConcurrency,
      lockDuration: lockMs, stalledInterval: this.opts.stalledIntervalMs ?? 30_000, maxStalledCount: 10,
      settings: { backoffStrategy: (_made: number, _type?: string, err?: Error) => (err instanceof RetryLater ? err.delayMs : 0) },
    });
    // Connection errors while Redis is away are expected (health reports them); others are not.
    this.worker.on('error', (e) => { if (!isConnectionError(e)) this.backgroundError(e); });
    this.worker.on('completed', (job, result) => void this.afterTerminal(job, 'completed', { result: result as Record<string, unknown> }).catch((e: unknown) => this.backgroundError(e)));
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      if (err instanceof RetryLater) {
        void this.conns?.commands.hgetall(this.keys.meta(String(job.id))).then((meta: JobMeta) => {
          this.bus.publish('orchestrator_job_queued', job.data, String(job.id), 'queued', { error: err.message, attempt: Number(meta.attempts ?? 0), ...(meta.nextAttemptAt ? { nextAttemptAt: meta.nextAttemptAt } : {}) });
        }).catch((e: unknown) => this.backgroundError(e));
        return;
      }
      const canceled = (err as { code?: string }).code === 'canceled';
      void this.afterTerminal(job, canceled ? 'canceled' : 'failed', { error: err.message }).catch((e: unknown) => this.backgroundError(e));
    });
    this.worker.on('stalled', (jobId) => {
      // Another bridge died with this job: BullMQ moved it back to wait.
      void this.bullJob(jobId).then((job) => {
        if (job) this.bus.publish('orchestrator_job_queued', job.data, jobId, 'queued', { error: 'interrupted_by_restart: the bridge running this job stopped' });
      }).catch(() => undefined);
    });
  }

  /** After BullMQ committed a final state: bookkeeping, the event, retention. */
  private async afterTerminal(job: Job<BullJobData>, state: 'completed' | 'failed' | 'canceled', extra: Partial<QueueEvent['payload']>): Promise<void> {
    const id = String(job.id);
    await settleTerminal(this.conns!.commands, this.queue!, this.keys, this.limits, job.data, id, new Date().toISOString());
    const type: QueueEventType = state === 'completed' ? 'orchestrator_job_completed' : state === 'failed' ? 'orchestrator_job_failed' : 'orchestrator_job_canceled';
    this.bus.publish(type, job.data, id, state, extra);
  }

  // ---- events -----------------------------------------------------------------

  /** Waits until the job's worker has really stopped (BullMQ state no longer active), at most `ms`. */
  private async waitForSettled(jobId: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const job = await this.bullJob(jobId).catch(() => undefined);
      if (!job || (await job.getState()) !== 'active') return;
      await this.bus.wake(jobId, Math.min(100, Math.max(0, deadline - Date.now())));
    }
  }

  // ---- reads --------------------------------------------------------------------

  private async read(jobId: string): Promise<JobRecord | null> {
    const job = await this.bullJob(jobId);
    if (job) return this.recordOf(job);
    const tomb = await this.conns!.commands.get(this.keys.tomb(jobId));
    return tomb ? (JSON.parse(tomb) as JobRecord) : null;
  }

  private async bullJob(jobId: string): Promise<Job<BullJobData> | undefined> {
    return loadBullmqLibs().bullmq.Job.fromId<BullJobData>(this.queue!, jobId);
  }

  private async recordOf(job: Job<BullJobData>): Promise<JobRecord | null> {
    const [state, meta] = await Promise.all([job.getState(), this.conns!.commands.hgetall(this.keys.meta(String(job.id)))]);
    if (state === 'unknown') return null;
    return toRecord(job, state, meta as JobMeta);
  }

  private dedupeIds(type: string, projectId: string, key: string) {
    const digest = createHash('sha256').update(JSON.stringify([type, projectId, key])).digest('hex').slice(0, 40);
    return { dedupeId: `${type}-${digest}`, uniqueJobId: `dd-${digest}` };
  }

  private async findDuplicate(mode: string, ids: { dedupeId: string; uniqueJobId: string }): Promise<JobRecord | null> {
    // drop_duplicate: any retained job with the key (even finished) absorbs the new one.
    if (mode === 'drop_duplicate') return this.read(ids.uniqueJobId);
    const id = await this.queue!.getDeduplicationJobId(ids.dedupeId);
    const job = id ? await this.read(id) : null;
    return job && !TERMINAL_STATES.has(job.state) ? job : null;
  }

  /** merge_duplicate: a still-queued duplicate continues with the merged payload. */
  private async joined(definition: AnyJobDefinition, existing: JobRecord, incoming: Record<string, unknown>): Promise<EnqueueResult> {
    if (definition.dedupe.mode === 'merge_duplicate' && existing.state === 'queued' && definition.dedupe.merge) {
      const job = await this.bullJob(existing.id);
      if (job) {
        const payload = definition.payloadSchema.parse(definition.dedupe.merge(existing.payload, incoming)) as Record<string, unknown>;
        await job.updateData({ ...job.data, payload });
        return { status: 'already_queued', job: { ...existing, payload } };
      }
    }
    return { status: 'already_queued', job: existing };
  }

  private async checkCapacity(projectId: string): Promise<void> {
    const counts = await this.queue!.getJobCounts(...BULL_ACTIVE_STATES);
    const global = Object.values(counts).reduce((a, b) => a + b, 0);
    if (global >= this.limits.maxActiveGlobal) throw new QueueError('queue_full', `the queue holds its maximum of ${this.limits.maxActiveGlobal} active jobs`, 429);
    const c = this.conns!.commands;
    let project = await c.scard(this.keys.active(projectId));
    if (project >= this.limits.maxActivePerProject) {
      // The set may hold jobs finished on a bridge that died before its bookkeeping: drop those.
      for (const id of await c.smembers(this.keys.active(projectId))) {
        const job = await this.read(id);
        if (!job || TERMINAL_STATES.has(job.state)) { await c.srem(this.keys.active(projectId), id); project -= 1; }
      }
    }
    if (project >= this.limits.maxActivePerProject) throw new QueueError('queue_full', `project ${projectId} holds its maximum of ${this.limits.maxActivePerProject} active jobs`, 429);
  }

  private redis<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (!this.conns || !this.queue) return Promise.reject(new QueueError('queue_unavailable', 'the queue is not running', 503));
    return guarded(this.conns.commands, what, fn);
  }

  private backgroundError(error: unknown): void {
    (this.opts.onBackgroundError ?? ((e: unknown) => process.emitWarning(`queue (bullmq): ${String(e)}`)))(error);
  }
}
