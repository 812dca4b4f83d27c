import assert from 'node:assert/strict';
import { isTurnCompleted, methodOf, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

describe('user input and dynamic tool calls against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  it('answers a user-input request and the model receives the answer', async () => {
    const created = await t.bridge.call('createSession', { body: {} });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    // codex only honours request_user_input in plan mode.
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'ask me Pick one', collaborationMode: 'plan' } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const requested = await t.waitForEvent((e) => e.type === 'tool_user_input_requested' && e.threadId === sessionId);
    const listed = await t.bridge.call('listSessionToolInput', { params: { sessionId } });
    const [request] = (listed.body as { data: { requestId: string; questions: { id: string; question: string }[] }[] }).data;
    assert.equal(request!.requestId, (requested.payload as { requestId: string }).requestId);
    assert.equal(request!.questions[0]!.question, 'Pick one');
    const answered = await t.bridge.call('decideToolInput', {
      params: { requestId: request!.requestId },
      body: { decision: 'accept', answers: { choice: { answers: ['Beta'] } } },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    const done = await t.waitForEvent(isTurnCompleted(sessionId));
    assert.equal(turnStatusOf(done), 'completed');
    const said = t.events().filter((e) => e.threadId === sessionId && methodOf(e) === 'item/completed')
      .map((e) => (e.payload as { params: { item: { type: string; text?: string } } }).params.item)
      .find((i) => i.type === 'agentMessage');
    assert.match(said?.text ?? '', /"Beta"/);
  });

  it('answers a dynamic tool call declared by the session', async () => {
    const created = await t.bridge.call('createSession', {
      body: { dynamicTools: [{ name: 'lookup_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }] },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'use tool lookup_weather {"city":"Paris"}' } });
    await t.waitForEvent((e) => e.type === 'tool_call_requested' && e.threadId === sessionId);
    const listed = await t.bridge.call('listSessionToolCalls', { params: { sessionId } });
    const [call] = (listed.body as { data: { requestId: string; tool: string; arguments: unknown }[] }).data;
    assert.equal(call!.tool, 'lookup_weather');
    assert.deepEqual(call!.arguments, { city: 'Paris' });
    const responded = await t.bridge.call('respondToolCall', { params: { requestId: call!.requestId }, body: { text: 'sunny, 21 C' } });
    assert.equal(responded.status, 200);
    const again = await t.bridge.call('respondToolCall', { params: { requestId: call!.requestId }, body: { text: 'rain' } });
    assert.equal(again.status, 409);
    const done = await t.waitForEvent(isTurnCompleted(sessionId));
    assert.equal(turnStatusOf(done), 'completed');
    const resolved = await t.waitForEvent((e) => e.type === 'tool_call_resolved' && e.threadId === sessionId);
    assert.equal((resolved.payload as { status: string }).status, 'resolved');
  });
});
