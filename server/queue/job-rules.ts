/** The embedded engine's admission and recovery rules, as plain functions over job records. */
import { QueueError, TERMINAL_STATES, type AnyJobDefinition, type JobRecord } from './types';

/**
 * The job a new one with this dedupe key joins: an active one (single_flight,
 * merge_duplicate), or any retained one, even finished (drop_duplicate).
 */
export function findDuplicate(jobs: Iterable<JobRecord>, definition: AnyJobDefinition, projectId: string, dedupeKey: string): JobRecord | undefined {
  for (const job of jobs) {
    if (job.projectId !== projectId || job.type !== definition.type || job.dedupeKey !== dedupeKey) continue;
    const active = job.state === 'queued' || job.state === 'running';
    if (definition.dedupe.mode === 'drop_duplicate' || active) return job;
  }
  return undefined;
}

/** Throws 429 queue_full when the queue or the project holds its maximum of active jobs. */
export function checkCapacity(jobs: Iterable<JobRecord>, limits: { maxActiveGlobal: number; maxActivePerProject: number }, projectId: string): void {
  let global = 0;
  let project = 0;
  for (const job of jobs) {
    if (TERMINAL_STATES.has(job.state)) continue;
    global += 1;
    if (job.projectId === projectId) project += 1;
  }
  if (global >= limits.maxActiveGlobal) throw new QueueError('queue_full', `the queue holds its maximum of ${limits.maxActiveGlobal} active jobs`, 429);
  if (project >= limits.maxActivePerProject) throw new QueueError('queue_full', `project ${projectId} holds its maximum of ${limits.maxActivePerProject} active jobs`, 429);
}

/**
 * A job found `running` at start was interrupted by a crash or stop (its worker died with
 * the bridge): canceled if cancel was asked, re-queued if attempts remain, else failed.
 */
export function recoverInterrupted(job: JobRecord, nowIso: string): void {
  const base = { runningContext: { threadId: null, turnId: null }, errorCode: 'interrupted_by_restart', error: 'interrupted_by_restart: the bridge stopped while this job ran' };
  if (job.cancelRequestedAt) Object.assign(job, base, { state: 'canceled', completedAt: nowIso });
  else if (job.attempts < job.maxAttempts) Object.assign(job, base, { state: 'queued', nextAttemptAt: null });
  else Object.assign(job, base, { state: 'failed', completedAt: nowIso });
}
