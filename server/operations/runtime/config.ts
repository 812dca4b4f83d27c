import type { CONFIG_OPERATIONS } from '../../../protocol/operations/passthrough/config';
import { given } from '../../../protocol/schemas/common';
import type { JsonValue } from '../../../protocol/generated/codex/serde_json/JsonValue';
import type { ConfigBatchWriteParams } from '../../../protocol/generated/codex/v2/ConfigBatchWriteParams';
import type { ConfigEdit } from '../../../protocol/generated/codex/v2/ConfigEdit';
import type { ConfigReadParams } from '../../../protocol/generated/codex/v2/ConfigReadParams';
import type { ConfigReadResponse } from '../../../protocol/generated/codex/v2/ConfigReadResponse';
import type { ConfigRequirementsReadResponse } from '../../../protocol/generated/codex/v2/ConfigRequirementsReadResponse';
import type { ConfigValueWriteParams } from '../../../protocol/generated/codex/v2/ConfigValueWriteParams';
import type { ConfigWriteResponse } from '../../../protocol/generated/codex/v2/ConfigWriteResponse';
import type { BridgeServices } from '../services';
import type { HandlersFor } from '../table';

interface EditInput { keyPath: string | string[]; mergeStrategy: ConfigEdit['mergeStrategy']; value: unknown }

export function configHandlers(s: BridgeServices): HandlersFor<typeof CONFIG_OPERATIONS> {
  return {
    async readConfig({ query }) {
      const params: ConfigReadParams = { includeLayers: query.includeLayers ?? false, cwd: query.cwd ?? null };
      const result = await s.runtime.request<ConfigReadResponse>('config/read', params);
      // The runtime leaves `layers` out (rather than null) unless asked for them; its own type says null.
      return { status: 200, body: { ...result, layers: result.layers ?? null } };
    },
    async readConfigRequirements() {
      return { status: 200, body: await s.runtime.request<ConfigRequirementsReadResponse>('configRequirements/read', undefined) };
    },
    async writeConfigValue({ body }) {
      const params: ConfigValueWriteParams = { ...runtimeEdit(body), ...target(body) };
      const result = await s.runtime.request<ConfigWriteResponse>('config/value/write', params);
      return { status: 200, body: { status: 'ok', result } };
    },
    async writeConfigBatch({ body }) {
      const params: ConfigBatchWriteParams = { edits: body.edits.map(runtimeEdit), ...target(body) };
      if (body.reloadUserConfig !== undefined) params.reloadUserConfig = body.reloadUserConfig;
      const result = await s.runtime.request<ConfigWriteResponse>('config/batchWrite', params);
      return { status: 200, body: { status: 'ok', result } };
    },
  };
}

function runtimeEdit(edit: EditInput): ConfigEdit {
  return { keyPath: tomlKeyPath(edit.keyPath), mergeStrategy: edit.mergeStrategy, value: edit.value as JsonValue };
}

/** Which file, at which version: the runtime takes the version as the string a previous write returned. */
function target(body: { filePath?: string | undefined; expectedVersion?: string | number | undefined }) {
  return {
    filePath: given(body.filePath) ?? null,
    expectedVersion: body.expectedVersion === undefined ? null : String(body.expectedVersion),
  };
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * The runtime addresses a config key by its dotted TOML path. Segments that are not
 * bare keys (a project path, a server name with a dot) are quoted; JSON string escapes
 * are valid TOML basic-string escapes. A string is taken as an already dotted path.
 */
export function tomlKeyPath(keyPath: string | readonly string[]): string {
  if (typeof keyPath === 'string') return keyPath;
  return keyPath.map((segment) => (BARE_KEY.test(segment) ? segment : JSON.stringify(segment))).join('.');
}
