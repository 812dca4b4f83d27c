/**
 * The unified diffs codex puts on fileChange items (`@@ -a,b +c,d @@` hunks), parsed into
 * hunks (for one code-lens row each) and applied to the current text (for the proposed
 * side of a diff editor).
 */
export interface Hunk {
  /** 1-based first line in the current file (0 when the hunk inserts at the top). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

const HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseHunks(diff: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  for (const line of diff.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = {
        oldStart: Number(header[1]), oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]), newLines: header[4] === undefined ? 1 : Number(header[4]),
        lines: [],
      };
      hunks.push(current);
    } else if (current && (line.startsWith(' ') || line.startsWith('-') || line.startsWith('+'))) {
      current.lines.push(line);
    } else if (current && line === '\\ No newline at end of file') {
      // keeps the hunk's lines as they are; the trailing newline of the result follows the input
    }
  }
  return hunks;
}

/** Applies hunks to `content`; throws when the context does not match (a stale proposal). */
export function applyHunks(content: string, hunks: readonly Hunk[]): string {
  const endsWithNewline = content.endsWith('\n');
  const source = content.length === 0 ? [] : (endsWithNewline ? content.slice(0, -1) : content).split('\n');
  const out: string[] = [];
  let cursor = 0; // next unread line of source (0-based)
  for (const hunk of hunks) {
    const start = Math.max(0, hunk.oldStart - (hunk.oldLines === 0 ? 0 : 1));
    if (start < cursor) throw new Error('overlapping hunks');
    out.push(...source.slice(cursor, start));
    cursor = start;
    for (const line of hunk.lines) {
      const text = line.slice(1);
      if (line[0] === '+') {
        out.push(text);
        continue;
      }
      if (source[cursor] !== text) throw new Error(`the file changed since the proposal (line ${cursor + 1})`);
      if (line[0] === ' ') out.push(text);
      cursor++;
    }
  }
  out.push(...source.slice(cursor));
  return out.length === 0 ? '' : out.join('\n') + (endsWithNewline || content.length === 0 ? '\n' : '');
}

/** 0-based line in the current file where the hunk's first change is (past leading context). */
export function firstChangedLine(hunk: Hunk): number {
  const leadingContext = hunk.lines.findIndex((l) => l[0] !== ' ');
  return Math.max(0, hunk.oldStart - 1 + Math.max(0, leadingContext));
}
