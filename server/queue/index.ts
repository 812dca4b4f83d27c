/** The background job queue: one engine interface, the embedded engine, job definitions. */
export * from './types';
export { EmbeddedQueueEngine, DEFAULT_LIMITS } from './embedded-engine';
export type { EmbeddedEngineOptions, QueueLimits } from './embedded-engine';
export { backoffDelayMs, classify, toFailure } from './retry';
