import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { transcriptFromTurns } from '../../server/domain/transcript';
import { mergeTranscript } from '../../server/domain/transcript-ledger';
import { isTurnCompleted, startTestBridge, turnStatusOf, type TestBridge } from './support/harness';

type Tuple = { model: string | null; approvalPolicy: string; networkAccess: string; filesystemSandbox: string; settings?: Record<string, unknown> };
type View = { status: string; sessionId: string; controls: Tuple; defaults: Tuple; defaultsEditable: boolean; defaultLockReason: string | null };
type Reply<B> = { status: number; body: B };

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('session controls, settings and transcript ledger against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  const call = <B = Record<string, unknown>>(id: string, input: { params?: object; query?: object; body?: object }, actor = 'test:alice') =>
    t.bridge.call(id, input, { actor }) as Promise<Reply<B>>;

  async function newSession(): Promise<string> {
    const created = await call<{ session: { sessionId: string } }>('createSession', { body: {} });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return created.body.session.sessionId;
  }

  /** Runs one turn to its end; returns the completed turn's items and whether it raised an approval. */
  async function runTurn(sessionId: string, text: string): Promise<{ items: { type: string; text?: string }[]; approvals: number; status: string }> {
    const before = t.events().filter((e) => e.type === 'approval' && e.threadId === sessionId).length;
    const sent = await call<{ turnId: string }>('sendSessionMessage', { params: { sessionId }, body: { text } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const done = await t.waitForEvent(isTurnCompleted(sessionId, sent.body.turnId), 30_000, 'turn end');
    const approvals = t.events().filter((e) => e.type === 'approval' && e.threadId === sessionId).length - before;
    return { items: (done.payload as { params: { turn: { items: { type: string; text?: string }[] } } }).params.turn.items, approvals, status: turnStatusOf(done) };
  }

  const tuple = (over: Partial<Tuple> = {}): Tuple => ({ model: null, approvalPolicy: 'on-request', networkAccess: 'restricted', filesystemSandbox: 'read-only', ...over });

  it("reads a session's controls and the bridge's defaults", async () => {
    const sessionId = await newSession();
    const read = await call<View>('getSessionControls', { params: { sessionId } });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.status, 'ok');
    assert.deepEqual(read.body.controls, tuple({ model: 'mock-model', settings: {} }), 'the model the runtime chose for the thread');
    assert.deepEqual(read.body.defaults, tuple({ settings: {} }));
    assert.deepEqual([read.body.defaultsEditable, read.body.defaultLockReason], [true, null]);
  });

  it('answers codex-manager\'s 404 body for an unknown session on every operation', async () => {
    const calls: [string, object][] = [
      ['getSessionControls', {}],
      ['applySessionControls', { body: { scope: 'session', controls: tuple() } }],
      ['getSessionSettings', {}],
      ['setSessionSettings', { body: { scope: 'session', key: 'k', value: 1 } }],
      ['deleteSessionSetting', { params: { sessionId: MISSING, key: 'k' } }],
      ['setSessionApprovalPolicy', { body: { approvalPolicy: 'never' } }],
      ['upsertSessionTranscriptEntry', { body: { messageId: 'm', turnId: 't', role: 'system', type: 'note', content: 'x', status: 'complete' } }],
    ];
    for (const [id, input] of calls) {
      const reply = await call<{ status: string; sessionId: string }>(id, { params: { sessionId: MISSING }, ...input });
      assert.deepEqual([reply.status, reply.body.status, reply.body.sessionId], [404, 'not_found', MISSING], id);
    }
  });

  it("answers codex-manager's 410 body for a deleted session", async () => {
    const sessionId = await newSession();
    assert.equal((await call('deleteSession', { params: { sessionId } })).status, 200);
    for (const id of ['getSessionControls', 'getSessionSettings']) {
      const reply = await call<{ status: string; sessionId: string; deletedAt: string }>(id, { params: { sessionId } });
      assert.deepEqual([reply.status, reply.body.status, reply.body.sessionId], [410, 'deleted', sessionId], id);
    }
    const upsert = await call<{ status: string }>('upsertSessionTranscriptEntry', {
      params: { sessionId }, body: { messageId: 'm', turnId: 't', role: 'system', type: 'note', content: 'x', status: 'complete' },
    });
    assert.deepEqual([upsert.status, upsert.body.status], [410, 'deleted']);
  });

  it('applies session controls: ok, then unchanged, visible in the summary, audited with the caller as actor', async () => {
    const sessionId = await newSession();
    const controls = tuple({ model: 'mock-model', approvalPolicy: 'never', filesystemSandbox: 'workspace-write' });
    const applied = await call<View & { scope: string; applied: Tuple; summary: string; runtime: { status: string } }>(
      'applySessionControls', { params: { sessionId }, body: { scope: 'session', controls, actor: 'alice', source: 'ui' } });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual([applied.body.status, applied.body.scope, applied.body.runtime.status], ['ok', 'session', 'applied']);
    assert.deepEqual(applied.body.applied, { ...controls, settings: {} });
    assert.equal(applied.body.summary, 'mock-model | never | restricted | workspace-write');
    assert.deepEqual(applied.body.defaults, tuple({ settings: {} }), 'the defaults are untouched');

    const again = await call<{ status: string }>('applySessionControls', { params: { sessionId }, body: { scope: 'session', controls } });
    assert.equal(again.body.status, 'unchanged');

    const read = await call<{ session: { approvalPolicy: string; sessionControls: Tuple } }>('readSession', { params: { sessionId } });
    assert.equal(read.body.session.approvalPolicy, 'never');
    assert.deepEqual(read.body.session.sessionControls, { ...controls, settings: {} }, 'with the session settings, as codex-manager');

    const rows = t.bridge.services.sessionSettings.auditRows().filter((r) => r.sessionId === sessionId);
    assert.equal(rows.length, 1, 'an unchanged apply is not audited');
    assert.deepEqual([rows[0]!.actor, rows[0]!.claimedActor, rows[0]!.source, rows[0]!.scope, rows[0]!.kind], ['test:alice', 'alice', 'ui', 'session', 'controls']);
    assert.deepEqual((rows[0]!.before as Tuple).approvalPolicy, 'on-request');
    assert.deepEqual((rows[0]!.after as Tuple).approvalPolicy, 'never');
    const notes = await t.bridge.services.ledger.entries(sessionId);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.type, 'session.controls.updated');
    assert.match(notes[0]!.content, /alice \(test:alice\) via ui: mock-model \| on-request \| restricted \| read-only -> mock-model \| never/);
  });

  it("controls take effect on the session's next real turn (approval policy, sandbox, model)", async () => {
    const sessionId = await newSession();
    const asked = await call<{ status: string }>('setSessionApprovalPolicy', { params: { sessionId }, body: { approvalPolicy: 'never' } });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    assert.deepEqual(asked.body, { status: 'ok', sessionId, approvalPolicy: 'never', runtime: { status: 'applied' } });
    // With `never` codex refuses an escalated command outright instead of asking (verified on 0.169).
    const refused = await runTurn(sessionId, 'run command: echo hi > never.txt');
    assert.deepEqual([refused.status, refused.approvals], ['completed', 0]);
    assert.match(refused.items.at(-1)!.text!, /approval policy is Never/);
    assert.equal(fs.existsSync(path.join(t.workspace, 'never.txt')), false);

    const readOnly = await runTurn(sessionId, 'run sandboxed: echo x > sandboxed.txt');
    assert.match(readOnly.items.at(-1)!.text!, /Read-only file system/);
    assert.equal(fs.existsSync(path.join(t.workspace, 'sandboxed.txt')), false);
    const applied = await call('applySessionControls', {
      params: { sessionId }, body: { scope: 'session', controls: tuple({ model: 'other-model', approvalPolicy: 'never', filesystemSandbox: 'workspace-write' }) },
    });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const requests = t.fake.requests.length;
    const writable = await runTurn(sessionId, 'run sandboxed: echo x > sandboxed.txt');
    assert.equal(writable.approvals, 0);
    assert.equal(fs.readFileSync(path.join(t.workspace, 'sandboxed.txt'), 'utf8').trim(), 'x');
    assert.deepEqual(t.fake.requests.slice(requests).map((r) => (r.body as { model?: string }).model), ['other-model', 'other-model']);
  });

  it("'untrusted' makes even a sandboxed command ask for approval", async () => {
    const sessionId = await newSession();
    assert.equal((await call('setSessionApprovalPolicy', { params: { sessionId }, body: { approvalPolicy: 'untrusted' } })).status, 200);
    const sent = await call<{ turnId: string }>('sendSessionMessage', { params: { sessionId }, body: { text: 'run sandboxed: echo checked' } });
    const approval = await t.waitForEvent((e) => e.type === 'approval' && e.threadId === sessionId, 20_000, 'approval');
    const { approvalId } = approval.payload as { approvalId: string };
    assert.equal((await call('decideApproval', { params: { approvalId }, body: { decision: 'decline' } })).status, 200);
    await t.waitForEvent(isTurnCompleted(sessionId, sent.body.turnId));
  });

  it('default-scope controls change the defaults only, and reject bad input naming the field', async () => {
    const sessionId = await newSession();
    const other = await newSession();
    const defaults = tuple({ approvalPolicy: 'never', networkAccess: 'enabled', settings: { team: 'core' } });
    const applied = await call<View & { status: string; applied: Tuple }>('applySessionControls', { params: { sessionId }, body: { scope: 'default', controls: defaults } });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(applied.body.defaults, defaults);
    assert.equal(applied.body.controls.approvalPolicy, 'on-request', 'the session itself keeps its controls');
    const fromOther = await call<View>('getSessionControls', { params: { sessionId: other } });
    assert.deepEqual(fromOther.body.defaults, defaults);
    assert.deepEqual(t.bridge.services.sessionSettings.defaultControls(), { model: null, approvalPolicy: 'never', networkAccess: 'enabled', filesystemSandbox: 'read-only' });

    const bad = await call<{ code: string; issues: { path: unknown[] }[] }>('applySessionControls', {
      params: { sessionId }, body: { scope: 'everywhere', controls: { ...tuple(), approvalPolicy: 'sometimes', extra: 1 } },
    });
    assert.equal(bad.status, 400);
    // The unknown `extra` is ignored, as codex-manager ignores it; the known fields are still checked.
    assert.deepEqual(bad.body.issues.map((i) => i.path), [['body', 'scope'], ['body', 'controls', 'approvalPolicy']]);
  });

  it('sets, merges, replaces, reads and deletes settings in each scope', async () => {
    const sessionId = await newSession();
    const set = (body: object) => call<{ status: string; settings: Record<string, unknown>; key?: string }>('setSessionSettings', { params: { sessionId }, body });
    const one = await set({ scope: 'session', key: 'supervisor', value: { fileChange: { explain: true } } });
    assert.deepEqual([one.status, one.body.status, one.body.key, one.body.settings], [200, 'ok', 'supervisor', { supervisor: { fileChange: { explain: true } } }]);
    assert.equal((await set({ scope: 'session', key: 'supervisor', value: { fileChange: { explain: true } } })).body.status, 'unchanged');
    const merged = await set({ scope: 'session', settings: { theme: 'dark' } });
    assert.deepEqual(merged.body.settings, { supervisor: { fileChange: { explain: true } }, theme: 'dark' });
    const replaced = await set({ scope: 'session', settings: { only: null }, mode: 'replace' });
    assert.deepEqual(replaced.body.settings, { only: null });
    await set({ scope: 'default', key: 'theme', value: 'light' });

    const get = (query: object) => call<Record<string, unknown>>('getSessionSettings', { params: { sessionId }, query });
    assert.deepEqual((await get({})).body, { status: 'ok', sessionId, scope: 'session', settings: { only: null } });
    assert.equal(((await get({ scope: 'default' })).body.settings as Record<string, unknown>).theme, 'light', 'the default scope is separate');
    assert.deepEqual((await get({ key: 'only' })).body, { status: 'ok', sessionId, scope: 'session', key: 'only', found: true, value: null });
    assert.deepEqual((await get({ key: 'nope' })).body, { status: 'ok', sessionId, scope: 'session', key: 'nope', found: false, value: null });

    const del = (key: string, query: object = {}) => call<Record<string, unknown>>('deleteSessionSetting', { params: { sessionId, key }, query });
    assert.deepEqual((await del('only')).body, { status: 'ok', sessionId, scope: 'session', key: 'only', removed: true, settings: {} });
    assert.deepEqual((await del('only')).body, { status: 'unchanged', sessionId, scope: 'session', key: 'only', removed: false, settings: {} });
    assert.deepEqual((await del('theme', { scope: 'default', actor: 'bob', source: 'cli' })).body.removed, true);
    const row = t.bridge.services.sessionSettings.auditRows().at(-1)!;
    assert.deepEqual([row.kind, row.scope, row.key, row.before, row.actor, row.claimedActor, row.source], ['settings', 'default', 'theme', 'light', 'test:alice', 'bob', 'cli']);
    const view = await call<View>('getSessionControls', { params: { sessionId } });
    assert.deepEqual(view.body.controls.settings, {});
    assert.equal(Object.hasOwn(view.body.defaults.settings!, 'theme'), false);
  });

  it('takes either settings or key and value, as codex-manager: both, neither or half a pair is a 400 naming the field', async () => {
    const sessionId = await newSession();
    const set = (body: object) => call<{ status: string; key?: string; settings: Record<string, unknown>; issues?: { path: unknown[] }[] }>('setSessionSettings', { params: { sessionId }, body });
    const whole = await set({ scope: 'session', settings: { a: 1, b: 2 }, mode: 'replace', actor: '', source: ' ' });
    assert.deepEqual([whole.status, whole.body.status, whole.body.settings], [200, 'ok', { a: 1, b: 2 }]);
    const one = await set({ scope: 'session', key: 'c', value: null, colour: 'red' });
    assert.deepEqual([one.status, one.body.key, one.body.settings], [200, 'c', { a: 1, b: 2, c: null }], 'a null value is a value; unknown keys are ignored');
    const refused: [object, string][] = [
      [{ scope: 'session', settings: { a: 1 }, key: 'b', value: 3 }, 'body.settings'],
      [{ scope: 'session' }, 'body.key'],
      [{ scope: 'session', value: 1 }, 'body.key'],
      [{ scope: 'session', key: '', value: 1 }, 'body.key'],
      [{ scope: 'session', key: 'c' }, 'body.value'],
    ];
    for (const [body, field] of refused) {
      const reply = await set(body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.deepEqual(reply.body.issues?.map((i) => i.path.join('.')), [field], JSON.stringify(body));
    }
    assert.deepEqual((await call<{ settings: object }>('getSessionSettings', { params: { sessionId } })).body.settings, { a: 1, b: 2, c: null }, 'refused writes changed nothing');
    const row = t.bridge.services.sessionSettings.auditRows().filter((r) => r.sessionId === sessionId)[0]!;
    assert.deepEqual([row.claimedActor, row.source], [undefined, 'test'], 'blank actor and source mean not given');
  });

  it('upserts supplemental transcript entries by messageId, announces them and merges them with the runtime transcript', async () => {
    const sessionId = await newSession();
    const turn = await runTurn(sessionId, 'hello');
    const read = await call<{ thread: { turns: never } }>('readSession', { params: { sessionId } });
    const runtime = transcriptFromTurns(read.body.thread.turns);
    const turnId = runtime[0]!.turnId;
    const answerId = turn.items.at(-1)!.type === 'agentMessage' ? runtime.at(-1)!.messageId : '';

    const upsert = (body: object) => call<{ status: string; entry: Record<string, unknown> }>('upsertSessionTranscriptEntry', { params: { sessionId }, body });
    const first = await upsert({ messageId: 'review-1', turnId, role: 'system', type: 'review', content: 'checking', status: 'streaming', startedAt: 100 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const event = await t.waitForEvent((e) => e.type === 'transcript_updated' && e.threadId === sessionId && (e.payload as { messageId: string }).messageId === 'review-1');
    assert.deepEqual(event.payload, { threadId: sessionId, turnId, messageId: 'review-1', type: 'review', entry: first.body.entry });
    const done = await upsert({ messageId: 'review-1', turnId, role: 'system', type: 'review', content: 'looks good', status: 'complete', completedAt: 200 });
    assert.deepEqual(done.body.entry, { messageId: 'review-1', turnId, role: 'system', type: 'review', content: 'looks good', status: 'complete', startedAt: 100, completedAt: 200 });
    const late = await upsert({ messageId: 'review-1', turnId, role: 'system', type: 'review', content: 'chec', status: 'streaming' });
    assert.deepEqual([late.body.entry.status, late.body.entry.content], ['complete', 'looks good'], 'a finished entry stays finished');
    await upsert({ messageId: 'other-1', turnId: 'client-turn', role: 'user', type: 'note', content: 'a note of my own', status: 'complete' });

    const merged = mergeTranscript(runtime, await t.bridge.services.ledger.entries(sessionId));
    assert.deepEqual(merged.map((e) => e.messageId), [runtime[0]!.messageId, 'review-1', answerId, 'other-1']);
  });

  it('refuses transcript entries that break the contract, naming the field', async () => {
    const sessionId = await newSession();
    const reply = await call<{ issues: { path: unknown[] }[] }>('upsertSessionTranscriptEntry', {
      params: { sessionId }, body: { messageId: '', turnId: 't', role: 'robot', type: 'x', content: 'c', status: 'complete', startedAt: -1 },
    });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.issues.map((i) => i.path), [['body', 'messageId'], ['body', 'role'], ['body', 'startedAt']]);
  });
});

describe('session settings across a bridge restart (locked defaults, ledger, audit, deferred controls)', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  const call = <B = Record<string, unknown>>(id: string, input: { params?: object; query?: object; body?: object }) =>
    t.bridge.call(id, input, { actor: 'test:carol' }) as Promise<Reply<B>>;

  it('keeps the defaults lock, ledger entries, audit rows and controls; a thread loaded later gets its controls', async () => {
    const created = await call<{ session: { sessionId: string } }>('createSession', { body: {} });
    const sessionId = created.body.session.sessionId;
    const sent = await call<{ turnId: string }>('sendSessionMessage', { params: { sessionId }, body: { text: 'hello' } });
    await t.waitForEvent(isTurnCompleted(sessionId, sent.body.turnId));
    await call('upsertSessionTranscriptEntry', { params: { sessionId }, body: { messageId: 'kept', turnId: 'note', role: 'system', type: 'note', content: 'survives', status: 'complete' } });
    await call('setSessionSettings', { params: { sessionId }, body: { scope: 'default', key: 'theme', value: 'dark' } });
    await t.bridge.services.sessionSettings.setDefaultsLock('Managed by the test harness', { actor: 'test:harness', source: 'config' });

    const locked = await call<View & { status: string; message: string }>('applySessionControls', { params: { sessionId }, body: { scope: 'default', controls: tuple() } });
    assert.equal(locked.status, 423, JSON.stringify(locked.body));
    assert.deepEqual([locked.body.status, locked.body.message, locked.body.defaultsEditable], ['locked', 'Managed by the test harness', false]);

    await t.restartBridge();

    const view = await call<View>('getSessionControls', { params: { sessionId } });
    assert.deepEqual([view.body.defaultsEditable, view.body.defaultLockReason], [false, 'Managed by the test harness']);
    const setLocked = await call('setSessionSettings', { params: { sessionId }, body: { scope: 'default', key: 'theme', value: 'light' } });
    assert.equal(setLocked.status, 423);
    assert.deepEqual(setLocked.body, { status: 'locked', scope: 'default', message: 'Managed by the test harness', sessionId, settings: { theme: 'dark' } });
    const delLocked = await call('deleteSessionSetting', { params: { sessionId, key: 'theme' }, query: { scope: 'default' } });
    assert.equal(delLocked.status, 423);
    assert.equal((await call('setSessionSettings', { params: { sessionId }, body: { scope: 'session', key: 'theme', value: 'light' } })).status, 200, 'the session scope stays editable');

    const entries = await t.bridge.services.ledger.entries(sessionId);
    assert.ok(entries.some((e) => e.messageId === 'kept' && e.content === 'survives'));
    const rows = t.bridge.services.sessionSettings.auditRows();
    assert.deepEqual(rows.map((r) => [r.kind, r.actor]), [['settings', 'test:carol'], ['defaults_lock', 'test:harness'], ['settings', 'test:carol']]);

    // The new runtime has not loaded the thread: the controls are stored now and used when it is resumed.
    const applied = await call<{ runtime: { status: string } }>('applySessionControls', { params: { sessionId }, body: { scope: 'session', controls: tuple({ model: 'mock-model', approvalPolicy: 'never' }) } });
    assert.equal(applied.body.runtime.status, 'deferred');
    const refused = await call<{ turnId: string }>('sendSessionMessage', { params: { sessionId }, body: { text: 'run command: echo hi > after-restart.txt' } });
    const done = await t.waitForEvent(isTurnCompleted(sessionId, refused.body.turnId), 30_000);
    assert.equal(turnStatusOf(done), 'completed');
    assert.equal(t.events().filter((e) => e.type === 'approval' && e.threadId === sessionId).length, 0);
    assert.equal(fs.existsSync(path.join(t.workspace, 'after-restart.txt')), false);
  });

  const tuple = (over: Partial<Tuple> = {}): Tuple => ({ model: null, approvalPolicy: 'on-request', networkAccess: 'restricted', filesystemSandbox: 'read-only', ...over });
});
