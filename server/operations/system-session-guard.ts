import type { OperationSpec } from '../../protocol/operation';
import type { SessionIndex } from '../domain/session-index';
import type { CallContext, Reply } from './table';

/**
 * Agents' worker sessions are the bridge's own: clients may read them, but every
 * operation that declares codex-manager's 403 `system_session` refuses them, unless the
 * caller is one of the bridge's workers acting in-process. One rule, applied by the
 * operation table to every surface.
 */
export function systemSessionGuard(index: SessionIndex) {
  return (spec: OperationSpec, input: { params: unknown }, ctx: CallContext): Reply | undefined => {
    if (ctx.worker || !spec.responses[403]) return undefined;
    const sessionId = (input.params as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof sessionId !== 'string' || !index.get(sessionId)?.systemOwned) return undefined;
    return {
      status: 403,
      body: { status: 'error', code: 'system_session', sessionId, message: `session ${sessionId} is an agent's worker session, owned by the bridge` },
    };
  };
}
