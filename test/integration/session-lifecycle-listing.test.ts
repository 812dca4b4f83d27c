import assert from 'node:assert/strict';
import fs from 'node:fs';
import { isTurnCompleted, methodOf, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

interface Summary { sessionId: string; title: string; materialized: boolean; source: string; archived?: boolean }
interface Page { data: Summary[]; nextCursor: string | null; runtimeIncluded?: boolean }
type Body = Record<string, unknown>;

function harness() {
  let t!: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });
  const call = (id: string, input: { params?: Body; query?: Body; body?: Body } = {}) => t.bridge.call(id, input);
  return {
    get t() { return t; },
    call,
    async newSession(): Promise<{ sessionId: string; path: string }> {
      const created = await call('createSession', { body: {} });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const body = created.body as { session: Summary; thread: { path: string } };
      return { sessionId: body.session.sessionId, path: body.thread.path };
    },
    async page(query: Body = {}): Promise<Page> {
      const reply = await call('listSessions', { query });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply.body as Page;
    },
    /** Sends `text` and waits for the turn (on whatever runtime thread it runs). */
    async turn(sessionId: string, text: string): Promise<{ turnId: string; threadId: string | null }> {
      const sent = await call('sendSessionMessage', { params: { sessionId }, body: { text } });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const { turnId } = sent.body as { turnId: string };
      const done = await t.waitForEvent((e) => methodOf(e) === 'turn/completed' && (e.payload as { params: { turn: { id: string } } }).params.turn.id === turnId);
      assert.equal(turnStatusOf(done), 'completed');
      return { turnId, threadId: done.threadId };
    },
  };
}

describe('session listing against the real codex app-server', function () {
  const h = harness();

  it('lists sessions with no turn yet, and threads only the runtime knows, with the runtime\'s source', async () => {
    const { sessionId: fresh } = await h.newSession();
    // Another codex client's thread: started on the runtime directly, unknown to the index.
    const { thread } = await h.t.bridge.runtime.request<{ thread: { id: string; source: string } }>('thread/start', { cwd: h.t.workspace });
    const { turn } = await h.t.bridge.runtime.request<{ turn: { id: string } }>('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hello from elsewhere', text_elements: [] }] });
    await h.t.waitForEvent(isTurnCompleted(thread.id, turn.id));

    const { data, runtimeIncluded } = await h.page();
    assert.equal(runtimeIncluded, true);
    const mine = data.find((s) => s.sessionId === fresh);
    assert.deepEqual([mine?.materialized, mine?.source], [false, 'bridge']);
    const foreign = data.find((s) => s.sessionId === thread.id);
    assert.ok(foreign, 'the runtime-only thread is listed');
    assert.deepEqual([foreign.source, foreign.title, foreign.materialized], [thread.source, 'hello from elsewhere', true]);
    assert.equal(data.filter((s) => s.sessionId === thread.id).length, 1);

    // Every session operation works on what the listing returns.
    const read = await h.call('readSession', { params: { sessionId: thread.id } });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual((read.body as { transcript: { role: string }[] }).transcript.map((e) => e.role), ['user', 'assistant']);
    await h.turn(thread.id, 'hello again');
    assert.equal((await h.page()).data.filter((s) => s.sessionId === thread.id).length, 1, 'adopted, still listed once');
  });

  it('pages with a stable cursor: sessions created while paging neither shift nor repeat rows', async () => {
    for (let i = 0; i < 4; i++) await h.newSession();
    const all = (await h.page({ limit: '200' })).data.map((s) => s.sessionId);
    assert.ok(all.length >= 6);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await h.page({ limit: '2', ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((s) => s.sessionId));
      cursor = page.nextCursor;
      if (pages++ === 0) await h.newSession(); // appears before the cursor: not on later pages
    } while (cursor);
    assert.deepEqual(seen, all);
    const bad = await h.call('listSessions', { query: { cursor: 'not-a-cursor' } });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body as { issues: { path: unknown[] }[] }).issues[0]!.path, ['query', 'cursor']);
  });

  it('archived=true lists archived sessions only, including the runtime\'s own archived threads', async () => {
    const { sessionId } = await h.newSession();
    await h.turn(sessionId, 'hello');
    assert.equal((await h.call('archiveSession', { params: { sessionId } })).status, 200);
    const { thread } = await h.t.bridge.runtime.request<{ thread: { id: string } }>('thread/start', { cwd: h.t.workspace });
    const { turn } = await h.t.bridge.runtime.request<{ turn: { id: string } }>('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'archive me elsewhere', text_elements: [] }] });
    await h.t.waitForEvent(isTurnCompleted(thread.id, turn.id));
    await h.t.bridge.runtime.request('thread/archive', { threadId: thread.id });

    const archived = (await h.page({ archived: 'true' })).data;
    assert.ok(archived.every((s) => s.archived === true));
    assert.ok(archived.some((s) => s.sessionId === sessionId));
    assert.ok(archived.some((s) => s.sessionId === thread.id));
    const active = (await h.page({ archived: 'false' })).data;
    assert.ok(!active.some((s) => s.sessionId === sessionId || s.sessionId === thread.id));

    assert.equal((await h.call('deleteSession', { params: { sessionId } })).status, 200, 'an archived session can be deleted');
    assert.ok(!(await h.page({ archived: 'true' })).data.some((s) => s.sessionId === sessionId));
  });
});

describe('sessions with no turn across runtime restarts', function () {
  const h = harness();

  it('keeps the session id and its thread: the next message runs on the same thread', async () => {
    const { sessionId } = await h.newSession();
    await h.t.bridge.runtime.restart();
    const { threadId } = await h.turn(sessionId, 'hello');
    assert.equal(threadId, sessionId);
  });

  it('starts a new thread behind the same session id when the runtime lost the old one', async () => {
    const { sessionId, path } = await h.newSession();
    assert.equal((await h.call('renameSession', { params: { sessionId }, body: { title: 'Kept title' } })).status, 200);
    await h.t.bridge.runtime.restart();
    fs.rmSync(path); // the runtime's record of the thread is gone

    const { threadId } = await h.turn(sessionId, 'hello');
    assert.ok(threadId && threadId !== sessionId, 'ran on a new runtime thread');
    const read = await h.call('readSession', { params: { sessionId } });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    const body = read.body as { session: Summary; thread: { id: string; name: string }; transcript: { role: string }[] };
    assert.deepEqual([body.session.sessionId, body.session.title, body.thread.id, body.thread.name], [sessionId, 'Kept title', threadId, 'Kept title']);
    assert.deepEqual(body.transcript.map((e) => e.role), ['user', 'assistant']);
    const listed = (await h.page()).data.filter((s) => s.sessionId === sessionId || s.sessionId === threadId);
    assert.deepEqual(listed.map((s) => s.sessionId), [sessionId], 'listed once, under the session id');
    // It survives a bridge restart too: the mapping is durable.
    await h.t.restartBridge();
    assert.equal((await h.turn(sessionId, 'hello once more')).threadId, threadId);
  });
});
