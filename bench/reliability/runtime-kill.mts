// Row: the runtime killed with SIGKILL in the middle of a streaming turn, N times.
import { startTestBridge } from '../../test/integration/support/harness.ts';
import { row, sleep, until, type Row } from './common.mts';

export async function runtimeKills(n: number): Promise<Row> {
  const r = row(`runtime kill -9 mid-turn ×${n}`, 'runtime ready again after the kill');
  r.notes.push('circuit breaker widened for this row (default: failed after 5 crashes in 60 s)');
  const t = await startTestBridge({ validateReplies: false, onReply: () => undefined, supervisor: { backoff: { initialMs: 50, maxMs: 400, factor: 2 }, breaker: { maxCrashes: 1_000_000, windowMs: 1000 } } });
  try {
    const created = await t.bridge.call('createSession', { body: {} });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    for (let i = 0; i < n; i++) {
      r.count++;
      const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'slow' } });
      if (sent.status !== 202) { r.failures++; r.notes.push(`send ${i}: ${sent.status}`); await sleep(500); continue; }
      const turnId = (sent.body as { turnId: string }).turnId;
      const fromSeq = t.bridge.events.lastSeq;
      const streaming = await until(() => t.events().some((e) => e.seq > fromSeq && e.threadId === sessionId && (e.payload as { method?: string }).method === 'item/agentMessage/delta'), 15_000);
      const pid = t.bridge.runtime.health().pid;
      if (!streaming || !pid) { r.failures++; r.notes.push(`turn ${i} did not stream`); continue; }
      const killedAt = performance.now();
      process.kill(pid, 'SIGKILL');
      const aborted = await until(() => t.events().some((e) => e.seq > fromSeq && e.type === 'turn_aborted' && (e.payload as { turnId?: string }).turnId === turnId), 15_000, 2);
      const ready = await until(() => t.bridge.runtime.health().state === 'ready' && t.bridge.runtime.health().pid !== pid, 15_000, 2);
      if (!aborted || !ready) { r.failures++; r.notes.push(`kill ${i}: ${aborted ? '' : 'turn not aborted '}${ready ? '' : 'runtime not back'}`); continue; }
      r.samples.push(performance.now() - killedAt);
      // The session goes on: no stale active turn is left behind.
      const after = await until(async () => {
        const read = await t.bridge.call('readSession', { params: { sessionId } });
        return read.status === 200 && (read.body as { session: { activeTurnId: string | null } }).session.activeTurnId === null;
      }, 5000, 20);
      if (!after) { r.failures++; r.notes.push(`kill ${i}: active turn left`); }
    }
  } finally {
    await t.stop().catch(() => undefined);
  }
  return r;
}
