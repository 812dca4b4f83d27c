import { pendingHandlers } from './pending';
import type { BridgeServices } from './services';
import { sessionHandlers } from './sessions';
import { systemHandlers } from './system';
import { OperationTable, type HandlerMap, type OperationTableOptions } from './table';

/** Binds every declared operation to its domain's handler. The type makes a missing one a compile error. */
export function createOperationTable(services: BridgeServices, opts: OperationTableOptions = {}): OperationTable {
  const handlers: HandlerMap = {
    ...systemHandlers(services),
    ...sessionHandlers(services),
    ...pendingHandlers(services),
  };
  return new OperationTable(handlers, opts);
}

export { OperationTable } from './table';
export type { CallContext, Reply, RawInput } from './table';
