import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuntimeSupervisor } from '../../server/appserver/supervisor';

const FAKE = path.resolve('test/fixtures/fake-app-server.mjs');

describe('runtime stderr echoed for the Output channel (issue 13, flaw 8)', () => {
  it('says where the file is, then hands over whole lines with secrets redacted; the file keeps them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-echo-'));
    const file = path.join(dir, 'stderr.log');
    const lines: string[] = [];
    const s = new RuntimeSupervisor(
      {
        codexPath: FAKE,
        env: { FAKE_STDERR: '\u001b[31merror\u001b[0m: 401 Unauthorized for key sk-proj-0123456789abcdefXYZ (check OPENAI_API_KEY)' },
        clientInfo: { name: 't', title: null, version: '0' },
        stderrLogFile: file,
        stderrEcho: (line) => lines.push(line),
      },
      { notification: () => undefined, serverRequest: () => undefined },
    );
    try {
      assert.match(lines[0] ?? '', new RegExp(`in full: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), 'the first line names the file');
      await s.start();
      const deadline = Date.now() + 10_000;
      while (!lines.some((l) => l.includes('Unauthorized')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(lines.includes('fake app-server initialized'), lines.join('\n'));
      const error = lines.find((l) => l.includes('Unauthorized'));
      assert.equal(error, 'error: 401 Unauthorized for key [redacted] (check OPENAI_API_KEY)', 'one whole line, colour codes gone, the key redacted');
      assert.match(fs.readFileSync(file, 'utf8'), /Unauthorized/, 'the file has it too');
    } finally {
      await s.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
