import assert from 'node:assert/strict';
import { BridgeError } from '../../protocol/errors';
import { isTurnCompleted, startTestBridge, type TestBridge } from './support/harness';

/** Regression tests for the faults of issue 12 §2 that need the real runtime. */
describe('reliability faults against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  async function newSession(): Promise<string> {
    const created = await t.bridge.call('createSession', { body: {} });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return (created.body as { session: { sessionId: string } }).session.sessionId;
  }

  it('a lone surrogate in a message is a 400 naming the field, at once, and the session still works', async () => {
    const sessionId = await newSession();
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello \ud800 world' } });
    assert.equal(sent.status, 400, JSON.stringify(sent.body));
    assert.deepEqual((sent.body as { issues: { path: unknown[] }[] }).issues[0]!.path, ['body', 'text']);
    const ok = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello' } });
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    await t.waitForEvent(isTurnCompleted(sessionId, (ok.body as { turnId: string }).turnId));
  });

  it('a runtime request the runtime could not read fails at once instead of waiting for the timeout', async () => {
    const sessionId = await newSession();
    const started = Date.now();
    await assert.rejects(
      t.bridge.runtime.request('thread/name/set', { threadId: sessionId, name: 'bad \udc00 name' }),
      (e: unknown) => e instanceof BridgeError && e.code === 'invalid_request' && /surrogate/.test(e.message),
    );
    assert.ok(Date.now() - started < 5000, 'failed at once');
  });

  it('two concurrent sends to one session: exactly one turn starts, the other is 409', async () => {
    const sessionId = await newSession();
    const replies = await Promise.all([1, 2].map((n) => t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: `stream 20 words ${n}` } })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [202, 409], JSON.stringify(replies.map((r) => r.body)));
    const winner = replies.find((r) => r.status === 202)!;
    await t.waitForEvent(isTurnCompleted(sessionId, (winner.body as { turnId: string }).turnId));
  });

  it('after many short turns no stale active turn is left: each next send is accepted', async () => {
    const sessionId = await newSession();
    for (let i = 0; i < 5; i++) {
      const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: `hi ${i}` } });
      assert.equal(sent.status, 202, `send ${i}: ${JSON.stringify(sent.body)}`);
      await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
    }
    const read = await t.bridge.call('readSession', { params: { sessionId } });
    assert.equal((read.body as { session: { activeTurnId: string | null } }).session.activeTurnId, null);
  });
});
