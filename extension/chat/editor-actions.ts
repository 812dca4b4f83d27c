import path from 'node:path';
import * as vscode from 'vscode';
import { describeSelectionLines } from './selection-lines';

/** What the chat asks of the editor itself: open a file, insert code, copy text. */

export async function openFile(file: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const absolute = path.isAbsolute(file) || !folder ? file : path.join(folder, file);
  await vscode.window.showTextDocument(vscode.Uri.file(absolute), { preview: false });
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
