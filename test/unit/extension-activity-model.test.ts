import assert from 'node:assert/strict';
import { ActivityModel, displayCommand, type ActivityEvent } from '../../extension/activity/activity-model';

const S = 'thread-1';
const note = (method: string, params: Record<string, unknown>, threadId = S): ActivityEvent => ({ type: 'notification', threadId, payload: { method, params: { threadId, ...params } } });
const user = (text: string) => ({ type: 'userMessage', id: 'u1', content: [{ type: 'text', text }] });
const command = (status: string, extra: Record<string, unknown> = {}) => ({ type: 'commandExecution', id: 'c1', command: "/bin/bash -lc 'npm test'", status, ...extra });
const patch = (status: string) => ({ type: 'fileChange', id: 'f1', status, changes: [{ path: '/ws/a.txt', kind: { type: 'update' }, diff: '@@ -1 +1 @@\n-old line\n+new line\n' }] });

/** The Tool Activity tree's data (extension/activity/activity-model.ts): pure, fed by bridge events. */
describe('extension: tool activity model', () => {
  it('follows a turn live: prompt, tool items with status and timings, end of turn', () => {
    const m = new ActivityModel();
    m.reset(S);
    assert.ok(m.apply(note('turn/started', { turn: { id: 't1', status: 'inProgress', startedAt: 100 } })));
    m.apply(note('item/started', { turnId: 't1', item: user('run the tests'), startedAtMs: 100_000 }));
    m.apply(note('item/started', { turnId: 't1', item: command('inProgress'), startedAtMs: 100_100 }));
    let [turn] = m.list();
    assert.equal(turn!.prompt, 'run the tests');
    assert.deepEqual(turn!.items.map((i) => [i.kind, i.label, i.status]), [['command', 'npm test', 'running']]);
    m.apply(note('item/completed', { turnId: 't1', item: command('completed', { exitCode: 0 }), completedAtMs: 100_600 }));
    m.apply(note('turn/completed', { turn: { id: 't1', status: 'completed', completedAt: 101, durationMs: 740 } }));
    [turn] = m.list();
    assert.equal(turn!.status, 'completed');
    assert.equal(turn!.durationMs, 740, "the runtime's duration, finer than its whole-second timestamps");
    assert.equal(turn!.startedAt, 100_000, 'runtime turn seconds become milliseconds');
    const item = turn!.items[0]!;
    assert.deepEqual([item.status, item.exitCode, item.completedAt! - item.startedAt!], ['completed', 0, 500]);
  });

  it('ignores other sessions, deltas and non-tool items', () => {
    const m = new ActivityModel();
    m.reset(S);
    assert.equal(m.apply(note('turn/started', { turn: { id: 'x' } }, 'other')), false);
    assert.equal(m.apply(note('item/agentMessage/delta', { turnId: 't1', delta: 'hi' })), false);
    m.apply(note('item/started', { turnId: 't1', item: { type: 'agentMessage', id: 'm1', text: '' } }));
    assert.deepEqual(m.list()[0]!.items, []);
  });

  it('marks an item awaiting approval until it is decided, and counts file change lines', () => {
    const m = new ActivityModel();
    m.reset(S);
    m.apply(note('item/started', { turnId: 't1', item: patch('inProgress') }));
    m.apply({ type: 'approval', threadId: S, payload: { approvalId: 'a1', itemId: 'f1', turnId: 't1' } });
    const item = () => m.list()[0]!.items[0]!;
    assert.equal(item().status, 'awaitingApproval');
    assert.deepEqual([item().label, item().added, item().removed, item().paths], ['a.txt', 1, 1, ['/ws/a.txt']]);
    m.apply({ type: 'approval_resolved', threadId: S, payload: { approvalId: 'a1', decision: 'accept' } });
    assert.equal(item().status, 'running');
    m.apply(note('item/completed', { turnId: 't1', item: patch('completed') }));
    assert.equal(item().status, 'completed');
  });

  it('stops the spinners of items an interrupted turn cut off', () => {
    const m = new ActivityModel();
    m.reset(S);
    m.apply(note('item/started', { turnId: 't1', item: command('inProgress') }));
    m.apply(note('turn/completed', { turn: { id: 't1', status: 'interrupted' } }));
    assert.deepEqual([m.list()[0]!.status, m.list()[0]!.items[0]!.status], ['interrupted', 'interrupted']);
  });

  it('rebuilds from readSession: thread turns first, transcript entries otherwise', () => {
    const m = new ActivityModel();
    m.reset(S, { turns: [{ id: 't1', status: 'completed', items: [user('fix it'), patch('completed')] }, { id: 't2', status: 'inProgress', items: [command('inProgress')] }], activeTurnId: 't2' });
    assert.deepEqual(m.list().map((t) => [t.index, t.prompt, t.status, t.items.length]), [[1, 'fix it', 'completed', 1], [2, '', 'running', 1]]);
    m.reset(S, { transcript: [{ turnId: 't9', item: command('failed', { exitCode: 2 }), startedAt: 1, completedAt: 5 }] });
    assert.deepEqual(m.list()[0]!.items.map((i) => [i.status, i.exitCode]), [['failed', 2]]);
  });

  it('shows commands without their shell wrapper', () => {
    assert.equal(displayCommand("/bin/bash -lc 'echo '\\''hi'\\'''"), "echo 'hi'");
    assert.equal(displayCommand('ls  -la'), 'ls -la');
  });
});
