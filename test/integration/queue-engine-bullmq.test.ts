/**
 * The queue contract suite against the BullMQ engine on a real redis-server, plus what
 * only a shared Redis has: two engines (two bridges) sharing work, and Redis going away
 * and coming back.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BullmqQueueEngine, type BullmqEngineOptions } from '../../server/queue/bullmq-engine';
import { type JobError, QueueError, type AnyJobDefinition, type QueueEvent } from '../../server/queue';
import { def, queueEngineSuite, type EngineHarness } from '../support/queue-engine-suite';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server';

describe('queue engine: BullMQ on redis-server', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  before(async function () {
    if (!redisServerAvailable()) throw new Error('redis-server is not installed: run scripts/setup-redis.sh');
    redis = await startRedisServer();
  });
  after(async () => { await redis?.stop(); });

  const engines: BullmqQueueEngine[] = [];
  let queueName = '';
  const make = async (definitions: AnyJobDefinition[], extra: Partial<BullmqEngineOptions> = {}) => {
    const e = new BullmqQueueEngine({ redisUrl: redis.url, queueName, definitions, lockDurationMs: 2000, stalledIntervalMs: 1000, ...extra });
    engines.push(e);
    await e.start();
    return e;
  };
  const stopAll = async () => { for (const e of engines.splice(0)) await e.stop(); };

  queueEngineSuite('bullmq', (): EngineHarness => ({
    async reset() { queueName = `t-${randomUUID()}`; },
    create: (definitions, extra = {}) => make(definitions, { ...(extra.limits ? { limits: extra.limits } : {}), ...(extra.stopWaitMs ? { stopWaitMs: extra.stopWaitMs } : {}) }),
    cleanup: stopAll,
  }));

  describe('several bridges on one Redis', () => {
    beforeEach(() => { queueName = `t-${randomUUID()}`; });
    afterEach(stopAll);

    it('a job enqueued on one bridge runs on another; its state reads the same everywhere; its events reach the enqueuing bridge', async () => {
      const a = await make([def({ type: 't' })], { runJobs: false, bridgeId: 'a' });
      const b = await make([def({ type: 't', run: async (ctx) => { ctx.progress({ half: true }); return { ranOn: 'b' }; } })], { bridgeId: 'b' });
      const onA: QueueEvent[] = [];
      const onB: QueueEvent[] = [];
      a.onEvent((ev) => onA.push(ev));
      b.onEvent((ev) => onB.push(ev));
      const { job } = await a.enqueue({ type: 't', projectId: 'p', sourceSessionId: 's', payload: {} });
      const done = await a.waitForTerminal(job.id, 10_000);
      assert.deepEqual(done?.result, { ranOn: 'b' });
      assert.deepEqual(await b.get(job.id), done);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(onA.map((ev) => ev.type), ['orchestrator_job_queued', 'orchestrator_job_started', 'orchestrator_job_progress', 'orchestrator_job_completed']);
      assert.equal(onB.length, 0, 'events go to the clients of the bridge that enqueued the job');
    });

    it('cancel on one bridge stops the job running on another', async () => {
      const a = await make([def({ type: 'w' })], { runJobs: false });
      let aborted: unknown;
      let started!: () => void;
      const running = new Promise<void>((r) => { started = r; });
      const b = await make([def({ type: 'w', cancel: { strategy: 'mark_canceled', gracefulWaitMs: 2000 }, run: (ctx) => new Promise((_, reject) => {
        started();
        ctx.signal.addEventListener('abort', () => { aborted = ctx.signal.reason; reject(ctx.signal.reason); });
      }) })]);
      const { job } = await a.enqueue({ type: 'w', projectId: 'p', payload: {} });
      await running;
      assert.equal((await a.get(job.id))?.state, 'running');
      const canceled = await a.cancel(job.id, 'user');
      assert.equal(canceled.job?.state, 'canceled');
      assert.equal((aborted as JobError).code, 'canceled');
      assert.equal((await b.get(job.id))?.state, 'canceled');
      assert.equal(b.hasPendingWork(), false);
    });

    it('a job whose prerequisites a bridge lacks is run by one that has them', async () => {
      const runs: string[] = [];
      const run = (who: string) => async () => { runs.push(who); return { who }; };
      await make([def({ type: 't', run: run('without') })], { canRun: () => false });
      const withIt = await make([def({ type: 't', run: run('with') })], { canRun: (j) => j.sourceSessionId === 'mine' });
      const { job } = await withIt.enqueue({ type: 't', projectId: 'p', sourceSessionId: 'mine', payload: {} });
      assert.equal((await withIt.waitForTerminal(job.id, 10_000))?.state, 'completed');
      assert.deepEqual(runs, ['with']);
    });
  });

  describe('Redis outage', () => {
    beforeEach(() => { queueName = `t-${randomUUID()}`; });
    afterEach(async () => { await redis.start().catch(() => undefined); await stopAll(); });

    it('answers 503 on queue operations while Redis is away, and recovers by itself', async () => {
      const e = await make([def({ type: 't' })]);
      const first = await e.enqueue({ type: 't', projectId: 'p', payload: {} });
      await e.waitForTerminal(first.job.id, 5000);
      assert.equal(e.describe().redis.reachable, true);
      await redis.stop();
      for (let i = 0; i < 100 && e.describe().redis.reachable; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(e.describe().redis.reachable, false);
      const is503 = (err: unknown) => err instanceof QueueError && err.httpStatus === 503 && err.code === 'queue_unavailable';
      await assert.rejects(e.enqueue({ type: 't', projectId: 'p', payload: {} }), is503);
      await assert.rejects(e.get(first.job.id), is503);
      await assert.rejects(e.list({ projectId: 'p' }), is503);
      await assert.rejects(e.stats(), is503);
      await redis.start();
      for (let i = 0; i < 300 && !e.describe().redis.reachable; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(e.describe().redis.reachable, true, 'reconnected by itself');
      const again = await e.enqueue({ type: 't', projectId: 'p', payload: {} });
      assert.equal((await e.waitForTerminal(again.job.id, 10_000))?.state, 'completed', 'the worker picks up work again');
    });
  });
});
