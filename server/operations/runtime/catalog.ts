import { BridgeError } from '../../../protocol/errors';
import type { CATALOG_OPERATIONS } from '../../../protocol/operations/passthrough/catalog';
import type { AppsListParams } from '../../../protocol/generated/codex/v2/AppsListParams';
import type { AppsListResponse } from '../../../protocol/generated/codex/v2/AppsListResponse';
import type { CollaborationModeListParams } from '../../../protocol/generated/codex/v2/CollaborationModeListParams';
import type { CollaborationModeListResponse } from '../../../protocol/generated/codex/v2/CollaborationModeListResponse';
import type { ExperimentalFeatureListParams } from '../../../protocol/generated/codex/v2/ExperimentalFeatureListParams';
import type { ExperimentalFeatureListResponse } from '../../../protocol/generated/codex/v2/ExperimentalFeatureListResponse';
import type { ListMcpServerStatusParams } from '../../../protocol/generated/codex/v2/ListMcpServerStatusParams';
import type { ListMcpServerStatusResponse } from '../../../protocol/generated/codex/v2/ListMcpServerStatusResponse';
import type { ModelListParams } from '../../../protocol/generated/codex/v2/ModelListParams';
import type { ModelListResponse } from '../../../protocol/generated/codex/v2/ModelListResponse';
import type { SkillsListParams } from '../../../protocol/generated/codex/v2/SkillsListParams';
import type { SkillsListResponse } from '../../../protocol/generated/codex/v2/SkillsListResponse';
import type { BridgeServices } from '../services';
import type { HandlersFor } from '../table';

/** codex-manager asks the runtime for 100 rows when the client gives no limit; so do we. */
const DEFAULT_LIMIT = 100;

export function catalogHandlers(s: BridgeServices): HandlersFor<typeof CATALOG_OPERATIONS> {
  const ok = <T>(body: T) => ({ status: 200 as const, body });
  return {
    async listExperimentalFeatures({ query }) {
      const params: ExperimentalFeatureListParams = { limit: query.limit ?? DEFAULT_LIMIT, cursor: query.cursor ?? null };
      if (query.threadId) params.threadId = query.threadId;
      return ok(await s.runtime.request<ExperimentalFeatureListResponse>('experimentalFeature/list', params));
    },
    async listCollaborationModes({ query }) {
      const params: CollaborationModeListParams = {};
      const { data } = await s.runtime.request<CollaborationModeListResponse>('collaborationMode/list', params);
      return ok(pageLocally(data, query.cursor, query.limit ?? DEFAULT_LIMIT));
    },
    async listApps({ query }) {
      const params: AppsListParams = {
        limit: query.limit ?? DEFAULT_LIMIT,
        cursor: query.cursor ?? null,
        threadId: query.threadId ?? null,
        forceRefetch: query.forceRefetch ?? false,
      };
      return ok(await s.runtime.request<AppsListResponse>('app/list', params));
    },
    async listSkills({ query }) {
      const params: SkillsListParams = { forceReload: query.forceReload ?? false };
      if (query.cwd) params.cwds = [query.cwd];
      const { data } = await s.runtime.request<SkillsListResponse>('skills/list', params);
      return ok({ data, nextCursor: null });
    },
    async listModels({ query }) {
      const params: ModelListParams = { limit: query.limit ?? DEFAULT_LIMIT, cursor: query.cursor ?? null };
      if (query.includeHidden !== undefined) params.includeHidden = query.includeHidden;
      return ok(await s.runtime.request<ModelListResponse>('model/list', params));
    },
    async listMcpServers({ query }) {
      const params: ListMcpServerStatusParams = { limit: query.limit ?? DEFAULT_LIMIT, cursor: query.cursor ?? null };
      return ok(await s.runtime.request<ListMcpServerStatusResponse>('mcpServerStatus/list', params));
    },
  };
}

/**
 * Pages a list the runtime returns whole. The cursor is the offset of the next row, as
 * the runtime's own cursors are; anything else is a 400 naming `query.cursor`.
 */
export function pageLocally<T>(rows: T[], cursor: string | undefined, limit: number): { data: T[]; nextCursor: string | null } {
  const start = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isSafeInteger(start) || start < 0 || (cursor !== undefined && !/^\d+$/.test(cursor))) {
    throw new BridgeError('invalid_request', `invalid query.cursor: ${cursor}`, {
      issues: [{ path: ['query', 'cursor'], message: 'not a cursor from a previous response' }],
    });
  }
  const end = start + limit;
  return { data: rows.slice(start, end), nextCursor: end < rows.length ? String(end) : null };
}
