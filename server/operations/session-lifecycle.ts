import { BridgeError } from '../../protocol/errors';
import type { ReviewTarget } from '../../protocol/generated/codex/v2/ReviewTarget';
import type { SESSION_LIFECYCLE_OPERATIONS } from '../../protocol/operations/session-lifecycle';
import { given } from '../../protocol/schemas/common';
import type { BridgeServices } from './services';
import { forSession } from './sessions';
import type { HandlersFor } from './table';

type ReviewBody = { targetType?: string; branch?: string; sha?: string; title?: string; instructions?: string };

/**
 * The contract's flat review fields as codex's `ReviewTarget`. A field the target needs
 * but the body left blank goes as `""`: the runtime judges it (400 "must not be empty").
 */
function reviewTarget(body: ReviewBody): ReviewTarget {
  switch (body.targetType) {
    case 'baseBranch':
      return { type: 'baseBranch', branch: given(body.branch) ?? '' };
    case 'commit':
      return { type: 'commit', sha: given(body.sha) ?? '', title: given(body.title) ?? null };
    case 'custom':
      return { type: 'custom', instructions: given(body.instructions) ?? '' };
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
        const gone = await s.sessions.delete(sessionId);
        return {
          status: 200 as const,
          body: { status: 'ok' as const, sessionId, title: gone.title, deletedFileCount: gone.deletedFileCount, deletedAt: gone.deletedAt },
        };
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
        const { changed } = await life.unarchive(params.sessionId);
        const { session, thread } = await s.sessions.get(params.sessionId);
        return { status: 200 as const, body: { ...ok(params.sessionId), session, thread, changed } };
      });
    },
    async resumeSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        await life.resume(params.sessionId, body.dynamicTools);
        const { session, thread } = await s.sessions.get(params.sessionId);
        return { status: 200 as const, body: { ...ok(params.sessionId), session, thread } };
      });
    },
    async forkSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { meta, thread } = await life.fork(params.sessionId, {
          title: given(body.title),
          model: given(body.model),
          approvalPolicy: body.approvalPolicy,
          filesystemSandbox: body.filesystemSandbox,
          networkAccess: body.networkAccess,
          lastTurnId: given(body.lastTurnId),
          beforeTurnId: given(body.beforeTurnId),
        });
        return {
          status: 200 as const,
          body: {
            ...ok(meta.sessionId), sourceSessionId: params.sessionId, forkedFromSessionId: params.sessionId, session: s.sessions.summary(meta), thread,
          },
        };
      });
    },
    async compactSession({ params }) {
      return forSession(params.sessionId, async () => {
        const result = await life.compact(params.sessionId);
        return { status: 200 as const, body: { ...ok(params.sessionId), result } };
      });
    },
    async rollbackSession({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { removedTurnIds, thread } = await life.rollback(params.sessionId, body.numTurns);
        return { status: 200 as const, body: { ...ok(params.sessionId), numTurns: body.numTurns, removedTurnIds, thread, result: { thread } } };
      });
    },
    async cleanBackgroundTerminals({ params }) {
      return forSession(params.sessionId, async () => {
        const result = await life.cleanBackgroundTerminals(params.sessionId);
        return { status: 200 as const, body: { ...ok(params.sessionId), result } };
      });
    },
    async startReview({ params, body }) {
      return forSession(params.sessionId, async () => {
        const delivery = body.delivery ?? 'inline';
        const { reviewSessionId, turnId, result } = await life.review(params.sessionId, reviewTarget(body), delivery);
        return { status: 200 as const, body: { ...ok(params.sessionId), turnId, delivery, reviewSessionId, result } };
      });
    },
    async steerTurn({ params, body }) {
      const { sessionId } = params;
      // codex-manager reports the steer as an action result, performed or not eligible.
      const result = <S extends 'performed' | 'not_eligible'>(status: S, details: Record<string, unknown>) => ({ actionType: 'turn.steer' as const, status, details });
      return forSession(sessionId, async () => {
        try {
          const { turnId } = await life.steer(sessionId, params.turnId, body.input);
          return { status: 200 as const, body: { ...ok(sessionId), turnId, result: result('performed', { turnId }) } };
        } catch (error) {
          if (!(error instanceof BridgeError) || error.code !== 'conflict') throw error;
          const details = error.details ?? {};
          return {
            status: 409 as const,
            body: { status: 'error' as const, code: error.code, message: error.message, details, sessionId, turnId: params.turnId, result: result('not_eligible', details) },
          };
        }
      });
    },
  };
}
