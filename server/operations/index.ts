import { checkpointHandlers } from './checkpoints';
import { pendingHandlers } from './pending';
import { projectHandlers } from './projects';
import { queueHandlers } from './queue';
import { runtimePassthroughHandlers } from './runtime-passthrough';
import type { BridgeServices } from './services';
import { sessionLifecycleHandlers } from './session-lifecycle';
import { sessionSettingsHandlers } from './session-settings';
import { sessionHandlers } from './sessions';
import { systemHandlers } from './system';
import { OperationTable, type HandlerMap, type OperationTableOptions } from './table';

/** Binds every declared operation to its domain's handler. The type makes a missing one a compile error. */
export function createOperationTable(services: BridgeServices, opts: OperationTableOptions = {}): OperationTable {
  const handlers: HandlerMap = {
    ...systemHandlers(services),
    ...runtimePassthroughHandlers(services),
    ...projectHandlers(services),
    ...sessionHandlers(services),
    ...sessionLifecycleHandlers(services),
    ...sessionSettingsHandlers(services),
    ...pendingHandlers(services),
    ...queueHandlers(services),
    ...checkpointHandlers(services),
  };
  return new OperationTable(handlers, opts);
}

export { OperationTable } from './table';
export type { CallContext, Reply, RawInput } from './table';
