import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { findRunningBridges } from '../../protocol/discovery';

/** `codex-manager serve` as a user runs it: the built CLI, a real runtime, the demo model. */
describe('codex-manager serve (built CLI, real runtime)', function () {
  let root: string;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let token: string;
  const env = () => ({ ...process.env, OPENAI_API_KEY: '', HOME: root, XDG_RUNTIME_DIR: path.join(root, 'run'), XDG_DATA_HOME: path.join(root, 'share') });

  before(async function () {
    this.timeout(60_000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-serve-'));
    child = spawn(process.execPath, ['dist/cli.js', 'serve'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    const t0 = Date.now();
    while (!/listening\s+(\S+)\/api/.test(output)) {
      if (Date.now() - t0 > 30_000 || child.exitCode !== null) throw new Error(`serve did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    url = output.match(/listening\s+(\S+)\/api/)![1]!;
    token = fs.readFileSync(path.join(root, 'share', 'codex-manager', 'token'), 'utf8').trim();
  });

  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints where it listens and labels the offline demo model', () => {
    assert.match(output, /OFFLINE DEMO MODEL/);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('keeps the token private (0600) and requires it', async () => {
    const mode = fs.statSync(path.join(root, 'share', 'codex-manager', 'token')).mode & 0o777;
    assert.equal(mode, 0o600);
    assert.equal((await fetch(`${url}/api/health`)).status, 401);
    assert.equal((await fetch(`${url}/api/health`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { runtime: { state: string } }).runtime.state, 'ready');
  });

  it('refuses foreign Host and Origin headers', async () => {
    const port = new URL(url).port;
    const viaRawHttp = (headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/health', headers: { authorization: `Bearer ${token}`, ...headers } },
        (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(await viaRawHttp({ host: 'attacker.example:80' }), 403);
    assert.equal(await viaRawHttp({ origin: 'https://attacker.example' }), 403);
    assert.equal(await viaRawHttp({ origin: `http://localhost:${port}` }), 200);
  });

  it('runs a turn over HTTP against the demo model', async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers, body: '{}' });
    assert.equal(created.status, 200);
    const { session } = (await created.json()) as { session: { sessionId: string } };
    const sent = await fetch(`${url}/api/sessions/${session.sessionId}/messages`, { method: 'POST', headers, body: JSON.stringify({ text: 'hello' }) });
    assert.equal(sent.status, 202);
    let transcript: { role: string; content: string; status: string }[] = [];
    for (let i = 0; i < 100 && !(transcript[1]?.status === 'complete'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const read = await fetch(`${url}/api/sessions/${session.sessionId}`, { headers });
      transcript = ((await read.json()) as { transcript: typeof transcript }).transcript;
    }
    assert.match(transcript[1]?.content ?? '', /offline demo model/);
    const bad = await fetch(`${url}/api/sessions`, { method: 'POST', headers, body: '{not json' });
    assert.equal(bad.status, 400);
  });

  it('registers itself for discovery and cleans up on exit', async () => {
    const running = findRunningBridges(env());
    assert.equal(running.length, 1);
    assert.equal(running[0]!.url, url);
    assert.equal(running[0]!.pid, child.pid);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    assert.deepEqual(findRunningBridges(env()), []);
    assert.equal(fs.existsSync(path.join(root, 'share', 'codex-manager', 'bridge.json')), false);
  });
});
