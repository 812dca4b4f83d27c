/**
 * The BullMQ engine's stream events across bridges. Whichever bridge makes a transition
 * publishes it on one Redis channel, tagged with the bridge that enqueued the job; every
 * bridge hears it, delivers it to its own listeners only for the jobs it enqueued (their
 * sessions live there), and wakes anyone waiting for that job to end. Pub/sub drops
 * messages while a connection is down, so waiting also polls (see the engine).
 */
import type { Redis } from 'ioredis';
import type { BullJobData } from './bullmq-records';
import { isConnectionError, type EngineKeys } from './bullmq-redis';
import { TERMINAL_STATES, type JobState, type QueueEvent, type QueueEventType } from './types';

interface Published { origin: string; event: QueueEvent }

export class QueueEventBus {
  private readonly listeners = new Set<(event: QueueEvent) => void>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly commands: () => Redis | undefined,
    private readonly keys: EngineKeys,
    private readonly bridgeId: string,
    private readonly onCancel: (jobId: string, reason: string) => void,
    private readonly backgroundError: (error: unknown) => void,
  ) {}

  onEvent(listener: (event: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(type: QueueEventType, data: BullJobData, jobId: string, state: JobState, extra: Partial<QueueEvent['payload']>): void {
    const event: QueueEvent = {
      type, threadId: data.sourceSessionId,
      payload: { jobId, projectId: data.projectId, jobType: data.type, state, ...(data.sourceSessionId ? { sourceSessionId: data.sourceSessionId } : {}), ...extra },
    };
    const message: Published = { origin: data.origin, event };
    this.commands()?.publish(this.keys.events, JSON.stringify(message)).catch((e: unknown) => { if (!isConnectionError(e)) this.backgroundError(e); });
  }

  /** Asks whichever bridge runs the job to stop it. */
  async requestCancel(jobId: string, reason: string): Promise<void> {
    await this.commands()?.publish(this.keys.cancel, JSON.stringify({ jobId, reason }));
  }

  /** The subscriber connection's messages. */
  handle(channel: string, message: string): void {
    let parsed: unknown;
    try { parsed = JSON.parse(message); } catch { return; }
    if (channel === this.keys.cancel) {
      const { jobId, reason } = parsed as { jobId: string; reason: string };
      this.onCancel(jobId, reason);
      return;
    }
    const { origin, event } = parsed as Published;
    if (TERMINAL_STATES.has(event.payload.state)) this.wakeWaiters(event.payload.jobId);
    if (origin !== this.bridgeId) return;
    for (const listener of this.listeners) {
      try { listener(event); } catch (e) { this.backgroundError(e); }
    }
  }

  /** Resolves when the job's terminal event arrives, or after `ms`. */
  wake(jobId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(jobId) ?? new Set();
      this.waiters.set(jobId, set);
      const done = () => { clearTimeout(timer); set.delete(done); if (set.size === 0) this.waiters.delete(jobId); resolve(); };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private wakeWaiters(jobId: string): void {
    for (const done of [...(this.waiters.get(jobId) ?? [])]) done();
  }
}
