// The embedded queue engine: enqueue→start latency and jobs/s, with the real store
// (atomic, fsync'd writes, group-committed) under a temp dir, against a baseline in the
// same run: the same scheduling done by a bare in-memory FIFO (no persistence, no rules).
// Usage: npm run bench:queue [-- --jobs 2000 --projects 50 --concurrency 8]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { EmbeddedQueueEngine, type JobDefinition } from '../server/queue/index.ts';
import { Store } from '../server/state/store/index.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const JOBS = arg('jobs', 2000);
const PROJECTS = arg('projects', 50);
const CONCURRENCY = arg('concurrency', 8);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };

async function embedded(): Promise<{ jobsPerSec: number; p50: number; p99: number; sequentialP50: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'queue-bench-'));
  const store = await Store.open(dir);
  const enqueuedAt = new Map<number, number>();
  const latencies: number[] = [];
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => { resolveAll = r; });
  const def: JobDefinition<{ i: number }> = {
    type: 'noop', version: 1, priority: 'background', payloadSchema: z.object({ i: z.number() }),
    dedupe: { mode: 'none', key: () => null }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, jitter: false },
    timeoutMs: null, cancel: { strategy: 'mark_canceled', gracefulWaitMs: 10 },
    run: async (_ctx, p) => {
      latencies.push(performance.now() - enqueuedAt.get(p.i)!);
      return { ok: true };
    },
  };
  const engine = new EmbeddedQueueEngine({ store, definitions: [def], limits: { globalConcurrency: CONCURRENCY, maxActiveGlobal: JOBS + 10, maxActivePerProject: JOBS, retainTerminalPerProject: JOBS } });
  engine.onEvent((e) => { if (e.type === 'orchestrator_job_completed' && ++done === JOBS) resolveAll(); });
  await engine.start();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: JOBS }, (_, i) => {
    enqueuedAt.set(i, performance.now());
    return engine.enqueue({ type: 'noop', projectId: `p${i % PROJECTS}`, payload: { i } });
  }));
  await all;
  const elapsed = performance.now() - t0;
  const burst = { jobsPerSec: JOBS / (elapsed / 1000), p50: pct(latencies, 50), p99: pct(latencies, 99) };
  // One job at a time on an idle queue: the latency a single interactive request sees.
  const single: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = JOBS + i;
    enqueuedAt.set(id, performance.now());
    const before = latencies.length;
    const { job } = await engine.enqueue({ type: 'noop', projectId: 'solo', payload: { i: id } });
    await engine.waitForTerminal(job.id, 5000);
    single.push(latencies[before]!);
  }
  await engine.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return { ...burst, sequentialP50: pct(single, 50) };
}

async function baseline(): Promise<{ jobsPerSec: number; p50: number; p99: number }> {
  const queue: { at: number }[] = [];
  const latencies: number[] = [];
  let running = 0;
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => { resolveAll = r; });
  const pump = () => {
    while (running < CONCURRENCY && queue.length) {
      const job = queue.shift()!;
      running += 1;
      void Promise.resolve().then(() => { latencies.push(performance.now() - job.at); running -= 1; if (++done === JOBS) resolveAll(); else pump(); });
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < JOBS; i++) { queue.push({ at: performance.now() }); queueMicrotask(pump); }
  await all;
  const elapsed = performance.now() - t0;
  return { jobsPerSec: JOBS / (elapsed / 1000), p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

const base = await baseline();
const emb = await embedded();
console.log(`queue bench: ${JOBS} no-op jobs over ${PROJECTS} projects, concurrency ${CONCURRENCY}`);
console.log('| engine | jobs/s | enqueue→start p50 ms | p99 ms | single job on idle queue, p50 ms |');
console.log('|---|---|---|---|---|');
console.log(`| in-memory FIFO (baseline) | ${base.jobsPerSec.toFixed(0)} | ${base.p50.toFixed(3)} | ${base.p99.toFixed(3)} | |`);
console.log(`| embedded (store, fsync) | ${emb.jobsPerSec.toFixed(0)} | ${emb.p50.toFixed(2)} | ${emb.p99.toFixed(2)} | ${emb.sequentialP50.toFixed(2)} |`);
console.log(`ratio embedded/baseline jobs/s: ${(emb.jobsPerSec / base.jobsPerSec).toFixed(4)}`);
