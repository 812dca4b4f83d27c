import { diffArrays, structuredPatch } from 'diff';

/**
 * The hunks between two versions of a file (a turn's before and after), for per-hunk
 * Keep/Undo, and undoing one of them in the current text. jsdiff's Myers diff does the
 * line matching; the rest is ours.
 */
export type TurnHunk = {
  index: number;
  /** 1-based first line in the before text, and how many lines it spans there. */
  beforeStart: number;
  beforeLines: number;
  /** 1-based first line in the after text, and how many lines it spans there. */
  afterStart: number;
  afterLines: number;
  /** Unified-diff body lines (' ', '-', '+'). */
  lines: string[];
};

export function turnHunks(before: string, after: string): TurnHunk[] {
  const patch = structuredPatch('before', 'after', before, after, '', '', { context: 0 });
  return patch.hunks.map((h, index) => ({
    index,
    // jsdiff gives an empty range the 1-based line it sits before (not GNU diff's line after).
    beforeStart: h.oldStart,
    beforeLines: h.oldLines,
    afterStart: h.newStart,
    afterLines: h.newLines,
    lines: h.lines.filter((l) => l[0] === ' ' || l[0] === '-' || l[0] === '+'),
  }));
}

/** A unified diff (with context) from `before` to `after`, for showing. */
export function unifiedDiff(file: string, before: string, after: string): string {
  const patch = structuredPatch(file, file, before, after, '', '', { context: 3 });
  return patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n')).join('\n') + (patch.hunks.length ? '\n' : '');
}

/**
 * Replaces hunk `hunk`'s after-lines with its before-lines in `current`, which must still
 * hold them. Other hunks may have been undone, or lines added elsewhere, since the turn:
 * given the turn's `after` text, the hunk's position is carried over to `current` by
 * diffing the two, then confirmed by content. Returns undefined when the lines are gone.
 */
export function undoHunk(current: string, hunk: TurnHunk, after?: string): string | undefined {
  const { lines: cur, trailingNewline } = splitLines(current);
  const afterLines = hunk.lines.filter((l) => l[0] === '+').map((l) => l.slice(1));
  const beforeLines = hunk.lines.filter((l) => l[0] === '-').map((l) => l.slice(1));
  const expected = after === undefined ? hunk.afterStart - 1 : mapLine(splitLines(after).lines, cur, hunk.afterStart - 1);
  const at = nearestMatch(cur, afterLines, expected);
  if (at === undefined) return undefined;
  const next = [...cur.slice(0, at), ...beforeLines, ...cur.slice(at + afterLines.length)];
  if (next.length === 0) return '';
  return next.join('\n') + (trailingNewline ? '\n' : '');
}

/** Where 0-based line `line` of `from` is in `to` (the nearest place when it was removed). */
function mapLine(from: string[], to: string[], line: number): number {
  let a = 0; // position in `from`
  let b = 0; // position in `to`
  for (const part of diffArrays(from, to)) {
    const n = part.count ?? part.value.length;
    if (part.added) { b += n; continue; }
    if (line < a + n) return part.removed ? b : b + (line - a);
    a += n;
    if (!part.removed) b += n;
  }
  return b;
}

function splitLines(text: string): { lines: string[]; trailingNewline: boolean } {
  if (text.length === 0) return { lines: [], trailingNewline: true };
  const trailingNewline = text.endsWith('\n');
  return { lines: (trailingNewline ? text.slice(0, -1) : text).split('\n'), trailingNewline };
}

/** The index closest to `expected` where `needle` occurs in `hay` (an empty needle matches at `expected`). */
function nearestMatch(hay: readonly string[], needle: readonly string[], expected: number): number | undefined {
  if (needle.length === 0) return expected >= 0 && expected <= hay.length ? expected : undefined;
  const matchesAt = (i: number) => i >= 0 && i + needle.length <= hay.length && needle.every((l, k) => hay[i + k] === l);
  for (let d = 0; d <= hay.length; d++) {
    if (matchesAt(expected - d)) return expected - d;
    if (matchesAt(expected + d)) return expected + d;
  }
  return undefined;
}
