import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeError } from '../../protocol/errors';
import { ProjectService, type ProjectSessions } from '../../server/domain/projects';
import { EventLog } from '../../server/state/event-log';
import { Store } from '../../server/state/store';

/** Sessions in memory: id → project, materialized, archived, deleted. */
class FakeSessions implements ProjectSessions {
  readonly rows = new Map<string, { projectId: string | null; materialized: boolean; archived: boolean; deleted: boolean }>();
  failArchiveOf: string | undefined;

  add(sessionId: string, projectId: string | null, opts: { materialized?: boolean; archived?: boolean } = {}): void {
    this.rows.set(sessionId, { projectId, materialized: opts.materialized ?? true, archived: opts.archived ?? false, deleted: false });
  }

  inProject(projectId: string) {
    return [...this.rows].filter(([, r]) => !r.deleted && r.projectId === projectId)
      .map(([sessionId, r]) => ({ sessionId, materialized: r.materialized, archived: r.archived }));
  }

  async setProject(sessionId: string, projectId: string | null) {
    const row = this.rows.get(sessionId);
    if (!row) throw new BridgeError('not_found', `no session ${sessionId}`);
    if (row.deleted) throw new BridgeError('gone', `session ${sessionId} was deleted`);
    const previousProjectId = row.projectId;
    row.projectId = projectId;
    return { previousProjectId };
  }

  async archive(sessionId: string) {
    if (sessionId === this.failArchiveOf) throw new BridgeError('runtime_unavailable', 'runtime down');
    const row = this.rows.get(sessionId)!;
    assert.equal(row.archived, false, 'an archived chat is not archived again');
    row.archived = true;
    return 'archived' as const;
  }

  async delete(sessionId: string) {
    const row = this.rows.get(sessionId)!;
    if (row.deleted) return 'gone' as const;
    row.deleted = true;
    return 'deleted' as const;
  }
}

