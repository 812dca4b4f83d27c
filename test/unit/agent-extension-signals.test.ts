import assert from 'node:assert/strict';
import { signalName, toExtensionEvents } from '../../server/extensions/signals';
import { checkAction, evaluateModuleTrust } from '../../server/extensions/trust';
import type { LoggedEvent } from '../../server/state/event-log';

const logged = (type: string, threadId: string | null, payload: unknown): LoggedEvent => ({ seq: 1, type, threadId, payload, payloadJson: JSON.stringify(payload), at: 0 });

describe('agent extensions: signals and trust', () => {
  it('names runtime methods the way codex-manager does', () => {
    assert.equal(signalName('turn/completed'), 'app_server.turn.completed');
    assert.equal(signalName('item/agentMessage/delta'), 'app_server.item.agent_message.delta');
    assert.equal(signalName('item/fileChange/requestApproval', true), 'app_server.request.item.file_change.request_approval');
  });

  it('builds events only when a handler wants them, and never for worker sessions', () => {
    const turn = logged('notification', 't1', { method: 'turn/completed', params: { threadId: 't1', turn: { id: 'u1', status: 'completed' } } });
    const meta = { sessionId: 't1', title: 'x', projectId: 'p' } as never;
    assert.deepEqual(toExtensionEvents(turn, () => meta, () => false), []);
    const all = toExtensionEvents(turn, () => meta, () => true);
    assert.deepEqual(all.map((e) => e.type), ['app_server.turn.completed', 'turn.completed']);
    assert.deepEqual(all[1]!.payload, { sessionId: 't1', threadId: 't1', turnId: 'u1', status: 'completed', projectId: 'p', turn: { id: 'u1', status: 'completed' } });
    const worker = { sessionId: 't1', title: 'x', projectId: null, systemOwned: { ownerId: 'p', agent: 'a' } } as never;
    assert.deepEqual(toExtensionEvents(turn, () => worker, () => true), []);
    const approval = logged('approval', 't1', { approvalId: 'ap1', method: 'item/fileChange/requestApproval', turnId: 'u1', itemId: 'i1', summary: 's', details: { changes: [] } });
    const fromApproval = toExtensionEvents(approval, () => meta, (type) => type === 'file_change.approval_requested');
    assert.deepEqual(fromApproval.map((e) => e.type), ['app_server.request.item.file_change.request_approval', 'file_change.approval_requested']);
    assert.equal(fromApproval[1]!.payload.approvalId, 'ap1');
  });

  it('applies trust modes to declared events and actions', () => {
    const declared = { events: ['turn.completed'], actions: ['transcript.upsert'] };
    assert.equal(evaluateModuleTrust('enforced', 'm', declared, ['turn.completed']).status, 'accepted');
    assert.equal(evaluateModuleTrust('enforced', 'm', declared, ['turn.completed', 'x']).status, 'denied');
    assert.equal(evaluateModuleTrust('warn', 'm', null, ['x']).status, 'accepted_with_warnings');
    assert.equal(evaluateModuleTrust('disabled', 'm', null, ['x']).status, 'accepted');
    assert.deepEqual(checkAction('enforced', 'm', declared, 'approval.decide').allowed, false);
    assert.deepEqual(checkAction('warn', 'm', declared, 'approval.decide').allowed, true);
    assert.deepEqual(checkAction('enforced', 'm', { events: [], actions: ['*'] }, 'approval.decide'), { allowed: true, reason: null });
  });
});
