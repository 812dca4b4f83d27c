import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError, lockFileOf, readLockOwner } from '../../server/lifecycle/data-dir-lock';
import { processStartTime } from '../../server/lifecycle/process-identity';

describe('one bridge per data dir (lock)', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-lock-')); });
  afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

  it('refuses a second holder with a message naming the running bridge, and frees on release', () => {
    const lock = acquireDataDirLock(root, { version: '1.2.3', mode: 'serve' });
    lock.update({ url: 'http://127.0.0.1:4567' });
    assert.equal(fs.statSync(lock.file).mode & 0o777, 0o600);
    assert.throws(() => acquireDataDirLock(root, { version: '1.2.4', mode: 'editor' }), (e: unknown) => {
      assert.ok(e instanceof DataDirLockedError);
      assert.match(e.message, new RegExp(`pid ${process.pid}, version 1\\.2\\.3, serve mode`));
      assert.match(e.message, /listening on http:\/\/127\.0\.0\.1:4567/);
      return true;
    });
    assert.equal(readLockOwner(root)?.pid, process.pid);
    lock.release();
    assert.equal(readLockOwner(root), undefined);
    acquireDataDirLock(root, { version: '1.2.4', mode: 'editor' }).release();
  });

  it('takes over a lock whose owner died', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(lockFileOf(root), JSON.stringify({ pid: child.pid, processStart: null, version: '0', mode: 'serve', startedAt: 'then' }));
    const lock = acquireDataDirLock(root, { version: '1', mode: 'serve' });
    assert.equal(lock.owner.pid, process.pid);
    lock.release();
  });

  it('takes over a lock whose pid was reused by another process (start time differs)', function () {
    if (processStartTime(process.pid) === null) this.skip(); // no /proc: liveness only
    fs.writeFileSync(lockFileOf(root), JSON.stringify({ pid: process.pid, processStart: '1', version: '0', mode: 'serve', startedAt: 'then' }));
    const lock = acquireDataDirLock(root, { version: '1', mode: 'serve' });
    assert.equal(lock.owner.processStart, processStartTime(process.pid));
    lock.release();
  });

  it('release leaves a lock that is no longer ours', () => {
    const lock = acquireDataDirLock(root, { version: '1', mode: 'serve' });
    fs.writeFileSync(lockFileOf(root), JSON.stringify({ pid: 1, processStart: null, version: '9', mode: 'serve', startedAt: 'other' }));
    lock.release();
    assert.ok(fs.existsSync(lockFileOf(root)));
  });
});
