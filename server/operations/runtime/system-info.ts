import { OPERATIONS } from '../../../protocol/operations';
import type { SYSTEM_INFO_OPERATIONS } from '../../../protocol/operations/passthrough/system-info';
import type { ExperimentalFeature } from '../../../protocol/generated/codex/v2/ExperimentalFeature';
import type { ExperimentalFeatureListParams } from '../../../protocol/generated/codex/v2/ExperimentalFeatureListParams';
import type { ExperimentalFeatureListResponse } from '../../../protocol/generated/codex/v2/ExperimentalFeatureListResponse';
import type { RuntimeSupervisor } from '../../appserver/supervisor';
import type { BridgeServices } from '../services';
import type { HandlersFor } from '../table';
import { buildCapabilities } from './capabilities';

const API_PREFIX = '/api';
/** Enough for any flag list we have seen (~60 flags); stops a runtime that never ends its cursor. */
const MAX_FEATURE_PAGES = 20;

export function systemInfoHandlers(s: BridgeServices): HandlersFor<typeof SYSTEM_INFO_OPERATIONS> {
  return {
    async getApiInfo() {
      return {
        status: 200,
        body: {
          name: 'Codex Manager API',
          version: s.info.version,
          service: 'codex-manager-bridge',
          apiPrefix: API_PREFIX,
          links: {
            self: API_PREFIX,
            openapi: `${API_PREFIX}/openapi.json`,
            stream: `${API_PREFIX}/stream`,
            health: `${API_PREFIX}/health`,
            capabilities: `${API_PREFIX}/capabilities`,
          },
          operations: Object.values(OPERATIONS).map((op) => ({ id: op.id, method: op.method, path: op.path, domain: op.domain, name: op.name })),
        },
      };
    },
    async getCapabilities() {
      const health = s.runtime.health();
      // Only a ready runtime is asked: capabilities must answer at once even while it restarts.
      const experimentalFeatures = health.state === 'ready' ? await allExperimentalFeatures(s.runtime).catch(() => null) : null;
      const engine = s.orchestrator.engine;
      return {
        status: 200,
        body: {
          ...buildCapabilities({ health, operationIds: Object.keys(OPERATIONS), experimentalFeatures, now: new Date() }),
          // Which queue engine runs background jobs, and whether its Redis answers (bridge extension).
          queue: engine.describe?.() ?? { engine: engine.kind },
        },
      };
    },
  };
}

async function allExperimentalFeatures(runtime: RuntimeSupervisor): Promise<ExperimentalFeature[]> {
  const features: ExperimentalFeature[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_FEATURE_PAGES; page++) {
    const params: ExperimentalFeatureListParams = { limit: 200, cursor };
    const result: ExperimentalFeatureListResponse = await runtime.request('experimentalFeature/list', params, { timeoutMs: 5_000 });
    features.push(...result.data);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return features;
}
