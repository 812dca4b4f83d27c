import assert from 'node:assert/strict';
import type { LoggedEvent } from '../../server/state/event-log';
import { isTurnCompleted, methodOf, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

type Job = { id: string; state: string; attempts: number; errorCode?: string | null; result: Record<string, unknown> | null; runningContext: { threadId: string | null; turnId: string | null } };

async function sessionWithHistory(t: TestBridge): Promise<string> {
  const created = await t.bridge.call('createSession', { body: {} });
  const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
  const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello there' } });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
  return sessionId;
}

const jobEvent = (type: string, jobId: string) => (e: LoggedEvent) => e.type === type && (e.payload as { jobId?: string }).jobId === jobId;

describe('orchestrator: queue jobs, worker sessions and suggested requests (real runtime)', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  it('suggests a request through a worker turn in a hidden, read-only worker session', async () => {
    const sessionId = await sessionWithHistory(t);
    const reply = await t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'Refactor the parser' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const body = reply.body as { status: string; suggestion: string; requestKey: string };
    assert.deepEqual([body.status, body.suggestion], ['ok', 'Refactor the parser, and add a test for it']);

    // Every transition was a stream event, with codex-manager's names.
    const queued = t.events().find((e) => e.type === 'orchestrator_job_queued' && e.threadId === sessionId)!;
    const jobId = (queued.payload as { jobId: string }).jobId;
    for (const type of ['orchestrator_job_started', 'orchestrator_job_progress', 'orchestrator_job_completed']) await t.waitForEvent(jobEvent(type, jobId), 5000, type);
    const job = (await t.bridge.call('getOrchestratorJob', { params: { jobId } })).body as { status: string; job: Job };
    assert.equal(job.job.state, 'completed');
    assert.equal(job.job.result?.suggestion, body.suggestion);

    // The worker session: listed per owner, hidden from session lists, refused to clients.
    const owner = `session:${sessionId}`;
    const agents = await t.bridge.call('listProjectAgentSessions', { params: { projectId: owner } });
    assert.equal(agents.status, 200);
    const [worker] = (agents.body as { data: { agent: string; sessionId: string; systemOwned: boolean }[] }).data;
    assert.deepEqual([worker?.agent, worker?.systemOwned], ['suggest', true]);
    const listed = (await t.bridge.call('listSessions', {})).body as { data: { sessionId: string }[] };
    assert.ok(!listed.data.some((r) => r.sessionId === worker!.sessionId), 'worker sessions are hidden by default');
    const all = (await t.bridge.call('listSessions', { query: { includeSystemOwned: 'true' } })).body as { data: { sessionId: string; systemOwned?: boolean }[] };
    assert.equal(all.data.find((r) => r.sessionId === worker!.sessionId)?.systemOwned, true);
    const refused = await t.bridge.call('sendSessionMessage', { params: { sessionId: worker!.sessionId }, body: { text: 'hi' } });
    assert.deepEqual([refused.status, (refused.body as { code: string }).code], [403, 'system_session']);
    assert.equal((await t.bridge.call('readSession', { params: { sessionId: worker!.sessionId } })).status, 200, 'reading stays allowed');
    assert.equal((await t.bridge.call('listProjectAgentSessions', { params: { projectId: 'no-such-project' } })).status, 404);

    const listedJobs = (await t.bridge.call('listProjectOrchestratorJobs', { params: { projectId: owner }, query: { state: 'completed' } })).body as { data: Job[] };
    assert.ok(listedJobs.data.some((j) => j.id === jobId));
    const health = (await t.bridge.call('getHealth')).body as { orchestratorQueue: { enabled: boolean; engine: string; completed: number } };
    assert.deepEqual([health.orchestratorQueue.enabled, health.orchestratorQueue.engine], [true, 'embedded']);
    assert.ok(health.orchestratorQueue.completed >= 1);
  });

  it('answers no_context for a session without messages, and a deterministic fallback when the worker fails', async () => {
    const created = await t.bridge.call('createSession', { body: {} });
    const empty = (created.body as { session: { sessionId: string } }).session.sessionId;
    const none = await t.bridge.call('suggestSessionRequest', { params: { sessionId: empty }, body: {} });
    assert.deepEqual([none.status, (none.body as { status: string }).status], [409, 'no_context']);

    const sessionId = await sessionWithHistory(t);
    const reply = await t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'please fail now' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual([(reply.body as { status: string }).status, (reply.body as { suggestion: string }).suggestion], ['fallback', 'please fail now']);
  });

  it('enqueues asynchronously with single-flight dedupe, then cancels the running job by interrupting its worker turn', async () => {
    const sessionId = await sessionWithHistory(t);
    const first = await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: { draft: 'slow please' } });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const a = first.body as { jobId: string; requestKey: string; dedupe: string; projectId: string };
    const second = await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: {} });
    const b = second.body as { jobId: string; requestKey: string; dedupe: string };
    assert.deepEqual([a.dedupe, b.dedupe, b.jobId, b.requestKey], ['enqueued', 'already_queued', a.jobId, a.requestKey]);

    await t.waitForEvent((e) => e.type === 'orchestrator_job_progress' && (e.payload as { jobId: string; progress?: { phase?: string } }).jobId === a.jobId
      && (e.payload as { progress?: { phase?: string } }).progress?.phase === 'turn_started', 20_000, 'worker turn started');
    const running = ((await t.bridge.call('getOrchestratorJob', { params: { jobId: a.jobId } })).body as { job: Job }).job;
    assert.equal(running.state, 'running');
    const { threadId, turnId } = running.runningContext;
    assert.ok(threadId && turnId);

    const canceled = await t.bridge.call('cancelOrchestratorJob', { params: { jobId: a.jobId }, body: {} });
    assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
    assert.equal((canceled.body as { job: Job }).job.state, 'canceled');
    const ended = await t.waitForEvent(isTurnCompleted(threadId!, turnId!), 20_000, 'worker turn end');
    assert.equal(turnStatusOf(ended), 'interrupted');
    await t.waitForEvent(jobEvent('orchestrator_job_canceled', a.jobId), 5000, 'canceled event');
    const again = await t.bridge.call('cancelOrchestratorJob', { params: { jobId: a.jobId }, body: {} });
    assert.equal(again.status, 409);
    assert.equal((await t.bridge.call('cancelOrchestratorJob', { params: { jobId: 'missing' }, body: {} })).status, 404);
    assert.equal((await t.bridge.call('getOrchestratorJob', { params: { jobId: 'missing' } })).status, 404);
  });

  it('retries a job whose worker turn died with the runtime (retryable by code), then succeeds; fails once attempts are spent', async () => {
    const sessionId = await sessionWithHistory(t);
    const turnStarted = (jobId: string, n: number) => t.waitForEvent((e) => e.type === 'orchestrator_job_progress' && (e.payload as { jobId: string }).jobId === jobId
      && (e.payload as { progress?: { phase?: string } }).progress?.phase === 'turn_started' && e.seq > n, 30_000, 'worker turn started');
    const queued = (await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: { draft: 'slow please' } })).body as { jobId: string };
    await turnStarted(queued.jobId, 0);
    assert.equal((await t.bridge.call('restartRuntime')).status, 200);
    const retried = await t.waitForEvent((e) => e.type === 'orchestrator_job_queued' && (e.payload as { jobId: string; nextAttemptAt?: string }).jobId === queued.jobId
      && Boolean((e.payload as { nextAttemptAt?: string }).nextAttemptAt), 20_000, 'retry scheduled');
    assert.match(String((retried.payload as { error?: string }).error), /^runtime_unavailable: /);
    const done = await t.bridge.services.orchestrator.engine.waitForTerminal(queued.jobId, 60_000);
    assert.deepEqual([done?.state, done?.attempts, done?.result?.suggestion], ['completed', 2, 'slow please, and add a test for it']);

    // Both attempts die: the job fails with the last code, and the sync call answers a fallback.
    const second = (await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: { draft: 'slow again' } })).body as { jobId: string };
    let mark = 0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const started = await turnStarted(second.jobId, mark);
      mark = started.seq;
      assert.equal((await t.bridge.call('restartRuntime')).status, 200);
    }
    const failed = await t.bridge.services.orchestrator.engine.waitForTerminal(second.jobId, 60_000);
    assert.deepEqual([failed?.state, failed?.attempts, failed?.errorCode], ['failed', 2, 'runtime_unavailable']);
  });

  it('records suggested-request states clients upsert', async () => {
    const sessionId = await sessionWithHistory(t);
    const bad = await t.bridge.call('upsertSuggestedSessionRequest', { params: { sessionId }, body: { requestKey: 'k1', status: 'complete' } });
    assert.deepEqual([bad.status, (bad.body as { code: string }).code], [400, 'missing_suggestion']);
    const ok = await t.bridge.call('upsertSuggestedSessionRequest', { params: { sessionId }, body: { requestKey: 'k1', status: 'complete', suggestion: 'Ship it' } });
    assert.equal(ok.status, 200);
    assert.equal((ok.body as { entry: { suggestion: string } }).entry.suggestion, 'Ship it');
    assert.equal((await t.bridge.call('upsertSuggestedSessionRequest', { params: { sessionId: 'nope' }, body: { requestKey: 'k', status: 'streaming' } })).status, 404);
  });
});

