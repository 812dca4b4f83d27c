import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, ensureBuilt, makeHome, parseJson, startBridge, type Bridge, type Home } from './support';

interface Envelope<B> { ok: boolean; response: { statusCode: number; body: B }; error?: { exitCode: number; code?: string } }

/** `sessions checkpoints list/diff/restore` against a real bridge (real runtime, offline demo model). */
describe('cli: sessions checkpoints', function () {
  this.timeout(120_000);
  let home: Home;
  let bridge: Bridge;
  let workspace: string;
  const run = (args: string[]) => cli(home, args, { timeoutMs: 60_000 });

  before(async () => {
    ensureBuilt();
    home = makeHome();
    workspace = path.join(home.root, 'workspace');
    fs.mkdirSync(workspace);
    bridge = await startBridge(home);
  });
  after(async () => {
    await bridge?.stop();
    if (home) fs.rmSync(home.root, { recursive: true, force: true });
  });

  it('lists a turn\'s checkpoint, shows its diff, refuses a conflicting restore with exit 4, then restores', async () => {
    const file = path.join(workspace, 'cli.txt');
    fs.writeFileSync(file, 'before\n');
    const created = await run(['--json', 'sessions', 'create', '--cwd', workspace, '--filesystem-sandbox', 'workspace-write', '--approval-policy', 'never']);
    const sessionId = parseJson<Envelope<{ session: { sessionId: string } }>>(created.stdout).response.body.session.sessionId;
    const send = await run(['--json', 'sessions', 'send', '--session-id', sessionId, '--text', 'apply patch:\n*** Update File: cli.txt\n@@\n-before\n+after', '--wait']);
    assert.equal(send.code, 0, send.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), 'after\n');

    const listed = await run(['--json', 'sessions', 'checkpoints', 'list', '--session-id', sessionId]);
    assert.equal(listed.code, 0, listed.stderr);
    const [checkpoint] = parseJson<Envelope<{ data: { turnId: string; files: { path: string }[] }[] }>>(listed.stdout).response.body.data;
    assert.deepEqual(checkpoint!.files.map((f) => f.path), [file]);

    const diff = await run(['--json', 'sessions', 'checkpoints', 'diff', '--session-id', sessionId, '--turn-id', checkpoint!.turnId]);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(parseJson<Envelope<{ files: { diff: string }[] }>>(diff.stdout).response.body.files[0]!.diff, /-before\n\+after/);

    fs.writeFileSync(file, 'edited by hand\n');
    const refused = await run(['--json', 'sessions', 'checkpoints', 'restore', '--session-id', sessionId, '--turn-id', checkpoint!.turnId]);
    assert.equal(refused.code, 4, 'conflict exit code');
    assert.equal(fs.readFileSync(file, 'utf8'), 'edited by hand\n');
    const forced = await run(['sessions', 'checkpoints', 'restore', '--session-id', sessionId, '--turn-id', checkpoint!.turnId, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), 'before\n');
  });
});
