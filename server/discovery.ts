import fs from 'node:fs';
import path from 'node:path';
import { registryDir, type DiscoveryRecord } from '../protocol/discovery';

function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Writes `bridge.json` into the data dir and a copy into the per-user registry, so the
 * CLI and the Python SDK find the bridge with no configuration. Returns the cleanup
 * that removes both (call it on exit).
 */
export function publishDiscovery(record: DiscoveryRecord, env: NodeJS.ProcessEnv = process.env): () => void {
  const text = JSON.stringify(record, null, 2) + '\n';
  const own = path.join(record.dataDir, 'bridge.json');
  const registered = path.join(registryDir(env), `bridge-${record.pid}.json`);
  writePrivate(own, text);
  writePrivate(registered, text);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    // Only what this bridge wrote: another bridge (or a later process reusing the pid) may
    // have written its own record under the same name since.
    for (const file of [own, registered]) if (writtenBy(file, record)) fs.rmSync(file, { force: true });
  };
}

function writtenBy(file: string, record: DiscoveryRecord): boolean {
  try {
    const found = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DiscoveryRecord>;
    return found.pid === record.pid && found.started === record.started && found.url === record.url;
  } catch {
    return false;
  }
}
