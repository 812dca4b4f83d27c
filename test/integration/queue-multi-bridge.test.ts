/**
 * Several bridges on one Redis (issue 15): three bridge processes (each with its real
 * runtime) share the BullMQ queue; 300 jobs are enqueued across them; one bridge is killed
 * with SIGKILL halfway. Every job completes, exactly once (BullMQ commits a completion only
 * for the lock holder, so the dead bridge's jobs are recovered by the others and cannot be
 * completed twice), none is lost.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { BullmqQueueEngine } from '../../server/queue/bullmq-engine';
import { keysFor } from '../../server/queue/bullmq-redis';
import type { QueueEvent } from '../../server/queue';
import { startFakeModel, writeCodexHome, type FakeModel } from '../fake-model';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server';
import { sharedWork } from './support/shared-work-job';

describe('queue: three bridges on one Redis, one killed with SIGKILL halfway', function () {
  this.timeout(180_000);
  let root: string;
  let fake: FakeModel;
  let redis: RedisServer;
  const children: ChildProcess[] = [];
  before(async () => {
    if (!redisServerAvailable()) throw new Error('redis-server is not installed: run scripts/setup-redis.sh');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-multi-'));
    fake = await startFakeModel({ label: 'the test model' });
    writeCodexHome(path.join(root, 'codex-home'), fake.baseUrl);
    fs.mkdirSync(path.join(root, 'workspace'));
    redis = await startRedisServer();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await redis?.stop();
    await fake?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('completes all 300 jobs exactly once', async () => {
    const queueName = `multi-${randomUUID()}`;
    const keys = keysFor('codex-manager', queueName);
    // Observe every completion any bridge commits.
    const observer = new Redis(redis.url);
    const completions = new Map<string, number>();
    await observer.subscribe(keys.events);
    observer.on('message', (_channel: string, message: string) => {
      const { event } = JSON.parse(message) as { event: QueueEvent };
      if (event.type === 'orchestrator_job_completed') completions.set(event.payload.jobId, (completions.get(event.payload.jobId) ?? 0) + 1);
    });

    const outputs: string[] = ['', '', ''];
    for (let i = 0; i < 3; i++) {
      const args = ['--import', 'tsx', path.join(__dirname, 'support', 'bullmq-bridge-child.ts'),
        redis.url, queueName, `bridge-${i}`, path.join(root, `data-${i}`), path.join(root, 'codex-home'), path.join(root, 'workspace'), '100'];
      const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout!.on('data', (c: Buffer) => { outputs[i] += c.toString(); });
      child.stderr!.on('data', (c: Buffer) => { outputs[i] += c.toString(); });
      children.push(child);
    }
    const waitFor = async (what: string, ok: () => boolean, ms = 90_000) => {
      const t0 = Date.now();
      while (!ok()) {
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}:\n${outputs.join('\n---\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor('three bridges', () => outputs.every((o) => o.includes('READY bullmq')));
    for (const c of children) c.stdin!.write('go\n');
    await waitFor('every bridge to enqueue its 100 jobs', () => outputs.every((o) => o.includes('ENQUEUED 100')));
    await waitFor('150 completions', () => completions.size >= 150);
    const victim = children[1]!;
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    await waitFor('300 completions', () => completions.size >= 300);
    await new Promise((r) => setTimeout(r, 3000)); // a late duplicate would show up here

    const reader = new BullmqQueueEngine({ redisUrl: redis.url, queueName, definitions: [sharedWork('reader')], runJobs: false });
    await reader.start();
    try {
      const jobs = await reader.list({});
      assert.equal(jobs.length, 300, 'no job lost');
      assert.equal(completions.size, 300);
      assert.ok(jobs.every((j) => j.state === 'completed'), JSON.stringify(jobs.filter((j) => j.state !== 'completed').slice(0, 3)));
      const duplicates = [...completions].filter(([, n]) => n !== 1);
      assert.deepEqual(duplicates, [], 'each job completed exactly once');
      const ranOn = new Set(jobs.map((j) => j.result?.ranOn));
      assert.ok(ranOn.has('bridge-0') && ranOn.has('bridge-2'), 'the surviving bridges shared the work');
      const recovered = jobs.filter((j) => j.attempts > 1);
      assert.ok(recovered.length >= 1, 'the killed bridge had jobs running; others recovered them');
      assert.ok(recovered.every((j) => j.result?.ranOn !== 'bridge-1'));
    } finally {
      await reader.stop();
      observer.disconnect();
    }
  });
});
