import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { startFakeModel, writeCodexHome, type FakeModel } from '../fake-model';

type Event = { type: string; threadId: string | null; seq: number; payload: Record<string, unknown> };

/** The bridge as the extension starts it: `node dist/server.js --stdio`, LSP framing. */
describe('editor front door (dist/server.js --stdio, real runtime)', function () {
  let root: string;
  let fake: FakeModel;
  let child: ChildProcess;
  let rpc: MessageConnection;
  const events: Event[] = [];
  let refreshes = 0;
  let workspace: string;
  let stderr = '';

  before(async function () {
    this.timeout(60_000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-editor-'));
    workspace = path.join(root, 'ws');
    fs.mkdirSync(workspace);
    fake = await startFakeModel({ label: 'the editor test model' });
    writeCodexHome(path.join(root, 'codex-home'), fake.baseUrl);
    child = spawn(process.execPath, ['dist/server.js', '--stdio'], {
      env: { ...process.env, OPENAI_API_KEY: 'test-key', XDG_RUNTIME_DIR: path.join(root, 'run') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // The extension shows the bridge's stderr in its Output channel: keep it to check, pass it on.
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); process.stderr.write(chunk); });
    rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    rpc.onNotification('codex/event', (e: Event) => { events.push(e); });
    rpc.onRequest('workspace/codeLens/refresh', () => { refreshes++; return null; });
    rpc.onNotification(() => undefined);
    rpc.listen();
    const init = await rpc.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(workspace).toString(),
      capabilities: { workspace: { codeLens: { refreshSupport: true } } },
      initializationOptions: { dataDir: path.join(root, 'data'), codexHome: path.join(root, 'codex-home'), workspaceFolder: workspace, demo: 'off' },
    }) as { capabilities: { codeLensProvider?: unknown }; serverInfo: { name: string } };
    assert.ok(init.capabilities.codeLensProvider);
    await rpc.sendNotification('initialized', {});
  });

  after(async () => {
    try { await rpc.sendRequest('shutdown'); await rpc.sendNotification('exit'); } catch { /* already gone */ }
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    rpc.dispose();
    await fake.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const waitForEvent = async (pred: (e: Event) => boolean, timeoutMs = 20_000): Promise<Event> => {
    const t0 = Date.now();
    for (;;) {
      const found = events.find(pred);
      if (found) return found;
      if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting for an event');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('calls operations as codex/<operationId>, with structured errors', async () => {
    const health = await rpc.sendRequest('codex/getHealth', {}) as { runtime: { state: string } };
    assert.equal(health.runtime.state, 'ready');
    await assert.rejects(rpc.sendRequest('codex/readSession', { params: { sessionId: 'nope' } }), (e: { code: number; data: { httpStatus: number } }) => e.code === -32050 && e.data.httpStatus === 404);
    const info = await rpc.sendRequest('codex/info', {}) as { url: string; tokenFile: string };
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the editor-launched bridge serves HTTP for the CLI and Python too');
  });

  it('puts the runtime\'s error output on its stderr (the Output channel), saying where the full file is', () => {
    const logFile = path.join(root, 'data', 'logs', 'codex-stderr.log');
    assert.ok(stderr.includes(`[codex] the runtime's error output follows here (secrets redacted); in full: ${logFile}`), stderr);
  });

  it('shows a pending file change as code lenses, previews it, and applies it when accepted', async () => {
    const file = path.join(workspace, 'a.txt');
    fs.writeFileSync(file, 'one\nold line\nthree\n');
    const created = await rpc.sendRequest('codex/createSession', { body: { filesystemSandbox: 'read-only' } }) as { session: { sessionId: string } };
    const sessionId = created.session.sessionId;
    await rpc.sendRequest('codex/sendSessionMessage', { params: { sessionId }, body: { text: 'patch a.txt: old line => new line' } });
    const approval = await waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId);
    const approvalId = approval.payload.approvalId as string;
    assert.ok(refreshes >= 1, 'the client was asked to refresh its lenses');

    const lenses = await rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: pathToFileURL(file).toString() } }) as { range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[];
    assert.deepEqual(lenses.map((l) => l.command.title), ['$(check) Accept', 'Accept for session', '$(close) Decline', 'Show diff']);
    assert.equal(lenses[0]!.range.start.line, 1, 'on the changed line');
    assert.deepEqual(lenses[0]!.command.arguments, [approvalId]);
    const other = await rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: pathToFileURL(path.join(workspace, 'b.txt')).toString() } }) as unknown[];
    assert.deepEqual(other, []);

    const preview = await rpc.sendRequest('codex/proposedContent', { approvalId, path: file }) as { original: string; proposed: string };
    assert.deepEqual(preview, { original: 'one\nold line\nthree\n', proposed: 'one\nnew line\nthree\n' });

    await rpc.sendRequest('codex/decideApproval', { params: { approvalId }, body: { decision: 'accept' } });
    const resolved = await waitForEvent((e) => e.type === 'approval_resolved' && e.payload.approvalId === approvalId);
    assert.equal(resolved.payload.resolvedBy, 'editor');
    await waitForEvent((e) => e.type === 'notification' && e.threadId === sessionId && (e.payload as { method: string }).method === 'turn/completed');
    assert.equal(fs.readFileSync(file, 'utf8'), 'one\nnew line\nthree\n');
    const after = await rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: pathToFileURL(file).toString() } }) as unknown[];
    assert.deepEqual(after, [], 'lenses go away once decided');
  });

  it('replays events since a seq for a view that was hidden', async () => {
    const replay = await rpc.sendRequest('codex/replay', { since: 0 }) as { ok: boolean; events: Event[] };
    assert.ok(replay.ok);
    const replayed = new Set(replay.events.map((e) => e.seq));
    for (const e of events.filter((x) => x.seq <= replay.events.at(-1)!.seq)) assert.ok(replayed.has(e.seq), `seq ${e.seq} is replayed`);
    const seqs = replay.events.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
  });
});
