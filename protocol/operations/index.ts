import { CHECKPOINT_OPERATIONS } from './checkpoints';
import { PENDING_OPERATIONS } from './pending';
import { PROJECT_OPERATIONS } from './projects';
import { QUEUE_OPERATIONS } from './queue';
import { RUNTIME_PASSTHROUGH_OPERATIONS } from './runtime-passthrough';
import { SESSION_LIFECYCLE_OPERATIONS } from './session-lifecycle';
import { SESSION_SETTINGS_OPERATIONS } from './session-settings';
import { SESSION_OPERATIONS } from './sessions';
import { SYSTEM_OPERATIONS } from './system';

/**
 * Every declared operation, by operationId, gathered from one file per domain.
 * Surfaces iterate this; nothing lists routes by hand.
 */
export const OPERATIONS = {
  ...SYSTEM_OPERATIONS,
  ...RUNTIME_PASSTHROUGH_OPERATIONS,
  ...PROJECT_OPERATIONS,
  ...SESSION_OPERATIONS,
  ...SESSION_LIFECYCLE_OPERATIONS,
  ...SESSION_SETTINGS_OPERATIONS,
  ...PENDING_OPERATIONS,
  ...QUEUE_OPERATIONS,
  ...CHECKPOINT_OPERATIONS,
} as const;

export type Operations = typeof OPERATIONS;
export type OperationId = keyof Operations;
