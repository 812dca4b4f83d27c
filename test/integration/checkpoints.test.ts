import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LoggedEvent } from '../../server/state/event-log';
import { isTurnCompleted, startTestBridge, type TestBridge } from './support/harness';

interface Checkpoint { turnId: string; ordinal: number; files: { path: string; change: string; restorable: boolean }[] }
interface FileDiff { path: string; state: string; before: string | null; current: string | null; diff: string; hunks: { index: number; lines: string[] }[] }

/**
 * Checkpoints against the real codex app-server: the fake model's `apply patch:` scenario
 * makes codex apply a multi-file patch (auto-approved in a workspace-write sandbox, or
 * after an approval in a read-only one). The workspace is a plain folder, not a git
 * repository: checkpoints never need git.
 */
describe('checkpoints against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  const ws = (name: string) => path.join(t.workspace, name);
  const read = (name: string) => fs.readFileSync(ws(name));

  async function newSession(sandbox: 'workspace-write' | 'read-only' = 'workspace-write'): Promise<string> {
    const created = await t.bridge.call('createSession', { body: { filesystemSandbox: sandbox, approvalPolicy: sandbox === 'read-only' ? 'on-request' : 'never' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return (created.body as { session: { sessionId: string } }).session.sessionId;
  }

  /** Runs one turn whose model applies `patch` (apply_patch body lines), and waits until its checkpoint is durable. */
  async function patchTurn(sessionId: string, patch: string): Promise<string> {
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: `apply patch:\n${patch}` } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const turnId = (sent.body as { turnId: string }).turnId;
    await t.waitForEvent(isTurnCompleted(sessionId, turnId), 30_000, 'turn completed');
    await t.bridge.checkpointRecorder.idle();
    return turnId;
  }

  async function list(sessionId: string): Promise<Checkpoint[]> {
    const reply = await t.bridge.call('listSessionCheckpoints', { params: { sessionId } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return (reply.body as { data: Checkpoint[] }).data;
  }

  async function diff(sessionId: string, turnId: string, file?: string): Promise<FileDiff[]> {
    const reply = await t.bridge.call('diffSessionCheckpoint', { params: { sessionId, turnId }, query: file ? { path: file } : {} });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return (reply.body as { files: FileDiff[] }).files;
  }

  const restore = (sessionId: string, turnId: string, body: Record<string, unknown> = {}) =>
    t.bridge.call('restoreSessionCheckpoint', { params: { sessionId, turnId }, body }, { actor: 'test:alice' });

  it('undoes a turn that edited two files and created a third exactly: bytes equal, the new file removed', async () => {
    fs.writeFileSync(ws('u1.txt'), 'alpha\nbeta\n');
    fs.writeFileSync(ws('u2.txt'), 'one\ntwo\nthree');  // no trailing newline
    const before1 = read('u1.txt');
    const before2 = read('u2.txt');
    const sessionId = await newSession();
    const turnId = await patchTurn(sessionId, [
      '*** Update File: u1.txt', '@@', '-alpha', '+ALPHA', ' beta',
      '*** Update File: u2.txt', '@@', ' one', '-two', '+TWO', ' three',
      '*** Add File: u3.txt', '+brand', '+new',
    ].join('\n'));
    assert.equal(read('u1.txt').toString(), 'ALPHA\nbeta\n', 'the patch was applied');
    assert.ok(fs.existsSync(ws('u3.txt')));

    // Not a git repository: the snapshots are the bridge's own content-addressed blobs.
    assert.equal(fs.existsSync(ws('.git')), false);
    const blobs = path.join(t.dataDir, 'checkpoints', 'blobs');
    const stored = fs.readdirSync(blobs).flatMap((shard) => fs.readdirSync(path.join(blobs, shard)));
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.ok(stored.includes(sha(before1)) && stored.includes(sha(before2)), 'the files before the turn are kept by content hash');
    const created = t.events().find((e) => e.type === 'checkpoint_created' && (e.payload as { turnId: string }).turnId === turnId);
    assert.ok(created, 'checkpoint_created on the stream');
    const [checkpoint, ...others] = await list(sessionId);
    assert.equal(others.length, 0);
    assert.equal(checkpoint!.turnId, turnId);
    assert.equal(checkpoint!.ordinal, 1);
    assert.deepEqual(checkpoint!.files.map((f) => [path.basename(f.path), f.change]).sort(), [['u1.txt', 'modified'], ['u2.txt', 'modified'], ['u3.txt', 'added']]);

    const files = await diff(sessionId, turnId);
    const u1 = files.find((f) => f.path === ws('u1.txt'))!;
    assert.equal(u1.state, 'as-left');
    assert.equal(u1.before, 'alpha\nbeta\n');
    assert.match(u1.diff, /-alpha\n\+ALPHA/);

    const restored = await restore(sessionId, turnId);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.deepEqual(read('u1.txt'), before1);
    assert.deepEqual(read('u2.txt'), before2);
    assert.equal(fs.existsSync(ws('u3.txt')), false, 'the file the turn created is gone');
    const event = await t.waitForEvent((e: LoggedEvent) => e.type === 'checkpoint_restored' && (e.payload as { turnId: string }).turnId === turnId);
    assert.equal((event.payload as { by: string }).by, 'test:alice');
    assert.equal((await list(sessionId))[0]!.files.length, 3);
  });

  it('undoes one of three hunks and leaves the other two', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    fs.writeFileSync(ws('h.txt'), lines.join('\n') + '\n');
    const sessionId = await newSession();
    const turnId = await patchTurn(sessionId, [
      '*** Update File: h.txt',
      '@@', ' line 2', '-line 3', '+LINE 3', ' line 4',
      '@@', ' line 14', '-line 15', '+LINE 15', ' line 16',
      '@@', ' line 27', '-line 28', '+LINE 28', ' line 29',
    ].join('\n'));
    const [file] = await diff(sessionId, turnId, ws('h.txt'));
    assert.equal(file!.hunks.length, 3);
    const reply = await t.bridge.call('restoreSessionCheckpointHunk', { params: { sessionId, turnId }, body: { path: ws('h.txt'), hunk: 1 } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const expected = lines.map((l, i) => (i === 2 || i === 27 ? l.toUpperCase() : l)).join('\n') + '\n';
    assert.equal(read('h.txt').toString(), expected);
    // The same hunk again: its lines are no longer there.
    const again = await t.bridge.call('restoreSessionCheckpointHunk', { params: { sessionId, turnId }, body: { path: ws('h.txt'), hunk: 1 } });
    assert.equal(again.status, 409);
    const missing = await t.bridge.call('restoreSessionCheckpointHunk', { params: { sessionId, turnId }, body: { path: ws('h.txt'), hunk: 7 } });
    assert.equal(missing.status, 404);
    // The bridge's own partial undo is not a conflict for undoing the rest of the turn.
    const rest = await restore(sessionId, turnId);
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.equal(read('h.txt').toString(), lines.join('\n') + '\n');
  });

  it('refuses a restore after an outside edit, naming the file and changing nothing; force restores', async () => {
    fs.writeFileSync(ws('c1.txt'), 'first\n');
    fs.writeFileSync(ws('c2.txt'), 'second\n');
    const sessionId = await newSession();
    const turnId = await patchTurn(sessionId, ['*** Update File: c1.txt', '@@', '-first', '+FIRST', '*** Update File: c2.txt', '@@', '-second', '+SECOND', '*** Add File: c3.txt', '+third'].join('\n'));
    fs.writeFileSync(ws('c2.txt'), 'SECOND\nedited by hand\n');
    const refused = await restore(sessionId, turnId);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    const body = refused.body as { code: string; files: { path: string; reason: string }[] };
    assert.equal(body.code, 'checkpoint_conflict');
    assert.deepEqual(body.files.map((f) => f.path), [ws('c2.txt')]);
    assert.match(body.files[0]!.reason, /changed since/);
    assert.equal(read('c1.txt').toString(), 'FIRST\n', 'nothing was restored');
    assert.equal(read('c2.txt').toString(), 'SECOND\nedited by hand\n');
    assert.ok(fs.existsSync(ws('c3.txt')));
    const [c2] = await diff(sessionId, turnId, ws('c2.txt'));
    assert.equal(c2!.state, 'changed-since');

    const oneFile = await restore(sessionId, turnId, { scope: 'file', path: ws('c1.txt') });
    assert.equal(oneFile.status, 200, 'a file nobody else touched restores alone');
    assert.equal(read('c1.txt').toString(), 'first\n');
    const forced = await restore(sessionId, turnId, { force: true });
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    assert.equal(read('c2.txt').toString(), 'second\n');
    assert.equal(fs.existsSync(ws('c3.txt')), false);
  });

  it('restores to before turn N, undoing the later turns too; one turn alone is refused when a later one changed its files', async () => {
    fs.writeFileSync(ws('n.txt'), 'v0\n');
    const sessionId = await newSession();
    const first = await patchTurn(sessionId, ['*** Update File: n.txt', '@@', '-v0', '+v1', '*** Add File: n-new.txt', '+made by turn 1'].join('\n'));
    const second = await patchTurn(sessionId, ['*** Update File: n.txt', '@@', '-v1', '+v2', '*** Delete File: n-new.txt'].join('\n'));
    assert.deepEqual((await list(sessionId)).map((c) => [c.turnId, c.ordinal]), [[first, 1], [second, 2]]);
    const alone = await restore(sessionId, first);
    assert.equal(alone.status, 409);
    assert.match((alone.body as { files: { reason: string }[] }).files[0]!.reason, /later turn/);
    const back = await restore(sessionId, first, { scope: 'toBefore' });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual((back.body as { turnIds: string[] }).turnIds, [first, second]);
    assert.equal(read('n.txt').toString(), 'v0\n');
    assert.equal(fs.existsSync(ws('n-new.txt')), false);
  });

  it('records a rename and a deletion, and undoes both', async () => {
    fs.writeFileSync(ws('mv-src.txt'), 'moving\nalong\n');
    fs.writeFileSync(ws('rm.txt'), 'to be deleted\n');
    const sessionId = await newSession();
    const turnId = await patchTurn(sessionId, ['*** Update File: mv-src.txt', '*** Move to: mv-dst.txt', '@@', '-moving', '+moved', ' along', '*** Delete File: rm.txt'].join('\n'));
    assert.equal(fs.existsSync(ws('mv-src.txt')), false);
    assert.equal(read('mv-dst.txt').toString(), 'moved\nalong\n');
    assert.equal(fs.existsSync(ws('rm.txt')), false);
    const [checkpoint] = (await list(sessionId)).filter((c) => c.turnId === turnId);
    assert.deepEqual(checkpoint!.files.map((f) => [path.basename(f.path), f.change]).sort(), [['mv-dst.txt', 'moved-to'], ['mv-src.txt', 'moved-from'], ['rm.txt', 'deleted']]);
    const restored = await restore(sessionId, turnId);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(read('mv-src.txt').toString(), 'moving\nalong\n');
    assert.equal(fs.existsSync(ws('mv-dst.txt')), false);
    assert.equal(read('rm.txt').toString(), 'to be deleted\n');
  });

  it('snapshots before an approved change is applied (read-only sandbox, on-request)', async () => {
    fs.writeFileSync(ws('ap.txt'), 'keep me\n');
    const sessionId = await newSession('read-only');
    const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'apply patch:\n*** Update File: ap.txt\n@@\n-keep me\n+changed' } });
    const turnId = (sent.body as { turnId: string }).turnId;
    const approval = await t.waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId, 20_000, 'approval');
    await t.bridge.call('decideApproval', { params: { approvalId: (approval.payload as { approvalId: string }).approvalId }, body: { decision: 'accept' } });
    await t.waitForEvent(isTurnCompleted(sessionId, turnId), 30_000);
    await t.bridge.checkpointRecorder.idle();
    assert.equal(read('ap.txt').toString(), 'changed\n');
    assert.equal((await restore(sessionId, turnId)).status, 200);
    assert.equal(read('ap.txt').toString(), 'keep me\n');
  });

  it('keeps checkpoints across a bridge restart and restores from them', async () => {
    fs.writeFileSync(ws('r.txt'), 'durable\n');
    const sessionId = await newSession();
    const turnId = await patchTurn(sessionId, ['*** Update File: r.txt', '@@', '-durable', '+rewritten'].join('\n'));
    await t.restartBridge();
    const [checkpoint] = (await list(sessionId)).filter((c) => c.turnId === turnId);
    assert.ok(checkpoint, 'listed after the restart');
    const restored = await restore(sessionId, turnId);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(read('r.txt').toString(), 'durable\n');
  });

  it('answers 404 for an unknown session or turn and 400 for a file scope without a path', async () => {
    assert.equal((await t.bridge.call('listSessionCheckpoints', { params: { sessionId: 'nope' } })).status, 404);
    const sessionId = await newSession();
    assert.deepEqual(await list(sessionId), []);
    assert.equal((await restore(sessionId, 'no-such-turn')).status, 404);
    fs.writeFileSync(ws('e.txt'), 'e\n');
    const turnId = await patchTurn(sessionId, '*** Update File: e.txt\n@@\n-e\n+E');
    const noPath = await restore(sessionId, turnId, { scope: 'file' });
    assert.equal(noPath.status, 400);
    assert.deepEqual((noPath.body as { issues: { path: string[] }[] }).issues[0]!.path, ['body', 'path']);
    assert.equal((await restore(sessionId, turnId, { scope: 'file', path: ws('a.txt') })).status, 404);
    assert.equal((await t.bridge.call('diffSessionCheckpoint', { params: { sessionId, turnId: 'no-such-turn' }, query: {} })).status, 404);
  });
});

