import fs from 'node:fs';
import path from 'node:path';
import type { PendingEntry } from '../../state/pending-registry';
import { applyHunks, firstChangedLine, parseHunks } from '../../domain/unified-diff';

/** The lens commands the extension registers; each runs the same decision operation. */
export const LENS_COMMANDS = {
  accept: 'codexManager.approval.accept',
  acceptForSession: 'codexManager.approval.acceptForSession',
  decline: 'codexManager.approval.decline',
  showDiff: 'codexManager.approval.showDiff',
} as const;

export interface LensRow {
  line: number;
  approvalId: string;
  path: string;
  hunkIndex: number;
}

interface FileChange { path: string; kind?: { type?: string }; diff?: string }

/** The file changes an approval proposes: from the item (v2) or the request itself (legacy). */
export function proposedChanges(entry: PendingEntry, itemOf: (itemId: string) => Record<string, unknown> | undefined): FileChange[] {
  if (entry.method === 'item/fileChange/requestApproval' && entry.itemId) {
    const changes = itemOf(entry.itemId)?.changes;
    return Array.isArray(changes) ? (changes as FileChange[]) : [];
  }
  if (entry.method === 'applyPatchApproval') {
    const fileChanges = ((entry.params as { fileChanges?: Record<string, { type?: string; unified_diff?: string; content?: string }> }).fileChanges) ?? {};
    return Object.entries(fileChanges).map(([p, c]) => ({ path: p, kind: { type: c.type ?? 'update' }, diff: c.unified_diff ?? c.content ?? '' }));
  }
  return [];
}

/** One lens row per changed hunk of `filePath` across pending approvals. */
export function lensRowsFor(filePath: string, approvals: readonly PendingEntry[], itemOf: (itemId: string) => Record<string, unknown> | undefined): LensRow[] {
  const target = path.resolve(filePath);
  const rows: LensRow[] = [];
  for (const entry of approvals) {
    for (const change of proposedChanges(entry, itemOf)) {
      if (path.resolve(change.path) !== target) continue;
      const hunks = parseHunks(change.diff ?? '');
      if (hunks.length === 0) rows.push({ line: 0, approvalId: entry.id, path: target, hunkIndex: 0 });
      hunks.forEach((hunk, hunkIndex) => rows.push({ line: firstChangedLine(hunk), approvalId: entry.id, path: target, hunkIndex }));
    }
  }
  return rows;
}

/** Current and proposed text of one file of an approval, for the native diff editor. */
export function proposedContent(entry: PendingEntry, filePath: string, itemOf: (itemId: string) => Record<string, unknown> | undefined): { original: string; proposed: string } {
  const target = path.resolve(filePath);
  const change = proposedChanges(entry, itemOf).find((c) => path.resolve(c.path) === target);
  if (!change) throw new Error(`approval ${entry.id} does not change ${filePath}`);
  const original = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  const kind = change.kind?.type;
  if (kind === 'delete') return { original, proposed: '' };
  const diff = change.diff ?? '';
  // New files may carry their full content rather than a hunk.
  if (kind === 'add' && !diff.startsWith('@@')) return { original, proposed: diff };
  return { original, proposed: applyHunks(original, parseHunks(diff)) };
}
