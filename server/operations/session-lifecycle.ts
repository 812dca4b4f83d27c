import type { ReviewTarget } from '../../protocol/generated/codex/v2/ReviewTarget';
import type { SESSION_LIFECYCLE_OPERATIONS } from '../../protocol/operations/session-lifecycle';
import type { BridgeServices } from './services';
import { forSession } from './sessions';
import type { HandlersFor } from './table';

type ReviewBody = { targetType?: string; branch?: string; sha?: string; title?: string; instructions?: string };

/** The contract's flat review fields as codex's `ReviewTarget` (the body schema guarantees the needed field). */
function reviewTarget(body: ReviewBody): ReviewTarget {
  switch (body.targetType) {
    case 'baseBranch':
      return { type: 'baseBranch', branch: body.branch! };
    case 'commit':
      return { type: 'commit', sha: body.sha!, title: body.title ?? null };
    case 'custom':
      return { type: 'custom', instructions: body.instructions! };
    default:
      return { type: 'uncommittedChanges' };
  }
}

/**
 * Session lifecycle handlers. Conflicts (409), runtime errors (400/501/503) propagate as
 * structured errors with their declared status; `forSession` turns unknown and deleted
 * sessions into codex-manager's 404 and 410 bodies.
 */
export function sessionLifecycleHandlers(s: BridgeServices): HandlersFor<typeof SESSION_LIFECYCLE_OPERATIONS> {
  const life = s.sessions.lifecycle;
  const ok = (sessionId: string) => ({ status: 'ok' as const, sessionId });

  return {
    async deleteSession({ params }) {
      const { sessionId } = params;
      return forSession(sessionId, async () => {
        const tombstone = await s.sessions.delete(sessionId);
        return { status: 200 as const, body: { status: 'deleted' as const, sessionId, title: tombstone.title, deletedAt: tombstone.deletedAt } };
      });
    },
    async renameSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        const meta = await life.rename(params.sessionId, body.title);
        return { status: 200 as const, body: { ...ok(params.sessionId), session: s.sessions.summary(meta) } };
      });
    },
    async archiveSession({ params }) {
      return forSession(params.sessionId, async () => {
        const { meta, changed } = await life.archive(params.sessionId);
        return { status: 200 as const, body: { ...ok(params.sessionId), session: s.sessions.summary(meta), changed } };
      });
    },
    async unarchiveSession({ params }) {
      return forSession(params.sessionId, async () => {
        const { meta, changed } = await life.unarchive(params.sessionId);
        return { status: 200 as const, body: { ...ok(params.sessionId), session: s.sessions.summary(meta), changed } };
      });
    },
    async resumeSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        const meta = await life.resume(params.sessionId, body.dynamicTools);
        return { status: 200 as const, body: { ...ok(params.sessionId), session: s.sessions.summary(meta) } };
      });
    },
    async forkSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { meta, thread } = await life.fork(params.sessionId, {
          ...(body.title ? { title: body.title } : {}),
          ...(body.model ? { model: body.model } : {}),
          ...(body.approvalPolicy ? { approvalPolicy: body.approvalPolicy } : {}),
          ...(body.filesystemSandbox ? { filesystemSandbox: body.filesystemSandbox } : {}),
          ...(body.networkAccess ? { networkAccess: body.networkAccess } : {}),
          ...(body.lastTurnId ? { lastTurnId: body.lastTurnId } : {}),
          ...(body.beforeTurnId ? { beforeTurnId: body.beforeTurnId } : {}),
        });
        return {
          status: 200 as const,
          body: { ...ok(meta.sessionId), forkedFromSessionId: params.sessionId, session: s.sessions.summary(meta), thread },
        };
      });
    },
    async compactSession({ params }) {
      return forSession(params.sessionId, async () => {
        await life.compact(params.sessionId);
        return { status: 200 as const, body: ok(params.sessionId) };
      });
    },
    async rollbackSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { removedTurnIds, thread } = await life.rollback(params.sessionId, body.numTurns);
        return { status: 200 as const, body: { ...ok(params.sessionId), numTurns: body.numTurns, removedTurnIds, thread } };
      });
    },
    async cleanBackgroundTerminals({ params }) {
      return forSession(params.sessionId, async () => {
        await life.cleanBackgroundTerminals(params.sessionId);
        return { status: 200 as const, body: ok(params.sessionId) };
      });
    },
    async startReview({ params, body }) {
      return forSession(params.sessionId, async () => {
        const delivery = body.delivery ?? 'inline';
        const { reviewSessionId, turnId } = await life.review(params.sessionId, reviewTarget(body), delivery);
        return { status: 200 as const, body: { ...ok(params.sessionId), turnId, delivery, reviewSessionId } };
      });
    },
    async steerTurn({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { turnId } = await life.steer(params.sessionId, params.turnId, body.input);
        return { status: 200 as const, body: { ...ok(params.sessionId), turnId } };
      });
    },
  };
}