describe('ProjectService', () => {
  let dir: string;
  let store: Store;
  let events: EventLog;
  let sessions: FakeSessions;
  let projects: ProjectService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'projects-'));
    store = await Store.open(dir);
    events = new EventLog();
    sessions = new FakeSessions();
    projects = await ProjectService.open(store, sessions, events);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const eventsOf = (type: string) => {
    const r = events.since(0);
    return r.ok ? r.events.filter((e) => e.type === type) : [];
  };

  async function create(name: string, workingDirectory?: string): Promise<string> {
    const r = await projects.create({ name, workingDirectory });
    assert.equal(r.status, 'ok');
    return (r as { project: { projectId: string } }).project.projectId;
  }

  it('creates projects with trimmed names and ISO times, lists them by name, and keeps them across a reopen', async () => {
    const b = await create('  Beta ', '/work/beta');
    const a = await create('alpha');
    assert.deepEqual(projects.list().map((p) => [p.projectId, p.name, p.workingDirectory]), [[a, 'alpha', null], [b, 'Beta', '/work/beta']]);
    assert.match(projects.get(a)!.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(eventsOf('project_upserted').map((e) => [e.threadId, (e.payload as { project: { name: string } }).project.name]), [[null, 'Beta'], [null, 'alpha']]);

    await store.close();
    store = await Store.open(dir);
    const reopened = await ProjectService.open(store, sessions, new EventLog());
    assert.deepEqual(reopened.list(), projects.list());
  });

  it('refuses a second project with the same name, ignoring case and spaces, even when both race', async () => {
    const first = await create('Alpha');
    assert.deepEqual(await projects.create({ name: ' alpha ' }), { status: 'duplicate_name', projectId: first });
    const raced = await Promise.all([projects.create({ name: 'Gamma' }), projects.create({ name: 'GAMMA' })]);
    assert.deepEqual(raced.map((r) => r.status).sort(), ['duplicate_name', 'ok']);
    assert.equal(projects.list().length, 2);
  });

  it('renames (changing only the case of its own name is fine), keeps or clears the directory, and refuses a taken name', async () => {
    const a = await create('Alpha', '/a');
    const b = await create('Beta');
    const renamed = await projects.rename(a, { name: 'ALPHA' });
    assert.equal(renamed.status, 'ok');
    assert.equal(projects.get(a)!.name, 'ALPHA');
    assert.equal(projects.get(a)!.workingDirectory, '/a', 'an absent workingDirectory keeps the current one');
    await projects.rename(a, { name: 'ALPHA', workingDirectory: null });
    assert.equal(projects.get(a)!.workingDirectory, null);
    assert.deepEqual(await projects.rename(b, { name: 'alpha' }), { status: 'duplicate_name', projectId: a });
    assert.deepEqual(await projects.rename('nope', { name: 'x' }), { status: 'not_found', projectId: 'nope' });
  });

  it('deletes only an empty project', async () => {
    const a = await create('Alpha');
    sessions.add('s1', a);
    assert.deepEqual(await projects.delete(a), { status: 'project_not_empty', sessionCount: 1 });
    await projects.assign('s1', null);
    assert.deepEqual(await projects.delete(a), { status: 'ok' });
    assert.equal(projects.get(a), undefined);
    assert.deepEqual(eventsOf('project_deleted').map((e) => e.payload), [{ projectId: a, sessionIds: [] }]);
    assert.deepEqual(await projects.delete(a), { status: 'not_found', projectId: a });
  });

  it('assigns sessions, announcing only real changes, and refuses an unknown project', async () => {
    const a = await create('Alpha');
    sessions.add('s1', null);
    assert.deepEqual(await projects.assign('s1', a), { status: 'ok', previousProjectId: null });
    assert.deepEqual(await projects.assign('s1', a), { status: 'ok', previousProjectId: a });
    assert.deepEqual(await projects.assign('s1', 'nope'), { status: 'project_not_found', projectId: 'nope' });
    await assert.rejects(projects.assign('unknown', a), (e: unknown) => e instanceof BridgeError && e.code === 'not_found');
    assert.deepEqual(eventsOf('session_project_updated').map((e) => [e.threadId, e.payload]), [[null, { sessionId: 's1', projectId: a, previousProjectId: null }]]);
  });

  it('moves every chat to no project or to another project', async () => {
    const a = await create('Alpha');
    const b = await create('Beta');
    sessions.add('s1', a);
    sessions.add('s2', a, { materialized: false });
    sessions.add('s3', b);
    assert.deepEqual(await projects.moveChats(a, { destination: 'project', targetProjectId: 'nope' }), { status: 'not_found', projectId: 'nope' });
    await assert.rejects(projects.moveChats(a, { destination: 'project', targetProjectId: a }), (e: unknown) => e instanceof BridgeError && e.code === 'invalid_request');
    assert.deepEqual(await projects.moveChats(a, { destination: 'project', targetProjectId: b }), { status: 'ok', movedSessionCount: 2, archivedSessionCount: 0, alreadyArchivedSessionCount: 0 });
    assert.deepEqual(sessions.inProject(b).map((s) => s.sessionId).sort(), ['s1', 's2', 's3']);
    assert.deepEqual(await projects.moveChats(b, { destination: 'unassigned' }), { status: 'ok', movedSessionCount: 3, archivedSessionCount: 0, alreadyArchivedSessionCount: 0 });
    assert.equal(sessions.rows.get('s1')!.projectId, null);
    assert.deepEqual(await projects.moveChats('nope', { destination: 'unassigned' }), { status: 'not_found', projectId: 'nope' });
  });

  it('archives chats only when every one had a turn, counting those already archived', async () => {
    const a = await create('Alpha');
    sessions.add('s1', a);
    sessions.add('s2', a, { archived: true });
    sessions.add('s3', a, { materialized: false });
    assert.deepEqual(await projects.moveChats(a, { destination: 'archive' }), { status: 'not_materialized_sessions', sessionIds: ['s3'] });
    assert.equal(sessions.rows.get('s1')!.archived, false, 'nothing is archived when the precondition fails');
    await projects.assign('s3', null);
    assert.deepEqual(await projects.moveChats(a, { destination: 'archive' }), { status: 'ok', movedSessionCount: 2, archivedSessionCount: 1, alreadyArchivedSessionCount: 1 });
    assert.equal(sessions.rows.get('s1')!.archived, true);
    assert.equal(sessions.rows.get('s1')!.projectId, null);
  });

  it('a failure part-way through archiving leaves each chat either done or untouched', async () => {
    const a = await create('Alpha');
    sessions.add('s1', a);
    sessions.add('s2', a);
    sessions.failArchiveOf = 's2';
    await assert.rejects(projects.moveChats(a, { destination: 'archive' }), (e: unknown) => e instanceof BridgeError && e.code === 'runtime_unavailable');
    assert.deepEqual([sessions.rows.get('s1')!.projectId, sessions.rows.get('s1')!.archived], [null, true]);
    assert.deepEqual([sessions.rows.get('s2')!.projectId, sessions.rows.get('s2')!.archived], [a, false]);
  });

  it('deletes every chat of a project and keeps the project', async () => {
    const a = await create('Alpha');
    sessions.add('s1', a);
    sessions.add('s2', a);
    sessions.add('s3', null);
    assert.deepEqual(await projects.deleteChats(a), { status: 'ok', deletedSessionCount: 2, skippedSessionCount: 0 });
    assert.equal(sessions.rows.get('s3')!.deleted, false);
    assert.ok(projects.get(a));
    assert.deepEqual(await projects.delete(a), { status: 'ok' });
    assert.deepEqual(await projects.deleteChats(a), { status: 'not_found', projectId: a });
  });
});
