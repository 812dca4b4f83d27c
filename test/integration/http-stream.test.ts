import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestBridge, type TestBridge } from './support/harness';
import { isRuntimeMethod, startApi, StreamClient, TEST_TOKEN, type Frame } from './support/api-client';

describe('HTTP + WebSocket stream against the real codex app-server', function () {
  let t: TestBridge;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    t = await startTestBridge({ eventLog: { maxEvents: 2000 } });
    api = await startApi(t);
  });
  after(async () => { await api?.close(); await t?.stop(); });

  async function newSession(): Promise<string> {
    const created = await api.request('POST', '/api/sessions', { filesystemSandbox: 'read-only' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return (created.body as { session: { sessionId: string } }).session.sessionId;
  }

  it('runs a full turn: create, send, stream, approve over HTTP, resolved event to the stream', async () => {
    const sessionId = await newSession();
    const ws = await StreamClient.connect(api.url, `?threadId=${sessionId}`);
    const ready = await ws.waitFor((f) => f.type === 'ready');
    assert.equal(ready.threadId, sessionId);
    assert.equal(ready.epoch, t.bridge.events.epoch);

    const sent = await api.request('POST', `/api/sessions/${sessionId}/messages`, { text: 'run command: echo over-http > http.txt' });
    assert.equal(sent.status, 202);
    const approval = await ws.waitFor((f) => f.type === 'approval');
    const approvalId = (approval.payload as { approvalId: string }).approvalId;
    const signal = await ws.waitFor((f) => f.type === 'app_server.request.item.command_execution.request_approval');
    assert.equal((signal.payload as { requestId: string }).requestId, approvalId, 'the public id, never the runtime id');

    const decided = await api.request('POST', `/api/approvals/${approvalId}/decision`, { decision: 'accept' }, { 'x-codex-manager-client': 'cli' });
    assert.deepEqual(decided, { status: 200, body: { status: 'ok', approvalId, threadId: sessionId } });
    const resolved = await ws.waitFor((f) => f.type === 'approval_resolved');
    assert.deepEqual(resolved.payload, { approvalId, status: 'resolved', resolvedBy: 'http:cli', decision: 'accept' });
    await ws.waitFor(isRuntimeMethod('turn/completed', sessionId));
    assert.equal(fs.readFileSync(path.join(t.workspace, 'http.txt'), 'utf8').trim(), 'over-http');

    const events = ws.frames.filter((f) => f.type !== 'ready');
    for (const f of events) {
      assert.equal(typeof f.seq, 'number', `${f.type} has a seq`);
      assert.equal(f.epoch, t.bridge.events.epoch);
      assert.ok(f.threadId === sessionId || f.threadId === null, 'only this thread and global events');
    }
    const delta = await ws.waitFor((f) => f.type === 'app_server.item.agent_message.delta');
    assert.deepEqual(Object.keys(delta.payload as object).sort(), ['context', 'eventType', 'method', 'params', 'receivedAt', 'session', 'signalType', 'source']);
    assert.equal((delta.payload as { session: { id: string } }).session.id, sessionId);
    assert.equal((delta.payload as { eventType: string }).eventType, delta.type, 'codex-manager: eventType is the frame type');
    const request = ws.frames.find((f) => f.type.startsWith('app_server.request.'));
    assert.ok(request, 'the approval request as a normalized signal');
    assert.equal((request.payload as { eventType: string }).eventType, request.type);
    assert.ok(ws.frames.some((f) => f.type === 'thread_token_usage_updated'), 'aliases are sent');
    ws.close();
  });

  it('replays after a forced disconnect with no loss and no duplicates', async () => {
    const sessionId = await newSession();
    const first = await StreamClient.connect(api.url, '');
    first.send({ type: 'subscribe', threadIds: [sessionId], families: ['notification'] });
    await first.waitFor((f) => f.type === 'subscribed');
    await api.request('POST', `/api/sessions/${sessionId}/messages`, { text: 'stream 400 words' });
    await first.waitFor((f) => f.type === 'notification' && (f.payload as { method: string }).method === 'item/agentMessage/delta');
    first.ws.terminate(); // the network drops; no goodbye
    const seen = first.frames.filter((f) => f.type === 'notification');
    const lastSeq = seen.at(-1)!.seq!;

    // Reconnect with the filter and `since` in the URL: the replay comes before any live event.
    const second = await StreamClient.connect(api.url, `?threadId=${sessionId}&families=notification&since=${lastSeq}`);
    await second.waitFor(isRuntimeMethod('turn/completed', sessionId), 30_000);
    const all = [...seen, ...second.frames.filter((f) => f.type === 'notification')];
    const seqs = all.map((f) => f.seq!);
    assert.equal(new Set(seqs).size, seqs.length, 'no duplicates');
    const expected = t.events().filter((e) => e.type === 'notification' && (e.threadId === sessionId || e.threadId === null) && e.seq >= seqs[0]! && e.seq <= seqs.at(-1)!).map((e) => e.seq);
    assert.deepEqual(seqs, expected, 'no gaps: every event of the thread, in order');
    const text = all.filter((f) => (f.payload as { method: string }).method === 'item/agentMessage/delta')
      .map((f) => (f.payload as { params: { delta: string } }).params.delta).join('');
    assert.equal(text, Array.from({ length: 400 }, (_, i) => `w${i + 1}`).join(' '));
    second.close();
  });

  it('answers resync_required when the ring no longer holds the gap', async () => {
    const sessionId = await newSession();
    await api.request('POST', `/api/sessions/${sessionId}/messages`, { text: 'stream 2500 words' });
    await t.waitForEvent((e) => e.type === 'notification' && e.threadId === sessionId && (e.payload as { method: string }).method === 'turn/completed', 30_000);
    const ws = await StreamClient.connect(api.url, '?since=1');
    const resync = await ws.waitFor((f) => f.type === 'resync_required');
    assert.equal(resync.oldestSeq, t.bridge.events.oldestSeq);
    ws.close();
  });

  it('keeps codex-manager\'s socket commands: ping, unsubscribe, errors keep the socket open', async () => {
    const ws = await StreamClient.connect(api.url);
    ws.send({ type: 'ping' });
    await ws.waitFor((f) => f.type === 'pong');
    ws.send('not json');
    ws.send({ type: 'dance' });
    ws.send({ type: 'subscribe', families: ['nope'] });
    await ws.waitFor((f) => f.type === 'error' && String(f.reason ?? '').includes('families'));
    assert.equal(ws.frames.filter((f) => f.type === 'error' && f.message === 'invalid websocket command').length, 3);
    ws.send({ type: 'unsubscribe' });
    await ws.waitFor((f) => f.type === 'unsubscribed');
    assert.equal(ws.ws.readyState, ws.ws.OPEN);
    ws.close();
  });

  it('refuses upgrades without the token (401) or from a foreign origin (403)', async () => {
    await assert.rejects(StreamClient.connect(api.url, '', {}), (e: { status?: number }) => e.status === 401);
    await assert.rejects(StreamClient.connect(api.url, '', { authorization: `Bearer ${TEST_TOKEN}`, origin: 'https://evil.example' }), (e: { status?: number }) => e.status === 403);
    const plain = await api.request('GET', '/api/stream');
    assert.equal(plain.status, 400);
  });

  it('serves its OpenAPI document', async () => {
    const doc = await api.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal((doc.body as { openapi: string }).openapi, '3.1.0');
  });
});

