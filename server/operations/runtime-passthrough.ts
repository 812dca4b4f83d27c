import type { RUNTIME_PASSTHROUGH_OPERATIONS } from '../../protocol/operations/runtime-passthrough';
import { accountHandlers } from './runtime/account';
import { catalogHandlers } from './runtime/catalog';
import { configHandlers } from './runtime/config';
import { systemInfoHandlers } from './runtime/system-info';
import { toolingHandlers } from './runtime/tooling';
import type { BridgeServices } from './services';
import type { HandlersFor } from './table';

/** Handlers for the runtime pass-through operations, one module per area under `runtime/`. */
export function runtimePassthroughHandlers(s: BridgeServices): HandlersFor<typeof RUNTIME_PASSTHROUGH_OPERATIONS> {
  return {
    ...systemInfoHandlers(s),
    ...catalogHandlers(s),
    ...accountHandlers(s),
    ...configHandlers(s),
    ...toolingHandlers(s),
  };
}
