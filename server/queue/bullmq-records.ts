/**
 * How a BullMQ job reads as the queue's JobRecord. BullMQ owns the state machine (waiting,
 * prioritized, delayed, active, completed, failed), the payload, the result and the
 * progress; the engine's meta hash adds what BullMQ has no field for (the attempt count
 * across stalls, the error code, the worker turn, a cancel request). Nothing is copied, so
 * every bridge reading the same Redis answers the same record.
 */
import type { Job } from 'bullmq';
import type { JobPriority, JobRecord, JobState } from './types';

/** What the engine stores as the BullMQ job's data. */
export interface BullJobData {
  type: string;
  version: number;
  projectId: string;
  sourceSessionId: string | null;
  priority: JobPriority;
  dedupeKey: string | null;
  payload: Record<string, unknown>;
  maxAttempts: number;
  createdAt: string;
  /** The bridge that enqueued the job: its clients get the job's stream events. */
  origin: string;
  /** Random per enqueue call: tells "my job was added" from "a duplicate already existed". */
  token: string;
}

/** The meta hash's fields (all strings in Redis; empty means unset). */
export interface JobMeta {
  attempts?: string;
  startedAt?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  cancelRequestedAt?: string;
  errorCode?: string;
  error?: string;
  threadId?: string;
  turnId?: string;
}

export const BULL_PRIORITY: Record<JobPriority, number> = { interactive: 1, background: 2 };

const orNull = (s: string | undefined): string | null => (s ? s : null);

export function toJobState(bullState: string, meta: JobMeta): JobState {
  switch (bullState) {
    case 'completed':
      return meta.errorCode === 'canceled' ? 'canceled' : 'completed';
    case 'failed':
      return meta.errorCode === 'canceled' ? 'canceled' : 'failed';
    case 'active':
      // A cancel request answers at once, as the embedded engine does after its grace
      // period; the worker's slot stays taken until it really stops.
      return meta.cancelRequestedAt ? 'canceled' : 'running';
    default:
      return meta.cancelRequestedAt ? 'canceled' : 'queued';
  }
}

export function toRecord(job: Job<BullJobData>, bullState: string, meta: JobMeta): JobRecord {
  const d = job.data;
  const state = toJobState(bullState, meta);
  const finished = job.finishedOn ? new Date(job.finishedOn).toISOString() : null;
  const result = state === 'completed' && job.returnvalue && typeof job.returnvalue === 'object' ? (job.returnvalue as Record<string, unknown>) : null;
  const progress = job.progress && typeof job.progress === 'object' ? (job.progress as Record<string, unknown>) : null;
  const running = state === 'running';
  return {
    id: String(job.id),
    type: d.type,
    version: d.version,
    projectId: d.projectId,
    sourceSessionId: d.sourceSessionId,
    priority: d.priority,
    state,
    dedupeKey: d.dedupeKey,
    payload: d.payload,
    result,
    error: orNull(meta.error) ?? (bullState === 'failed' ? job.failedReason ?? null : null),
    errorCode: orNull(meta.errorCode),
    attempts: Number(meta.attempts ?? 0),
    maxAttempts: d.maxAttempts,
    createdAt: d.createdAt,
    startedAt: orNull(meta.startedAt),
    completedAt: finished ?? (state === 'canceled' ? orNull(meta.cancelRequestedAt) : null),
    cancelRequestedAt: orNull(meta.cancelRequestedAt),
    nextAttemptAt: state === 'queued' ? orNull(meta.nextAttemptAt) : null,
    lastAttemptAt: orNull(meta.lastAttemptAt),
    runningContext: running ? { threadId: orNull(meta.threadId), turnId: orNull(meta.turnId) } : { threadId: null, turnId: null },
    progress,
  };
}
