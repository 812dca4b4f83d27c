import { applyHunks, parseHunks, type Hunk } from '../../server/domain/unified-diff';

/**
 * Both sides of a file change that is already in the transcript, from its unified diff
 * and the file as it is now. Applied changes are undone on a copy to get "before";
 * changes that were declined or failed are applied on a copy to get "after".
 */
export function itemDiffSides(current: string, diff: string): { before: string; after: string; applied: boolean } | undefined {
  const hunks = parseHunks(diff);
  if (hunks.length === 0) return undefined;
  try {
    return { before: applyHunks(current, hunks.map(reverse)), after: current, applied: true };
  } catch {
    // The file does not carry the change: it was not applied (or changed since).
  }
  try {
    return { before: current, after: applyHunks(current, hunks), applied: false };
  } catch {
    return undefined;
  }
}

function reverse(h: Hunk): Hunk {
  return {
    oldStart: h.newStart, oldLines: h.newLines, newStart: h.oldStart, newLines: h.oldLines,
    lines: h.lines.map((l) => (l[0] === '+' ? `-${l.slice(1)}` : l[0] === '-' ? `+${l.slice(1)}` : l)),
  };
}
