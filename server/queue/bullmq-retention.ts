/**
 * The BullMQ engine's housekeeping beside BullMQ's own. BullMQ removes finished jobs by
 * age (removeOnComplete/removeOnFail), but counts per queue, not per project, so the
 * per-project "newest N finished jobs" rule is kept here; and BullMQ has priorities but no
 * aging, so waiting background jobs are promoted once they have waited long enough.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { BULL_PRIORITY, type BullJobData } from './bullmq-records';
import type { EngineKeys } from './bullmq-redis';
import type { QueueLimits } from './embedded-engine';

/** A job became terminal: it leaves the capacity count; its project keeps only its newest terminal jobs. */
export async function settleTerminal(
  c: Redis, queue: Queue<BullJobData>, keys: EngineKeys, limits: Pick<QueueLimits, 'retainTerminalMs' | 'retainTerminalPerProject'>,
  data: BullJobData, jobId: string, finishedAt: string,
): Promise<void> {
  const { projectId } = data;
  await c.multi()
    .srem(keys.active(projectId), jobId)
    .zadd(keys.done(projectId), Date.parse(finishedAt), jobId)
    .pexpire(keys.meta(jobId), limits.retainTerminalMs)
    .exec();
  const excess = (await c.zcard(keys.done(projectId))) - limits.retainTerminalPerProject;
  if (excess <= 0) return;
  const old = await c.zrange(keys.done(projectId), 0, excess - 1);
  for (const id of old) {
    await queue.remove(id).catch(() => undefined);
    await c.multi().del(keys.tomb(id), keys.meta(id)).zrem(keys.done(projectId), id).zrem(keys.jobs(projectId), id).exec();
  }
}

/** Background jobs waiting past the aging period are promoted to interactive priority. */
export async function ageBackgroundJobs(queue: Queue<BullJobData> | undefined, c: Redis | undefined, agingMs: number): Promise<void> {
  if (!queue || c?.status !== 'ready') return;
  const waiting = await queue.getJobs(['prioritized'], 0, 500, true);
  const cutoff = Date.now() - agingMs;
  for (const job of waiting) {
    if (job.opts.priority === BULL_PRIORITY.background && job.timestamp <= cutoff) {
      await job.changePriority({ priority: BULL_PRIORITY.interactive }).catch(() => undefined);
    }
  }
}
