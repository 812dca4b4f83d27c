import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SharedBridgeLaunch } from '../../extension/bridge/bridge-socket';
import { editorSocketPath } from '../../protocol/editor-socket';
import { startFakeModel, writeCodexHome, type FakeModel } from '../fake-model';
import { EditorClient, type EditorEvent } from './support/editor-client';

const isTurnDone = (threadId: string) => (e: EditorEvent) =>
  e.type === 'notification' && e.threadId === threadId && (e.payload as { method?: string }).method === 'turn/completed';

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Issue 12 §1: one bridge per data dir, shared by every window (each an editor client on
 * the data dir's socket), outliving the window. Built bridge (dist/server.js --shared),
 * real runtime, fake model.
 */
describe('the shared bridge: one per data dir, every window a client (dist/server.js --shared)', function () {
  let root: string;
  let fake: FakeModel;
  let launch: SharedBridgeLaunch;
  const clients: EditorClient[] = [];
  let bridgePid = 0;

  const connect = async (version?: string) => {
    const c = await EditorClient.connect(launch, version);
    clients.push(c);
    return c;
  };

  before(async function () {
    this.timeout(60_000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-shared-'));
    const workspace = path.join(root, 'ws');
    fs.mkdirSync(workspace);
    fake = await startFakeModel({ label: 'the shared-bridge test model' });
    writeCodexHome(path.join(root, 'codex-home'), fake.baseUrl);
    launch = {
      serverModule: path.resolve('dist/server.js'),
      dataDir: path.join(root, 'data'),
      codexHome: path.join(root, 'codex-home'),
      demo: 'off',
      sessionCwd: workspace,
      idleExitSeconds: 0,
      env: { ...process.env, OPENAI_API_KEY: 'test-key', XDG_RUNTIME_DIR: path.join(root, 'run') },
    };
  });

  after(async () => {
    for (const c of clients) c.kill();
    if (bridgePid && pidAlive(bridgePid)) {
      process.kill(bridgePid, 'SIGTERM');
      await waitFor(() => !pidAlive(bridgePid), 10_000, 'the bridge to stop').catch(() => process.kill(bridgePid, 'SIGKILL'));
    }
    await fake.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the first window starts the bridge detached; the second connects to the same one', async () => {
    const a = await connect();
    assert.equal(a.started, true);
    bridgePid = a.pid;
    const b = await connect();
    assert.equal(b.started, false);
    assert.equal(b.pid, a.pid, 'one bridge process for the data dir');
    const socket = editorSocketPath(launch.dataDir, launch.env);
    assert.equal(fs.statSync(path.dirname(socket)).mode & 0o777, 0o700, 'the socket directory is private');
    const health = await b.call<{ runtime: { state: string } }>('getHealth');
    assert.equal(health.runtime.state, 'ready');
  });

  it('refuses a client without the right token', async () => {
    const socket = net.connect(editorSocketPath(launch.dataDir, launch.env));
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (c: Buffer) => { text += c.toString(); });
      socket.on('close', () => resolve(text));
      socket.write(JSON.stringify({ type: 'hello', token: 'wrong', version: '0.1.0' }) + '\n');
    });
    assert.equal(JSON.parse(answer).reason, 'unauthorized');
  });

  it('two windows writing concurrently lose nothing', async () => {
    const [a, b] = clients as [EditorClient, EditorClient];
    const writes = (c: EditorClient, who: string) => Array.from({ length: 20 }, (_, i) => c.call('createProject', { body: { name: `${who}-${i}` } }));
    await Promise.all([...writes(a, 'a'), ...writes(b, 'b')]);
    const listed = await a.call<{ data: { name: string }[] }>('listProjects');
    const names = new Set(listed.data.map((p) => p.name));
    for (const who of ['a', 'b']) for (let i = 0; i < 20; i++) assert.ok(names.has(`${who}-${i}`), `${who}-${i} kept`);
  });

  it('events reach every window, and a decision in one resolves the card in the other', async () => {
    const [a, b] = clients as [EditorClient, EditorClient];
    const created = await a.call<{ session: { sessionId: string } }>('createSession', { body: { filesystemSandbox: 'read-only' } });
    const sessionId = created.session.sessionId;
    await a.call('sendSessionMessage', { params: { sessionId }, body: { text: 'run command: echo shared > shared.txt' } });
    const isApproval = (e: EditorEvent) => e.type === 'approval' && e.threadId === sessionId;
    const seenByA = await a.waitForEvent(isApproval, 20_000, 'the approval in window A');
    const seenByB = await b.waitForEvent(isApproval, 20_000, 'the approval in window B');
    const approvalId = seenByA.payload.approvalId as string;
    assert.equal(seenByB.payload.approvalId, approvalId);
    await b.call('decideApproval', { params: { approvalId }, body: { decision: 'decline' } });
    const resolved = (e: EditorEvent) => e.type === 'approval_resolved' && e.payload.approvalId === approvalId;
    assert.equal((await a.waitForEvent(resolved, 20_000, 'the resolution in window A')).payload.resolvedBy, 'editor');
    await a.waitForEvent(isTurnDone(sessionId));
  });

  it('a window reload mid-turn: the turn keeps streaming, the reloaded window replays what it missed and answers the approval', async () => {
    const [a] = clients as [EditorClient];
    const created = await a.call<{ session: { sessionId: string } }>('createSession', { body: { filesystemSandbox: 'read-only' } });
    const sessionId = created.session.sessionId;
    await a.call('sendSessionMessage', { params: { sessionId }, body: { text: 'slow' } });
    const isDelta = (e: EditorEvent) => e.threadId === sessionId && (e.payload as { method?: string }).method === 'item/agentMessage/delta';
    await a.waitForEvent(isDelta, 20_000, 'the first delta');
    const lastSeen = a.lastSeq;
    a.kill(); // the extension host goes away with the reload
    await new Promise((r) => setTimeout(r, 300));
    const reloaded = await connect();
    assert.equal(reloaded.pid, bridgePid, 'the bridge outlived the window');
    const replay = await reloaded.rpc.sendRequest('codex/replay', { since: lastSeen }) as { ok: boolean; events: EditorEvent[] };
    assert.equal(replay.ok, true);
    const missed = replay.events.filter(isDelta).length;
    assert.ok(missed > 0, 'deltas streamed while no window was connected are replayed');
    const done = await reloaded.waitForEvent(isTurnDone(sessionId), 30_000, 'the turn to complete in the reloaded window');
    assert.equal((done.payload as { params: { turn: { status: string } } }).params.turn.status, 'completed');
    const live = reloaded.events.filter(isDelta).length;
    const before = a.events.filter(isDelta).length;
    const seqs = new Set([...a.events.filter(isDelta), ...replay.events.filter(isDelta), ...reloaded.events.filter(isDelta)].map((e) => e.seq));
    assert.equal(seqs.size, 200, `every delta, seen before the reload (${before}), replayed (${missed}) or live (${live})`);

    // An approval raised while no window is connected is still waiting after the reload.
    await reloaded.call('sendSessionMessage', { params: { sessionId }, body: { text: 'run command: echo reloaded > reloaded.txt' } });
    const approval = await reloaded.waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId, 20_000, 'the approval');
    reloaded.kill();
    const again = await connect();
    const pending = await again.call<{ data: { approvalId: string }[] }>('listSessionApprovals', { params: { sessionId } });
    assert.deepEqual(pending.data.map((p) => p.approvalId), [approval.payload.approvalId]);
    await again.call('decideApproval', { params: { approvalId: approval.payload.approvalId }, body: { decision: 'decline' } });
    await again.waitForEvent((e) => isTurnDone(sessionId)(e) && e.seq > approval.seq, 20_000, 'the turn after the decision');
  });

  it('a second bridge on the locked data dir is refused with a message naming the running one', async () => {
    const second = spawn(process.execPath, ['dist/server.js', '--shared', '--data-dir', launch.dataDir, '--demo', 'off'], { env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    second.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    assert.equal(code, 4);
    assert.match(stderr, new RegExp(`already serves .*pid ${bridgePid}, version \\S+, editor mode`));

    const serve = spawn(process.execPath, ['dist/cli.js', 'serve', '--data-dir', launch.dataDir], { env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let serveErr = '';
    serve.stderr!.on('data', (c: Buffer) => { serveErr += c.toString(); });
    assert.equal(await new Promise<number | null>((resolve) => serve.once('exit', resolve)), 4);
    assert.match(serveErr, new RegExp(`pid ${bridgePid}.*listening on http://127\\.0\\.0\\.1:\\d+`));

    const attach = spawn(process.execPath, ['dist/cli.js', 'serve', '--data-dir', launch.dataDir, '--attach'], { env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let attachOut = '';
    attach.stdout!.on('data', (c: Buffer) => { attachOut += c.toString(); });
    assert.equal(await new Promise<number | null>((resolve) => attach.once('exit', resolve)), 0);
    assert.match(attachOut, /already running .*\n\s+listening\s+http:\/\/127\.0\.0\.1:\d+\/api/);
  });

  it('"Stop Bridge" from a window stops it and releases the data dir; the next window starts a new one', async () => {
    const c = await connect();
    await c.rpc.sendRequest('codex/stopBridge', {});
    await waitFor(() => !pidAlive(bridgePid), 15_000, 'the bridge to exit');
    assert.equal(fs.existsSync(path.join(launch.dataDir, 'bridge.lock')), false, 'lock released');
    assert.equal(fs.existsSync(path.join(launch.dataDir, 'bridge.json')), false, 'its discovery record removed');
    const next = await connect();
    assert.equal(next.started, true);
    assert.notEqual(next.pid, bridgePid);
    bridgePid = next.pid;
    const listed = await next.call<{ data: { name: string }[] }>('listProjects');
    assert.equal(listed.data.filter((p) => /^[ab]-\d+$/.test(p.name)).length, 40, 'what the windows wrote survived the restart');
  });

  it('a newer extension keeps using an older bridge that is busy (a turn running) instead of cutting the turn', async () => {
    const c = await connect();
    const created = await c.call<{ session: { sessionId: string } }>('createSession', { body: {} });
    const sessionId = created.session.sessionId;
    await c.call('sendSessionMessage', { params: { sessionId }, body: { text: 'slow' } });
    await c.waitForEvent((e) => e.threadId === sessionId && (e.payload as { method?: string }).method === 'item/agentMessage/delta', 20_000, 'the turn streaming');
    const newer = await connect('99.0.0');
    assert.equal(newer.pid, bridgePid, 'the busy bridge stays');
    assert.equal(newer.started, false);
    await c.call('interruptSessionTurn', { params: { sessionId }, body: {} });
    await c.waitForEvent(isTurnDone(sessionId), 20_000, 'the interrupted turn to end');
  });

  it('a newer extension replaces an older idle bridge (version handshake)', async () => {
    const newer = await connect('99.0.0');
    assert.equal(newer.started, true, 'the old bridge made way and a new one was started');
    assert.notEqual(newer.pid, bridgePid);
    await waitFor(() => !pidAlive(bridgePid), 10_000, 'the old bridge to exit');
    bridgePid = newer.pid;
  });
});

describe('the shared bridge exits when idle', function () {
  it('with no client, no turn and no job for the configured time', async function () {
    this.timeout(60_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-idle-'));
    const fake = await startFakeModel({ label: 'idle' });
    try {
      writeCodexHome(path.join(root, 'codex-home'), fake.baseUrl);
      const launch: SharedBridgeLaunch = {
        serverModule: path.resolve('dist/server.js'), dataDir: path.join(root, 'data'), codexHome: path.join(root, 'codex-home'),
        demo: 'off', idleExitSeconds: 1, env: { ...process.env, OPENAI_API_KEY: 'test-key', XDG_RUNTIME_DIR: path.join(root, 'run') },
      };
      const c = await EditorClient.connect(launch);
      await new Promise((r) => setTimeout(r, 2000));
      assert.ok(pidAlive(c.pid), 'a connected window keeps it');
      await c.close();
      await waitFor(() => !pidAlive(c.pid), 15_000, 'the idle bridge to exit');
      assert.equal(fs.existsSync(path.join(launch.dataDir, 'bridge.lock')), false);
    } finally {
      await fake.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
