import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { ActivityTree } from '../../../extension/activity/activity-tree';
import { ApprovalNotifier } from '../../../extension/approvals/approval-notifier';
import type { ApprovalActions } from '../../../extension/approvals/approval-actions';
import type { BridgeClient, BridgeEvent } from '../../../extension/bridge/bridge-client';
import { openFile } from '../../../extension/chat/editor-actions';
import { COMMANDS, LENS_COMMANDS } from '../../../extension/ids';
import type { CodexManagerApi } from '../../../extension/shell';
import { EventRecorder, extension, poll, workspaceFile } from './support';

/**
 * Hostile model output on the editor's own surfaces (issue 18), in a real VS Code with the
 * real bridge, runtime and the scripted fake model: a file name with a right-to-left
 * override gets a warning lens; a command with bidi isolates reads in the notification
 * and the Tool Activity tree with its hidden characters shown; chat links open only files
 * inside the workspace.
 */
describe('hostile text on editor surfaces', function () {
  this.timeout(120_000);
  let api: CodexManagerApi;
  let recorder: EventRecorder;
  let sessionId: string;
  const spoofName = 'invoice\u202Egnp.js';
  const spoofFile = workspaceFile(spoofName);
  const bidiCommand = 'echo safe \u2067; echo spoofed #\u2069';

  /** A notifier wired to a stand-in bridge, recording what it would show. */
  function recordingNotifier() {
    let listener: ((e: BridgeEvent) => void) | undefined;
    const shown: string[] = [];
    const bridge = { onEvent: (l: (e: BridgeEvent) => void) => { listener = l; return { dispose() {} }; } } as unknown as BridgeClient;
    const notifier = new ApprovalNotifier(bridge, {} as ApprovalActions, () => false, async () => undefined,
      async (message) => { shown.push(message); return undefined; }, () => true);
    return { shown, emit: (e: BridgeEvent) => listener?.(e), dispose: () => notifier.dispose() };
  }

  before(async () => {
    api = await extension().activate();
    recorder = new EventRecorder(api);
    await vscode.workspace.getConfiguration('codexManager').update('defaultSandbox', 'read-only', vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.writeFile(spoofFile, Buffer.from('old line\n'));
    sessionId = await vscode.commands.executeCommand<string>(COMMANDS.newSession);
  });
  after(() => recorder?.dispose());

  it('a file-change approval on a file whose name hides characters: a warning lens first, and a notification that shows them', async () => {
    await vscode.window.showTextDocument(spoofFile);
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, `patch ${spoofName}: old line => new line`);
    const approval = await recorder.waitFor('the approval', (e) => e.type === 'approval' && e.threadId === sessionId);
    const lenses = await poll('lenses on the spoofed file', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', spoofFile);
      return (found ?? []).some((l) => l.command?.command === LENS_COMMANDS.accept) ? found : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.match(titles[0]!, /^\$\(warning\) Hidden or right-to-left characters in this file's name: invoice⟨U\+202E⟩gnp\.js$/);
    assert.deepEqual(titles.slice(1), ['$(check) Accept', 'Accept for session', '$(close) Decline', 'Show diff']);

    const n = recordingNotifier();
    n.emit(approval as BridgeEvent);
    await poll('the notification', () => n.shown[0]);
    assert.match(n.shown[0]!, /^⚠ Hidden or right-to-left characters/);
    assert.match(n.shown[0]!, /Codex wants to change invoice⟨U\+202E⟩gnp\.js\./);
    assert.ok(!n.shown[0]!.includes('\u202E'), 'the override itself never reaches the notification');
    n.dispose();

    await vscode.commands.executeCommand(LENS_COMMANDS.decline, approval.payload.approvalId);
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
  });

  it('a command approval with bidi isolates: the notification and the Tool Activity tree show what runs', async () => {
    const sent = await vscode.commands.executeCommand<{ turnId: string }>(COMMANDS.sendMessage, `run command: ${bidiCommand}`);
    const approval = await recorder.waitFor('the command approval', (e) => e.type === 'approval' && e.threadId === sessionId && e.payload.approvalId !== undefined
      && String(e.payload.method).includes('commandExecution'));
    const n = recordingNotifier();
    n.emit(approval as BridgeEvent);
    await poll('the notification', () => n.shown[0]);
    assert.match(n.shown[0]!, /^⚠ /);
    assert.ok(n.shown[0]!.includes('echo safe ⟨U+2067⟩; echo spoofed #⟨U+2069⟩'), n.shown[0]);
    assert.ok(!/[\u2066-\u2069\u202A-\u202E]/.test(n.shown[0]!.replace(/^\u2068|\u2069$/g, '')), 'no live bidi controls in the message');
    n.dispose();

    // The Tool Activity tree built from the same bridge events.
    const tree = new ActivityTree();
    tree.reset(sessionId, 'Fix \u202Etxt.exe');
    for (const e of recorder.events) tree.apply(e);
    const started = await poll('the command in the tree', () => {
      const turns = tree.getChildren();
      const items = turns.flatMap((t) => tree.getChildren(t));
      return items.map((i) => tree.getTreeItem(i)).find((t) => String(t.label).includes('echo safe'));
    });
    assert.ok(String(started.label).includes('echo safe ⟨U+2067⟩; echo spoofed #⟨U+2069⟩'), String(started.label));
    assert.equal((started.iconPath as vscode.ThemeIcon).id, 'warning', 'flagged in the tree');
    assert.match((started.tooltip as vscode.MarkdownString).value, /hidden or right-to-left characters/);
    tree.dispose();

    await api.call('decideApproval', { params: { approvalId: approval.payload.approvalId as string }, body: { decision: 'decline' } });
    await recorder.notification(sessionId, 'turn/completed', (p) => (p.turn as { id: string }).id === sent!.turnId);
  });

  it('chat links open only files inside the workspace', async () => {
    const inside = workspaceFile('inside.txt');
    await vscode.workspace.fs.writeFile(inside, Buffer.from('inside\n'));
    await openFile('inside.txt');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, inside.fsPath, 'a relative workspace path opens');
    await openFile(inside.fsPath);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    for (const link of ['/etc/passwd', 'file:///etc/passwd', '\\\\evil.example\\share\\readme.md', '//evil.example/share', 'file://evil.example/share/x', path.join(folder, '..', 'outside.txt'), '../../etc/hosts', `src/${spoofName}`]) {
      await assert.rejects(openFile(link), /Codex: not opening/, link);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, inside.fsPath, `${link}: nothing else opened`);
    }
  });
});
