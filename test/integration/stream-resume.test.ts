import assert from 'node:assert/strict';
import { startTestBridge, type TestBridge } from './support/harness';
import { startApi, StreamClient, type Frame } from './support/api-client';

/** (seq, type) of every event frame: what "exactly the same frames" compares. */
const events = (frames: Frame[]) => frames.filter((f) => typeof f.seq === 'number').map((f) => `${f.seq}:${f.type}`);

/**
 * Where a client stands after receiving `frames`: its last seq and how many frames of that
 * seq it has (frames of one event share the seq), the resume point the stream accepts.
 */
function resumePoint(frames: Frame[]): { since: number; sinceFrames: number } {
  const seqd = frames.filter((f) => typeof f.seq === 'number');
  const since = seqd.at(-1)!.seq!;
  return { since, sinceFrames: seqd.filter((f) => f.seq === since).length };
}

describe('stream resume is exact on every subscription (issue 12, fault 3)', function () {
  let t: TestBridge;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    t = await startTestBridge();
    api = await startApi(t, { maxBufferedBytes: 64 * 1024 });
  });
  after(async () => { await api?.close(); await t?.stop(); });

  async function newSession(): Promise<string> {
    const created = await api.request('POST', '/api/sessions', {});
    return (created.body as { session: { sessionId: string } }).session.sessionId;
  }

  it('a disconnect between two frames of one event loses nothing: resume with since + sinceFrames', async () => {
    const sessionId = await newSession();
    const full = await StreamClient.connect(api.url, `?threadId=${sessionId}`); // the default subscription
    await full.waitFor((f) => f.type === 'ready');
    await api.request('POST', `/api/sessions/${sessionId}/messages`, { text: 'stream 300 words' });
    await full.waitFor((f) => f.type === 'app_server.turn.completed', 30_000); // the last frame of the turn
    const all = full.frames.filter((f) => typeof f.seq === 'number');
    // Cut after the first frame of a delta event (its raw notification): its app_server frame is "lost".
    const cut = all.findIndex((f, i) => i > 100 && f.type === 'notification' && all[i + 1]?.seq === f.seq);
    assert.ok(cut > 0 && all[cut + 1]!.type === 'app_server.item.agent_message.delta', 'a multi-frame event to cut inside');
    const received = all.slice(0, cut + 1);
    const point = resumePoint(received);
    assert.equal(point.sinceFrames, 1);

    const resumed = await StreamClient.connect(api.url, `?threadId=${sessionId}&since=${point.since}&sinceFrames=${point.sinceFrames}&epoch=${t.bridge.events.epoch}`);
    const replayed = await resumed.waitFor((f) => f.type === 'replayed');
    assert.equal(replayed.sinceFrames, 1);
    assert.deepEqual([...events(received), ...events(resumed.frames)], events(all), 'every frame once, in order');

    // The same over a subscribe frame, and with a seq alone (that event fully received).
    const viaSubscribe = await StreamClient.connect(api.url);
    viaSubscribe.send({ type: 'subscribe', threadId: sessionId, since: point.since, sinceFrames: 1 });
    await viaSubscribe.waitFor((f) => f.type === 'replayed');
    assert.deepEqual(events(viaSubscribe.frames), events(all.slice(cut + 1)));
    const seqOnly = await StreamClient.connect(api.url, `?threadId=${sessionId}&since=${point.since}`);
    await seqOnly.waitFor((f) => f.type === 'replayed');
    assert.deepEqual(events(seqOnly.frames), events(all.filter((f) => f.seq! > point.since)));
    for (const c of [full, resumed, viaSubscribe, seqOnly]) c.close();
  });

  it('since beyond the last seq, or from another epoch, answers resync_required with the current epoch', async () => {
    const last = t.bridge.events.lastSeq;
    const ahead = await StreamClient.connect(api.url, `?since=${last + 50}`);
    const a = await ahead.waitFor((f) => f.type === 'resync_required');
    assert.equal(a.reason, 'since_ahead');
    assert.equal(a.epoch, t.bridge.events.epoch);
    assert.ok(!ahead.frames.some((f) => f.type === 'replayed'), 'never a silent empty replay');

    const other = await StreamClient.connect(api.url);
    other.send({ type: 'subscribe', since: 1, epoch: 'an-older-bridge' });
    const o = await other.waitFor((f) => f.type === 'resync_required');
    assert.equal(o.reason, 'epoch_changed');
    assert.equal(o.epoch, t.bridge.events.epoch);
    assert.equal(o.lastSeq, t.bridge.events.lastSeq);

    const current = await StreamClient.connect(api.url, `?since=${last}&epoch=${t.bridge.events.epoch}`);
    const r = await current.waitFor((f) => f.type === 'replayed');
    assert.equal(r.count, 0, 'nothing missed: an empty replay, said so');
    for (const c of [ahead, other, current]) c.close();
  });

  it('a slow consumer cut off resumes from what it received and gets every frame once', async () => {
    const sessionId = await newSession();
    const healthy = await StreamClient.connect(api.url, `?threadId=${sessionId}`);
    const slow = await StreamClient.connect(api.url, `?threadId=${sessionId}`);
    await slow.waitFor((f) => f.type === 'ready');
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading (test side)
    await api.request('POST', `/api/sessions/${sessionId}/messages`, { text: 'stream 10000 words' });
    await healthy.waitFor((f) => f.type === 'app_server.turn.completed', 60_000);
    assert.equal(api.stream.clientCount, 1, 'the slow socket was dropped');
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    for (let i = 0; i < 200 && !slow.closeInfo; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(slow.closeInfo?.code, 1008);
    assert.match(slow.closeInfo!.reason, /slow consumer/);
    assert.doesNotMatch(slow.closeInfo!.reason, /since=\d/, 'suggests no seq: the bridge cannot know what arrived');

    const point = resumePoint(slow.frames);
    const resumed = await StreamClient.connect(api.url, `?threadId=${sessionId}&since=${point.since}&sinceFrames=${point.sinceFrames}`);
    await resumed.waitFor((f) => f.type === 'app_server.turn.completed', 30_000);
    assert.deepEqual([...events(slow.frames), ...events(resumed.frames)], events(healthy.frames));
    for (const c of [healthy, resumed]) c.close();
  });
});