describe('orchestrator limits: capacity and timeouts (real runtime)', function () {
  let t: TestBridge;
  before(async () => {
    t = await startTestBridge({ orchestrator: { limits: { maxActiveGlobal: 1 }, suggestTimeoutMs: 1500, suggestWaitMs: 30_000 } });
  });
  after(async () => { await t?.stop(); });

  it('answers 429 queue_full at capacity, and times out a slow worker turn (retried, then failed, then a fallback)', async () => {
    const a = await sessionWithHistory(t);
    const b = await sessionWithHistory(t);
    const slow = t.bridge.call('suggestSessionRequest', { params: { sessionId: a }, body: { draft: 'slow please' } });
    await t.waitForEvent((e) => e.type === 'orchestrator_job_started' && e.threadId === a, 20_000, 'slow job started');
    const full = await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId: b }, body: {} });
    assert.deepEqual([full.status, (full.body as { code: string }).code], [429, 'queue_full']);

    const reply = await slow;
    assert.deepEqual([reply.status, (reply.body as { status: string }).status], [200, 'fallback']);
    const jobs = ((await t.bridge.call('listProjectOrchestratorJobs', { params: { projectId: `session:${a}` } })).body as { data: Job[] }).data;
    assert.deepEqual([jobs[0]?.state, jobs[0]?.errorCode, jobs[0]?.attempts], ['failed', 'job_timeout', 2]);
    // Each timed-out attempt interrupted its worker turn.
    const interrupted = () => t.events().filter((e) => methodOf(e) === 'turn/completed' && turnStatusOf(e) === 'interrupted').length;
    for (let i = 0; i < 100 && interrupted() < 2; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(interrupted(), 2);
  });
});
