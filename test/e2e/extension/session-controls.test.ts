import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, CONTROL_COMMANDS } from '../../../extension/ids';
import type { CodexManagerApi } from '../../../extension/shell';
import { EventRecorder, extension } from './support';

type Controls = { model: string | null; approvalPolicy: string; filesystemSandbox: string };

/** Model, effort, approval policy and sandbox from the palette, applied to the active session. */
describe('session controls from the palette (issue 13)', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;
  let recorder: EventRecorder;

  before(async () => {
    api = await extension().activate();
    recorder = new EventRecorder(api);
  });

  after(() => recorder?.dispose());

  it('applies model, approval policy and sandbox to the session, keeps the effort, and the next turn runs with them', async () => {
    const sessionId = await vscode.commands.executeCommand<string>(COMMANDS.newSession);
    const models = await api.call<{ data: { model: string; isDefault: boolean }[] }>('listModels', { query: {} });
    const model = models.data.find((m) => !m.isDefault)?.model ?? models.data[0]?.model;
    assert.ok(model, 'the runtime lists models');

    const applied = await vscode.commands.executeCommand<Controls>(CONTROL_COMMANDS.model, model);
    assert.equal(applied?.model, model);
    assert.equal((await vscode.commands.executeCommand<Controls>(CONTROL_COMMANDS.approvalPolicy, 'untrusted'))?.approvalPolicy, 'untrusted');
    assert.equal((await vscode.commands.executeCommand<Controls>(CONTROL_COMMANDS.sandbox, 'workspace-write'))?.filesystemSandbox, 'workspace-write');
    assert.equal(await vscode.commands.executeCommand<string>(CONTROL_COMMANDS.effort, 'high'), 'high');

    const read = await api.call<{ controls: Controls }>('getSessionControls', { params: { sessionId } });
    assert.deepEqual([read.controls.model, read.controls.approvalPolicy, read.controls.filesystemSandbox], [model, 'untrusted', 'workspace-write']);

    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, 'hello');
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
    const detail = await api.call<{ session: { sessionControls: Controls } }>('readSession', { params: { sessionId } });
    assert.equal(detail.session.sessionControls.model, model, 'the turn ran with the chosen model');
    assert.equal(detail.session.sessionControls.filesystemSandbox, 'workspace-write');
  });

  it('steers a running turn from the palette command', async () => {
    const sessionId = api.activeSessionId()!;
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, 'slow');
    assert.ok(sent?.turnId, 'the turn started');
    await recorder.notification(sessionId, 'item/agentMessage/delta', (p) => p.turnId === sent!.turnId);
    const steered = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.steer, 'and mention the tests');
    assert.equal(steered?.turnId, sent.turnId, 'added to the running turn, not a new one');
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
    const read = await api.call<{ transcript: { role: string; content: string }[] }>('readSession', { params: { sessionId } });
    assert.ok(read.transcript.some((e) => e.role === 'user' && e.content.includes('and mention the tests')), 'the steer input is in the transcript');
  });
});
