import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, LENS_COMMANDS, PROPOSED_SCHEME } from '../../../extension/ids';
import type { CodexManagerApi } from '../../../extension/shell';
import { EventRecorder, extension, poll, workspaceFile } from './support';

/**
 * The real thing: the extension starts the bridge (dist/server.js over stdio), which runs
 * the real codex app-server against the scripted fake model (started by
 * scripts/e2e/run-extension-suite.mjs; CODEX_HOME points at it).
 */
describe('sessions, streaming and approvals through the bridge', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;
  let recorder: EventRecorder;
  let sessionId: string;
  const file = workspaceFile('a.txt');

  before(async () => {
    api = await extension().activate();
    recorder = new EventRecorder(api);
    // In read-only, a patch needs an approval: that is what we want to see as lenses.
    await vscode.workspace.getConfiguration('codexManager').update('defaultSandbox', 'read-only', vscode.ConfigurationTarget.Global);
  });

  after(() => recorder?.dispose());

  it('starts a session from the command palette command', async () => {
    sessionId = await vscode.commands.executeCommand<string>(COMMANDS.newSession);
    assert.match(sessionId ?? '', /\S/, 'New Session returns the session id');
    assert.equal(api.activeSessionId(), sessionId, 'it becomes the active session of the workspace');
    const detail = await api.call<{ session: { sessionControls: { filesystemSandbox: string } } }>('readSession', { params: { sessionId } });
    assert.equal(detail.session.sessionControls.filesystemSandbox, 'read-only', 'codexManager.defaultSandbox applies');
  });

  it('sends a message and receives the streamed answer', async () => {
    const sent = await vscode.commands.executeCommand<{ sessionId: string; turnId: string }>(COMMANDS.sendMessage, 'hello');
    assert.equal(sent?.sessionId, sessionId);
    await recorder.notification(sessionId, 'item/agentMessage/delta');
    const done = await recorder.notification(sessionId, 'item/completed', (p) => (p.item as { type?: string }).type === 'agentMessage');
    const text = ((done.payload.params as { item: { text: string } }).item.text);
    assert.match(text, /Hello from/, 'the fake model answered');
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
  });

  it('shows a file-change approval as code lenses, previews it as a diff, and applies it when accepted', async () => {
    await vscode.window.showTextDocument(file);
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, 'patch a.txt: old line => new line');
    assert.ok(sent?.turnId, 'the turn started');
    const approval = await recorder.waitFor('the approval', (e) => e.type === 'approval' && e.threadId === sessionId);
    const approvalId = approval.payload.approvalId as string;

    const lenses = await poll('approval lenses on a.txt', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
      const ours = (found ?? []).filter((l) => l.command?.command.startsWith('codexManager.approval.'));
      return ours.length ? ours : undefined;
    });
    assert.deepEqual(lenses.map((l) => l.command!.title), ['$(check) Accept', 'Accept for session', '$(close) Decline', 'Show diff']);
    assert.equal(lenses[0]!.range.start.line, 0, 'on the changed line');

    const showDiff = lenses.find((l) => l.command!.command === LENS_COMMANDS.showDiff)!;
    await vscode.commands.executeCommand(showDiff.command!.command, ...(showDiff.command!.arguments ?? []));
    const tab = await poll('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.original.toString(), file.toString(), 'left: the file as it is');
    assert.equal(tab.modified.scheme, PROPOSED_SCHEME, 'right: the proposal');
    const proposed = await vscode.workspace.openTextDocument(tab.modified);
    assert.equal(proposed.getText(), 'new line\n');

    const accept = lenses.find((l) => l.command!.command === LENS_COMMANDS.accept)!;
    assert.deepEqual(accept.command!.arguments, [approvalId]);
    const decided = await vscode.commands.executeCommand<boolean>(accept.command!.command, ...(accept.command!.arguments ?? []));
    assert.equal(decided, true);
    const resolved = await recorder.waitFor('approval_resolved', (e) => e.type === 'approval_resolved' && e.payload.approvalId === approvalId);
    assert.equal(resolved.payload.resolvedBy, 'editor');
    await poll('a.txt to change', async () => (await vscode.workspace.fs.readFile(file)).toString() === 'new line\n' || undefined);
    await poll('the lenses to go away', async () => {
      const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
      return (after ?? []).every((l) => !l.command?.command.startsWith('codexManager.approval.')) || undefined;
    });
    // The model still answers after the patch; the next test needs the session idle.
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent.turnId);
  });

  it('a second decision on the same approval loses politely', async () => {
    const approval = recorder.events.find((e) => e.type === 'approval' && e.threadId === sessionId)!;
    const decided = await vscode.commands.executeCommand<boolean>(LENS_COMMANDS.decline, approval.payload.approvalId);
    assert.equal(decided, false, 'the first decision already won');
  });

  it('interrupts a running turn', async () => {
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, 'slow');
    assert.ok(sent?.turnId, 'the turn started');
    await recorder.notification(sessionId, 'item/agentMessage/delta', (p) => p.turnId === sent!.turnId);
    const interrupted = await vscode.commands.executeCommand<boolean>(COMMANDS.interrupt);
    assert.equal(interrupted, true);
    const completed = await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
    assert.equal(((completed.payload.params as { turn: { status: string } }).turn.status), 'interrupted');
  });

  it('restarts the runtime and keeps the session', async () => {
    const how = await vscode.commands.executeCommand<string>(COMMANDS.restartRuntime);
    assert.equal(how, 'runtime');
    const health = await api.call<{ runtime: { state: string } }>('getHealth');
    assert.equal(health.runtime.state, 'ready');
    const sent = await vscode.commands.executeCommand<{ sessionId: string }>(COMMANDS.sendMessage, 'hi again');
    assert.equal(sent?.sessionId, sessionId, 'the same session goes on after the restart');
  });
});
