import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectorySyncError, removeStaleTemps, writeFileAtomic, writeJsonAtomic } from '../../server/state/store/atomic-file';
import { nodeFs } from '../../server/state/store/fs-ops';
import type { FsOps } from '../../server/state/store/fs-ops';

describe('store/atomic-file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the content with a private mode and leaves no temp files', async () => {
    const target = join(dir, 'a.txt');
    await writeFileAtomic(target, 'hello');
    assert.equal(await readFile(target, 'utf8'), 'hello');
    assert.deepEqual(await readdir(dir), ['a.txt']);
    if (process.platform !== 'win32') assert.equal((await stat(target)).mode & 0o777, 0o600);
  });

  it('replaces an existing file completely', async () => {
    const target = join(dir, 'a.txt');
    await writeFile(target, 'a much longer original content');
    await writeFileAtomic(target, Buffer.from('short'));
    assert.equal(await readFile(target, 'utf8'), 'short');
    assert.deepEqual(await readdir(dir), ['a.txt']);
  });

  it('cleans up its temp file when the rename fails (target is a non-empty directory)', async () => {
    const target = join(dir, 'blocked');
    await mkdir(target);
    await writeFile(join(target, 'inner'), 'x');
    await assert.rejects(writeFileAtomic(target, 'data'));
    assert.deepEqual(await readdir(dir), ['blocked']);
    assert.deepEqual(await readdir(target), ['inner']);
  });

  it('never leaves a partially written target when failing between write and rename', async () => {
    const target = join(dir, 'doc.json');
    await writeFile(target, 'OLD');
    let tempSeen: string | undefined;
    const fs: FsOps = {
      ...nodeFs,
      rename: async (from) => {
        tempSeen = from;
        // The temp file is complete at this point; the crash-equivalent is failing before the rename.
        assert.equal(await readFile(from, 'utf8'), 'NEW CONTENT');
        throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
      },
    };
    await assert.rejects(writeFileAtomic(target, 'NEW CONTENT', { fs }), /simulated crash/);
    assert.ok(tempSeen?.startsWith(join(dir, '.doc.json.')));
    assert.equal(await readFile(target, 'utf8'), 'OLD');
    assert.deepEqual(await readdir(dir), ['doc.json']);
  });

  it('cleans up after a failed write and keeps the old content', async () => {
    const target = join(dir, 'doc.json');
    await writeFile(target, 'OLD');
    const fs: FsOps = {
      ...nodeFs,
      open: async (path, flags, mode) => {
        const handle = await nodeFs.open(path, flags, mode);
        if (flags !== 'wx') return handle;
        let calls = 0;
        return {
          sync: () => handle.sync(),
          datasync: () => handle.datasync(),
          truncate: (len) => handle.truncate(len),
          close: () => handle.close(),
          // A short write followed by ENOSPC: the temp holds a partial prefix.
          write: async (buf, offset, length, position) => {
            if (calls++ === 0) return handle.write(buf, offset, Math.min(length, 3), position);
            throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
          },
        };
      },
    };
    await assert.rejects(writeFileAtomic(target, 'NEW CONTENT', { fs }), /no space/);
    assert.equal(await readFile(target, 'utf8'), 'OLD');
    assert.deepEqual(await readdir(dir), ['doc.json']);
  });

  it('reports a failed directory sync as DirectorySyncError after the content is in place', async () => {
    const target = join(dir, 'doc.json');
    const fs: FsOps = {
      ...nodeFs,
      open: async (path, flags, mode) => {
        if (path === dir) throw Object.assign(new Error('dir sync unsupported'), { code: 'EIO' });
        return nodeFs.open(path, flags, mode);
      },
    };
    const err = await writeFileAtomic(target, 'NEW', { fs }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DirectorySyncError);
    assert.equal(await readFile(target, 'utf8'), 'NEW');
  });

  it('writeJsonAtomic writes pretty JSON and rejects unserializable values', async () => {
    const target = join(dir, 'v.json');
    await writeJsonAtomic(target, { a: 1 });
    assert.deepEqual(JSON.parse(await readFile(target, 'utf8')), { a: 1 });
    await assert.rejects(writeJsonAtomic(target, undefined), TypeError);
  });

  it('removeStaleTemps deletes temps of dead writers only', async () => {
    const target = join(dir, 'doc.json');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    assert.ok(deadPid);
    await writeFile(join(dir, `.doc.json.${deadPid}-abc123.tmp`), 'junk');
    await writeFile(join(dir, `.doc.json.${process.pid}-abc123.tmp`), 'in flight');
    await writeFile(join(dir, '.other.json.1-abc123.tmp'), 'not ours');
    const removed = await removeStaleTemps(target);
    assert.deepEqual(removed, [`.doc.json.${deadPid}-abc123.tmp`]);
    assert.deepEqual((await readdir(dir)).sort(), [`.doc.json.${process.pid}-abc123.tmp`, '.other.json.1-abc123.tmp'].sort());
  });
});
