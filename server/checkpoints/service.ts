import fs from 'node:fs/promises';
import path from 'node:path';
import { BridgeError } from '../../protocol/errors';
import type { EventLog } from '../state/event-log';
import { writeFileAtomic } from '../state/store';
import { BlobStore } from './blob-store';
import type { CheckpointDocs } from './docs';
import { turnHunks, undoHunk, unifiedDiff } from './hunks';
import type { CheckpointRecord, FileState } from './model';
import { changeOf, planRestore, sameState, type PlannedFile, type Scope } from './restore-plan';

export type ConflictFile = { path: string; reason: string };

/** A restore refused because files changed since; the handler turns it into a 409. */
export class CheckpointConflict extends Error {
  constructor(readonly files: ConflictFile[]) {
    super(`${files.length} file(s) changed since the checkpoint: ${files.map((f) => f.path).join(', ')}`);
  }
}

export type RestoreResult = {
  status: 'restored';
  turnIds: string[];
  files: { path: string; action: 'written' | 'removed' | 'unchanged' }[];
  forced: boolean;
};

/** What clients ask of checkpoints: list, diff against the working tree, restore (turn, file, hunk, to before). */
export class CheckpointService {
  constructor(
    private readonly docs: CheckpointDocs,
    private readonly events: EventLog,
    /** Waits for the recorder to finish what the thread's notifications so far started. */
    private readonly settled: (threadId: string) => Promise<void> = async () => undefined,
  ) {}

  async list(threadId: string) {
    await this.settled(threadId);
    return (this.docs.read(threadId)?.checkpoints ?? []).map((c) => ({
      turnId: c.turnId, ordinal: c.ordinal, createdAt: c.createdAt, completedAt: c.completedAt, restoredAt: c.restoredAt,
      files: c.files.map((f) => ({ path: f.path, change: changeOf(f), restorable: !f.before.tooLarge })),
    }));
  }

  async diff(threadId: string, turnId: string, onlyPath?: string) {
    await this.settled(threadId);
    const checkpoint = this.checkpoint(threadId, turnId);
    const records = onlyPath === undefined ? checkpoint.files : checkpoint.files.filter((f) => f.path === onlyPath);
    if (onlyPath !== undefined && records.length === 0) throw new BridgeError('not_found', `turn ${turnId} did not change ${onlyPath}`);
    const files = [];
    for (const record of records) {
      const before = await this.text(record.before);
      const after = record.after ? await this.text(record.after) : null;
      const current = await readText(record.path);
      const now = await stateOnDisk(record.path);
      const state: 'restored' | 'as-left' | 'changed-since' = sameState(now, record.before) ? 'restored' : sameState(record.current ?? record.after, now) ? 'as-left' : 'changed-since';
      files.push({
        path: record.path, change: changeOf(record), state, before, current,
        diff: unifiedDiff(record.path, before ?? '', current ?? ''),
        hunks: turnHunks(before ?? '', after ?? ''),
      });
    }
    return { turnId, files };
  }

  async restore(threadId: string, turnId: string, opts: { scope?: Scope; path?: string; force?: boolean }, actor: string): Promise<RestoreResult> {
    await this.settled(threadId);
    const scope = opts.scope ?? 'turn';
    const checkpoint = this.checkpoint(threadId, turnId);
    if (scope === 'file') {
      if (!opts.path) throw new BridgeError('invalid_request', 'scope file needs a path', { issues: [{ path: ['body', 'path'], message: 'required for scope file' }] });
      if (!checkpoint.files.some((f) => f.path === opts.path)) throw new BridgeError('not_found', `turn ${turnId} did not change ${opts.path}`);
    }
    const plan = planRestore(this.docs.read(threadId)!, turnId, scope, opts.path);
    const force = opts.force ?? false;
    const unrestorable = plan.files.filter((f) => f.target.tooLarge).map((f) => ({ path: f.path, reason: 'over the size cap when the checkpoint was taken; its content was not kept' }));
    if (unrestorable.length) throw new CheckpointConflict(unrestorable);
    const current = await Promise.all(plan.files.map(async (f) => ({ f, now: await stateOnDisk(f.path) })));
    if (!force) {
      const conflicts = current.flatMap(({ f, now }) => conflictOf(f, now));
      if (conflicts.length) throw new CheckpointConflict(conflicts);
    }
    // Every blob is read before anything is written: a missing blob fails the whole restore.
    const contents = await Promise.all(plan.files.map(async (f) => (f.target.exists ? this.docs.blobs.get(f.target.blob!) : null)));
    const files: RestoreResult['files'] = [];
    for (const [i, { f, now }] of current.entries()) {
      files.push({ path: f.path, action: await writeBack(f.path, contents[i]!, now) });
    }
    await this.markRestored(threadId, plan.turnIds);
    const result: RestoreResult = { status: 'restored', turnIds: plan.turnIds, files, forced: force };
    this.events.append('checkpoint_restored', threadId, { threadId, turnId, scope, ...(opts.path ? { path: opts.path } : {}), turnIds: plan.turnIds, files, forced: force, by: actor });
    return result;
  }

