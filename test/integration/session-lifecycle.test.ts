import assert from 'node:assert/strict';
import { isTurnCompleted, methodOf, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

interface Summary { sessionId: string; title: string; materialized: boolean; archived?: boolean; forkedFromSessionId?: string; projectId: string | null }
interface Entry { role: string; type: string; content: string; turnId: string }
type Body = Record<string, unknown>;

describe('session lifecycle against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  const call = (id: string, input: { params?: Body; query?: Body; body?: Body } = {}) => t.bridge.call(id, input);

  async function newSession(): Promise<string> {
    const created = await call('createSession', { body: {} });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return (created.body as { session: Summary }).session.sessionId;
  }

  /** Sends `text` and waits for its turn to end; returns the turn id. */
  async function turn(sessionId: string, text: string, status = 'completed'): Promise<string> {
    const sent = await call('sendSessionMessage', { params: { sessionId }, body: { text } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const { turnId } = sent.body as { turnId: string };
    assert.equal(turnStatusOf(await t.waitForEvent(isTurnCompleted(sessionId, turnId))), status);
    return turnId;
  }

  async function transcript(sessionId: string): Promise<Entry[]> {
    const read = await call('readSession', { params: { sessionId } });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    return (read.body as { transcript: Entry[] }).transcript;
  }

  async function listed(archived = false): Promise<Summary[]> {
    const reply = await call('listSessions', { query: archived ? { archived: 'true' } : {} });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return (reply.body as { data: Summary[] }).data;
  }

  const codeOf = (body: unknown) => (body as { code?: string; details?: { reason?: string } });

  describe('deleteSession', () => {
    it('deletes the runtime thread, says so on the stream, and answers 410 from then on, everywhere and after a restart', async () => {
      const sessionId = await newSession();
      const turnId = await turn(sessionId, 'hello');
      const deleted = await call('deleteSession', { params: { sessionId } });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      const body = deleted.body as { status: string; title: string; deletedAt: string; deletedFileCount: number };
      // codex-manager's reply: status "ok", the title and how many history files went (its rollout).
      assert.equal(body.status, 'ok');
      assert.equal(body.title, 'hello');
      assert.equal(body.deletedFileCount, 1);
      const event = await t.waitForEvent((e) => e.type === 'session_deleted' && (e.payload as { sessionId: string }).sessionId === sessionId);
      assert.equal(event.threadId, null, 'published to every client');
      assert.deepEqual(event.payload, { sessionId, title: 'hello', deletedAt: body.deletedAt });
      await assert.rejects(t.bridge.runtime.request('thread/read', { threadId: sessionId }), /thread not loaded/);
      assert.ok(!(await listed()).some((s) => s.sessionId === sessionId));

      const calls: [string, { params?: Body; body?: Body }][] = [
        ['readSession', {}], ['deleteSession', {}], ['sendSessionMessage', { body: { text: 'hi' } }], ['interruptSessionTurn', {}],
        ['renameSession', { body: { title: 'x' } }], ['archiveSession', {}], ['unarchiveSession', {}], ['resumeSession', {}],
        ['forkSession', {}], ['compactSession', {}], ['rollbackSession', {}], ['cleanBackgroundTerminals', {}], ['startReview', {}],
        ['steerTurn', { params: { turnId }, body: { input: 'more' } }],
        ['listSessionApprovals', {}], ['listSessionToolInput', {}], ['listSessionToolCalls', {}],
      ];
      for (const [id, input] of calls) {
        const reply = await call(id, { ...input, params: { sessionId, ...input.params } });
        assert.equal(reply.status, 410, `${id}: ${JSON.stringify(reply.body)}`);
        assert.deepEqual(
          [(reply.body as Body).status, (reply.body as Body).sessionId, (reply.body as Body).title, (reply.body as Body).deletedAt],
          ['deleted', sessionId, 'hello', body.deletedAt], id,
        );
      }
      await t.restartBridge();
      const afterRestart = await call('readSession', { params: { sessionId } });
      assert.equal(afterRestart.status, 410);
    });

    it('stops a turn in progress and expires what it was waiting for', async () => {
      const sessionId = await newSession();
      const sent = await call('sendSessionMessage', { params: { sessionId }, body: { text: 'run command: echo never > never.txt' } });
      const { turnId } = sent.body as { turnId: string };
      const approval = await t.waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId);
      const approvalId = (approval.payload as { approvalId: string }).approvalId;
      assert.equal((await call('deleteSession', { params: { sessionId } })).status, 200);
      assert.equal(turnStatusOf(await t.waitForEvent(isTurnCompleted(sessionId, turnId))), 'interrupted');
      const expired = await t.waitForEvent((e) => e.type === 'approval_resolved' && (e.payload as { approvalId: string }).approvalId === approvalId);
      assert.equal((expired.payload as { status: string }).status, 'expired');
    });

    it('deletes a session that never had a turn, and answers 404 for one that never existed', async () => {
      const sessionId = await newSession();
      assert.equal((await call('deleteSession', { params: { sessionId } })).status, 200);
      assert.equal((await call('readSession', { params: { sessionId } })).status, 410);
      const unknown = await call('deleteSession', { params: { sessionId: '01a2ffff-0000-7000-8000-000000000000' } });
      assert.equal(unknown.status, 404);
      assert.deepEqual([(unknown.body as Body).status, (unknown.body as Body).sessionId], ['not_found', '01a2ffff-0000-7000-8000-000000000000']);
    });
  });

  it('renameSession sets the title in the bridge and the runtime thread name', async () => {
    const sessionId = await newSession();
    await turn(sessionId, 'hello');
    const renamed = await call('renameSession', { params: { sessionId }, body: { title: '  Release plan  ' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal((renamed.body as { session: Summary }).session.title, 'Release plan');
    assert.equal((await listed()).find((s) => s.sessionId === sessionId)?.title, 'Release plan');
    const { thread } = await t.bridge.runtime.request<{ thread: { name: string } }>('thread/read', { threadId: sessionId });
    assert.equal(thread.name, 'Release plan');
    const empty = await call('renameSession', { params: { sessionId }, body: { title: '' } });
    assert.equal(empty.status, 400);
    assert.deepEqual((empty.body as { issues: { path: unknown[] }[] }).issues[0]!.path, ['body', 'title']);
  });

  it('archive / unarchive: also before the first turn, hidden from the default listing, readable, not usable until unarchived', async () => {
    const sessionId = await newSession();
    // As in codex-manager, a session with no turn archives too (in the bridge alone: codex has nothing on disk).
    const early = await call('archiveSession', { params: { sessionId } });
    assert.equal(early.status, 200, JSON.stringify(early.body));
    assert.equal((await listed(true)).find((s) => s.sessionId === sessionId)?.archived, true);
    const back = await call('unarchiveSession', { params: { sessionId } });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal((back.body as { thread: { id: string } }).thread.id, sessionId, 'unarchive answers the thread, as codex-manager does');
    await turn(sessionId, 'hello');

    const archived = await call('archiveSession', { params: { sessionId }, body: { anything: 'goes' } });
    assert.equal(archived.status, 200, JSON.stringify(archived.body));
    assert.equal((archived.body as { changed: boolean }).changed, true);
    assert.ok(!(await listed()).some((s) => s.sessionId === sessionId));
    assert.equal((await listed(true)).find((s) => s.sessionId === sessionId)?.archived, true);
    assert.deepEqual((await transcript(sessionId)).map((e) => e.role), ['user', 'assistant'], 'an archived session stays readable');
    const send = await call('sendSessionMessage', { params: { sessionId }, body: { text: 'hi' } });
    assert.equal(send.status, 409);
    assert.equal(codeOf(send.body).details?.reason, 'archived');
    assert.equal(((await call('archiveSession', { params: { sessionId } })).body as { changed: boolean }).changed, false);
    assert.equal((await call('renameSession', { params: { sessionId }, body: { title: 'Renamed in the archive' } })).status, 200);

    const restored = await call('unarchiveSession', { params: { sessionId } });
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal((restored.body as { changed: boolean; session: Summary }).session.archived, false);
    assert.ok((await listed()).some((s) => s.sessionId === sessionId));
    assert.ok(!(await listed(true)).some((s) => s.sessionId === sessionId));
    const { thread } = await t.bridge.runtime.request<{ thread: { name: string } }>('thread/read', { threadId: sessionId });
    assert.equal(thread.name, 'Renamed in the archive', 'the rename reached the runtime once unarchived');
    await turn(sessionId, 'hello again');
  });

  it('forkSession makes a new, usable session with a copy of the history', async () => {
    const source = await newSession();
    await turn(source, 'hello');
    const forked = await call('forkSession', { params: { sessionId: source }, body: { title: 'The fork', unknownField: 1 } });
    assert.equal(forked.status, 200, JSON.stringify(forked.body));
    const { session, forkedFromSessionId } = forked.body as { session: Summary; forkedFromSessionId: string };
    assert.notEqual(session.sessionId, source);
    assert.equal(forkedFromSessionId, source);
    assert.equal(session.title, 'The fork');
    assert.equal(session.forkedFromSessionId, source);
    assert.ok((await listed()).some((s) => s.sessionId === session.sessionId));
    assert.deepEqual((await transcript(session.sessionId)).map((e) => e.role), ['user', 'assistant']);
    await turn(session.sessionId, 'hi from the fork');
    assert.equal((await transcript(session.sessionId)).length, 4);
    assert.equal((await transcript(source)).length, 2, 'the source is untouched');

    const empty = await newSession();
    const emptyFork = await call('forkSession', { params: { sessionId: empty } });
    assert.equal(emptyFork.status, 200, JSON.stringify(emptyFork.body));
    const forkOfEmpty = (emptyFork.body as { session: Summary }).session;
    assert.equal(forkOfEmpty.materialized, false);
    await turn(forkOfEmpty.sessionId, 'hello');
  });

  it('compactSession runs codex compaction as a turn; 409 with nothing to compact', async () => {
    const sessionId = await newSession();
    assert.equal((await call('compactSession', { params: { sessionId } })).status, 409);
    await turn(sessionId, 'hello');
    const mark = t.events().length;
    const compacted = await call('compactSession', { params: { sessionId } });
    assert.equal(compacted.status, 200, JSON.stringify(compacted.body));
    await t.waitForEvent((e) => e.seq > t.events()[mark - 1]!.seq && isTurnCompleted(sessionId)(e));
    assert.ok((await transcript(sessionId)).some((e) => e.type === 'contextCompaction'));
  });

  it('rollbackSession drops the last turns from the history; 400 for a bad count, 409 for too many', async () => {
    const sessionId = await newSession();
    const first = await turn(sessionId, 'hello');
    const second = await turn(sessionId, 'hi again');
    const tooMany = await call('rollbackSession', { params: { sessionId }, body: { numTurns: 3 } });
    assert.equal(tooMany.status, 409);
    assert.equal(codeOf(tooMany.body).details?.reason, 'not_enough_turns');
    assert.equal((await call('rollbackSession', { params: { sessionId }, body: { numTurns: 0 } })).status, 400);
    const rolled = await call('rollbackSession', { params: { sessionId } });
    assert.equal(rolled.status, 200, JSON.stringify(rolled.body));
    assert.deepEqual((rolled.body as { removedTurnIds: string[] }).removedTurnIds, [second]);
    assert.deepEqual([...new Set((await transcript(sessionId)).map((e) => e.turnId))], [first]);
    await turn(sessionId, 'hello after rollback');
  });

  it('cleanBackgroundTerminals and resumeSession reach the runtime; resume refuses other dynamic tools', async () => {
    const sessionId = await newSession();
    assert.equal((await call('cleanBackgroundTerminals', { params: { sessionId }, body: {} })).status, 200);
    const resumed = await call('resumeSession', { params: { sessionId }, body: { dynamicTools: [] } });
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    const otherTools = await call('resumeSession', {
      params: { sessionId }, body: { dynamicTools: [{ name: 'lookup', description: 'Look up', inputSchema: { type: 'object' } }] },
    });
    assert.equal(otherTools.status, 409);
    assert.equal(codeOf(otherTools.body).details?.reason, 'dynamic_tools_fixed');
  });

  it('startReview runs a review turn inline or in a new session, and the runtime refuses a missing target field', async () => {
    const sessionId = await newSession();
    await turn(sessionId, 'hello');
    const inline = await call('startReview', { params: { sessionId }, body: { targetType: 'custom', instructions: 'check a.txt' } });
    assert.equal(inline.status, 200, JSON.stringify(inline.body));
    const { turnId, reviewSessionId } = inline.body as { turnId: string; reviewSessionId: string };
    assert.equal(reviewSessionId, sessionId);
    assert.equal(turnStatusOf(await t.waitForEvent(isTurnCompleted(sessionId, turnId))), 'completed');
    assert.ok((await transcript(sessionId)).some((e) => e.type === 'exitedReviewMode'));
    // codex announces the review turn under another id than it completes; the session must not stay busy.
    await turn(sessionId, 'hello after the review');

    const detached = await call('startReview', { params: { sessionId }, body: { delivery: 'detached', targetType: 'custom', instructions: 'look again' } });
    assert.equal(detached.status, 200, JSON.stringify(detached.body));
    const review = detached.body as { turnId: string; reviewSessionId: string };
    assert.notEqual(review.reviewSessionId, sessionId);
    await t.waitForEvent(isTurnCompleted(review.reviewSessionId, review.turnId));
    assert.match((await listed()).find((s) => s.sessionId === review.reviewSessionId)?.title ?? '', /^Review: /);

    // The runtime judges the target: a missing or blank field is its 400, and a refused detached review leaves no session behind.
    const before = (await listed()).length;
    for (const body of [{ targetType: 'baseBranch' }, { targetType: 'custom', instructions: ' ', delivery: 'detached' }]) {
      const refused = await call('startReview', { params: { sessionId }, body });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal((refused.body as { details: { runtimeMethod: string } }).details.runtimeMethod, 'review/start');
    }
    assert.equal((await listed()).length, before);
  });

  it('steerTurn adds input to a slow turn in progress; another turn id, or no turn, is a conflict', async () => {
    const sessionId = await newSession();
    const sent = await call('sendSessionMessage', { params: { sessionId }, body: { text: 'slow' } });
    const { turnId } = sent.body as { turnId: string };
    await t.waitForEvent((e) => e.threadId === sessionId && methodOf(e) === 'item/agentMessage/delta');
    const wrong = await call('steerTurn', { params: { sessionId, turnId: 'not-this-turn' }, body: { input: 'nope' } });
    assert.equal(wrong.status, 409);
    assert.equal(codeOf(wrong.body).details?.reason, 'not_active_turn');
    // codex-manager's fields: the session, the turn asked for and the action result.
    assert.deepEqual(
      [(wrong.body as Body).sessionId, (wrong.body as Body).turnId, ((wrong.body as Body).result as Body).status],
      [sessionId, 'not-this-turn', 'not_eligible'],
    );
    const busy = await call('compactSession', { params: { sessionId } });
    assert.equal(busy.status, 409, 'compaction would stop the turn in progress');
    const steered = await call('steerTurn', { params: { sessionId, turnId }, body: { input: 'also say hello' } });
    assert.equal(steered.status, 200, JSON.stringify(steered.body));
    assert.equal((steered.body as { turnId: string }).turnId, turnId);
    assert.deepEqual((steered.body as { result: Body }).result, { actionType: 'turn.steer', status: 'performed', details: { turnId } });
    const steeredItem = await t.waitForEvent((e) => e.threadId === sessionId && methodOf(e) === 'item/completed'
      && JSON.stringify((e.payload as { params: unknown }).params).includes('also say hello'));
    assert.ok(steeredItem, 'the steer reached the turn as user input');
    await call('interruptSessionTurn', { params: { sessionId }, body: { turnId } });
    await t.waitForEvent(isTurnCompleted(sessionId, turnId));
    const late = await call('steerTurn', { params: { sessionId, turnId }, body: { input: 'too late' } });
    assert.equal(late.status, 409);
    assert.equal(codeOf(late.body).details?.reason, 'no_active_turn');
  });
});
