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
  const due: { job: JobRecord; rank: number; created: number }[] = [];
  let wakeAt: number | null = null;
  for (const job of jobs) {
    if (job.state !== 'queued') continue;
    const at = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) : 0;
    if (at > opts.now) {
      wakeAt = wakeAt === null ? at : Math.min(wakeAt, at);
      continue;
    }
    const created = Date.parse(job.createdAt);
    const aged = opts.now - created >= opts.agingMs;
    due.push({ job, rank: job.priority === 'interactive' || aged ? 0 : 1, created });
  }
  due.sort((a, b) => a.rank - b.rank || a.created - b.created || (a.job.id < b.job.id ? -1 : 1));
  const busy = new Set(opts.busyProjects);
  const start: JobRecord[] = [];
  for (const { job } of due) {
    if (start.length >= opts.freeSlots) break;
    if (busy.has(job.projectId)) continue;
    busy.add(job.projectId);
    start.push(job);
  }
  return { start, wakeAt };
}
