import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRunningBridges, registryDir } from '../../protocol/discovery';
import { publishDiscovery } from '../../server/discovery';

describe('bridge discovery', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-disc-'));
  const env = { XDG_RUNTIME_DIR: path.join(root, 'run'), HOME: root };
  const record = (pid: number, started: string) => ({ url: `http://127.0.0.1:${pid}`, tokenFile: '/x/token', pid, version: '0.1.0', started, dataDir: path.join(root, `data-${pid}`), mode: 'serve' });

  it('uses $XDG_RUNTIME_DIR/codex-manager, else ~/.codex-manager/run', () => {
    assert.equal(registryDir(env), path.join(root, 'run', 'codex-manager'));
    assert.equal(registryDir({ HOME: root }), path.join(root, '.codex-manager', 'run'));
  });

  it('publishes privately, finds live bridges newest first, ignores and cleans stale ones', () => {
    const cleanup = publishDiscovery(record(process.pid, '2026-01-02T00:00:00Z'), env);
    const dir = registryDir(env);
    assert.equal(fs.statSync(path.join(dir, `bridge-${process.pid}.json`)).mode & 0o777, 0o600);
    const dead = 2 ** 22 + 12345; // above Linux's pid_max default: never a live process
    fs.writeFileSync(path.join(dir, `bridge-${dead}.json`), JSON.stringify(record(dead, '2026-01-03T00:00:00Z')));
    fs.writeFileSync(path.join(dir, 'bridge-7.json'), '{broken');
    const found = findRunningBridges(env);
    assert.deepEqual(found.map((r) => r.pid), [process.pid]);
    assert.deepEqual(fs.readdirSync(dir), [`bridge-${process.pid}.json`], 'stale and unreadable entries are removed');
    cleanup();
    assert.deepEqual(findRunningBridges(env), []);
    assert.equal(fs.existsSync(path.join(root, `data-${process.pid}`, 'bridge.json')), false);
  });

  it('removes on stop only the records this bridge wrote, never another bridge\'s', () => {
    const first = record(process.pid, '2026-01-04T00:00:00Z');
    const cleanupFirst = publishDiscovery(first, env);
    // A second bridge on the same data dir (the first one was refused the lock, or died) writes its own.
    const second = { ...first, url: 'http://127.0.0.1:1', started: '2026-01-05T00:00:00Z' };
    const cleanupSecond = publishDiscovery(second, env);
    cleanupFirst();
    const own = path.join(first.dataDir, 'bridge.json');
    assert.equal(JSON.parse(fs.readFileSync(own, 'utf8')).started, second.started, 'the other bridge\'s record is still there');
    cleanupSecond();
    assert.equal(fs.existsSync(own), false);
  });
});
