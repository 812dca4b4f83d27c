/**
 * The `orchestratorQueue` part of health, in codex-manager's shape (`enabled`, then the
 * queue's counters when there is a queue). Until the background queue lands it reports
 * the embedded engine as off and idle; the queue replaces this function with its stats.
 */
export interface QueueHealth {
  enabled: boolean;
  engine: 'embedded' | 'distributed';
  queued: number;
  running: number;
  [key: string]: unknown;
}

export function queueHealth(): QueueHealth {
  return { enabled: false, engine: 'embedded', queued: 0, running: 0 };
}
