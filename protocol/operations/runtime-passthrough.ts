import { ACCOUNT_OPERATIONS } from './passthrough/account';
import { CATALOG_OPERATIONS } from './passthrough/catalog';
import { CONFIG_OPERATIONS } from './passthrough/config';
import { SYSTEM_INFO_OPERATIONS } from './passthrough/system-info';
import { TOOLING_OPERATIONS } from './passthrough/tooling';

/**
 * Operations that pass through to the runtime's own methods (models, skills, MCP,
 * account, config, one-off commands, feedback), plus what the API and the runtime can
 * do (`GET /api`, capabilities). Declared per area under `passthrough/`.
 */
export const RUNTIME_PASSTHROUGH_OPERATIONS = {
  ...SYSTEM_INFO_OPERATIONS,
  ...CATALOG_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
  ...CONFIG_OPERATIONS,
  ...TOOLING_OPERATIONS,
} as const;
