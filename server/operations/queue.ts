import type { QUEUE_OPERATIONS } from '../../protocol/operations/queue';
import type { BridgeServices } from './services';
import type { HandlersFor } from './table';

const MESSAGE = 'the background job queue is not available in this bridge yet';

function unavailable(sessionId?: string) {
  return { status: 503 as const, body: { status: 'error' as const, code: 'queue_unavailable' as const, message: MESSAGE, ...(sessionId ? { sessionId } : {}) } };
}

/** codex-manager's QueueErrorResponse: its clients know `queue_full` as "not now". */
function sessionQueueUnavailable(sessionId: string) {
  return {
    status: 503 as const,
    body: { status: 'error' as const, code: 'queue_full' as const, sessionId, message: MESSAGE, details: { reason: 'queue_unavailable' } },
  };
}

/** Until the queue lands every queue operation says so with 503, after validating its input. */
export function queueHandlers(_s: BridgeServices): HandlersFor<typeof QUEUE_OPERATIONS> {
  return {
    getOrchestratorJob: async () => unavailable(),
    listProjectOrchestratorJobs: async () => unavailable(),
    cancelOrchestratorJob: async () => unavailable(),
    enqueueSuggestedSessionRequest: async ({ params }) => sessionQueueUnavailable(params.sessionId),
    suggestSessionRequest: async ({ params }) => sessionQueueUnavailable(params.sessionId),
    upsertSuggestedSessionRequest: async ({ params }) => unavailable(params.sessionId),
    listAgentExtensions: async () => unavailable(),
    reloadAgentExtensions: async () => unavailable(),
    listProjectAgentSessions: async () => unavailable(),
  };
}
