/**
 * Which finished jobs the embedded engine keeps: the newest `perProject` per project, and
 * none older than `maxAgeMs`. Finished jobs are remembered per project in completion
 * order, so each finish costs O(1); the age sweep runs at most once a minute.
 */
import type { JobRecord } from './types';

const SWEEP_EVERY_MS = 60_000;

export class Retention {
  private readonly finished = new Map<string, string[]>();
  private lastSweep = 0;

  constructor(private readonly perProject: number, private readonly maxAgeMs: number) {}

  /** Registers already finished jobs (at start), oldest first. */
  seed(jobs: Iterable<JobRecord>): void {
    const done = [...jobs].filter((j) => j.completedAt).sort((a, b) => (a.completedAt! < b.completedAt! ? -1 : 1));
    for (const job of done) this.list(job.projectId).push(job.id);
  }

  /**
   * Records that `job` finished and returns the ids to drop (oldest beyond the per-project
   * limit, and, on a sweep, those past the age limit). `keep(id)` protects a job whose
   * worker is still running.
   */
  recordFinished(job: JobRecord, jobs: Map<string, JobRecord>, now: number, keep: (id: string) => boolean): string[] {
    const list = this.list(job.projectId);
    list.push(job.id);
    const drop: string[] = [];
    while (list.length > this.perProject && !keep(list[0]!)) drop.push(list.shift()!);
    if (now - this.lastSweep >= SWEEP_EVERY_MS) drop.push(...this.sweep(jobs, now, keep));
    return drop;
  }

  sweep(jobs: Map<string, JobRecord>, now: number, keep: (id: string) => boolean): string[] {
    this.lastSweep = now;
    const cutoff = now - this.maxAgeMs;
    const drop: string[] = [];
    for (const [projectId, list] of this.finished) {
      while (list.length > this.perProject && !keep(list[0]!)) drop.push(list.shift()!);
      while (list.length > 0) {
        const oldest = jobs.get(list[0]!);
        if (oldest?.completedAt && Date.parse(oldest.completedAt) >= cutoff) break;
        if (oldest && keep(oldest.id)) break;
        drop.push(list.shift()!);
      }
      if (list.length === 0) this.finished.delete(projectId);
    }
    return drop;
  }

  private list(projectId: string): string[] {
    let list = this.finished.get(projectId);
    if (!list) this.finished.set(projectId, (list = []));
    return list;
  }
}
