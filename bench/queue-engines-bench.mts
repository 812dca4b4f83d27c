/**
 * Queue engines side by side (issue 15): jobs/s and enqueue→start latency for the embedded
 * engine (the bridge's store) and the BullMQ engine (a real redis-server on loopback), the
 * same no-op job type and the same limits, measured in the same run so the ratio is robust
 * to the machine's load.
 *
 *   npm run bench:queue-engines    (BENCH_JOBS=500 by default)
 *
 * - throughput: BENCH_JOBS jobs over 50 projects (one running per project), global
 *   concurrency 8, all enqueued at once; jobs/s from the first enqueue to the last completion;
 * - latency under load: enqueue call → the worker's first line, per job, in that burst;
 * - latency idle: one job at a time (enqueue, wait for it), 50 times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { EmbeddedQueueEngine, type JobDefinition, type QueueEngine } from '../server/queue/index.ts';
import { BullmqQueueEngine } from '../server/queue/bullmq-engine.ts';
import { Store } from '../server/state/store/index.ts';
import { startRedisServer } from '../test/support/redis-server.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 500);
const limits = { globalConcurrency: 8, maxActiveGlobal: 100_000, maxActivePerProject: 100_000, retainTerminalPerProject: 100_000 };
const enqueuedAt = new Map<number, number>();
const startedAt = new Map<number, number>();
const Payload = z.object({ n: z.number().int() });
const noop: JobDefinition<z.infer<typeof Payload>> = {
  type: 'noop', version: 1, priority: 'background', payloadSchema: Payload,
  dedupe: { mode: 'none', key: () => null }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, jitter: false },
  timeoutMs: null, cancel: { strategy: 'mark_canceled', gracefulWaitMs: 10 },
  run: async (_ctx, p) => { startedAt.set(p.n, performance.now()); return {}; },
};

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };

async function measure(engine: QueueEngine) {
  enqueuedAt.clear(); startedAt.clear();
  // Idle latency: one job at a time.
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    const n = 1_000_000 + i;
    const t = performance.now();
    const { job } = await engine.enqueue({ type: 'noop', projectId: 'idle', payload: { n } });
    await engine.waitForTerminal(job.id, 10_000);
    idle.push(startedAt.get(n)! - t);
  }
  // Throughput burst.
  const t0 = performance.now();
  const ids: string[] = [];
  for (let n = 0; n < JOBS; n++) {
    enqueuedAt.set(n, performance.now());
    ids.push((await engine.enqueue({ type: 'noop', projectId: `p${n % 50}`, payload: { n } })).job.id);
  }
  const enqueueMs = performance.now() - t0;
  for (const id of ids) await engine.waitForTerminal(id, 120_000);
  const totalMs = performance.now() - t0;
  const lat = [...enqueuedAt].map(([n, t]) => startedAt.get(n)! - t);
  return { jobsPerSec: JOBS / (totalMs / 1000), enqueuePerSec: JOBS / (enqueueMs / 1000), burstP50: pct(lat, 0.5), burstP90: pct(lat, 0.9), idleP50: pct(idle, 0.5), idleP90: pct(idle, 0.9) };
}

const root = await mkdtemp(join(tmpdir(), 'queue-bench-'));
const store = await Store.open(root);
const embedded = new EmbeddedQueueEngine({ store, definitions: [noop], limits });
await embedded.start();
const e = await measure(embedded);
await embedded.stop();
await store.close();

const redis = await startRedisServer();
const bull = new BullmqQueueEngine({ redisUrl: redis.url, queueName: 'bench', definitions: [noop], limits });
await bull.start();
const b = await measure(bull);
await bull.stop();
await redis.stop();
await rm(root, { recursive: true, force: true });

const f = (x: number) => x.toFixed(1);
console.log(`queue engines, ${JOBS} no-op jobs over 50 projects, global concurrency 8 (node ${process.version})\n`);
console.log('| engine | jobs/s (burst, enqueue→all done) | enqueue calls/s | enqueue→start p50 / p90 under the burst | enqueue→start p50 / p90 idle (one at a time) |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| embedded (store) | ${f(e.jobsPerSec)} | ${f(e.enqueuePerSec)} | ${f(e.burstP50)} / ${f(e.burstP90)} ms | ${f(e.idleP50)} / ${f(e.idleP90)} ms |`);
console.log(`| bullmq (redis-server on loopback) | ${f(b.jobsPerSec)} | ${f(b.enqueuePerSec)} | ${f(b.burstP50)} / ${f(b.burstP90)} ms | ${f(b.idleP50)} / ${f(b.idleP90)} ms |`);
console.log(`\nratio bullmq/embedded: jobs/s ×${(b.jobsPerSec / e.jobsPerSec).toFixed(2)}, idle enqueue→start p50 ×${(b.idleP50 / e.idleP50).toFixed(2)}`);
process.exit(0);
