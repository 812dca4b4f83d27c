import { BridgeError } from '../../protocol/errors';
import type { CHECKPOINT_OPERATIONS } from '../../protocol/operations/checkpoints';
import { CheckpointConflict } from '../checkpoints';
import type { BridgeServices } from './services';
import { sessionGone, sessionNotFound } from './sessions';
import type { HandlersFor } from './table';

/** Checkpoint operations: resolve the session to its thread, then ask the checkpoint service. */
export function checkpointHandlers(s: BridgeServices): HandlersFor<typeof CHECKPOINT_OPERATIONS> {
  const missing = (sessionId: string) => {
    const tombstone = s.sessions.isDeleted(sessionId);
    return tombstone ? sessionGone(sessionId, tombstone) : sessionNotFound(sessionId);
  };
  const notFound = (error: unknown) => {
    if (error instanceof BridgeError && error.code === 'not_found') return { status: 404 as const, body: { status: 'error' as const, code: 'not_found', message: error.message } };
    throw error;
  };
  const conflict = (error: unknown) => {
    if (!(error instanceof CheckpointConflict)) return notFound(error);
    return { status: 409 as const, body: { status: 'error' as const, code: 'checkpoint_conflict' as const, message: error.message, files: error.files } };
  };
  return {
    async listSessionCheckpoints({ params }) {
      if (!s.sessions.exists(params.sessionId)) return missing(params.sessionId);
      return { status: 200, body: { data: await s.checkpoints.list(s.sessions.threadIdOf(params.sessionId)) } };
    },
    async diffSessionCheckpoint({ params, query }) {
      if (!s.sessions.exists(params.sessionId)) return missing(params.sessionId);
      return s.checkpoints.diff(s.sessions.threadIdOf(params.sessionId), params.turnId, query.path)
        .then((body) => ({ status: 200 as const, body }), notFound);
    },
    async restoreSessionCheckpoint({ params, body }, ctx) {
      if (!s.sessions.exists(params.sessionId)) return missing(params.sessionId);
      return s.checkpoints.restore(s.sessions.threadIdOf(params.sessionId), params.turnId, body, ctx.actor)
        .then((result) => ({ status: 200 as const, body: result }), conflict);
    },
    async restoreSessionCheckpointHunk({ params, body }, ctx) {
      if (!s.sessions.exists(params.sessionId)) return missing(params.sessionId);
      return s.checkpoints.restoreHunk(s.sessions.threadIdOf(params.sessionId), params.turnId, body.path, body.hunk, ctx.actor)
        .then((result) => ({ status: 200 as const, body: result }), conflict);
    },
  };
}
