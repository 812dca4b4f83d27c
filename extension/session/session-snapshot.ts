import type { ChatState } from '../../protocol/webview';
import type { BridgeClient } from '../bridge/bridge-client';
import { BridgeCallError } from '../bridge/errors';
import type { SessionRef } from './active-session';

type Obj = Record<string, unknown>;

/** One read of a session, shared by the chat (its `state`) and the Tool Activity tree. */
export interface SessionSnapshot {
  session: SessionRef | null;
  /** The runtime's turns (`thread.turns`), when the read carried them. */
  turns: Obj[];
  transcript: Obj[];
  approvals: Obj[];
  activeTurnId: string | null;
  /** The last event seq that the read reflects; later events follow as `events`. */
  lastSeq: number;
  /** The session no longer exists (deleted, or unknown to this bridge). */
  gone: boolean;
  /** Why the read failed, when it did (the runtime is down, ...). */
  error?: string;
}

export const emptySnapshot = (lastSeq: number, session: SessionRef | null = null): SessionSnapshot =>
  ({ session, turns: [], transcript: [], approvals: [], activeTurnId: null, lastSeq, gone: false });

/**
 * readSession + listSessionApprovals, in parallel. The bridge answers on the same ordered
 * stream that carries events, so every event the read reflects has already arrived when
 * its reply does: the client's lastSeq at that moment (not when both replies are in) is
 * the state's lastSeq.
 */
export async function readSnapshot(bridge: BridgeClient, ref: SessionRef): Promise<SessionSnapshot> {
  const params = { sessionId: ref.sessionId };
  try {
    const [{ detail, lastSeq }, approvals] = await Promise.all([
      bridge.call<{ session: Obj; thread?: Obj; transcript?: Obj[] }>('readSession', { params }).then((d) => ({ detail: d, lastSeq: bridge.lastSeq })),
      bridge.call<{ data?: Obj[] }>('listSessionApprovals', { params }),
    ]);
    const title = typeof detail.session.title === 'string' ? detail.session.title : ref.title;
    return {
      session: { sessionId: ref.sessionId, title },
      turns: Array.isArray(detail.thread?.turns) ? (detail.thread.turns as Obj[]) : [],
      transcript: detail.transcript ?? [],
      approvals: approvals.data ?? [],
      activeTurnId: typeof detail.session.activeTurnId === 'string' ? detail.session.activeTurnId : null,
      lastSeq,
      gone: false,
    };
  } catch (error) {
    const status = error instanceof BridgeCallError ? error.httpStatus : undefined;
    const gone = status === 404 || status === 410;
    return { ...emptySnapshot(bridge.lastSeq, gone ? null : ref), gone, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The webview's `state` message body for a snapshot. */
export function chatStateOf(snapshot: SessionSnapshot, runtimeState: string): ChatState {
  return {
    runtimeState,
    session: snapshot.session,
    transcript: snapshot.transcript,
    approvals: snapshot.approvals,
    activeTurnId: snapshot.activeTurnId,
    lastSeq: snapshot.lastSeq,
  };
}
