import assert from 'node:assert/strict';
import { BridgeError } from '../../protocol/errors';
import { isTurnCompleted, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

type Health = { runtime: { state: string; pid: number | null; restarts: number; failureReason: string | null; lastExit: { signal: string | null } | null } };

async function health(t: TestBridge): Promise<Health> {
  return (await t.bridge.call('getHealth')).body as Health;
}

async function waitForState(t: TestBridge, state: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if ((await health(t)).runtime.state === state) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`runtime not ${state} within ${timeoutMs} ms (is ${(await health(t)).runtime.state})`);
}

describe('runtime crashes against the real codex app-server', function () {
  describe('kill -9 in the middle of a turn', () => {
    let t: TestBridge;
    before(async () => { t = await startTestBridge(); });
    after(async () => { await t?.stop(); });

    it('fails calls in flight at once, expires pending approvals, comes back within 2 s and runs a new turn', async () => {
      const created = await t.bridge.call('createSession', { body: {} });
      const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
      await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'run command: echo never > never.txt' } });
      const approvalEvent = await t.waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId);
      const approvalId = (approvalEvent.payload as { approvalId: string }).approvalId;

      const before = await health(t);
      const pid = before.runtime.pid!;
      // A call that is on its way to the runtime when it dies must fail fast, not hang.
      const inFlight = t.bridge.runtime.request('thread/read', { threadId: sessionId, includeTurns: true });
      process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();
      await assert.rejects(inFlight, (e: unknown) => e instanceof BridgeError && e.code === 'runtime_unavailable');
      assert.ok(Date.now() - killedAt < 1000, 'in-flight call failed at once');

      const expired = await t.waitForEvent((e) => e.type === 'approval_resolved' && (e.payload as { approvalId: string }).approvalId === approvalId);
      assert.equal((expired.payload as { status: string }).status, 'expired');
      const late = await t.bridge.call('decideApproval', { params: { approvalId }, body: { decision: 'accept' } });
      assert.equal(late.status, 409, 'an expired approval cannot be decided');
      assert.equal((late.body as { requestStatus: string }).requestStatus, 'expired');
      assert.equal((late.body as { code: string }).code, 'not_eligible', 'an expired request was never resolved by anyone');

      const backIn = await waitForState(t, 'ready', 2000);
      const after = await health(t);
      assert.notEqual(after.runtime.pid, pid);
      assert.equal(after.runtime.restarts, 1);
      assert.equal(after.runtime.lastExit?.signal, 'SIGKILL');
      console.log(`      runtime ready again ${Date.now() - killedAt} ms after kill -9 (${backIn} ms after the check started)`);

      const resumed = await t.waitForEvent((e) => e.type === 'runtime_threads_resumed');
      assert.ok((resumed.payload as { resumed: string[] }).resumed.includes(sessionId), 'the loaded thread was resumed');
      const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello again' } });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const done = await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
      assert.equal(turnStatusOf(done), 'completed');
    });
  });

  describe('the circuit breaker', () => {
    let t: TestBridge;
    before(async () => {
      t = await startTestBridge({ supervisor: { backoff: { initialMs: 20, maxMs: 100, factor: 2 }, breaker: { maxCrashes: 3, windowMs: 60_000 } } });
    });
    after(async () => { await t?.stop(); });

    it('trips after repeated crashes, health says why, calls fail fast, and a restart closes it', async () => {
      for (let crash = 1; crash <= 3; crash++) {
        await waitForState(t, 'ready', 10_000);
        process.kill((await health(t)).runtime.pid!, 'SIGKILL');
        if (crash < 3) await waitForState(t, 'restarting', 2000).catch(() => undefined);
      }
      await waitForState(t, 'failed', 5000);
      const h = await health(t);
      assert.equal(h.runtime.pid, null);
      assert.match(h.runtime.failureReason ?? '', /circuit breaker open: 3 crashes within 60 s \(last: signal SIGKILL\)/);

      const t0 = Date.now();
      const refused = await t.bridge.call('createSession', { body: {} });
      assert.equal(refused.status, 503);
      assert.equal((refused.body as { code: string }).code, 'runtime_unavailable');
      assert.match((refused.body as { message: string }).message, /circuit breaker/);
      assert.ok(Date.now() - t0 < 500, 'no waiting while the breaker is open');

      const restarted = await t.bridge.call('restartRuntime');
      assert.equal(restarted.status, 200, JSON.stringify(restarted.body));
      const after = await health(t);
      assert.equal(after.runtime.state, 'ready');
      assert.equal(after.runtime.failureReason, null);
      assert.equal((await t.bridge.call('createSession', { body: {} })).status, 200);
    });
  });
});
