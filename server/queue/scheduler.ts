/**
 * Which queued jobs start now. Pure, so its fairness rules are unit-tested directly:
 * - a job waits until its `nextAttemptAt` (retry backoff);
 * - one running job per project (workers share the project's folder and sessions);
 * - at most `freeSlots` more jobs globally;
 * - interactive jobs go first, but a background job that has waited `agingMs` counts as
 *   interactive, so a stream of interactive work cannot starve background work forever;
 * - within a rank, first come first served.
 */
import type { JobRecord } from './types';

export interface PickOptions {
  now: number;
  freeSlots: number;
  /** Projects with a job still running (including one canceled but not yet stopped). */
  busyProjects: ReadonlySet<string>;
  agingMs: number;
}

export interface Pick {
  start: JobRecord[];
  /** When the next delayed job becomes due (ms since epoch), if any. */
  wakeAt: number | null;
}

export function pickRunnable(jobs: Iterable<JobRecord>, opts: PickOptions): Pick {
  // One pass keeps each free project's best due job; only those few are sorted. The
  // scheduler runs after every transition, so it must not sort the whole backlog.
  const best = new Map<string, { job: JobRecord; rank: number; created: number }>();
  let wakeAt: number | null = null;
  for (const job of jobs) {
    if (job.state !== 'queued' || opts.busyProjects.has(job.projectId)) continue;
    const at = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) : 0;
    if (at > opts.now) {
      wakeAt = wakeAt === null ? at : Math.min(wakeAt, at);
      continue;
    }
    const created = Date.parse(job.createdAt);
    const rank = job.priority === 'interactive' || opts.now - created >= opts.agingMs ? 0 : 1;
    const current = best.get(job.projectId);
    if (!current || before({ job, rank, created }, current)) best.set(job.projectId, { job, rank, created });
  }
  const start = [...best.values()].sort((a, b) => (before(a, b) ? -1 : 1)).slice(0, Math.max(0, opts.freeSlots)).map((c) => c.job);
  return { start, wakeAt };
}

function before(a: { job: JobRecord; rank: number; created: number }, b: { job: JobRecord; rank: number; created: number }): boolean {
  return a.rank - b.rank || a.created - b.created ? a.rank < b.rank || (a.rank === b.rank && a.created < b.created) : a.job.id < b.job.id;
}
