import { BridgeError } from '../../protocol/errors';
import type { Operations } from '../../protocol/operations';
import { approvalResponse, approvalView, toolCallResponse, toolCallView, toolInputResponse, toolInputView } from '../domain/pending-views';
import type { PendingEntry, PendingKind } from '../state/pending-registry';
import type { BridgeServices } from './services';
import { sessionGone } from './sessions';
import type { CallContext, Handler } from './table';

type PendingHandlers = {
  listSessionApprovals: Handler<Operations['listSessionApprovals']>;
  decideApproval: Handler<Operations['decideApproval']>;
  listSessionToolInput: Handler<Operations['listSessionToolInput']>;
  decideToolInput: Handler<Operations['decideToolInput']>;
  listSessionToolCalls: Handler<Operations['listSessionToolCalls']>;
  respondToolCall: Handler<Operations['respondToolCall']>;
};

type IdKey = 'approvalId' | 'requestId';

function withId<K extends IdKey>(key: K, id: string): Record<K, string> {
  return { [key]: id } as Record<K, string>;
}

export function pendingHandlers(s: BridgeServices): PendingHandlers {
  const itemOf = (itemId: string) => s.tracker.item(itemId);

  /**
   * The shared decision path: look the entry up (404 in codex-manager's shape), check
   * its kind, let the registry claim and answer it; a lost race or an expired entry is
   * codex-manager's 409 "reconciled", naming who decided first.
   */
  async function decide<K extends IdKey>(
    id: string, idKey: K, kinds: PendingKind[], ctx: CallContext, decision: unknown,
    result: (entry: PendingEntry) => unknown,
  ) {
    const entry = s.pending.get(id);
    if (!entry || !kinds.includes(entry.kind)) {
      return { status: 404 as const, body: { status: 'not_found' as const, ...withId(idKey, id), code: 'not_found', message: `no pending request ${id}` } };
    }
    try {
      await s.pending.decide(id, ctx.actor, decision, result(entry));
      return { status: 200 as const, body: { status: 'ok' as const, ...withId(idKey, id), threadId: entry.threadId } };
    } catch (error) {
      if (!(error instanceof BridgeError) || error.code !== 'conflict') throw error;
      const details = error.details ?? {};
      return {
        status: 409 as const,
        body: {
          status: 'reconciled' as const,
          ...withId(idKey, id),
          threadId: entry.threadId,
          // An entry that expired was never resolved by anyone: codex-manager's `not_eligible`.
          code: entry.status === 'expired' ? 'not_eligible' as const : 'already_resolved' as const,
          message: error.message,
          requestStatus: entry.status,
          resolution: (details.resolution ?? null) as { by: string; at: string } | null,
        },
      };
    }
  }

  /**
   * Pending requests of one session. As in codex-manager, a session id nobody knows has
   * simply nothing pending (200, empty list); only a deleted session answers 410.
   */
  function listFor<T>(sessionId: string, kinds: PendingKind[], view: (e: PendingEntry) => T) {
    const tombstone = s.sessions.isDeleted(sessionId);
    if (tombstone) return sessionGone(sessionId, tombstone);
    const data = s.pending.list({ threadId: s.sessions.threadIdOf(sessionId) }).filter((e) => kinds.includes(e.kind)).map(view);
    return { status: 200 as const, body: { data } };
  }

  return {
    async listSessionApprovals({ params }) {
      return listFor(params.sessionId, ['approval'], (e) => approvalView(e, itemOf) as never);
    },
    async decideApproval({ params, body }, ctx) {
      return decide(params.approvalId, 'approvalId', ['approval'], ctx, body, (e) => approvalResponse(e, body.decision, body.scope));
    },
    async listSessionToolInput({ params }) {
      return listFor(params.sessionId, ['user_input', 'elicitation'], (e) => toolInputView(e) as never);
    },
    async decideToolInput({ params, body }, ctx) {
      return decide(params.requestId, 'requestId', ['user_input', 'elicitation'], ctx, body.decision, (e) => toolInputResponse(e, body));
    },
    async listSessionToolCalls({ params }) {
      return listFor(params.sessionId, ['tool_call'], (e) => toolCallView(e) as never);
    },
    async respondToolCall({ params, body }, ctx) {
      const reply = await decide(params.requestId, 'requestId', ['tool_call'], ctx, { success: body.success ?? true }, () => toolCallResponse(body));
      if (reply.status !== 409) return reply;
      // codex-manager answers a second response to a tool call as an "in flight" conflict.
      return { status: 409 as const, body: { ...reply.body, status: 'conflict' as const, code: 'in_flight' as const } };
    },
  };
}
