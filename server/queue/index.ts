/** The background job queue: one engine interface, the embedded engine, the orchestrator that wires job types and workers. */
export * from './types';
export { EmbeddedQueueEngine, DEFAULT_LIMITS } from './embedded-engine';
export type { EmbeddedEngineOptions, QueueLimits } from './embedded-engine';
export { backoffDelayMs, classify, toFailure } from './retry';
export { Orchestrator } from './orchestrator';
export type { OrchestratorOptions } from './orchestrator';
