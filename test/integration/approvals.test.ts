import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LoggedEvent } from '../../server/state/event-log';
import { isTurnCompleted, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

interface Approval { approvalId: string; method: string; summary: string; details: Record<string, unknown>; status: string }

describe('approvals against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  async function startTurn(text: string): Promise<{ sessionId: string; turnId: string }> {
    const created = await t.bridge.call('createSession', { body: { filesystemSandbox: 'read-only' } });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    return { sessionId, turnId: (sent.body as { turnId: string }).turnId };
  }

  async function pendingApproval(sessionId: string): Promise<Approval> {
    const event = await t.waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId, 20_000, 'approval event');
    const listed = await t.bridge.call('listSessionApprovals', { params: { sessionId } });
    assert.equal(listed.status, 200);
    const data = (listed.body as { data: Approval[] }).data;
    assert.equal(data.length, 1);
    assert.equal(data[0]!.approvalId, (event.payload as Approval).approvalId);
    return data[0]!;
  }

  const resolvedEvent = (approvalId: string) => (e: LoggedEvent) =>
    e.type === 'approval_resolved' && (e.payload as { approvalId: string }).approvalId === approvalId;

  it('runs a command once its approval is accepted, and says who decided', async () => {
    const { sessionId, turnId } = await startTurn('run command: echo accepted > accepted.txt');
    const approval = await pendingApproval(sessionId);
    assert.equal(approval.method, 'item/commandExecution/requestApproval');
    assert.match(approval.summary, /echo accepted/);
    assert.equal(fs.existsSync(path.join(t.workspace, 'accepted.txt')), false, 'nothing runs before the decision');

    const decided = await t.bridge.call('decideApproval', { params: { approvalId: approval.approvalId }, body: { decision: 'accept' } }, { actor: 'test:alice' });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const resolved = await t.waitForEvent(resolvedEvent(approval.approvalId));
    assert.deepEqual(resolved.payload, { approvalId: approval.approvalId, status: 'resolved', resolvedBy: 'test:alice', decision: 'accept' });
    const done = await t.waitForEvent(isTurnCompleted(sessionId, turnId));
    assert.equal(turnStatusOf(done), 'completed');
    assert.equal(fs.readFileSync(path.join(t.workspace, 'accepted.txt'), 'utf8').trim(), 'accepted');
    const after = await t.bridge.call('listSessionApprovals', { params: { sessionId } });
    assert.deepEqual((after.body as { data: unknown[] }).data, []);
  });

  it('does not run a declined command, and a second decision is a conflict naming the first', async () => {
    const { sessionId, turnId } = await startTurn('run command: echo declined > declined.txt');
    const approval = await pendingApproval(sessionId);
    const first = await t.bridge.call('decideApproval', { params: { approvalId: approval.approvalId }, body: { decision: 'decline' } }, { actor: 'test:bob' });
    assert.equal(first.status, 200);
    const second = await t.bridge.call('decideApproval', { params: { approvalId: approval.approvalId }, body: { decision: 'accept' } }, { actor: 'test:carol' });
    assert.equal(second.status, 409);
    const body = second.body as { status: string; code: string; resolution: { by: string; decision: { decision: string } } };
    assert.equal(body.status, 'reconciled');
    assert.equal(body.code, 'already_resolved');
    assert.equal(body.resolution.by, 'test:bob');
    assert.equal(body.resolution.decision.decision, 'decline');
    await t.waitForEvent(isTurnCompleted(sessionId, turnId));
    assert.equal(fs.existsSync(path.join(t.workspace, 'declined.txt')), false);
  });

  it('two surfaces deciding at the same moment: exactly one wins', async () => {
    const { sessionId, turnId } = await startTurn('run command: echo raced > raced.txt');
    const approval = await pendingApproval(sessionId);
    const replies = await Promise.all(['http:cli', 'editor', 'python'].map((actor) =>
      t.bridge.call('decideApproval', { params: { approvalId: approval.approvalId }, body: { decision: 'accept' } }, { actor })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409, 409]);
    await t.waitForEvent(isTurnCompleted(sessionId, turnId));
  });

  it('applies a file change once its approval is accepted, showing the paths and diff from the item', async () => {
    const target = path.join(t.workspace, 'a.txt');
    fs.writeFileSync(target, 'old line\n');
    const { sessionId, turnId } = await startTurn('patch a.txt: old line => new line');
    const approval = await pendingApproval(sessionId);
    assert.equal(approval.method, 'item/fileChange/requestApproval');
    const changes = approval.details.changes as { path: string; diff: string }[];
    assert.equal(changes[0]!.path, target);
    assert.match(changes[0]!.diff, /-old line\n\+new line/);
    assert.equal(fs.readFileSync(target, 'utf8'), 'old line\n');
    const decided = await t.bridge.call('decideApproval', { params: { approvalId: approval.approvalId }, body: { decision: 'accept' } });
    assert.equal(decided.status, 200);
    await t.waitForEvent(isTurnCompleted(sessionId, turnId));
    assert.equal(fs.readFileSync(target, 'utf8'), 'new line\n');
  });

  it('answers unknown approvals with codex-manager\'s 404 body', async () => {
    const reply = await t.bridge.call('decideApproval', { params: { approvalId: 'appr_nope' }, body: { decision: 'accept' } });
    assert.equal(reply.status, 404);
    assert.deepEqual([(reply.body as { status: string }).status, (reply.body as { approvalId: string }).approvalId], ['not_found', 'appr_nope']);
  });
});
