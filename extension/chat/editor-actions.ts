import fs from 'node:fs';
import * as vscode from 'vscode';
import { decideFileLink, isInside } from './file-link-policy';
import { describeSelectionLines } from './selection-lines';

/** What the chat asks of the editor itself: open a file, insert code, copy text. */

/**
 * Opens a file a chat link or file row points at, only when it is inside the workspace
 * (file-link-policy.ts says why and how); otherwise rejects with a sentence the chat shows.
 */
export async function openFile(file: string): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const decision = decideFileLink(file, { folders, platform: process.platform });
  if (!decision.ok) throw new Error(decision.reason);
  // A symbolic link inside the workspace may point out of it: check where it really leads.
  const real = realpath(decision.path);
  if (real && !folders.some((folder) => isInside(real, realpath(folder) ?? folder, process.platform))) {
    throw new Error(`Codex: not opening ${file}: it links to a file outside the workspace.`);
  }
  await vscode.window.showTextDocument(vscode.Uri.file(decision.path), { preview: false });
}

function realpath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined; // does not exist (yet): the editor will say so
  }
}

/**
 * Insert at the cursor (replacing the selection) of the editor the user worked in last;
 * with no editor open, the code goes into a new untitled document instead of nowhere.
 */
export async function insertCode(code: string): Promise<{ inserted: 'editor' | 'untitled' }> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    const doc = await vscode.workspace.openTextDocument({ content: code });
    await vscode.window.showTextDocument(doc);
    return { inserted: 'untitled' };
  }
  await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
  return { inserted: 'editor' };
}

export async function copyText(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
}

/** The selection of the active editor as a message: an instruction, where it is from, the code. */
export function selectionMessage(editor: vscode.TextEditor, instruction: string): string | undefined {
  const selection = editor.selection;
  const code = editor.document.getText(selection.isEmpty ? undefined : selection);
  if (!code.trim()) return undefined;
  const where = vscode.workspace.asRelativePath(editor.document.uri);
  const lines = describeSelectionLines(selection.start, selection.end, selection.isEmpty);
  const fence = code.includes('```') ? '````' : '```';
  const ask = instruction.trim() || 'Look at this code.';
  return `${ask}\n\nFrom \`${where}\`${lines}:\n${fence}${editor.document.languageId}\n${code.replace(/\n$/, '')}\n${fence}`;
}
