import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { approvalDiffTabs } from '../../../extension/approvals/diff-tabs';
import { selectionMessage } from '../../../extension/chat/editor-actions';
import { COMMANDS, LENS_COMMANDS } from '../../../extension/ids';
import type { CodexManagerApi } from '../../../extension/shell';
import { EventRecorder, extension, poll, workspaceFile } from './support';

/** Issue 13's editor flaws, each reproduced against the real runtime first. */
describe('editor flaws (issue 13)', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;
  let recorder: EventRecorder;

  before(async () => {
    api = await extension().activate();
    recorder = new EventRecorder(api);
    await vscode.workspace.getConfiguration('codexManager').update('defaultSandbox', 'read-only', vscode.ConfigurationTarget.Global);
  });

  after(() => recorder?.dispose());

  it('6. Send Selection names lines 2-4 for a selection that ends at column 1 of line 5', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: 'one\ntwo\nthree\nfour\nfive\nsix\n', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 4, 0);
    const message = selectionMessage(editor, 'explain');
    assert.match(message ?? '', / lines 2-4:\n/);
    assert.match(message ?? '', /two\nthree\nfour\n```$/, 'the code is the three lines, not a fourth empty one');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('4. closes the diff tab of an approval once the approval is decided', async () => {
    const file = workspaceFile('b.txt');
    await vscode.workspace.fs.writeFile(file, Buffer.from('old b\n'));
    const sessionId = await vscode.commands.executeCommand<string>(COMMANDS.newSession);
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, 'patch b.txt: old b => new b');
    assert.ok(sent?.turnId, 'the turn started');
    const approval = await recorder.waitFor('the approval', (e) => e.type === 'approval' && e.threadId === sessionId);
    const approvalId = approval.payload.approvalId as string;
    await vscode.commands.executeCommand(LENS_COMMANDS.showDiff, approvalId, file.toString());
    await poll('the diff tab', () => approvalDiffTabs(approvalId).length === 1);

    assert.equal(await vscode.commands.executeCommand<boolean>(LENS_COMMANDS.accept, approvalId), true);
    await recorder.waitFor('approval_resolved', (e) => e.type === 'approval_resolved' && e.payload.approvalId === approvalId);
    await poll('the diff tab to close', () => approvalDiffTabs(approvalId).length === 0, 10_000);
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent.turnId);
  });
});
