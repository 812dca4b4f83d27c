import { BridgeError } from '../../protocol/errors';
import type { Operations } from '../../protocol/operations';
import type { BridgeServices } from './services';
import { errorReply, type Handler } from './table';

type SessionHandlers = {
  listSessions: Handler<Operations['listSessions']>;
  createSession: Handler<Operations['createSession']>;
  readSession: Handler<Operations['readSession']>;
  sendSessionMessage: Handler<Operations['sendSessionMessage']>;
  interruptSessionTurn: Handler<Operations['interruptSessionTurn']>;
};

/** codex-manager's 404 body for sessions, carrying our error fields too. */
export function sessionNotFound(sessionId: string) {
  return { status: 404 as const, body: { status: 'not_found' as const, sessionId, code: 'not_found', message: `no session ${sessionId}` } };
}

/** Runs `fn`; an unknown session becomes codex-manager's 404 body, other errors their own status. */
export async function forSession<R>(sessionId: string, fn: () => Promise<R>): Promise<R | ReturnType<typeof sessionNotFound>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BridgeError && error.code === 'not_found') return sessionNotFound(sessionId);
    throw error;
  }
}

export function sessionHandlers(s: BridgeServices): SessionHandlers {
  return {
    async listSessions({ query }) {
      return { status: 200, body: s.sessions.list({ ...(query.limit ? { limit: query.limit } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) }) };
    },
    async createSession({ body }) {
      return { status: 200, body: await s.sessions.create(body) };
    },
    async readSession({ params }) {
      return forSession(params.sessionId, async () => ({ status: 200 as const, body: await s.sessions.get(params.sessionId) }));
    },
    async sendSessionMessage({ params, body }) {
      return forSession(params.sessionId, async () => {
        const { turnId } = await s.sessions.send(params.sessionId, body);
        return { status: 202 as const, body: { status: 'accepted' as const, sessionId: params.sessionId, turnId } };
      });
    },
    async interruptSessionTurn({ params, body }) {
      return forSession(params.sessionId, async () => {
        try {
          const { turnId } = await s.sessions.interrupt(params.sessionId, body.turnId);
          return { status: 200 as const, body: { status: 'ok' as const, sessionId: params.sessionId, turnId } };
        } catch (error) {
          if (error instanceof BridgeError && error.code === 'conflict') return errorReply(error) as { status: 409; body: never };
          throw error;
        }
      });
    },
  };
}
