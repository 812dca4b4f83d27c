import * as vscode from 'vscode';
import { CHECKPOINT_COMMANDS } from '../ids';
import type { TurnChanges } from './turn-changes';

/**
 * Keep / Undo lenses on each hunk a turn applied, and Review changes / Keep all / Undo all
 * at the top of the file. Served by the extension (not the bridge's lens provider, which
 * serves pending approvals): the hunks come from the checkpoint diff the extension loaded.
 */
export class HunkLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changedEmitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly changes: TurnChanges) {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      changes.onDidChange(() => this.changedEmitter.fire()),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const review = this.changes.review(document.uri);
    if (!review) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const open = review.hunks.filter((h) => !h.done).length;
    const lenses = [
      new vscode.CodeLens(top, { title: `$(diff-multiple) Review changes (${open} of ${review.hunks.length} hunks)`, command: CHECKPOINT_COMMANDS.reviewChanges, arguments: [review.sessionId, review.turnId] }),
      new vscode.CodeLens(top, { title: 'Keep all', command: CHECKPOINT_COMMANDS.keepAll, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Undo all', command: CHECKPOINT_COMMANDS.undoAll, arguments: [document.uri] }),
    ];
    for (const { hunk, done } of review.hunks) {
      if (done) continue;
      const line = Math.min(this.changes.lineOf(review, hunk.index), Math.max(0, document.lineCount - 1));
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(
        new vscode.CodeLens(range, { title: 'Keep', command: CHECKPOINT_COMMANDS.keepHunk, arguments: [document.uri, hunk.index], tooltip: 'Keep this change' }),
        new vscode.CodeLens(range, { title: 'Undo', command: CHECKPOINT_COMMANDS.undoHunk, arguments: [document.uri, hunk.index], tooltip: 'Put back the lines as they were before the turn' }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changedEmitter.dispose();
  }
}
