/**
 * The background jobs of one session (the orchestrator's `orchestrator_job_*` events whose
 * source is that session): what the Tool Activity view lists above the turns, with their
 * state, last progress and a cancel action while they are active. Pure data, no `vscode`.
 */

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'canceled';

export interface BackgroundJob {
  jobId: string;
  jobType: string;
  state: JobState;
  /** The last progress the worker reported (`phase` when it has one). */
  phase?: string;
  error?: string;
  updatedAt: number;
}

const STATES: Record<string, JobState> = {
  orchestrator_job_queued: 'queued', orchestrator_job_started: 'running', orchestrator_job_progress: 'running',
  orchestrator_job_completed: 'completed', orchestrator_job_failed: 'failed', orchestrator_job_canceled: 'canceled',
};

/** Finished jobs shown per session. */
const KEEP_FINISHED = 10;

export class JobsModel {
  private readonly jobs = new Map<string, BackgroundJob>();
  private sessionId: string | null = null;

  reset(sessionId: string | null): void {
    this.sessionId = sessionId;
    this.jobs.clear();
  }

  /** Applies a bridge event; true when the list changed. */
  apply(event: { type: string; threadId: string | null; payload: unknown }, now = Date.now()): boolean {
    const state = STATES[event.type];
    if (!state || !this.sessionId || event.threadId !== this.sessionId) return false;
    const p = (event.payload ?? {}) as { jobId?: unknown; jobType?: unknown; error?: unknown; progress?: { phase?: unknown } };
    if (typeof p.jobId !== 'string') return false;
    const previous = this.jobs.get(p.jobId);
    const job: BackgroundJob = {
      jobId: p.jobId,
      jobType: typeof p.jobType === 'string' ? p.jobType : previous?.jobType ?? 'job',
      state,
      updatedAt: now,
      ...(typeof p.progress?.phase === 'string' ? { phase: p.progress.phase } : previous?.phase && state === 'running' ? { phase: previous.phase } : {}),
      ...(typeof p.error === 'string' ? { error: p.error } : {}),
    };
    this.jobs.set(job.jobId, job);
    this.trim();
    return true;
  }

  /** Active jobs first, then the newest finished ones. */
  list(): BackgroundJob[] {
    const active = (j: BackgroundJob) => j.state === 'queued' || j.state === 'running';
    return [...this.jobs.values()].sort((a, b) => Number(active(b)) - Number(active(a)) || b.updatedAt - a.updatedAt);
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'queued' && j.state !== 'running').sort((a, b) => b.updatedAt - a.updatedAt);
    for (const old of finished.slice(KEEP_FINISHED)) this.jobs.delete(old.jobId);
  }
}

/** The job id of a Tool Activity node handed to a command (the Cancel action). */
export function jobIdOf(node: unknown): string | undefined {
  const n = node as { kind?: string; job?: { jobId?: unknown } } | undefined;
  return n?.kind === 'job' && typeof n.job?.jobId === 'string' ? n.job.jobId : undefined;
}
