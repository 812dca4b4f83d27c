import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { BridgeClient } from '../bridge/bridge-client';
import { BridgeCallError, describeError } from '../bridge/errors';
import { diffTitle } from './approval-text';
import { itemDiffSides } from './item-diff';
import type { ProposedDocuments } from './proposed-documents';

export type Decision = 'accept' | 'decline' | 'cancel';

/**
 * Deciding approvals and previewing file changes: the one implementation behind the code
 * lenses, the chat's approval cards and the notifications. The bridge's first-answer-wins
 * rule means a decision can lose to another surface; that is reported, not an error.
 */
export class ApprovalActions {
  constructor(private readonly bridge: BridgeClient, private readonly proposed: ProposedDocuments) {}

  /** Decide; rejects with the bridge's error (409 when someone else decided first). */
  decide(approvalId: string, decision: Decision, scope?: 'turn' | 'session'): Promise<unknown> {
    return this.bridge.call('decideApproval', { params: { approvalId }, body: { decision, ...(scope ? { scope } : {}) } });
  }

  /** Decide from a lens or a notification: failures become a message, not an exception. */
  async decideAndReport(approvalId: string, decision: Decision, scope?: 'turn' | 'session'): Promise<boolean> {
    try {
      await this.decide(approvalId, decision, scope);
      return true;
    } catch (error) {
      void vscode.window.showInformationMessage(lostDecisionMessage(error));
      return false;
    }
  }

  /** The native diff editor: the file as it is (left) against the approval's proposal (right, read-only). */
  async showDiff(approvalId: string, file: string | vscode.Uri): Promise<void> {
    const uri = typeof file === 'string' ? toFileUri(file) : file;
    const { original, proposed } = await this.bridge.request<{ original: string; proposed: string }>('codex/proposedContent', { approvalId, path: uri.fsPath });
    const right = this.proposed.put(uri, approvalId, 'proposed', proposed);
    // A file the change creates does not exist yet: compare against an empty document.
    const left = fs.existsSync(uri.fsPath) ? uri : this.proposed.put(uri, approvalId, 'original', original);
    await vscode.commands.executeCommand('vscode.diff', left, right, diffTitle(uri.fsPath, 'current ↔ Codex proposal'), { preview: true });
  }

  /**
   * A file change already in the transcript: its before and after, with the real file on
   * the side that matches it (so it stays editable), or the raw diff when neither fits.
   */
  async showItemDiff(itemId: string, file: string, diff: string): Promise<void> {
    const uri = toFileUri(file);
    const current = fs.existsSync(uri.fsPath) ? fs.readFileSync(uri.fsPath, 'utf8') : '';
    const sides = itemDiffSides(current, diff);
    if (!sides) {
      const doc = await vscode.workspace.openTextDocument({ language: 'diff', content: diff });
      await vscode.window.showTextDocument(doc, { preview: true });
      return;
    }
    const ref = `item:${itemId}`;
    if (sides.applied) {
      await vscode.commands.executeCommand('vscode.diff', this.proposed.put(uri, ref, 'original', sides.before), uri, diffTitle(uri.fsPath, 'before ↔ after Codex\'s change'), { preview: true });
    } else {
      await vscode.commands.executeCommand('vscode.diff', uri, this.proposed.put(uri, ref, 'proposed', sides.after), diffTitle(uri.fsPath, 'current ↔ Codex\'s change, not applied'), { preview: true });
    }
  }

  /** Show diff, reporting failures as a message (lens and notification entry point). */
  async showDiffAndReport(approvalId: string, file: string | vscode.Uri): Promise<void> {
    try {
      await this.showDiff(approvalId, file);
    } catch (error) {
      void vscode.window.showWarningMessage(`Codex: cannot show this change: ${lostDecisionMessage(error)}`);
    }
  }
}

/** A path or URI string (lens arguments carry a file URI; the webview sends paths). */
function toFileUri(file: string): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) return vscode.Uri.parse(file);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return vscode.Uri.file(path.isAbsolute(file) || !folder ? file : path.join(folder, file));
}

function lostDecisionMessage(error: unknown): string {
  if (error instanceof BridgeCallError) {
    if (error.httpStatus === 404) return 'Codex: this approval is no longer pending.';
    if (error.httpStatus === 409) {
      const resolution = error.body?.resolution as { by?: string } | null | undefined;
      const status = error.body?.requestStatus;
      if (status === 'expired') return 'Codex: this approval expired (its turn ended).';
      return `Codex: this approval was already decided${resolution?.by ? ` (by ${resolution.by})` : ''}.`;
    }
  }
  return `Codex: ${describeError(error)}`;
}