describe('slow stream consumers', function () {
  let t: TestBridge;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    t = await startTestBridge();
    api = await startApi(t, { maxBufferedBytes: 64 * 1024 });
  });
  after(async () => { await api?.close(); await t?.stop(); });

  it('cuts off a consumer that stops reading, with a reason, and keeps serving the others', async () => {
    const created = await api.request('POST', '/api/sessions', {});
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    const slow = await StreamClient.connect(api.url);
    const healthy = await StreamClient.connect(api.url, `?threadId=${sessionId}`);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading; the server's buffer grows
    await api.request('POST', `/api/sessions/${sessionId}/messages`, { text: 'stream 5000 words' });
    await healthy.waitFor(isRuntimeMethod('turn/completed', sessionId), 60_000);
    assert.equal(api.stream.clientCount, 1, 'the slow socket was dropped');
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    // It reads its backlog, then the close frame with the reason.
    for (let i = 0; i < 200 && !slow.closeInfo; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(slow.closeInfo?.code, 1008);
    assert.match(slow.closeInfo?.reason ?? '', /slow consumer/);
    const deltas = healthy.frames.filter((f: Frame) => f.type === 'notification' && (f.payload as { method: string }).method === 'item/agentMessage/delta');
    assert.equal(deltas.length, 5000, 'the healthy client lost nothing');
    healthy.close();
  });
});
