/**
 * One queue test suite for every QueueEngine (embedded, BullMQ): the contract's
 * semantics, driven only through the interface. Each engine's test file supplies a
 * harness that builds engines on a fresh backing (a store, a Redis queue) per test.
 */
import assert from 'node:assert/strict';
import { z } from 'zod';
import { JobError, type AnyJobDefinition, type JobDefinition, type JobRecord, type QueueEngine, type QueueEvent, type QueueLimits } from '../../server/queue';

export interface EngineHarness {
  /** A fresh backing for the next test. */
  reset(): Promise<void>;
  /** An engine on the current test's backing; engines of one test share it (a restart is stop + create). */
  create(definitions: AnyJobDefinition[], extra?: { limits?: Partial<QueueLimits>; stopWaitMs?: number }): Promise<QueueEngine>;
  /** Stops what the test left running and drops the backing. */
  cleanup(): Promise<void>;
}

const Payload = z.object({ key: z.string().optional(), n: z.number().optional(), items: z.array(z.string()).optional() });
type P = z.infer<typeof Payload>;

/** A job definition with quick defaults, overridden per test. */
export function def(over: Partial<JobDefinition<P>> & { type: string }): JobDefinition<P> {
  return {
    version: 1, priority: 'background', payloadSchema: Payload,
    dedupe: { mode: 'none', key: (p) => p.key ?? null },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, jitter: false },
    timeoutMs: null, cancel: { strategy: 'mark_canceled', gracefulWaitMs: 50 },
    run: async () => ({ ok: true }),
    ...over,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const stateOf = async (e: QueueEngine, id: string): Promise<JobRecord['state'] | undefined> => (await e.get(id))?.state;

export function queueEngineSuite(name: string, harness: () => EngineHarness): void {
  describe(`queue engine contract: ${name}`, function () {
    let h: EngineHarness;
    beforeEach(async () => { h = harness(); await h.reset(); });
    afterEach(async () => { await h.cleanup(); });

    it('runs a job through queued → running → completed, emitting each transition; a restarted engine still knows it', async () => {
      const e = await h.create([def({ type: 't', run: async (ctx) => { ctx.progress({ step: 1 }); return { answer: 42 }; } })]);
      const events: QueueEvent[] = [];
      e.onEvent((ev) => events.push(ev));
      const { status, job } = await e.enqueue({ type: 't', projectId: 'p', sourceSessionId: 's1', payload: {} });
      assert.equal(status, 'enqueued');
      const done = await e.waitForTerminal(job.id, 5000);
      assert.equal(done?.state, 'completed');
      assert.deepEqual(done?.result, { answer: 42 });
      assert.deepEqual(done?.progress, { step: 1 });
      await until('the completed event', async () => events.some((ev) => ev.type === 'orchestrator_job_completed'));
      assert.deepEqual(events.map((ev) => ev.type), ['orchestrator_job_queued', 'orchestrator_job_started', 'orchestrator_job_progress', 'orchestrator_job_completed']);
      assert.equal(events[0]!.threadId, 's1');
      assert.deepEqual(events[3]!.payload.result, { answer: 42 });
      await e.stop();
      const again = await h.create([def({ type: 't' })]);
      assert.equal((await again.get(job.id))?.state, 'completed');
    });

    it('dedupes: single_flight while active, drop_duplicate even when finished, merge_duplicate merges the payload, none never', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const e = await h.create([
        def({ type: 'single', dedupe: { mode: 'single_flight', key: (p) => p.key ?? null }, run: async () => { await gate; return {}; } }),
        def({ type: 'drop', dedupe: { mode: 'drop_duplicate', key: (p) => p.key ?? null } }),
        def({ type: 'merge', dedupe: { mode: 'merge_duplicate', key: (p) => p.key ?? null, merge: (a, b) => ({ ...a, items: [...(a.items ?? []), ...(b.items ?? [])] }) } }),
        def({ type: 'none' }),
      ], { limits: { globalConcurrency: 1 } });
      const a = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
      const b = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
      assert.deepEqual([a.status, b.status, b.job.id], ['enqueued', 'already_queued', a.job.id]);
      await until('the single-flight job to run', async () => (await stateOf(e, a.job.id)) === 'running');
      // Queued behind the running single-flight job (same project, one at a time):
      const m1 = await e.enqueue({ type: 'merge', projectId: 'p', payload: { key: 'm', items: ['x'] } });
      const m2 = await e.enqueue({ type: 'merge', projectId: 'p', payload: { key: 'm', items: ['y'] } });
      assert.equal(m2.status, 'already_queued');
      assert.deepEqual((await e.get(m1.job.id))?.payload.items, ['x', 'y']);
      release();
      await e.waitForTerminal(a.job.id, 5000);
      const c = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
      assert.equal(c.status, 'enqueued', 'single_flight accepts again once the first finished');
      const d1 = await e.enqueue({ type: 'drop', projectId: 'q', payload: { key: 'k' } });
      await e.waitForTerminal(d1.job.id, 5000);
      const d2 = await e.enqueue({ type: 'drop', projectId: 'q', payload: { key: 'k' } });
      assert.deepEqual([d2.status, d2.job.id], ['already_queued', d1.job.id]);
      const n1 = await e.enqueue({ type: 'none', projectId: 'r', payload: { key: 'k' } });
      const n2 = await e.enqueue({ type: 'none', projectId: 'r', payload: { key: 'k' } });
      assert.notEqual(n1.job.id, n2.job.id);
      await e.waitForTerminal(c.job.id, 5000);
    });

    it('retries a retryable code with backoff, then succeeds; a fatal code fails at once', async () => {
      let calls = 0;
      const e = await h.create([
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
      const done = await e.waitForTerminal(flaky.job.id, 5000);
      assert.deepEqual([done?.state, done?.attempts, done?.result], ['completed', 3, { calls: 3 }]);
      await until('the retry events', async () => events.filter((ev) => ev.type === 'orchestrator_job_queued' && ev.payload.nextAttemptAt).length === 2);
      const fatal = await e.enqueue({ type: 'fatal', projectId: 'q', payload: {} });
      const failed = await e.waitForTerminal(fatal.job.id, 5000);
      assert.deepEqual([failed?.state, failed?.attempts, failed?.errorCode], ['failed', 1, 'invalid_request']);
    });

    it('fails after the last retry when the error stays retryable', async () => {
      const e = await h.create([def({ type: 'down', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, jitter: false }, run: async () => { throw new JobError('rate_limited', 'slow down'); } })]);
      const { job } = await e.enqueue({ type: 'down', projectId: 'p', payload: {} });
      const failed = await e.waitForTerminal(job.id, 5000);
      assert.deepEqual([failed?.state, failed?.attempts, failed?.error], ['failed', 2, 'rate_limited: slow down']);
    });

    it('times out an attempt that hangs, while the project stays busy until the worker returns', async () => {
      let finishHung: (() => void) | undefined;
      const e = await h.create([
        def({ type: 'hang', timeoutMs: 100, run: () => new Promise((r) => { finishHung = () => r({}); }) }),
        def({ type: 'quick' }),
      ]);
      const hang = await e.enqueue({ type: 'hang', projectId: 'p', payload: {} });
      const quick = await e.enqueue({ type: 'quick', projectId: 'p', payload: {} });
      const failed = await e.waitForTerminal(hang.job.id, 5000);
      assert.deepEqual([failed?.state, failed?.errorCode], ['failed', 'job_timeout']);
      assert.equal(await e.waitForTerminal(quick.job.id, 300), null, 'the project slot is held while the hung worker still runs');
      finishHung!();
      assert.equal((await e.waitForTerminal(quick.job.id, 5000))?.state, 'completed');
    });

    it('cancels a queued job at once and a running one through its signal', async () => {
      const e = await h.create([def({ type: 'wait', run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) })]);
      const events: QueueEvent[] = [];
      e.onEvent((ev) => events.push(ev));
      const running = await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
      const queued = await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
      await until('the first job to run', async () => (await stateOf(e, running.job.id)) === 'running');
      const c1 = await e.cancel(queued.job.id);
      assert.deepEqual([c1.status, c1.job?.state], ['canceled', 'canceled']);
      const c2 = await e.cancel(running.job.id, 'user');
      assert.deepEqual([c2.status, c2.job?.state], ['canceled', 'canceled']);
      assert.equal((await e.cancel(running.job.id)).status, 'already_terminal');
      assert.equal((await e.cancel('nope')).status, 'not_found');
      assert.equal((await e.get(queued.job.id))?.state, 'canceled', 'a canceled job stays readable');
      await until('both canceled events', async () => events.filter((ev) => ev.type === 'orchestrator_job_canceled').length === 2);
    });

    it('single_flight accepts the key again once its queued job was canceled', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const e = await h.create([
        def({ type: 'block', run: async () => { await gate; return {}; } }),
        def({ type: 'single', dedupe: { mode: 'single_flight', key: (p) => p.key ?? null } }),
      ]);
      const blocker = await e.enqueue({ type: 'block', projectId: 'p', payload: {} });
      await until('the blocker to run', async () => (await stateOf(e, blocker.job.id)) === 'running');
      const first = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
      assert.equal((await e.cancel(first.job.id)).status, 'canceled');
      const second = await e.enqueue({ type: 'single', projectId: 'p', payload: { key: 'k' } });
      assert.equal(second.status, 'enqueued');
      assert.notEqual(second.job.id, first.job.id);
      release();
      assert.equal((await e.waitForTerminal(second.job.id, 5000))?.state, 'completed');
    });

    it('answers queue_full beyond capacity, 400 for an unknown type or a bad payload', async () => {
      const e = await h.create([def({ type: 'wait', run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) })], { limits: { maxActivePerProject: 2 }, stopWaitMs: 200 });
      await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
      await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
      await assert.rejects(e.enqueue({ type: 'wait', projectId: 'p', payload: {} }), (err: { code: string; httpStatus: number }) => err.code === 'queue_full' && err.httpStatus === 429);
      await e.enqueue({ type: 'wait', projectId: 'other', payload: {} });
      await assert.rejects(e.enqueue({ type: 'nope', projectId: 'p', payload: {} }), (err: { httpStatus: number; message: string }) => err.httpStatus === 400 && /unknown job type/.test(err.message));
      await assert.rejects(e.enqueue({ type: 'wait', projectId: 'p', payload: { n: 'x' } }), /invalid wait payload/);
      for (const j of await e.list({})) await e.cancel(j.id);
    });

    it('re-queues a job that was running when its engine stopped; the next engine runs it once more', async () => {
      const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: false };
      const e = await h.create([def({ type: 'wait', retry, run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) })]);
      const { job } = await e.enqueue({ type: 'wait', projectId: 'p', payload: {} });
      await until('the job to run', async () => (await stateOf(e, job.id)) === 'running');
      await e.stop();
      let runs = 0;
      const e2 = await h.create([def({ type: 'wait', retry, run: async () => { runs += 1; return { recovered: true }; } })]);
      const done = await e2.waitForTerminal(job.id, 10_000);
      assert.deepEqual([done?.state, done?.attempts, runs], ['completed', 2, 1]);
    });

    it('keeps only the newest terminal jobs per project', async () => {
      const e = await h.create([def({ type: 't' })], { limits: { retainTerminalPerProject: 3 } });
      for (let i = 0; i < 6; i++) {
        const { job } = await e.enqueue({ type: 't', projectId: 'p', payload: {} });
        await e.waitForTerminal(job.id, 5000);
      }
      const other = await e.enqueue({ type: 't', projectId: 'q', payload: {} });
      await e.waitForTerminal(other.job.id, 5000);
      await until('retention', async () => (await e.list({ projectId: 'p' })).length === 3);
      assert.equal((await e.list({ projectId: 'q' })).length, 1, 'retention counts per project');
    });

    it('lists newest first, filtered by project and state, and counts jobs in stats', async () => {
      const e = await h.create([def({ type: 't' })]);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { job } = await e.enqueue({ type: 't', projectId: 'p', payload: { n: i } });
        ids.push(job.id);
        await e.waitForTerminal(job.id, 5000);
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.deepEqual((await e.list({ projectId: 'p' })).map((j) => j.id), [...ids].reverse());
      assert.equal((await e.list({ projectId: 'p', state: 'queued' })).length, 0);
      const stats = await e.stats();
      assert.equal(stats.completed, 3);
      assert.equal(stats.projects, 1);
      assert.equal(e.hasPendingWork(), false);
    });
  });
}
