import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, SESSION_COMMANDS } from '../../../extension/ids';
import type { CodexManagerApi } from '../../../extension/shell';
import { EventRecorder, extension, poll } from './support';

type Summary = { sessionId: string; title: string; projectId: string | null; archived?: boolean; updatedAt: number };

/** The Sessions view's actions against the real runtime, called as the tree calls them (with its node). */
describe('Sessions view (issue 13)', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;
  let recorder: EventRecorder;
  let sessionId: string;

  const node = (s: Summary) => ({ kind: 'session', session: s, data: { sessions: [s], projects: [], waiting: new Set(), activeSessionId: undefined } });
  const summary = async (id: string, archived = false): Promise<Summary | undefined> => {
    const list = await api.call<{ data: Summary[] }>('listSessions', { query: { archived, limit: 200 } });
    return list.data.find((s) => s.sessionId === id);
  };

  before(async () => {
    api = await extension().activate();
    recorder = new EventRecorder(api);
    sessionId = await vscode.commands.executeCommand<string>(COMMANDS.newSession);
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, 'hello');
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
  });

  after(() => recorder?.dispose());

  it('renames a session', async () => {
    const s = (await summary(sessionId))!;
    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.rename, node(s), 'Sessions view test'), 'Sessions view test');
    assert.equal((await summary(sessionId))?.title, 'Sessions view test');
  });

  it('creates a project, moves the session into it, renames the project; a project with sessions is not deleted', async () => {
    const projectId = await vscode.commands.executeCommand<string>(SESSION_COMMANDS.createProject, `Alpha ${Date.now()}`);
    assert.ok(projectId);
    await vscode.commands.executeCommand(SESSION_COMMANDS.moveToProject, node((await summary(sessionId))!), projectId);
    assert.equal((await summary(sessionId))?.projectId, projectId);
    const projectNode = { kind: 'project', project: { projectId, name: 'Alpha' }, sessions: [] };
    await vscode.commands.executeCommand(SESSION_COMMANDS.renameProject, projectNode, `Beta ${Date.now()}`);
    const projects = await api.call<{ data: { projectId: string; name: string }[] }>('listProjects');
    assert.match(projects.data.find((p) => p.projectId === projectId)?.name ?? '', /^Beta /);
    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.deleteProject, projectNode, true), false, 'not empty');
    await vscode.commands.executeCommand(SESSION_COMMANDS.moveToProject, node((await summary(sessionId))!), null);
    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.deleteProject, projectNode, true), true);
  });

  it('forks a session and switches to the fork; opens the original again', async () => {
    const forkId = await vscode.commands.executeCommand<string>(SESSION_COMMANDS.fork, node((await summary(sessionId))!));
    assert.ok(forkId && forkId !== sessionId);
    assert.equal(api.activeSessionId(), forkId, 'the fork is the chat\'s session');
    const transcript = await api.call<{ transcript: { content: string }[] }>('readSession', { params: { sessionId: forkId } });
    assert.ok(transcript.transcript.some((e) => /Hello from/.test(e.content)), 'with the history');
    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.open, node((await summary(sessionId))!)), sessionId);
    assert.equal(api.activeSessionId(), sessionId);
  });

  it('archives and unarchives a session', async () => {
    const forked = (await api.call<{ data: Summary[] }>('listSessions', { query: { limit: 200 } })).data.find((s) => s.sessionId !== sessionId && s.title.includes('Sessions view test'))!;
    assert.ok(forked, 'the fork is listed');
    await vscode.commands.executeCommand(SESSION_COMMANDS.archive, node(forked));
    assert.ok(await summary(forked.sessionId, true), 'listed as archived');
    assert.equal(await summary(forked.sessionId, false), undefined);
    await vscode.commands.executeCommand(SESSION_COMMANDS.unarchive, node({ ...forked, archived: true }));
    assert.ok(await summary(forked.sessionId, false), 'back in the list');

    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.delete, node(forked), true), true);
    await assert.rejects(api.call('readSession', { params: { sessionId: forked.sessionId } }), (e: { httpStatus?: number }) => e.httpStatus === 410);
  });

  it('filters by title', async () => {
    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.filter, 'view test'), 'view test');
    await vscode.commands.executeCommand(SESSION_COMMANDS.clearFilter);
    assert.equal(await vscode.commands.executeCommand(SESSION_COMMANDS.filter, ''), '');
  });

  it('opens sessions in editor tabs, several at once', async () => {
    const other = await api.call<{ session: Summary }>('createSession', { body: {} });
    await vscode.commands.executeCommand(COMMANDS.openInEditor, node((await summary(sessionId))!));
    await vscode.commands.executeCommand(COMMANDS.openInEditor, node({ ...other.session, projectId: null, updatedAt: 0 }));
    const sessionTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('codexManager.sessionPanel'));
    const tabs = await poll(`two session tabs (tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label}:${(t.input as { viewType?: string })?.viewType}`).join(', ')})`, () => sessionTabs().length === 2 && sessionTabs(), 10_000);
    const title = (await summary(sessionId))!.title;
    assert.ok(tabs.some((t) => t.label === title), `labelled with the title "${title}" (${tabs.map((t) => t.label).join(', ')})`);
    await vscode.window.tabGroups.close(tabs);
  });
});
