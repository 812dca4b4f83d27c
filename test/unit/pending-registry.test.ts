import assert from 'node:assert/strict';
import { BridgeError } from '../../protocol/errors';
import { PendingRegistry, type PendingEntry } from '../../server/state/pending-registry';

function fakeReply(runtimeId: number, generation = 1, fail = false) {
  const answers: unknown[] = [];
  return {
    answers,
    reply: { runtimeId, generation, respond: async (r: unknown) => { if (fail) throw new Error('pipe closed'); answers.push(r); } },
  };
}

const approval = { threadId: 't1', turnId: 'u1', itemId: 'i1', command: 'ls' };

describe('PendingRegistry', () => {
  let registry: PendingRegistry;
  let requested: PendingEntry[];
  let settled: PendingEntry[];
  beforeEach(() => {
    registry = new PendingRegistry();
    requested = [];
    settled = [];
    registry.onRequested((e) => requested.push(e));
    registry.onSettled((e) => settled.push({ ...e }));
  });

  it('registers the request kinds with public ids and ignores other methods', () => {
    const a = registry.add('item/commandExecution/requestApproval', approval, fakeReply(1).reply)!;
    const b = registry.add('item/tool/requestUserInput', { threadId: 't1', turnId: 'u1', itemId: 'i2', questions: [] }, fakeReply(2).reply)!;
    const c = registry.add('item/tool/call', { threadId: 't2', turnId: 'u2', callId: 'c1', tool: 'x', arguments: {} }, fakeReply(3).reply)!;
    const legacy = registry.add('execCommandApproval', { conversationId: 't3', callId: 'k', command: ['ls'] }, fakeReply(4).reply)!;
    assert.equal(registry.add('currentTime/read', {}, fakeReply(5).reply), undefined);
    assert.deepEqual([a.kind, b.kind, c.kind, legacy.kind], ['approval', 'user_input', 'tool_call', 'approval']);
    assert.match(a.id, /^appr_[0-9a-f]{32}$/);
    assert.equal(c.itemId, 'c1');
    assert.equal(legacy.threadId, 't3');
    assert.equal(requested.length, 4);
    assert.deepEqual(registry.list({ threadId: 't1' }).map((e) => e.id), [a.id, b.id]);
    assert.deepEqual(registry.list({ kind: 'tool_call' }).map((e) => e.id), [c.id]);
  });

  it('answers the runtime once; a second decision is a conflict naming the first', async () => {
    const { reply, answers } = fakeReply(1);
    const e = registry.add('item/commandExecution/requestApproval', approval, reply)!;
    await registry.decide(e.id, 'editor', 'accept', { decision: 'accept' });
    assert.deepEqual(answers, [{ decision: 'accept' }]);
    await assert.rejects(registry.decide(e.id, 'http:cli', 'decline', { decision: 'decline' }), (err: unknown) =>
      err instanceof BridgeError && err.code === 'conflict' && /already decided by editor/.test(err.message)
      && (err.details?.resolution as { by: string }).by === 'editor');
    assert.equal(answers.length, 1);
    assert.equal(settled[0]!.status, 'resolved');
    assert.equal(registry.list().length, 0);
  });

  it('claims atomically: of simultaneous decisions exactly one reaches the runtime', async () => {
    const { reply, answers } = fakeReply(1);
    const e = registry.add('item/fileChange/requestApproval', approval, reply)!;
    const results = await Promise.allSettled(['a', 'b', 'c'].map((who) => registry.decide(e.id, who, 'accept', { decision: 'accept' })));
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected', 'rejected']);
    assert.equal(answers.length, 1);
  });

  it('releases the claim when the answer cannot be delivered', async () => {
    const e = registry.add('item/commandExecution/requestApproval', approval, fakeReply(1, 1, true).reply)!;
    await assert.rejects(registry.decide(e.id, 'a', 'accept', {}), (err: unknown) => err instanceof BridgeError && err.code === 'runtime_unavailable');
    assert.equal(registry.get(e.id)!.status, 'pending');
  });

  it('unknown ids are not_found', async () => {
    await assert.rejects(registry.decide('appr_x', 'a', 'accept', {}), (err: unknown) => err instanceof BridgeError && err.code === 'not_found');
  });

  it('expires on turn end and on runtime exit, with an event each, and refuses late decisions', async () => {
    const a = registry.add('item/commandExecution/requestApproval', approval, fakeReply(1, 1).reply)!;
    const b = registry.add('item/commandExecution/requestApproval', { ...approval, turnId: 'u2' }, fakeReply(2, 1).reply)!;
    const c = registry.add('item/commandExecution/requestApproval', { ...approval, threadId: 't9' }, fakeReply(3, 2).reply)!;
    registry.expireTurn('t1', 'u1', 'turn completed');
    assert.equal(registry.get(a.id)!.status, 'expired');
    assert.equal(registry.get(b.id)!.status, 'pending');
    registry.expireGeneration(1, 'runtime exited');
    assert.equal(registry.get(b.id)!.status, 'expired');
    assert.equal(registry.get(c.id)!.status, 'pending', 'another generation is untouched');
    assert.deepEqual(settled.map((s) => [s.id, s.status, s.expiredReason]), [[a.id, 'expired', 'turn completed'], [b.id, 'expired', 'runtime exited']]);
    await assert.rejects(registry.decide(a.id, 'x', 'accept', {}), (err: unknown) => err instanceof BridgeError && err.code === 'conflict' && /expired/.test(err.message));
  });

  it('resolves on serverRequest/resolved from the same runtime generation only', () => {
    const a = registry.add('item/commandExecution/requestApproval', approval, fakeReply(7, 1).reply)!;
    registry.resolvedByRuntime(2, 7);
    assert.equal(registry.get(a.id)!.status, 'pending');
    registry.resolvedByRuntime(1, 7);
    assert.equal(registry.get(a.id)!.status, 'resolved');
    assert.equal(registry.get(a.id)!.resolution!.by, 'runtime');
  });

  it('forgets settled entries beyond its bound', async () => {
    const small = new PendingRegistry(2);
    const ids = [1, 2, 3].map((n) => small.add('item/tool/call', { threadId: 't', callId: `c${n}` }, fakeReply(n).reply)!.id);
    for (const id of ids) await small.decide(id, 'a', {}, {});
    assert.equal(small.get(ids[0]!), undefined);
    assert.ok(small.get(ids[2]!));
  });

  it('settles once when the runtime exits while a decision is on its way (one event, the decider hears it expired)', async () => {
    let release!: () => void;
    const answered = new Promise<void>((r) => { release = r; });
    const e = registry.add('item/commandExecution/requestApproval', approval, { runtimeId: 1, generation: 1, respond: () => answered })!;
    const deciding = registry.decide(e.id, 'editor', 'accept', { decision: 'accept' });
    registry.expireGeneration(1, 'runtime exited (SIGKILL)');
    release();
    await assert.rejects(deciding, (err: unknown) => err instanceof BridgeError && err.code === 'conflict' && /expired/.test(err.message));
    assert.deepEqual(settled.map((s) => s.status), ['expired']);
    assert.equal(registry.get(e.id)!.status, 'expired');
  });
});
