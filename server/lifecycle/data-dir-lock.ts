import fs from 'node:fs';
import path from 'node:path';
import { processStartTime, sameProcessAlive } from './process-identity';

/** What the lock file says about the bridge that holds it. */
export interface LockOwner {
  pid: number;
  /** The owner's process start time (see processStartTime), so a reused pid is not mistaken for it. */
  processStart: string | null;
  version: string;
  mode: string;
  startedAt: string;
  /** The editor socket (or pipe) the owner listens on, once it does. */
  socket?: string;
  /** The HTTP URL, once it listens. */
  url?: string;
  /** The bearer token file (editor clients send its content in the socket handshake). */
  tokenFile?: string;
}

/** Another live bridge holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly owner: LockOwner) {
    super(`another Codex Manager bridge already serves ${dataDir}: pid ${owner.pid}, version ${owner.version}, `
      + `${owner.mode} mode, started ${owner.startedAt}${owner.url ? `, listening on ${owner.url}` : ''}. `
      + 'Stop it first, use it (the CLI and Python SDK find it by themselves), or pass --attach to print where it listens.');
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** Adds what the owner listens on (rewrites the file; still ours). */
  update(patch: Partial<Pick<LockOwner, 'socket' | 'url' | 'tokenFile'>>): void;
  /** Removes the lock if it is still ours. */
  release(): void;
}

const LOCK_NAME = 'bridge.lock';
/** A takeover guard older than this was left by a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

export function lockFileOf(dataDir: string): string {
  return path.join(dataDir, LOCK_NAME);
}

/** The live owner of a data dir's lock, or undefined when it is free or stale. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  const owner = readOwner(lockFileOf(dataDir));
  return owner && sameProcessAlive(owner.pid, owner.processStart) ? owner : undefined;
}

/**
 * One bridge per data dir: the lock file is created exclusively (O_EXCL). A lock whose
 * owner is gone (no such pid, or the pid now belongs to a process that started at
 * another time) is stale and taken over; the takeover itself runs under a short-lived
 * guard file so two starting bridges cannot both replace the same stale lock.
 * Throws DataDirLockedError naming the live owner.
 */
export function acquireDataDirLock(dataDir: string, info: { version: string; mode: string }): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockFileOf(dataDir);
  const owner: LockOwner = {
    pid: process.pid, processStart: processStartTime(process.pid), version: info.version, mode: info.mode, startedAt: new Date().toISOString(),
  };
  if (!tryCreate(file, owner)) {
    const current = readOwner(file);
    if (current && sameProcessAlive(current.pid, current.processStart)) throw new DataDirLockedError(dataDir, current);
    takeOver(file, owner, current);
  }
  let released = false;
  const ours = (): boolean => {
    const now = readOwner(file);
    return now?.pid === owner.pid && now.startedAt === owner.startedAt;
  };
  return {
    file,
    owner,
    update(patch) {
      if (released || !ours()) return;
      Object.assign(owner, patch);
      writeAtomically(file, owner);
    },
    release() {
      if (released) return;
      released = true;
      if (ours()) fs.rmSync(file, { force: true });
    },
  };
}

function takeOver(file: string, owner: LockOwner, stale: LockOwner | undefined): void {
  const guard = `${file}.takeover`;
  if (!tryCreate(guard, owner)) {
    const age = Date.now() - (statMtime(guard) ?? 0);
    if (age < TAKEOVER_STALE_MS) throw new DataDirLockedError(path.dirname(file), readOwner(guard) ?? owner);
    fs.rmSync(guard, { force: true });
    if (!tryCreate(guard, owner)) throw new DataDirLockedError(path.dirname(file), readOwner(guard) ?? owner);
  }
  try {
    // Under the guard: still the same stale lock (nobody took it over meanwhile)?
    const current = readOwner(file);
    if (current && sameProcessAlive(current.pid, current.processStart)) throw new DataDirLockedError(path.dirname(file), current);
    if (current && stale && (current.pid !== stale.pid || current.startedAt !== stale.startedAt)) {
      throw new DataDirLockedError(path.dirname(file), current);
    }
    fs.rmSync(file, { force: true });
    if (!tryCreate(file, owner)) throw new DataDirLockedError(path.dirname(file), readOwner(file) ?? owner);
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Creates `file` only if it does not exist, complete from its first instant: the content
 * is written to a temp file and hard-linked into place (link fails with EEXIST), so a
 * reader never sees an empty lock and mistakes it for a stale one.
 */
function tryCreate(file: string, owner: LockOwner): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.new`;
  fs.writeFileSync(tmp, JSON.stringify(owner) + '\n', { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function writeAtomically(file: string, owner: LockOwner): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(owner) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined; // missing, or torn by a crash mid-write: stale either way
  }
}

function statMtime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
