import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { backoffDelayMs, EmbeddedQueueEngine, JobError, type AnyJobDefinition, type JobDefinition, type QueueEvent } from '../../server/queue';
import { pickRunnable } from '../../server/queue/scheduler';
import { Store } from '../../server/state/store';
import { queueEngineSuite, type EngineHarness } from '../support/queue-engine-suite';

const Payload = z.object({ key: z.string().optional(), n: z.number().optional(), items: z.array(z.string()).optional() });
type P = z.infer<typeof Payload>;

/** A controllable worker: each run waits for the test to resolve or reject it. */
function def(over: Partial<JobDefinition<P>> & { type: string }): JobDefinition<P> {
  return {
    version: 1, priority: 'background', payloadSchema: Payload,
    dedupe: { mode: 'none', key: (p) => p.key ?? null },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, jitter: false },
    timeoutMs: null, cancel: { strategy: 'mark_canceled', gracefulWaitMs: 50 },
    run: async () => ({ ok: true }),
    ...over,
  };
}

describe('queue/embedded engine', () => {
  let root: string;
  let store: Store;
  const engines: EmbeddedQueueEngine[] = [];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'queue-'));
    store = await Store.open(root);
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    await store.close().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  async function engine(definitions: AnyJobDefinition[], extra: Partial<ConstructorParameters<typeof EmbeddedQueueEngine>[0]> = {}, s = store) {
    const e = new EmbeddedQueueEngine({ store: s, definitions, ...extra });
    engines.push(e);
    await e.start();
    return e;
  }

  it('runs a job through queued → running → completed, emitting each transition, and persists it', async () => {
    const e = await engine([def({ type: 't', run: async (ctx) => { ctx.progress({ step: 1 }); return { answer: 42 }; } })]);
    const events: QueueEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    const { status, job } = await e.enqueue({ type: 't', projectId: 'p', sourceSessionId: 's1', payload: {} });
    assert.equal(status, 'enqueued');
    const done = await e.waitForTerminal(job.id, 2000);
    assert.equal(done?.state, 'completed');
    assert.deepEqual(done?.result, { answer: 42 });
    assert.deepEqual(events.map((ev) => ev.type), ['orchestrator_job_queued', 'orchestrator_job_started', 'orchestrator_job_progress', 'orchestrator_job_completed']);
    assert.equal(events[0]!.threadId, 's1');
    assert.deepEqual(events[3]!.payload.result, { answer: 42 });
    await e.stop();
    const reopened = await Store.open(root);
    const again = await engine([def({ type: 't' })], {}, reopened);
    assert.equal((await again.get(job.id))?.state, 'completed');
    await again.stop();
    await reopened.close();
  });

  it('dedupes: single_flight while active, drop_duplicate even when finished, merge_duplicate merges the payload, none never', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const e = await engine([
      def({ type: 'single', dedupe: { mode: 'single_flight', key: (p) => p.key ?? null }, run: async () => { await gate; return {}; } }),
      def({ type: 'drop', dedupe: { mode: 'drop_duplicate', key: (p) => p.key ?? null } }),
      def({ type: 'merge', dedupe: { mode: 'merge_duplicate', key: (p) => p.key ?? null, merge: (a, b) => ({ ...a, items: [...(a.items ?? []), ...(b.items ?? [])] }) } }),
      def({ type: 'none' }),
    ], { limits: { globalConcurrency: 1 } });
    const a = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
    const b = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
    assert.deepEqual([a.status, b.status, b.job.id], ['enqueued', 'already_queued', a.job.id]);
    // Queued behind the running single-flight job (same project, one at a time):
    const m1 = await e.enqueue({ type: 'merge', projectId: 'p', payload: { key: 'm', items: ['x'] } });
    const m2 = await e.enqueue({ type: 'merge', projectId: 'p', payload: { key: 'm', items: ['y'] } });
    assert.equal(m2.status, 'already_queued');
    assert.deepEqual((await e.get(m1.job.id))?.payload.items, ['x', 'y']);
    release();
    await e.waitForTerminal(a.job.id, 2000);
    const c = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
    assert.equal(c.status, 'enqueued', 'single_flight accepts again once the first finished');
    const d1 = await e.enqueue({ type: 'drop', projectId: 'q', payload: { key: 'k' } });
    await e.waitForTerminal(d1.job.id, 2000);
    const d2 = await e.enqueue({ type: 'drop', projectId: 'q', payload: { key: 'k' } });
    assert.deepEqual([d2.status, d2.job.id], ['already_queued', d1.job.id]);
    const n1 = await e.enqueue({ type: 'none', projectId: 'r', payload: { key: 'k' } });
    const n2 = await e.enqueue({ type: 'none', projectId: 'r', payload: { key: 'k' } });
    assert.notEqual(n1.job.id, n2.job.id);
  });

  it('retries a retryable code with backoff, then succeeds; a fatal code fails at once', async () => {
    let calls = 0;
    const e = await engine([
      def({ type: 'flaky', retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: true }, run: async () => {
        calls += 1;
        if (calls < 3) throw new JobError('runtime_unavailable', 'the message text does not matter');
        return { calls };
      } }),
      def({ type: 'fatal', retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: false }, run: async () => { throw new JobError('invalid_request', 'try again later (says the text, but the code wins)'); } }),
    ]);
    const events: QueueEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    const flaky = await e.enqueue({ type: 'flaky', projectId: 'p', payload: {} });
    const done = await e.waitForTerminal(flaky.job.id, 3000);
    assert.deepEqual([done?.state, done?.attempts, done?.result], ['completed', 3, { calls: 3 }]);
    const requeued = events.filter((ev) => ev.type === 'orchestrator_job_queued' && ev.payload.nextAttemptAt);
    assert.equal(requeued.length, 2);
    const fatal = await e.enqueue({ type: 'fatal', projectId: 'q', payload: {} });
    const failed = await e.waitForTerminal(fatal.job.id, 3000);
    assert.deepEqual([failed?.state, failed?.attempts, failed?.errorCode], ['failed', 1, 'invalid_request']);
  });

  it('fails after the last retry when the error stays retryable', async () => {
    const e = await engine([def({ type: 'down', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, jitter: false }, run: async () => { throw new JobError('rate_limited', 'slow down'); } })]);
    const { job } = await e.enqueue({ type: 'down', projectId: 'p', payload: {} });
    const failed = await e.waitForTerminal(job.id, 3000);
    assert.deepEqual([failed?.state, failed?.attempts, failed?.error], ['failed', 2, 'rate_limited: slow down']);
  });

  it('times out an attempt that hangs and stops waiting for it, while the project stays busy until the worker returns', async () => {
    let finishHung!: () => void;
    const e = await engine([
      def({ type: 'hang', timeoutMs: 30, run: () => new Promise((r) => { finishHung = () => r({}); }) }),
      def({ type: 'quick' }),
    ]);
    const hang = await e.enqueue({ type: 'hang', projectId: 'p', payload: {} });
    const quick = await e.enqueue({ type: 'quick', projectId: 'p', payload: {} });
    const failed = await e.waitForTerminal(hang.job.id, 2000);
    assert.deepEqual([failed?.state, failed?.errorCode], ['failed', 'job_timeout']);
    assert.equal(await e.waitForTerminal(quick.job.id, 100), null, 'the project slot is held while the hung worker still runs');
    finishHung();
    assert.equal((await e.waitForTerminal(quick.job.id, 2000))?.state, 'completed');
  });

  it('cancels a queued job at once and a running one through its signal', async () => {
    const e = await engine([def({ type: 'wait', run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) })]);
    const running = await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
    const queued = await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await e.get(running.job.id))?.state, 'running');
    const c1 = await e.cancel(queued.job.id);
    assert.deepEqual([c1.status, c1.job?.state], ['canceled', 'canceled']);
    const c2 = await e.cancel(running.job.id, 'user');
    assert.deepEqual([c2.status, c2.job?.state], ['canceled', 'canceled']);
    assert.equal((await e.cancel(running.job.id)).status, 'already_terminal');
    assert.equal((await e.cancel('nope')).status, 'not_found');
  });

  it('answers queue_full beyond capacity', async () => {
    const e = await engine([def({ type: 'wait', run: () => new Promise(() => undefined) })], { limits: { maxActivePerProject: 2 }, stopWaitMs: 50 });
    await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
    await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
    await assert.rejects(e.enqueue({ type: 'wait', projectId: 'p', payload: {} }), (err: { code: string; httpStatus: number }) => err.code === 'queue_full' && err.httpStatus === 429);
    await e.enqueue({ type: 'wait', projectId: 'other', payload: {} });
    await assert.rejects(e.enqueue({ type: 'nope', projectId: 'p', payload: {} }), /unknown job type/);
    await assert.rejects(e.enqueue({ type: 'wait', projectId: 'p', payload: { n: 'x' } }), /invalid wait payload/);
    for (const j of await e.list({})) await e.cancel(j.id);
  });

  it('re-queues a job that was running when the bridge stopped, and fails one out of attempts', async () => {
    const e = await engine([def({ type: 'wait', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: false }, run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) })]);
    const { job } = await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
    await new Promise((r) => setTimeout(r, 20));
    await e.stop();
    engines.splice(engines.indexOf(e), 1);
    let runs = 0;
    const e2 = await engine([def({ type: 'wait', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: false }, run: async () => { runs += 1; return { recovered: true }; } })]);
    const done = await e2.waitForTerminal(job.id, 2000);
    assert.deepEqual([done?.state, done?.attempts, runs], ['completed', 2, 1]);
  });

  it('keeps only the newest terminal jobs per project', async () => {
    const e = await engine([def({ type: 't' })], { limits: { retainTerminalPerProject: 3 } });
    for (let i = 0; i < 6; i++) {
      const { job } = await e.enqueue({ type: 't', projectId: 'p', payload: {} });
      await e.waitForTerminal(job.id, 2000);
    }
    assert.equal((await e.list({ projectId: 'p' })).length, 3);
  });

  it('schedules interactive before background, background first once aged, one per project', () => {
    const mk = (id: string, projectId: string, priority: 'interactive' | 'background', createdAt: number) => ({
      id, type: 't', version: 1, projectId, sourceSessionId: null, priority, state: 'queued' as const, dedupeKey: null, payload: {},
      result: null, error: null, errorCode: null, attempts: 0, maxAttempts: 1, createdAt: new Date(createdAt).toISOString(),
      startedAt: null, completedAt: null, cancelRequestedAt: null, nextAttemptAt: null, lastAttemptAt: null,
      runningContext: { threadId: null, turnId: null }, progress: null,
    });
    const jobs = [mk('bg', 'a', 'background', 1000), mk('i1', 'b', 'interactive', 5000), mk('i2', 'b', 'interactive', 6000), mk('i3', 'c', 'interactive', 7000)];
    const fresh = pickRunnable(jobs, { now: 8000, freeSlots: 2, busyProjects: new Set(), agingMs: 60_000 });
    assert.deepEqual(fresh.start.map((j) => j.id), ['i1', 'i3']);
    const aged = pickRunnable(jobs, { now: 8000, freeSlots: 2, busyProjects: new Set(), agingMs: 5000 });
    assert.deepEqual(aged.start.map((j) => j.id), ['bg', 'i1']);
    const busy = pickRunnable(jobs, { now: 8000, freeSlots: 5, busyProjects: new Set(['b']), agingMs: 60_000 });
    assert.deepEqual(busy.start.map((j) => j.id), ['i3', 'bg']);
  });

  it('backs off exponentially with jitter inside [cap/2, cap]', () => {
    const retry = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, jitter: false };
    assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffDelayMs(retry, a)), [100, 200, 400, 800, 1000]);
    assert.equal(backoffDelayMs({ ...retry, jitter: true }, 3, () => 0), 200);
    assert.equal(backoffDelayMs({ ...retry, jitter: true }, 3, () => 1), 400);
  });
});

// The same contract suite the BullMQ engine runs (test/integration/queue-engine-bullmq.test.ts).
queueEngineSuite('embedded', (): EngineHarness => {
  let root = '';
  let store: Store | undefined;
  const running: EmbeddedQueueEngine[] = [];
  return {
    async reset() {
      root = await mkdtemp(join(tmpdir(), 'queue-suite-'));
      store = await Store.open(root);
    },
    async create(definitions, extra = {}) {
      // A restart: the previous engine has stopped; the next one opens the same store.
      const e = new EmbeddedQueueEngine({ store: store!, definitions, ...(extra.limits ? { limits: extra.limits } : {}), ...(extra.stopWaitMs ? { stopWaitMs: extra.stopWaitMs } : {}) });
      running.push(e);
      await e.start();
      return e;
    },
    async cleanup() {
      for (const e of running.splice(0)) await e.stop();
      await store?.close().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
});
