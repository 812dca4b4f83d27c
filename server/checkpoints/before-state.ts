import { applyHunks, parseHunks, type Hunk } from '../domain/unified-diff';
import type { FileChange } from './model';

/**
 * The content a file had before a change, from what was read when the change was
 * announced and the change's own diff. `item/started` reaches the bridge before codex
 * writes (seen on 0.169, with and without an approval), but nothing makes codex wait
 * for us when policy auto-approves, so the read is checked against the diff: if the
 * patch already landed, the before-state is derived by applying the diff backwards.
 */
export interface BeforeContent {
  /** null: the file did not exist. */
  text: string | null;
  /** Derived from the diff rather than read. */
  derived: boolean;
}

export function beforeOfChange(change: FileChange, read: string | null): BeforeContent {
  switch (change.kind.type) {
    case 'add':
      // An added file that is already there with the added content was written by the change.
      return read !== null && read === change.diff ? { text: null, derived: true } : { text: read, derived: false };
    case 'delete':
      // codex puts the deleted file's content in the diff.
      return read === null ? { text: change.diff, derived: true } : { text: read, derived: false };
    case 'update':
      return beforeOfUpdate(change.diff, read);
  }
}

/** For a move, when the source is gone already: its old content, from the destination's new one. */
export function beforeOfMovedSource(diff: string, destination: string | null): BeforeContent | undefined {
  if (destination === null) return undefined;
  const reversed = tryApply(destination, invert(parseHunks(diff)));
  return reversed === undefined ? undefined : { text: reversed, derived: true };
}

function beforeOfUpdate(diff: string, read: string | null): BeforeContent {
  if (read === null) return { text: null, derived: false };
  const hunks = parseHunks(diff);
  if (hunks.length === 0 || tryApply(read, hunks) !== undefined) return { text: read, derived: false };
  const reversed = tryApply(read, invert(hunks));
  return reversed === undefined ? { text: read, derived: false } : { text: reversed, derived: true };
}

function tryApply(text: string, hunks: readonly Hunk[]): string | undefined {
  try {
    return applyHunks(text, hunks);
  } catch {
    return undefined;
  }
}

function invert(hunks: readonly Hunk[]): Hunk[] {
  return hunks.map((h) => ({
    oldStart: h.newStart, oldLines: h.newLines, newStart: h.oldStart, newLines: h.oldLines,
    lines: h.lines.map((l) => (l[0] === '+' ? `-${l.slice(1)}` : l[0] === '-' ? `+${l.slice(1)}` : l)),
  }));
}
