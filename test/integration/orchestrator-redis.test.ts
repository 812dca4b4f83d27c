/**
 * The bridge with its queue on BullMQ (issue 15), through the operation table and the real
 * runtime: a suggested request runs its worker turn through the Redis queue; health and
 * capabilities name the engine and Redis; when Redis goes away the job operations answer
 * 503 queue_unavailable while the rest of the bridge keeps working, and everything
 * recovers by itself when Redis returns. Every reply is checked against codex-manager's
 * response schemas by the harness.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server';
import { isTurnCompleted, startTestBridge, type TestBridge } from './support/harness';

describe('orchestrator on BullMQ: a bridge with --redis (real runtime, real redis-server)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let t: TestBridge;
  before(async () => {
    if (!redisServerAvailable()) throw new Error('redis-server is not installed: run scripts/setup-redis.sh');
    redis = await startRedisServer();
    t = await startTestBridge({ orchestrator: { redisUrl: redis.url, redis: { queueName: `it-${randomUUID()}`, lockDurationMs: 3000, stalledIntervalMs: 2000 } } });
  });
  after(async () => {
    await t?.stop();
    await redis?.stop();
  });

  it('suggests a request through the Redis queue, with the same events and job reads', async () => {
    const created = await t.bridge.call('createSession', { body: {} });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello there' } });
    await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
    const reply = await t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'Refactor the parser' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual((reply.body as { status: string; suggestion: string }).suggestion, 'Refactor the parser, and add a test for it');
    const queued = t.events().find((e) => e.type === 'orchestrator_job_queued' && e.threadId === sessionId)!;
    const jobId = (queued.payload as { jobId: string }).jobId;
    await t.waitForEvent((e) => e.type === 'orchestrator_job_completed' && (e.payload as { jobId: string }).jobId === jobId, 5000, 'completed event');
    const job = await t.bridge.call('getOrchestratorJob', { params: { jobId } });
    assert.equal((job.body as { job: { state: string } }).job.state, 'completed');
    const listed = await t.bridge.call('listProjectOrchestratorJobs', { params: { projectId: `session:${sessionId}` } });
    assert.ok((listed.body as { data: { id: string }[] }).data.some((j) => j.id === jobId));
    const health = (await t.bridge.call('getHealth')).body as { orchestratorQueue: { engine: string; available: boolean; redis: { reachable: boolean }; completed: number } };
    assert.deepEqual([health.orchestratorQueue.engine, health.orchestratorQueue.available, health.orchestratorQueue.redis.reachable], ['bullmq', true, true]);
    const caps = (await t.bridge.call('getCapabilities')).body as { queue: { engine: string; redis: { reachable: boolean } } };
    assert.deepEqual([caps.queue.engine, caps.queue.redis.reachable], ['bullmq', true]);
  });

  it('answers 503 on job operations while Redis is away, keeps everything else, and recovers by itself', async () => {
    const engine = t.bridge.services.orchestrator.engine as { describe(): { redis: { reachable: boolean } } } & typeof t.bridge.services.orchestrator.engine;
    await redis.stop();
    for (let i = 0; i < 200 && engine.describe().redis.reachable; i++) await new Promise((r) => setTimeout(r, 20));
    const get = await t.bridge.call('getOrchestratorJob', { params: { jobId: 'any' } });
    assert.deepEqual([get.status, (get.body as { code: string }).code], [503, 'queue_unavailable']);
    assert.equal((await t.bridge.call('listProjectOrchestratorJobs', { params: { projectId: 'p' } })).status, 503);
    assert.equal((await t.bridge.call('cancelOrchestratorJob', { params: { jobId: 'any' } })).status, 503);
    const created = await t.bridge.call('createSession', { body: {} });
    assert.equal(created.status, 200, 'sessions keep working without Redis');
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    const enqueue = await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: {} });
    assert.equal(enqueue.status, 503);
    const health = await t.bridge.call('getHealth');
    assert.equal(health.status, 200);
    const q = (health.body as { orchestratorQueue: { available: boolean; redis: { reachable: boolean } } }).orchestratorQueue;
    assert.deepEqual([q.available, q.redis.reachable], [false, false]);

    await redis.start();
    for (let i = 0; i < 300 && !engine.describe().redis.reachable; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await t.bridge.call('listProjectOrchestratorJobs', { params: { projectId: 'p' } })).status, 200, 'recovered by itself');
    assert.equal((await t.bridge.call('getOrchestratorJob', { params: { jobId: 'any' } })).status, 404);
  });
});
