import assert from 'node:assert/strict';
import { isTurnCompleted, methodOf, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

describe('turns against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  async function newSession(): Promise<string> {
    const created = await t.bridge.call('createSession', { body: {} });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return (created.body as { session: { sessionId: string } }).session.sessionId;
  }

  it('streams an answer in order, each event with a larger seq, and reads it back as a transcript', async () => {
    const sessionId = await newSession();
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'stream 50 words' } });
    assert.equal(sent.status, 202);
    const { turnId } = sent.body as { turnId: string };
    const done = await t.waitForEvent(isTurnCompleted(sessionId, turnId));
    assert.equal(turnStatusOf(done), 'completed');

    const events = t.events().filter((e) => e.threadId === sessionId);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.seq > events[i - 1]!.seq, 'seqs increase');
    const deltas = events.filter((e) => methodOf(e) === 'item/agentMessage/delta')
      .map((e) => (e.payload as { params: { delta: string } }).params.delta);
    assert.equal(deltas.length, 50);
    assert.equal(deltas.join(''), Array.from({ length: 50 }, (_, i) => `w${i + 1}`).join(' '));
    // The event keeps the runtime's own line: fan-out splices it, never re-serializes.
    const first = events.find((e) => methodOf(e) === 'item/agentMessage/delta')!;
    assert.deepEqual(JSON.parse(first.payloadJson), first.payload);
    assert.match(t.bridge.events.frame(first), new RegExp(`^\\{"type":"notification","threadId":"${sessionId}","seq":${first.seq},"epoch":"${t.bridge.events.epoch}","payload":\\{`));

    const read = await t.bridge.call('readSession', { params: { sessionId } });
    assert.equal(read.status, 200);
    const transcript = (read.body as { transcript: { role: string; content: string; status: string }[] }).transcript;
    assert.deepEqual(transcript.map((e) => e.role), ['user', 'assistant']);
    assert.equal(transcript[1]!.content, deltas.join(''));
    assert.equal(transcript[1]!.status, 'complete');

    const listed = await t.bridge.call('listSessions', { query: { limit: '10' } });
    const rows = (listed.body as { data: { sessionId: string; title: string; materialized: boolean }[] }).data;
    const row = rows.find((r) => r.sessionId === sessionId);
    assert.deepEqual([row?.title, row?.materialized], ['stream 50 words', true]);
  });

  it('interrupts a running turn: the turn ends as interrupted', async () => {
    const sessionId = await newSession();
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'slow stream please' } });
    assert.equal(sent.status, 202);
    await t.waitForEvent((e) => e.threadId === sessionId && methodOf(e) === 'item/agentMessage/delta', 20_000, 'first slow delta');
    const busy = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello' } });
    assert.equal(busy.status, 409, 'a second turn while one runs is a conflict');
    const interrupted = await t.bridge.call('interruptSessionTurn', { params: { sessionId }, body: {} });
    assert.equal(interrupted.status, 200, JSON.stringify(interrupted.body));
    const done = await t.waitForEvent(isTurnCompleted(sessionId));
    assert.equal(turnStatusOf(done), 'interrupted');
    const again = await t.bridge.call('interruptSessionTurn', { params: { sessionId }, body: {} });
    assert.equal(again.status, 409, 'nothing left to interrupt');
  });

  it('answers bad input with a structured error naming the field, and unknown sessions with 404', async () => {
    const bad = await t.bridge.call('sendSessionMessage', { params: { sessionId: 'x' }, body: { text: '' } });
    assert.equal(bad.status, 400);
    const body = bad.body as { status: string; code: string; issues: { path: (string | number)[] }[] };
    assert.equal(body.status, 'error');
    assert.equal(body.code, 'invalid_request');
    assert.deepEqual(body.issues[0]!.path, ['body', 'text']);
    const missing = await t.bridge.call('readSession', { params: { sessionId: 'no-such-session' } });
    assert.equal(missing.status, 404);
    assert.equal((missing.body as { status: string }).status, 'not_found');
    const unknownField = await t.bridge.call('createSession', { body: { cwd: 42 } });
    assert.equal(unknownField.status, 400);
    const health = await t.bridge.call('getHealth');
    assert.equal((health.body as { runtime: { state: string } }).runtime.state, 'ready', 'bad input never hurts the bridge');
  });
});