  async restoreHunk(threadId: string, turnId: string, file: string, hunkIndex: number, actor: string): Promise<RestoreResult> {
    await this.settled(threadId);
    const record = this.checkpoint(threadId, turnId).files.find((f) => f.path === file);
    if (!record) throw new BridgeError('not_found', `turn ${turnId} did not change ${file}`);
    if (!record.after || record.before.tooLarge || record.after.tooLarge) throw new CheckpointConflict([{ path: file, reason: 'the turn\'s change to this file was not fully recorded' }]);
    const after = (await this.text(record.after)) ?? '';
    const hunks = turnHunks((await this.text(record.before)) ?? '', after);
    const hunk = hunks[hunkIndex];
    if (!hunk) throw new BridgeError('not_found', `turn ${turnId} changed ${file} in ${hunks.length} hunk(s); there is no hunk ${hunkIndex}`);
    const current = await readText(file);
    const next = current === null ? undefined : undoHunk(current, hunk, after);
    if (next === undefined) throw new CheckpointConflict([{ path: file, reason: `the lines of hunk ${hunkIndex} are no longer in the file` }]);
    await writeFileAtomic(file, next, { mode: await modeOf(file) });
    await this.recordOwnWrite(threadId, turnId, file, Buffer.from(next, 'utf8'));
    const files = [{ path: file, action: 'written' as const }];
    this.events.append('checkpoint_restored', threadId, { threadId, turnId, scope: 'hunk', path: file, hunk: hunkIndex, turnIds: [turnId], files, forced: false, by: actor });
    return { status: 'restored', turnIds: [turnId], files, forced: false };
  }

  /**
   * The bridge's own partial undo is not "changed since by something else": the file's
   * recorded after-state follows it, so a later restore of the turn is not refused.
   * (The hunks stay those of the turn's original change.)
   */
  private async recordOwnWrite(threadId: string, turnId: string, file: string, bytes: Buffer): Promise<void> {
    const blob = await this.docs.blobs.put(bytes);
    await this.docs.update(threadId, (doc) => {
      const record = doc.checkpoints.find((c) => c.turnId === turnId)?.files.find((f) => f.path === file);
      if (record) record.current = { exists: true, blob, size: bytes.length };
      return doc;
    });
  }

  private checkpoint(threadId: string, turnId: string): CheckpointRecord {
    const checkpoint = this.docs.turn(threadId, turnId);
    if (!checkpoint) throw new BridgeError('not_found', `no checkpoint for turn ${turnId}`);
    return checkpoint;
  }

  private async text(state: FileState): Promise<string | null> {
    if (!state.exists || !state.blob) return null;
    return (await this.docs.blobs.get(state.blob)).toString('utf8');
  }

  private async markRestored(threadId: string, turnIds: string[]): Promise<void> {
    const at = new Date().toISOString();
    await this.docs.update(threadId, (doc) => {
      for (const c of doc.checkpoints) if (turnIds.includes(c.turnId)) c.restoredAt = at;
      return doc;
    });
  }
}

function conflictOf(f: PlannedFile, now: FileState): ConflictFile[] {
  if (sameState(now, f.target)) return []; // already as it was: nothing to overwrite
  if (f.laterTurn) return [{ path: f.path, reason: `changed again by a later turn (${f.laterTurn}); restore to before this turn, or force` }];
  if (!f.expected) return [{ path: f.path, reason: 'the turn\'s result was never recorded (the bridge stopped mid-turn)' }];
  if (!sameState(now, f.expected)) return [{ path: f.path, reason: now.exists ? 'changed since the turn by something else' : 'deleted since the turn' }];
  return [];
}

async function readText(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch(() => null);
}

async function stateOnDisk(file: string): Promise<FileState> {
  const bytes = await fs.readFile(file).catch(() => null);
  return bytes === null ? { exists: false } : { exists: true, blob: BlobStore.hash(bytes), size: bytes.length };
}

async function modeOf(file: string): Promise<number> {
  return fs.stat(file).then((st) => st.mode & 0o777, () => 0o644);
}

async function writeBack(file: string, content: Buffer | null, now: FileState): Promise<'written' | 'removed' | 'unchanged'> {
  if (content === null) {
    if (!now.exists) return 'unchanged';
    await fs.rm(file, { force: true });
    return 'removed';
  }
  if (now.exists && now.blob === BlobStore.hash(content)) return 'unchanged';
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, content, { mode: await modeOf(file) });
  return 'written';
}
