/**
 * Executes the action requests extension handlers return, through the bridge's own
 * operations in-process (the same validation, rules and events as any client), and maps
 * each reply to codex-manager's action statuses: a decision someone else already made is
 * `already_resolved`, a target that is gone `not_eligible`, bad input `invalid`.
 */
import type { CallContext, RawInput, Reply } from '../operations/table';
import { QueueError, type QueueEngine } from '../queue';
import type { ActionRequest, ActionResult, ActionStatus } from './types';

export type Invoke = (operationId: string, input: RawInput, ctx: CallContext) => Promise<Reply>;

function statusOf(reply: Reply, conflictMeans: ActionStatus = 'conflict'): ActionStatus {
  if (reply.status >= 200 && reply.status < 300) return 'performed';
  if (reply.status === 404 || reply.status === 410) return 'not_eligible';
  if (reply.status === 409) return conflictMeans;
  if (reply.status === 400) return 'invalid';
  if (reply.status === 403) return 'forbidden';
  return 'failed';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export class ActionExecutor {
  constructor(private readonly invoke: Invoke, private readonly queue: () => QueueEngine) {}

  async execute(agent: string, request: ActionRequest): Promise<ActionResult> {
    const base = { actionType: request.actionType, ...(request.requestId ? { requestId: request.requestId } : {}), ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}) };
    const ctx: CallContext = { actor: `extension:${agent}`, worker: { agent } };
    const p = request.payload;
    const call = async (operationId: string, input: RawInput, conflictMeans?: ActionStatus): Promise<ActionResult> => {
      const reply = await this.invoke(operationId, input, ctx);
      return { ...base, status: statusOf(reply, conflictMeans), details: { httpStatus: reply.status, reply: reply.body as Record<string, unknown> } };
    };
    switch (request.actionType) {
      case 'transcript.upsert': {
        const sessionId = str(p.sessionId);
        if (!sessionId || typeof p.entry !== 'object' || p.entry === null) return { ...base, status: 'invalid', details: { message: 'transcript.upsert needs sessionId and entry' } };
        return call('upsertSessionTranscriptEntry', { params: { sessionId }, body: p.entry });
      }
      case 'approval.decide': {
        const approvalId = str(p.approvalId);
        if (!approvalId) return { ...base, status: 'invalid', details: { message: 'approval.decide needs approvalId' } };
        return call('decideApproval', { params: { approvalId }, body: { decision: p.decision, ...(p.scope ? { scope: p.scope } : {}) } }, 'already_resolved');
      }
      case 'turn.steer.create': {
        const sessionId = str(p.sessionId);
        const turnId = str(p.turnId);
        if (!sessionId || !turnId) return { ...base, status: 'invalid', details: { message: 'turn.steer.create needs sessionId and turnId' } };
        return call('steerTurn', { params: { sessionId, turnId }, body: { input: p.input } }, 'not_eligible');
      }
      case 'queue.enqueue':
        return this.enqueue(base, p);
      default:
        return { ...base, status: 'invalid', details: { code: 'unknown_action_type', message: `unknown action type ${request.actionType}` } };
    }
  }

  private async enqueue(base: Omit<ActionResult, 'status'>, p: Record<string, unknown>): Promise<ActionResult> {
    const type = str(p.type);
    const projectId = str(p.projectId);
    if (!type || !projectId || typeof p.payload !== 'object' || p.payload === null) return { ...base, status: 'invalid', details: { message: 'queue.enqueue needs type, projectId and payload' } };
    try {
      const result = await this.queue().enqueue({ type, projectId, sourceSessionId: str(p.sourceSessionId) ?? null, payload: p.payload as Record<string, unknown> });
      return { ...base, status: 'performed', details: { status: result.status, job: { id: result.job.id, type: result.job.type, projectId: result.job.projectId, state: result.job.state } } };
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      const status: ActionStatus = error.code === 'invalid_payload' || error.code === 'unknown_job_type' ? 'invalid' : 'failed';
      return { ...base, status, details: { code: error.code, message: error.message } };
    }
  }
}
