/**
 * The narrow slice of the filesystem the store uses, behind an interface so
 * tests can count syscalls or inject failures (e.g. a rename that fails after
 * the temp file was written) without touching the real disk's behaviour.
 */
import { promises as fsp } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Structural subset of `fs.promises.FileHandle`; a real FileHandle satisfies it. */
export interface FileHandleLike {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  truncate(len?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FsOps {
  open(path: string, flags: string, mode?: number): Promise<FileHandleLike>;
  readFile(path: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  /** Resolves false only for ENOENT; any other error propagates. */
  exists(path: string): Promise<boolean>;
}

export const nodeFs: FsOps = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  readFile: (path) => fsp.readFile(path),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  mkdir: (path, options) => fsp.mkdir(path, options),
  readdir: (path) => fsp.readdir(path),
  exists: async (path) => {
    try {
      await fsp.lstat(path);
      return true;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return false;
      throw err;
    }
  },
};

export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** write(2) may be short; loop so callers can treat a resolved write as complete. */
export async function writeAll(handle: FileHandleLike, data: Uint8Array, position: number | null = null): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const pos = position === null ? null : position + offset;
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, pos);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    offset += bytesWritten;
  }
}

/**
 * A rename or file creation is only durable once the directory holding the
 * entry is fsynced. Windows cannot open directories for syncing; there the
 * rename itself is the best available guarantee, so EPERM/EISDIR are tolerated.
 */
export async function fsyncDir(fs: FsOps, dir: string): Promise<void> {
  let handle: FileHandleLike;
  try {
    handle = await fs.open(dir, 'r');
  } catch (err) {
    if (process.platform === 'win32' && ['EPERM', 'EISDIR', 'EACCES'].includes(errnoCode(err) ?? '')) return;
    throw err;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * mkdir -p with a private mode, then fsync the parent of every directory that
 * was newly created so the new entries survive a crash too.
 */
export async function ensureDir(fs: FsOps, target: string, mode = 0o700): Promise<void> {
  // mkdir reports the first created directory as an absolute path; compare like with like.
  const dir = resolve(target);
  const firstCreated = await fs.mkdir(dir, { recursive: true, mode });
  if (firstCreated === undefined) return;
  for (let current = dir; ; current = dirname(current)) {
    await fsyncDir(fs, dirname(current));
    if (current === firstCreated || dirname(current) === current) break;
  }
}
