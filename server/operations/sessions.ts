import { BridgeError } from '../../protocol/errors';
import type { SESSION_OPERATIONS } from '../../protocol/operations/sessions';
import { given } from '../../protocol/schemas/common';
import { mergeTranscript } from '../domain/transcript-merge';
import type { BridgeServices } from './services';
import type { HandlersFor } from './table';

/** codex-manager's 404 body for sessions, carrying our error fields too. */
export function sessionNotFound(sessionId: string) {
  return { status: 404 as const, body: { status: 'not_found' as const, sessionId, code: 'not_found', message: `no session ${sessionId}` } };
}

/** codex-manager's 410 body for a deleted session (`DeletedSessionPayload`), carrying our error fields too. */
export function sessionGone(sessionId: string, tombstone: { title?: string | null; deletedAt?: unknown }) {
  const deletedAt = typeof tombstone.deletedAt === 'string' ? tombstone.deletedAt : new Date(0).toISOString();
  return {
    status: 410 as const,
    body: {
      status: 'deleted' as const,
      sessionId,
      title: tombstone.title ?? null,
      message: `session ${sessionId} was deleted`,
      deletedAt,
      code: 'gone',
    },
  };
}

/**
 * Runs `fn` for one session: an unknown session becomes codex-manager's 404 body, a
 * deleted one (a `gone` error, which SessionService throws for tombstoned ids) its 410
 * body; other errors keep their own status.
 */
export async function forSession<R>(
  sessionId: string, fn: () => Promise<R>,
): Promise<R | ReturnType<typeof sessionNotFound> | ReturnType<typeof sessionGone>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BridgeError && error.code === 'not_found') return sessionNotFound(sessionId);
    if (error instanceof BridgeError && error.code === 'gone') return sessionGone(sessionId, error.details ?? {});
    throw error;
  }
}

export function sessionHandlers(s: BridgeServices): HandlersFor<typeof SESSION_OPERATIONS> {
  return {
    async listSessions({ query }) {
      return { status: 200, body: await s.sessions.list(query) };
    },
    async createSession({ body }) {
      return { status: 200, body: await s.sessions.create({ ...body, cwd: given(body.cwd), model: given(body.model) }) };
    },
    async readSession({ params }) {
      return forSession(params.sessionId, async () => {
        const detail = await s.sessions.get(params.sessionId);
        // The supplemental ledger (entries clients upserted) woven into the runtime's history.
        const transcript = mergeTranscript(detail.transcript, await s.ledger.entries(params.sessionId));
        return { status: 200 as const, body: { ...detail, transcript } };
      });
    },
    async sendSessionMessage({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { turnId } = await s.sessions.send(params.sessionId, { ...body, model: given(body.model) });
        return { status: 202 as const, body: { status: 'accepted' as const, sessionId: params.sessionId, turnId } };
      });
    },
    async interruptSessionTurn({ params, body }) {
      return forSession(params.sessionId, async () => {
        try {
          const { turnId } = await s.sessions.interrupt(params.sessionId, given(body.turnId));
          return { status: 200 as const, body: { status: 'ok' as const, sessionId: params.sessionId, turnId } };
        } catch (error) {
          // codex-manager's clients test for this exact body (`status: "no_active_turn"`).
          if (!(error instanceof BridgeError) || error.details?.reason !== 'no_active_turn') throw error;
          return { status: 409 as const, body: { status: 'no_active_turn' as const, sessionId: params.sessionId, code: 'conflict', message: error.message } };
        }
      });
    },
  };
}
