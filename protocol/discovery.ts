import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Bridge discovery, shared by the bridge (which publishes) and its clients (which look).
 */

/** What a running bridge tells clients about itself (`bridge.json`). Never the token itself. */
export interface DiscoveryRecord {
  url: string;
  tokenFile: string;
  pid: number;
  version: string;
  started: string;
  dataDir: string;
  /** "serve" or "editor". */
  mode: string;
}

/** The per-user directory where running bridges register: $XDG_RUNTIME_DIR/codex-manager, else ~/.codex-manager/run. */
export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'codex-manager') : path.join(env.HOME ?? os.homedir(), '.codex-manager', 'run');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Running bridges registered for this user, newest first. Entries whose process is gone
 * are stale: ignored and removed.
 */
export function findRunningBridges(env: NodeJS.ProcessEnv = process.env): DiscoveryRecord[] {
  const dir = registryDir(env);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^bridge-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const alive: DiscoveryRecord[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const record = JSON.parse(fs.readFileSync(file, 'utf8')) as DiscoveryRecord;
      if (typeof record.pid === 'number' && pidAlive(record.pid)) alive.push(record);
      else fs.rmSync(file, { force: true });
    } catch {
      fs.rmSync(file, { force: true });
    }
  }
  // Plain comparison, not localeCompare: ISO times sort correctly as bytes, and collation
  // start-up costs tens of milliseconds on every CLI command.
  return alive.sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : 0));
}
