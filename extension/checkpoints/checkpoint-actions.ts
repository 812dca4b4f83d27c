import path from 'node:path';
import * as vscode from 'vscode';
import type { ProposedDocuments } from '../approvals/proposed-documents';
import type { BridgeClient } from '../bridge/bridge-client';
import { BridgeCallError, describeError } from '../bridge/errors';
import type { FileDiff, TurnChanges } from './turn-changes';

interface Conflict { path: string; reason: string }
export type RestoreScope = 'turn' | 'toBefore';

/**
 * Undo a turn, restore to before it, review its changes, keep or undo one hunk or all:
 * each one bridge operation. A restore the bridge refuses (files changed since) is shown
 * with the files and why, and done only if the person confirms.
 */
export class CheckpointActions {
  constructor(
    private readonly bridge: BridgeClient,
    private readonly changes: TurnChanges,
    private readonly documents: ProposedDocuments,
  ) {}

  /** Returns what was restored, or undefined when there was nothing to restore or the person declined. */
  async restore(sessionId: string, turnId: string, scope: RestoreScope): Promise<{ files: { path: string; action: string }[] } | undefined> {
    const call = (force: boolean) => this.bridge.call<{ files: { path: string; action: string }[] }>('restoreSessionCheckpoint', { params: { sessionId, turnId }, body: { scope, force } });
    let result;
    try {
      result = await call(false);
    } catch (error) {
      const conflicts = conflictsOf(error);
      if (!conflicts) throw error;
      const detail = conflicts.map((c) => `${path.basename(c.path)}: ${c.reason}`).join('\n');
      const choice = await vscode.window.showWarningMessage(`Codex: ${conflicts.length} file(s) changed since this turn. Restore anyway and lose those changes?`, { modal: true, detail }, 'Restore anyway');
      if (choice !== 'Restore anyway') return undefined;
      result = await call(true);
    }
    this.changes.forget();
    void vscode.window.showInformationMessage(`Codex: restored ${result.files.length} file(s) to before the turn.`);
    return result;
  }

  /** The files a turn changed: one multi-file diff (checkpoint ↔ working tree) where VS Code has it, else one diff per file. */
  async review(sessionId: string, turnId: string): Promise<void> {
    const files = await this.changes.load(sessionId, turnId);
    if (files.length === 0) {
      void vscode.window.showInformationMessage('Codex: this turn changed no files.');
      return;
    }
    const pairs = files.map((f) => this.sides(turnId, f));
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes('vscode.changes')) {
      await vscode.commands.executeCommand('vscode.changes', 'Codex: changes of the turn', pairs.map((p) => [p.uri, p.left, p.right]));
    } else {
      for (const p of pairs) await vscode.commands.executeCommand('vscode.diff', p.left, p.right, `${path.basename(p.uri.fsPath)} (before ↔ after the turn)`, { preview: false });
    }
    const choice = await vscode.window.showInformationMessage(`Codex: the turn changed ${files.length} file(s).`, 'Keep all', 'Undo all');
    if (choice === 'Keep all') this.changes.forget();
    if (choice === 'Undo all') await this.restore(sessionId, turnId, 'turn');
  }

  keepHunk(uri: vscode.Uri, index: number): void {
    this.changes.mark(uri, index, 'kept');
  }

  async undoHunk(uri: vscode.Uri, index: number): Promise<void> {
    const review = this.changes.review(uri);
    if (!review) return;
    // Unsaved edits would be overwritten on disk or conflict with it: save first.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) await open.save();
    await this.bridge.call('restoreSessionCheckpointHunk', { params: { sessionId: review.sessionId, turnId: review.turnId }, body: { path: uri.fsPath, hunk: index } });
    this.changes.mark(uri, index, 'undone');
  }

  keepAll(uri: vscode.Uri): void {
    this.changes.mark(uri, 'all', 'kept');
  }

  /** Undoes every hunk of this file still open, last first so earlier positions stay valid. */
  async undoAll(uri: vscode.Uri): Promise<void> {
    const review = this.changes.review(uri);
    if (!review) return;
    for (const { hunk } of [...review.hunks].reverse().filter((h) => !h.done)) await this.undoHunk(uri, hunk.index);
  }

  /** Reports a failure as a message (command entry point). */
  async report<T>(what: string, work: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      const conflicts = conflictsOf(error);
      const why = conflicts ? conflicts.map((c) => `${path.basename(c.path)}: ${c.reason}`).join('; ') : describeError(error);
      void vscode.window.showErrorMessage(`Codex: ${what} failed: ${why}`);
      return undefined;
    }
  }

  private sides(turnId: string, f: FileDiff): { uri: vscode.Uri; left: vscode.Uri; right: vscode.Uri } {
    const uri = vscode.Uri.file(f.path);
    const ref = `checkpoint:${turnId}`;
    const left = this.documents.put(uri, ref, 'original', f.before ?? '');
    // The real file on the right (editable) when it exists; an empty document when the turn deleted it.
    const right = f.current === null ? this.documents.put(uri, ref, 'proposed', '') : uri;
    return { uri, left, right };
  }
}

function conflictsOf(error: unknown): Conflict[] | undefined {
  if (!(error instanceof BridgeCallError) || error.httpStatus !== 409) return undefined;
  const files = error.body?.files;
  return Array.isArray(files) ? (files as Conflict[]) : undefined;
}
