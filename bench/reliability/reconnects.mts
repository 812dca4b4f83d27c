// Row: forced reconnects of a WebSocket client on the default subscription (every family)
// while turns stream; each reconnect resumes with `since=<last seq seen>` in the URL.
// Checked: every event seq of the streamed turns reached the client.
import WebSocket from 'ws';
import { startApi, TEST_TOKEN } from '../../test/integration/support/api-client.ts';
import { startTestBridge } from '../../test/integration/support/harness.ts';
import { row, sleep, until, type Row } from './common.mts';

export async function forcedReconnects(n: number): Promise<Row> {
  const r = row(`forced WS reconnects, default subscription ×${n}`, 'reconnect → first replayed frame (or ready when nothing was missed)');
  const t = await startTestBridge({ validateReplies: false, onReply: () => undefined });
  const api = await startApi(t);
  const seen = new Set<number>();
  let lastSeq = t.bridge.events.lastSeq;
  const firstSeq = lastSeq + 1;
  let frames = 0;
  let resyncs = 0;
  let dropped = 0;
  try {
    const created = await t.bridge.call('createSession', { body: {} });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    let turnDone = true;
    let turns = 0;
    for (let i = 0; i < n; i++) {
      if (turnDone) {
        const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'stream 3000 words' } });
        if (sent.status === 202) { turnDone = false; turns++; }
      }
      r.count++;
      const t0 = performance.now();
      const budget = 5 + Math.floor(Math.random() * 60);
      const outcome = await new Promise<'ok' | 'error'>((resolve) => {
        const ws = new WebSocket(`${api.url.replace(/^http/, 'ws')}/api/stream?since=${lastSeq}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
        let got = 0;
        let timed = false;
        let done = false;
        const finish = (how: 'ok' | 'error') => { done = true; ws.terminate(); resolve(how); };
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; seq?: number; threadId?: string | null; payload?: { method?: string } };
          if (!timed && (frame.seq !== undefined || frame.type === 'replayed')) { timed = true; r.samples.push(performance.now() - t0); }
          if (done) return;
          if (frame.type === 'resync_required') { resyncs++; return finish('error'); }
          if (frame.seq === undefined) return;
          frames++;
          seen.add(frame.seq);
          lastSeq = Math.max(lastSeq, frame.seq);
          if (frame.type === 'notification' && frame.threadId === sessionId && frame.payload?.method === 'turn/completed') turnDone = true;
          if (++got >= budget) finish('ok'); // forced: cut mid-stream, no close handshake
        });
        ws.on('error', () => { if (done) return; dropped++; finish('error'); });
        setTimeout(() => { if (!done) finish('ok'); }, 300); // a quiet moment between turns ends the visit too
      });
      if (outcome === 'error') r.failures++;
    }
    await until(() => turnDone || t.bridge.services.tracker.activeTurn(sessionId) === undefined, 30_000);
    await sleep(200);
    // One last visit collects the rest, then compare with the event log.
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`${api.url.replace(/^http/, 'ws')}/api/stream?since=${lastSeq}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      ws.on('message', (data) => { const f = JSON.parse(data.toString()) as { seq?: number }; if (f.seq !== undefined) seen.add(f.seq); });
      setTimeout(() => { ws.terminate(); resolve(); }, 500);
    });
    const logged = t.events().filter((e) => e.seq >= firstSeq && e.type !== 'server_request').map((e) => e.seq);
    const missing = logged.filter((seq) => !seen.has(seq));
    if (missing.length) { r.failures += missing.length; r.notes.push(`${missing.length} event seqs never reached the client (first: ${missing.slice(0, 5).join(', ')})`); }
    r.notes.push(`${turns} turns of 3,000 deltas, ${frames} frames, ${logged.length} event seqs all checked; ${resyncs} resync_required, ${dropped} socket errors`);
    r.notes.push('counts events (seqs); frames of one event that share its seq are fault 2.3 (exact resume), measured by the performance work');
  } finally {
    await api.close();
    await t.stop().catch(() => undefined);
  }
  return r;
}
