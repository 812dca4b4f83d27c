import path from 'node:path';
import * as vscode from 'vscode';
import { hasHiddenChars, hasRtlLetters, isolatePlain } from '../../protocol/untrusted-text';
import { LENS_COMMANDS } from '../ids';

/**
 * Approval lenses sit in the file a change would touch, but an editor tab shows a file
 * name with bidi controls or zero-width characters as they render (`invoice\u202Egnp.js`
 * reads `invoicesj.png`). When the file's path holds any, a warning lens goes first on
 * each approval line, naming the path with its hidden characters shown. Used as the
 * language client's `provideCodeLenses` middleware (the lenses come from the bridge).
 */
export function withPathWarning(document: vscode.TextDocument, lenses: vscode.CodeLens[] | null | undefined): vscode.CodeLens[] | null | undefined {
  if (!lenses?.length) return lenses;
  const file = document.uri.fsPath;
  if (!hasHiddenChars(file) && !hasRtlLetters(file)) return lenses;
  const ours = new Set<string>([LENS_COMMANDS.accept, LENS_COMMANDS.acceptForSession, LENS_COMMANDS.decline, LENS_COMMANDS.showDiff]);
  const lines = new Map<number, vscode.Range>();
  for (const lens of lenses) if (lens.command && ours.has(lens.command.command)) lines.set(lens.range.start.line, lens.range);
  if (!lines.size) return lenses;
  const title = `$(warning) Hidden or right-to-left characters in this file's name: ${isolatePlain(path.basename(file))}`;
  const warnings = [...lines.values()].map((range) => new vscode.CodeLens(range, { title, command: '', tooltip: isolatePlain(file) }));
  return [...warnings, ...lenses];
}
