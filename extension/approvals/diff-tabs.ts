import * as vscode from 'vscode';
import { PROPOSED_SCHEME } from '../ids';

/**
 * The diff tabs opened for one approval (either side a `codex-proposed` document whose
 * `ref` is the approval id). Once the approval is decided the proposal is either applied
 * or dropped, and a diff left open would compare the file with itself or with a dead
 * proposal, so these tabs are closed.
 */
export function approvalDiffTabs(approvalId: string): vscode.Tab[] {
  const ours = (uri: vscode.Uri) => uri.scheme === PROPOSED_SCHEME && new URLSearchParams(uri.query).get('ref') === approvalId;
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => {
    const input = tab.input;
    return input instanceof vscode.TabInputTextDiff && (ours(input.modified) || ours(input.original));
  });
}

/** Close the approval's diff tabs; a tab with unsaved edits (the real file's side) is left to the user. */
export async function closeApprovalDiffs(approvalId: string): Promise<number> {
  const tabs = approvalDiffTabs(approvalId).filter((tab) => !tab.isDirty);
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  return tabs.length;
}
