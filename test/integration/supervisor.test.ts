import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LoggedEvent } from '../../server/state/event-log';
import { isTurnCompleted, startTestBridge, type TestBridge } from './support/harness';

type Entry = { role: string; type: string; content: string };

/** The shipped agents/supervisor, loaded as users get it, against the real runtime. */
describe('agents/supervisor (shipped extension, real runtime)', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge({ extensions: { builtin: true } }); });
  after(async () => { await t?.stop(); });

  const jobDone = (jobType: string, sessionId: string) => (e: LoggedEvent) =>
    e.type === 'orchestrator_job_completed' && (e.payload as { jobType: string; sourceSessionId?: string }).jobType === jobType
    && (e.payload as { sourceSessionId?: string }).sourceSessionId === sessionId;

  async function newSession(): Promise<string> {
    const created = await t.bridge.call('createSession', { body: { filesystemSandbox: 'read-only' } });
    return (created.body as { session: { sessionId: string } }).session.sessionId;
  }

  async function setPolicy(sessionId: string, value: Record<string, unknown>): Promise<void> {
    const reply = await t.bridge.call('setSessionSettings', { params: { sessionId }, body: { scope: 'session', key: 'supervisor', value } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  }

  it('is listed with its declared capabilities', async () => {
    const listed = (await t.bridge.call('listAgentExtensions')).body as { modules: { agentId: string; origin: { type: string }; trust: { status: string }; events: string[] }[] };
    const supervisor = listed.modules.find((m) => m.agentId === 'supervisor');
    assert.equal(supervisor?.origin.type, 'installed_package');
    assert.equal(supervisor?.trust.status, 'accepted');
    assert.deepEqual([...supervisor!.events].sort(), ['file_change.approval_requested', 'suggest_request.requested', 'turn.completed']);
  });

  it('names a new chat after its first turn, and reviews the turn into the transcript when the policy asks', async () => {
    const sessionId = await newSession();
    await setPolicy(sessionId, { turnReview: true });
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello supervisor\nsecond line' } });
    await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
    const titled = await t.waitForEvent(jobDone('session_title', sessionId), 20_000, 'session_title job');
    const result = (titled.payload as { result: { title?: string; renamed: boolean; reason?: string } }).result;
    const read = (await t.bridge.call('readSession', { params: { sessionId } })).body as { session: { title: string }; transcript: Entry[] };
    assert.equal(read.session.title, result.renamed ? 'hello supervisor' : read.session.title);
    await t.waitForEvent(jobDone('agent_instruction', sessionId), 30_000, 'turn review job');
    const after = (await t.bridge.call('readSession', { params: { sessionId } })).body as { transcript: Entry[] };
    const review = after.transcript.find((e) => e.type === 'agent.supervisor');
    assert.ok(review, 'the review is a supplemental row');
    assert.match(review.content, /Hello from the test model/);
  });

  it('explains a file change in the transcript, and decides it itself when the session policy says so', async () => {
    const target = path.join(t.workspace, 'a.txt');
    fs.writeFileSync(target, 'old line\n');
    const explained = await newSession();
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId: explained }, body: { text: 'patch a.txt: old line => new line' } });
    const approval = await t.waitForEvent((e) => e.type === 'approval' && e.threadId === explained, 20_000, 'approval');
    await t.waitForEvent((e) => e.type === 'agent_extension_results' && (e.payload as { eventType: string }).eventType === 'file_change.approval_requested', 20_000, 'supervisor results');
    const read = (await t.bridge.call('readSession', { params: { sessionId: explained } })).body as { transcript: Entry[] };
    const row = read.transcript.find((e) => e.type === 'supervisor.file_change_review');
    assert.match(row?.content ?? '', /change 1 file:\n- .*a\.txt \(update, \+1 −1\)/);
    await t.bridge.call('decideApproval', { params: { approvalId: (approval.payload as { approvalId: string }).approvalId }, body: { decision: 'decline' } });
    await t.waitForEvent(isTurnCompleted(explained, (sent.body as { turnId: string }).turnId));

    const decided = await newSession();
    await setPolicy(decided, { fileChange: { autoDecision: 'accept' } });
    const sent2 = await t.bridge.call('sendSessionMessage', { params: { sessionId: decided }, body: { text: 'patch a.txt: old line => newer line' } });
    const resolved = await t.waitForEvent((e) => e.type === 'approval_resolved' && e.threadId === decided, 20_000, 'approval resolved');
    assert.equal((resolved.payload as { decision: string }).decision, 'accept');
    assert.match(String((resolved.payload as { resolvedBy: string }).resolvedBy), /supervisor/);
    await t.waitForEvent(isTurnCompleted(decided, (sent2.body as { turnId: string }).turnId));
    assert.equal(fs.readFileSync(target, 'utf8'), 'newer line\n');
  });

  it('drafts suggested requests through its suggest_request.requested handler', async () => {
    const sessionId = await newSession();
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello' } });
    await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
    const reply = await t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'Write docs' } });
    assert.deepEqual([reply.status, (reply.body as { suggestion: string }).suggestion], [200, 'Write docs, and add a test for it']);
    const emitted = await t.waitForEvent((e) => e.type === 'agent_extension_results' && (e.payload as { eventType: string }).eventType === 'suggest_request.requested');
    assert.equal((emitted.payload as { results: { kind: string; moduleName: string }[] }).results[0]?.moduleName, 'supervisor');
  });
});