describe('checkpoint limits against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge({ checkpoints: { maxFileBytes: 64, maxPerThread: 2 } }); });
  after(async () => { await t?.stop(); });

  it('records a file over the size cap without its content and refuses to restore it; keeps the latest checkpoints per session', async () => {
    const big = path.join(t.workspace, 'big.txt');
    fs.writeFileSync(big, `${'x'.repeat(100)}\nlast\n`);
    const created = await t.bridge.call('createSession', { body: { filesystemSandbox: 'workspace-write', approvalPolicy: 'never' } });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    const turn = async (patch: string) => {
      const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: `apply patch:\n${patch}` } });
      const turnId = (sent.body as { turnId: string }).turnId;
      await t.waitForEvent(isTurnCompleted(sessionId, turnId), 30_000);
      await t.bridge.checkpointRecorder.idle();
      return turnId;
    };
    const first = await turn('*** Update File: big.txt\n@@\n-last\n+changed');
    const listed = async () => ((await t.bridge.call('listSessionCheckpoints', { params: { sessionId } })).body as { data: Checkpoint[] }).data;
    assert.equal((await listed())[0]!.files[0]!.restorable, false);
    const refused = await t.bridge.call('restoreSessionCheckpoint', { params: { sessionId, turnId: first }, body: { force: true } });
    assert.equal(refused.status, 409);
    assert.match((refused.body as { files: { reason: string }[] }).files[0]!.reason, /size cap/);

    fs.writeFileSync(path.join(t.workspace, 'small.txt'), 's0\n');
    const second = await turn('*** Update File: small.txt\n@@\n-s0\n+s1');
    const third = await turn('*** Update File: small.txt\n@@\n-s1\n+s2');
    assert.deepEqual((await listed()).map((c) => c.turnId), [second, third], 'the oldest checkpoint went');
  });
});
