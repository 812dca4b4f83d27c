import type { BridgeClient } from '../bridge/bridge-client';
import { BridgeCallError } from '../bridge/errors';
import type { ActivityTree } from '../activity/activity-tree';
import type { ActiveSession, SessionRef } from './active-session';
import type { LiveStatus } from './live-status';
import { emptySnapshot, readSnapshot, type SessionSnapshot } from './session-snapshot';

/**
 * Session work shared by the chat, the commands and the trees: read the active session
 * (forgetting it when the bridge no longer has it), start one, send, interrupt.
 */
export class SessionController {
  constructor(
    private readonly bridge: BridgeClient,
    private readonly session: ActiveSession,
    private readonly live: LiveStatus,
    private readonly activity: ActivityTree,
    /** The reasoning effort chosen for a session (sent with each message). */
    private readonly effortFor: (sessionId: string) => string | undefined = () => undefined,
  ) {}

  /** A fresh read of the active session (empty when there is none). */
  async snapshot(): Promise<SessionSnapshot> {
    const ref = this.session.current;
    if (!ref) {
      await this.bridge.start();
      return emptySnapshot(this.bridge.lastSeq);
    }
    const snap = await readSnapshot(this.bridge, ref);
    if (snap.gone) {
      await this.session.set(undefined);
    } else if (snap.session && !snap.error) {
      await this.session.rename(ref.sessionId, snap.session.title);
      this.live.noteSession(ref.sessionId, snap.activeTurnId, snap.approvals);
    }
    return snap;
  }

  /** Rebuild the Tool Activity tree from the bridge (session switch, bridge restart). */
  async reloadActivity(): Promise<void> {
    const snap = await this.snapshot().catch(() => emptySnapshot(0, this.session.current ?? null));
    const ref = snap.session;
    this.activity.reset(ref?.sessionId ?? null, ref?.title ?? '', { turns: snap.turns, transcript: snap.transcript, activeTurnId: snap.activeTurnId, approvals: snap.approvals });
  }

  newSession(): Promise<SessionRef> {
    return this.session.create();
  }

  /** Send a message in the active session, creating one first when needed. */
  async sendMessage(text: string): Promise<{ sessionId: string; turnId: string }> {
    const ref = await this.session.ensure();
    try {
      return await this.send(ref.sessionId, text);
    } catch (error) {
      // The stored session was deleted elsewhere: start a new one rather than fail.
      if (error instanceof BridgeCallError && (error.httpStatus === 404 || error.httpStatus === 410)) {
        const fresh = await this.session.create();
        return this.send(fresh.sessionId, text);
      }
      if (error instanceof BridgeCallError && error.httpStatus === 409) {
        throw new Error('A turn is already running in this session: wait for it, or interrupt it (Escape in the chat, or "Codex: Interrupt Turn").', { cause: error });
      }
      throw error;
    }
  }

  /** Add input to the active session's running turn; with no turn running it is sent as a message. */
  async steer(text: string): Promise<{ sessionId: string; turnId: string }> {
    const ref = this.session.current;
    const turnId = ref ? this.live.activeTurn(ref.sessionId) : undefined;
    if (!ref || !turnId) return this.sendMessage(text);
    try {
      await this.bridge.call('steerTurn', { params: { sessionId: ref.sessionId, turnId }, body: { input: text } });
      return { sessionId: ref.sessionId, turnId };
    } catch (error) {
      // The turn ended meanwhile: the text becomes the next message.
      if (error instanceof BridgeCallError && error.httpStatus === 409) return this.sendMessage(text);
      throw error;
    }
  }

  /**
   * A suggested next request for the active session (the bridge's suggest_request job, with
   * its deadline and fallback): `suggestion` is absent when there is nothing to suggest from
   * yet (`no_context`) or the draft is still being written (`queued`).
   */
  async suggestReply(): Promise<{ status: string; suggestion?: string }> {
    const ref = this.session.current;
    if (!ref) return { status: 'no_context' };
    return this.bridge.call<{ status: string; suggestion?: string }>('suggestSessionRequest', { params: { sessionId: ref.sessionId }, body: {} }).catch((error: unknown) => {
      if (error instanceof BridgeCallError && error.httpStatus === 409) return { status: 'no_context' };
      throw error;
    });
  }

  /** Interrupt the active session's running turn; false when nothing was running. */
  async interrupt(): Promise<boolean> {
    const ref = this.session.current;
    if (!ref) return false;
    const turnId = this.live.activeTurn(ref.sessionId);
    try {
      await this.bridge.call('interruptSessionTurn', { params: { sessionId: ref.sessionId }, body: turnId ? { turnId } : {} });
      return true;
    } catch (error) {
      if (error instanceof BridgeCallError && error.httpStatus === 409) return false;
      throw error;
    }
  }

  private async send(sessionId: string, text: string): Promise<{ sessionId: string; turnId: string }> {
    const effort = this.effortFor(sessionId);
    const reply = await this.bridge.call<{ turnId: string }>('sendSessionMessage', { params: { sessionId }, body: { text, ...(effort ? { effort } : {}) } });
    return { sessionId, turnId: reply.turnId };
  }
}
