import assert from 'node:assert/strict';
import type { LoggedEvent } from '../../server/state/event-log';
import { isTurnCompleted, startTestBridge, type TestBridge } from './support/harness';

interface Project { projectId: string; name: string; workingDirectory: string | null; createdAt: string; updatedAt: string }
type Body = Record<string, unknown>;

describe('projects', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  const call = async (id: string, input: { params?: Body; query?: Body; body?: unknown } = {}) => {
    const reply = await t.bridge.call(id, input, { actor: 'test' });
    return { status: reply.status, body: reply.body as Body };
  };

  async function createProject(name: string, workingDirectory?: string): Promise<Project> {
    const r = await call('createProject', { body: { name, ...(workingDirectory ? { workingDirectory } : {}) } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.project as Project;
  }

  async function createSession(): Promise<string> {
    const r = await call('createSession', { body: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.session as { sessionId: string }).sessionId;
  }

  /** A session with one finished turn, so the runtime has persisted it. */
  async function materializedSession(): Promise<string> {
    const sessionId = await createSession();
    const sent = await call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello' } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    await t.waitForEvent(isTurnCompleted(sessionId, sent.body.turnId as string));
    return sessionId;
  }

  const assign = (sessionId: string, projectId: string | null) => call('setSessionProject', { params: { sessionId }, body: { projectId } });

  async function projectIdOf(sessionId: string): Promise<string | null> {
    const r = await call('listSessions');
    const row = (r.body.data as { sessionId: string; projectId: string | null }[]).find((s) => s.sessionId === sessionId);
    assert.ok(row, `session ${sessionId} is listed`);
    return row.projectId;
  }

  const eventsAfter = (seq: number, type: string): LoggedEvent[] => t.events().filter((e) => e.seq > seq && e.type === type);

  it('creates, lists by name, renames and deletes projects, announcing each change to everyone', async () => {
    const seq = t.bridge.events.lastSeq;
    const zeta = await createProject('Zeta', t.workspace);
    const alpha = await createProject('  Alpha  ');
    assert.equal(alpha.name, 'Alpha');
    assert.equal(alpha.workingDirectory, null);
    assert.equal(zeta.workingDirectory, t.workspace);
    assert.ok(!Number.isNaN(Date.parse(zeta.createdAt)));

    const listed = await call('listProjects');
    const names = (listed.body.data as Project[]).map((p) => p.name);
    assert.ok(names.indexOf('Alpha') < names.indexOf('Zeta'), `sorted by name: ${names.join(', ')}`);

    const renamed = await call('renameProject', { params: { projectId: alpha.projectId }, body: { name: 'Alpha Two' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual({ ...(renamed.body.project as Project), updatedAt: '' }, { ...alpha, name: 'Alpha Two', updatedAt: '' });

    const deleted = await call('deleteProject', { params: { projectId: alpha.projectId } });
    assert.deepEqual(deleted, { status: 200, body: { status: 'ok', projectId: alpha.projectId, unassignedSessionCount: 0 } });
    const again = await call('deleteProject', { params: { projectId: alpha.projectId } });
    assert.equal(again.status, 404);
    assert.equal(again.body.status, 'not_found');
    assert.equal(again.body.projectId, alpha.projectId);

    const upserted = eventsAfter(seq, 'project_upserted');
    assert.deepEqual(upserted.map((e) => [e.threadId, (e.payload as { project: Project }).project.name]), [[null, 'Zeta'], [null, 'Alpha'], [null, 'Alpha Two']]);
    assert.deepEqual(eventsAfter(seq, 'project_deleted').map((e) => [e.threadId, e.payload]), [[null, { projectId: alpha.projectId, sessionIds: [] }]]);
    await call('deleteProject', { params: { projectId: zeta.projectId } });
  });

  it('refuses duplicate names (ignoring case and spaces) with the existing project, and bad input naming the field', async () => {
    const first = await createProject('Duplicated');
    const dup = await call('createProject', { body: { name: ' duplicated ' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.status, 'duplicate_name');
    assert.equal(dup.body.projectId, first.projectId);

    const other = await createProject('Other');
    const clash = await call('renameProject', { params: { projectId: other.projectId }, body: { name: 'DUPLICATED' } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.projectId, first.projectId);
    const unknown = await call('renameProject', { params: { projectId: 'no-such-project' }, body: { name: 'x' } });
    assert.equal(unknown.status, 404);

    // Unknown keys (`colour`) are ignored, as codex-manager ignores them; known fields are checked.
    for (const [body, field] of [[{ name: '   ', colour: 'red' }, 'name'], [{ name: 'x', workingDirectory: 'relative/dir' }, 'workingDirectory'], [{ name: 'x'.repeat(121) }, 'name']] as const) {
      const bad = await call('createProject', { body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      const paths = (bad.body.issues as { path: string[]; message: string }[]).map((i) => i.path.join('.') + ' ' + i.message).join('; ');
      assert.match(paths, new RegExp(`body\\.${field}`), paths);
    }
    const missing = await call('createProject');
    assert.equal(missing.status, 400);
  });

  it('assigns a session to a project and back, announcing only real changes', async () => {
    const project = await createProject('Assignments');
    const sessionId = await createSession();
    const seq = t.bridge.events.lastSeq;

    const set = await assign(sessionId, project.projectId);
    assert.deepEqual(set, { status: 200, body: { status: 'ok', sessionId, projectId: project.projectId, previousProjectId: null } });
    assert.equal(await projectIdOf(sessionId), project.projectId);
    const read = await call('readSession', { params: { sessionId } });
    assert.equal((read.body.session as { projectId: string }).projectId, project.projectId);
    assert.equal((await assign(sessionId, project.projectId)).status, 200, 'assigning again is fine');

    const unset = await assign(sessionId, null);
    assert.deepEqual(unset.body, { status: 'ok', sessionId, projectId: null, previousProjectId: project.projectId });
    assert.equal(await projectIdOf(sessionId), null);

    assert.deepEqual(eventsAfter(seq, 'session_project_updated').map((e) => [e.threadId, e.payload]), [
      [null, { sessionId, projectId: project.projectId, previousProjectId: null }],
      [null, { sessionId, projectId: null, previousProjectId: project.projectId }],
    ]);
  });

  it('answers 404 for an unknown project or session, and 400 for a bad body', async () => {
    const sessionId = await createSession();
    const noProject = await assign(sessionId, 'no-such-project');
    assert.equal(noProject.status, 404);
    assert.equal(noProject.body.status, 'project_not_found');
    assert.equal(noProject.body.projectId, 'no-such-project');
    const project = await createProject('For unknown session');
    const noSession = await assign('no-such-session', project.projectId);
    assert.equal(noSession.status, 404);
    assert.deepEqual([noSession.body.status, noSession.body.sessionId], ['not_found', 'no-such-session']);
    const bad = await call('setSessionProject', { params: { sessionId }, body: {} });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body.issues as { path: string[] }[])[0]!.path, ['body', 'projectId']);
  });

  it('refuses to delete a project that still has chats, then moves them all out (unassigned or to another project)', async () => {
    const source = await createProject('Source');
    const target = await createProject('Target');
    const [s1, s2] = [await createSession(), await createSession()];
    await assign(s1, source.projectId);
    await assign(s2, source.projectId);

    const refused = await call('deleteProject', { params: { projectId: source.projectId } });
    assert.equal(refused.status, 409);
    assert.deepEqual([refused.body.status, refused.body.sessionCount], ['project_not_empty', 2]);

    const moved = await call('moveProjectChats', { params: { projectId: source.projectId }, body: { destination: 'project', targetProjectId: target.projectId } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.movedSessionCount, 2);
    assert.equal(await projectIdOf(s1), target.projectId);
    assert.equal((await call('deleteProject', { params: { projectId: source.projectId } })).status, 200);

    const seq = t.bridge.events.lastSeq;
    const unassigned = await call('moveProjectChats', { params: { projectId: target.projectId }, body: { destination: 'unassigned' } });
    assert.deepEqual(unassigned.body, {
      status: 'ok', projectId: target.projectId, destination: 'unassigned', targetProjectId: null,
      movedSessionCount: 2, archivedSessionCount: 0, alreadyArchivedSessionCount: 0,
    });
    assert.deepEqual([await projectIdOf(s1), await projectIdOf(s2)], [null, null]);
    assert.equal(eventsAfter(seq, 'session_project_updated').length, 2);

    const noProject = await call('moveProjectChats', { params: { projectId: 'no-such-project' }, body: { destination: 'unassigned' } });
    assert.equal(noProject.status, 404);
    const badDestination = await call('moveProjectChats', { params: { projectId: target.projectId }, body: { destination: 'trash' } });
    assert.equal(badDestination.status, 400);
  });

  it('archives all chats only when each had a turn, then unassigns them', async () => {
    const project = await createProject('Archive me');
    const fresh = await createSession();
    const used = await materializedSession();
    await assign(fresh, project.projectId);
    await assign(used, project.projectId);

    const refused = await call('moveProjectChats', { params: { projectId: project.projectId }, body: { destination: 'archive' } });
    assert.equal(refused.status, 409);
    assert.deepEqual([refused.body.status, refused.body.sessionIds], ['not_materialized_sessions', [fresh]]);
    assert.equal(await projectIdOf(used), project.projectId, 'nothing moved when refused');

    await assign(fresh, null);
    const archived = await call('moveProjectChats', { params: { projectId: project.projectId }, body: { destination: 'archive' } });
    assert.equal(archived.status, 200, JSON.stringify(archived.body));
    assert.deepEqual([archived.body.archivedSessionCount, archived.body.alreadyArchivedSessionCount, archived.body.movedSessionCount], [1, 0, 1]);
    const runtimeArchived = (await t.bridge.runtime.request<{ data: { id: string }[] }>('thread/list', { archived: true })).data.map((th) => th.id);
    assert.ok(runtimeArchived.includes(used), 'the runtime holds the thread as archived');
    const listed = await call('listSessions', { query: { archived: 'true' } });
    const row = (listed.body.data as { sessionId: string; projectId: string | null }[]).find((r) => r.sessionId === used);
    assert.deepEqual(row && row.projectId, null, 'listed as archived, in no project');

    await assign(used, project.projectId);
    const again = await call('moveProjectChats', { params: { projectId: project.projectId }, body: { destination: 'archive' } });
    assert.deepEqual([again.body.archivedSessionCount, again.body.alreadyArchivedSessionCount], [0, 1], 'an archived chat is counted, not archived again');
  });

  it('refuses to archive a chat whose turn is still running, leaving it in the project', async () => {
    const project = await createProject('Busy');
    const sessionId = await createSession();
    await assign(sessionId, project.projectId);
    const sent = await call('sendSessionMessage', { params: { sessionId }, body: { text: 'slow' } });
    assert.equal(sent.status, 202);
    const refused = await call('moveProjectChats', { params: { projectId: project.projectId }, body: { destination: 'archive' } });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'conflict');
    assert.equal(await projectIdOf(sessionId), project.projectId);
    await call('interruptSessionTurn', { params: { sessionId }, body: {} });
    await t.waitForEvent(isTurnCompleted(sessionId, sent.body.turnId as string));
  });

  it('deletes every chat of a project and keeps the project', async () => {
    const project = await createProject('Delete my chats');
    const [s1, s2, other] = [await createSession(), await materializedSession(), await createSession()];
    await assign(s1, project.projectId);
    await assign(s2, project.projectId);
    const seq = t.bridge.events.lastSeq;

    const result = await call('deleteProjectChats', { params: { projectId: project.projectId }, body: {} });
    assert.deepEqual(result, { status: 200, body: { status: 'ok', projectId: project.projectId, deletedSessionCount: 2, skippedSessionCount: 0 } });
    assert.equal((await call('readSession', { params: { sessionId: s1 } })).status, 410);
    assert.equal((await call('readSession', { params: { sessionId: other } })).status, 200, 'other chats stay');
    for (const projectId of [project.projectId, 'no-such-project', null]) {
      const gone = await assign(s2, projectId);
      assert.equal(gone.status, 410, JSON.stringify(gone.body));
      assert.deepEqual([gone.body.status, gone.body.sessionId], ['deleted', s2]);
    }
    assert.deepEqual(eventsAfter(seq, 'session_deleted').map((e) => (e.payload as { sessionId: string }).sessionId).sort(), [s1, s2].sort());
    assert.equal((await call('deleteProject', { params: { projectId: project.projectId } })).status, 200, 'the project is empty now');
    assert.equal((await call('deleteProjectChats', { params: { projectId: project.projectId } })).status, 404);
  });

  it('keeps projects and assignments across a bridge restart', async () => {
    const project = await createProject('Durable', t.workspace);
    const sessionId = await createSession();
    await assign(sessionId, project.projectId);
    await t.restartBridge();
    const listed = (await call('listProjects')).body.data as Project[];
    assert.deepEqual(listed.find((p) => p.projectId === project.projectId), project);
    assert.equal(await projectIdOf(sessionId), project.projectId);
    const dup = await call('createProject', { body: { name: 'durable' } });
    assert.equal(dup.status, 409, 'names stay taken after a restart');
  });
});
