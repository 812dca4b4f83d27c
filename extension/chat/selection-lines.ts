/** A position as VS Code gives it (0-based line and character); no vscode import, so unit tests can use it. */
export interface LinePosition { line: number; character: number }

/**
 * The 1-based line range a selection covers, as a person would say it. A selection that
 * ends at column 1 of a line (a whole-line selection made with Shift+Down, or a triple
 * click) does not include that line: lines 2-4, not 2-5.
 */
export function selectionLines(start: LinePosition, end: LinePosition): { first: number; last: number } {
  const last = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  return { first: start.line + 1, last: last + 1 };
}

/** " lines 2-4", " line 3", or "" for an empty selection. */
export function describeSelectionLines(start: LinePosition, end: LinePosition, isEmpty: boolean): string {
  if (isEmpty) return '';
  const { first, last } = selectionLines(start, end);
  return first === last ? ` line ${first}` : ` lines ${first}-${last}`;
}
