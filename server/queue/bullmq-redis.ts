/**
 * Redis plumbing for the BullMQ engine: the connections it opens, the keys it owns next to
 * BullMQ's, and how a Redis failure becomes the queue's 503.
 *
 * Three connections per bridge: `commands` fails fast while Redis is away (no offline
 * queue), so an operation answers 503 at once instead of hanging; `worker` is the one
 * BullMQ's Worker wants (it retries forever and duplicates itself for blocking pops);
 * `subscriber` carries the pub/sub channels. ioredis reconnects all three by itself, so
 * the queue recovers without the bridge doing anything when Redis comes back.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { loadBullmqLibs } from './bullmq-libs';
import { QueueError } from './types';

/** Reconnect quickly at first, then every 2 s at most: Redis coming back is noticed within seconds. */
const retryStrategy = (times: number): number => Math.min(100 * times, 2000);

export interface RedisConnections {
  commands: Redis;
  worker: Redis;
  subscriber: Redis;
}

export function openConnections(url: string): RedisConnections {
  const { Redis } = loadBullmqLibs().ioredis;
  const base: RedisOptions = { retryStrategy, lazyConnect: false, connectionName: 'codex-manager-queue' };
  const commands = new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const worker = new Redis(url, { ...base, maxRetriesPerRequest: null });
  const subscriber = new Redis(url, { ...base, maxRetriesPerRequest: null });
  // Connection errors are expected while Redis is away; health reports them. Without a
  // listener ioredis would print each one as an unhandled 'error' event.
  for (const c of [commands, worker, subscriber]) c.on('error', () => undefined);
  return { commands, worker, subscriber };
}

export async function closeConnections(c: RedisConnections): Promise<void> {
  await Promise.all([c.commands, c.worker, c.subscriber].map((r) => r.quit().catch(() => r.disconnect())));
}

/** The URL without its password, for health and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparseable url)';
  }
}

/**
 * Runs a Redis-backed operation; a failure of Redis itself (not of the queue's rules)
 * becomes QueueError queue_unavailable (HTTP 503).
 */
export async function guarded<T>(commands: Redis, what: string, fn: () => Promise<T>): Promise<T> {
  if (commands.status !== 'ready') throw unavailable(what);
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QueueError) throw error;
    if (commands.status !== 'ready' || isConnectionError(error)) throw unavailable(what);
    throw error;
  }
}

function unavailable(what: string): QueueError {
  return new QueueError('queue_unavailable', `the queue's Redis is unreachable (${what}); it recovers by itself when Redis returns`, 503);
}

export function isConnectionError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /stream isn't writeable|connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|MaxRetriesPerRequest|max retries|Connection closed/i.test(text);
}

/** The keys this engine keeps beside BullMQ's (same prefix, so one Redis holds several bridges' clusters apart). */
export function keysFor(prefix: string, queueName: string) {
  const base = `${prefix}:${queueName}:cm`;
  return {
    /** Hash per job: attempts, timestamps, error code, running context, cancel request. */
    meta: (jobId: string) => `${base}:meta:${jobId}`,
    /** A canceled-before-start job (BullMQ removed it): its final record. */
    tomb: (jobId: string) => `${base}:tomb:${jobId}`,
    /** Sorted set per project: every retained job id by creation time. */
    jobs: (projectId: string) => `${base}:jobs:${projectId}`,
    /** Sorted set per project: terminal job ids by finish time (per-project retention). */
    done: (projectId: string) => `${base}:done:${projectId}`,
    /** Set per project: job ids not yet terminal (capacity). */
    active: (projectId: string) => `${base}:active:${projectId}`,
    projects: `${base}:projects`,
    /** One running job per project across every bridge. */
    projectLock: (projectId: string) => `${base}:lock:${projectId}`,
    events: `${base}:events`,
    cancel: `${base}:cancel`,
  };
}
export type EngineKeys = ReturnType<typeof keysFor>;
