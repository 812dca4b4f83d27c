/**
 * Crash-safe whole-file replacement: readers (and a post-crash restart) see
 * either the complete old content or the complete new content, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { errnoCode, fsyncDir, nodeFs, writeAll } from './fs-ops';
import type { FileHandleLike, FsOps } from './fs-ops';

export interface AtomicWriteOptions {
  /** Permission bits for the new file. Default 0o600: the data dir holds private state. */
  mode?: number;
  fs?: FsOps;
}

/**
 * Thrown when the rename succeeded but the directory fsync did not: the file
 * now has the new content, yet a crash could still revert it.
 */
export class DirectorySyncError extends Error {
  override readonly name = 'DirectorySyncError';
  constructor(readonly path: string, cause: unknown) {
    super(`${path}: replaced, but syncing its directory failed`, { cause });
  }
}

const TEMP_SUFFIX = '.tmp';

/**
 * Temp files live in the target's directory (rename is only atomic within one
 * filesystem), start with a dot (never collide with store names, which start
 * with an alphanumeric) and carry the writer's pid so a later process can tell
 * a crashed writer's leftovers from a live writer's in-flight file.
 */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const fs = opts.fs ?? nodeFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = tempPathFor(path);
  let handle: FileHandleLike | undefined;
  try {
    // 'wx': never follow or reuse an existing path, even a stale one.
    handle = await fs.open(temp, 'wx', opts.mode ?? 0o600);
    await writeAll(handle, bytes, 0);
    await handle.sync();
    const opened = handle;
    handle = undefined;
    await opened.close();
    await fs.rename(temp, path);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
  // After the rename the new content is in place; the directory fsync makes
  // the rename itself durable. A failure here is still an error (the write is
  // not crash-safe), but a distinct one: callers must know the target already
  // holds the new content.
  try {
    await fsyncDir(fs, dirname(path));
  } catch (err) {
    throw new DirectorySyncError(path, err);
  }
}

export async function writeJsonAtomic(path: string, value: unknown, opts: AtomicWriteOptions = {}): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) throw new TypeError(`value for ${path} is not JSON-serializable`);
  await writeFileAtomic(path, `${text}\n`, opts);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(err) === 'EPERM';
  }
}

/**
 * Deletes temp files for `target` left behind by writers that crashed between
 * creating and renaming them. They never held acknowledged data (the rename is
 * the commit point), so removing them loses nothing. Temps of live processes,
 * including this one, are left alone.
 */
export async function removeStaleTemps(target: string, fs: FsOps = nodeFs): Promise<string[]> {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(TEMP_SUFFIX)) continue;
    const match = /^(\d+)-[0-9a-f]+$/.exec(entry.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    await fs.unlink(join(dir, entry)).catch((err: unknown) => {
      if (errnoCode(err) !== 'ENOENT') throw err;
    });
    removed.push(entry);
  }
  return removed;
}
