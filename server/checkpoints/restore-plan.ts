import type { CheckpointDoc, CheckpointRecord, FileRecord, FileState } from './model';

/**
 * Which file goes back to which state, and what must be there now for that to be safe.
 * Pure: the service reads the working tree and the blobs around it.
 */
export interface PlannedFile {
  path: string;
  /** The state to put back. */
  target: FileState;
  /** What the working tree must hold now: the state the last recorded turn left (null: unknown). */
  expected: FileState | null;
  /** Set when a later turn changed the file too (restoring one turn would undo it as well). */
  laterTurn?: string;
}

export type Scope = 'turn' | 'file' | 'toBefore';

export function planRestore(doc: CheckpointDoc, turnId: string, scope: Scope, onlyPath?: string): { turnIds: string[]; files: PlannedFile[] } {
  const index = doc.checkpoints.findIndex((c) => c.turnId === turnId);
  const from = doc.checkpoints[index]!;
  const lastTouch = (file: string): { checkpoint: CheckpointRecord; record: FileRecord } | undefined => {
    for (let i = doc.checkpoints.length - 1; i >= 0; i--) {
      const record = doc.checkpoints[i]!.files.find((f) => f.path === file);
      if (record) return { checkpoint: doc.checkpoints[i]!, record };
    }
    return undefined;
  };
  if (scope === 'toBefore') {
    const involved = doc.checkpoints.slice(index);
    const files = new Map<string, PlannedFile>();
    for (const checkpoint of involved) {
      for (const record of checkpoint.files) {
        if (files.has(record.path)) continue; // the earliest involved turn holds the state to go back to
        files.set(record.path, { path: record.path, target: record.before, expected: leftState(lastTouch(record.path)?.record) });
      }
    }
    return { turnIds: involved.map((c) => c.turnId), files: [...files.values()] };
  }
  const records = scope === 'file' ? from.files.filter((f) => f.path === onlyPath) : from.files;
  const files = records.map((record): PlannedFile => {
    const last = lastTouch(record.path);
    const planned: PlannedFile = { path: record.path, target: record.before, expected: leftState(record) };
    if (last && last.checkpoint.turnId !== from.turnId) {
      planned.laterTurn = last.checkpoint.turnId;
      planned.expected = leftState(last.record);
    }
    return planned;
  });
  return { turnIds: [from.turnId], files };
}

/** The state the file was last left in by the turn or by the bridge's own partial undo. */
function leftState(record: FileRecord | undefined): FileState | null {
  return record?.current ?? record?.after ?? null;
}

export function sameState(a: FileState | null, b: FileState): boolean {
  if (!a) return false;
  if (!a.exists || !b.exists) return a.exists === b.exists;
  return a.blob !== undefined && a.blob === b.blob;
}

/** The change a record stands for, as clients see it. */
export function changeOf(record: FileRecord): 'added' | 'deleted' | 'modified' | 'moved-from' | 'moved-to' {
  if (record.kinds.includes('move-from')) return 'moved-from';
  if (record.kinds.includes('move-to')) return 'moved-to';
  if (!record.before.exists) return 'added';
  if (record.after && !record.after.exists) return 'deleted';
  if (!record.after && record.kinds.at(-1) === 'delete') return 'deleted';
  return 'modified';
}
