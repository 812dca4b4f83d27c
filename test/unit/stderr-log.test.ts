import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotatingLog } from '../../server/appserver/stderr-log';

describe('RotatingLog (runtime stderr)', () => {
  it('rotates at the size bound, keeps a fixed number of files, and remembers the last lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-log-'));
    const file = path.join(dir, 'codex-stderr.log');
    const log = new RotatingLog(file, 100, 2, 3);
    for (let i = 0; i < 20; i++) log.write(`line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}\n`);
    log.close();
    const files = fs.readdirSync(dir).sort();
    assert.deepEqual(files, ['codex-stderr.log', 'codex-stderr.log.1', 'codex-stderr.log.2']);
    for (const f of files) assert.ok(fs.statSync(path.join(dir, f)).size <= 100);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(log.recentLines().map((l) => l.slice(0, 7)), ['line 17', 'line 18', 'line 19']);
  });
});
