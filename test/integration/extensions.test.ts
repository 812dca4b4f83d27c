import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { LoggedEvent } from '../../server/state/event-log';
import { startApi } from './support/api-client';
import { isTurnCompleted, startTestBridge, type TestBridge } from './support/harness';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

async function sessionWithHistory(t: TestBridge, text = 'hello there'): Promise<string> {
  const created = await t.bridge.call('createSession', { body: {} });
  const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
  const sent = await t.bridge.call('sendSessionMessage', { params: { sessionId }, body: { text } });
  await t.waitForEvent(isTurnCompleted(sessionId, (sent.body as { turnId: string }).turnId));
  return sessionId;
}

type Module = { name: string; agentId: string; events: string[]; trust: { status: string }; isolation: string; restarts: number };
const results = (type: string) => (e: LoggedEvent) => e.type === 'agent_extension_results' && (e.payload as { eventType: string }).eventType === type;

describe('agent extensions: conformance fixture, isolation, reload (real runtime)', function () {
  let t: TestBridge;
  let root: string;
  before(async () => {
    // A configured root the tests fill and reload.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-ext-'));
    fs.cpSync(path.join(FIXTURES, 'extensions'), root, { recursive: true });
    t = await startTestBridge({ extensions: { builtin: false, roots: [root] } });
  });
  after(async () => {
    await t?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('loads the portable conformance fixture in its own thread and routes suggest_request.requested through it', async () => {
    const listed = await t.bridge.call('listAgentExtensions');
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const modules = (listed.body as { modules: Module[] }).modules;
    assert.deepEqual(modules.map((m) => [m.agentId, m.events, m.trust.status, m.isolation]), [['portable-suggest', ['suggest_request.requested'], 'accepted', 'worker_thread']]);

    const sessionId = await sessionWithHistory(t);
    const reply = await t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'Tidy up' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal((reply.body as { suggestion: string }).suggestion, 'Tidy up (via fixture), and add a test for it');
    const emitted = await t.waitForEvent(results('suggest_request.requested'));
    assert.equal((emitted.payload as { results: { kind: string; moduleName: string }[] }).results[0]?.kind, 'enqueue_result');
  });

  it('stops a hung handler by terminating its thread, and keeps serving meanwhile', async () => {
    fs.cpSync(path.join(FIXTURES, 'extensions-hung'), root, { recursive: true });
    const reloaded = await t.bridge.call('reloadAgentExtensions', { body: {} });
    assert.equal(reloaded.status, 200, JSON.stringify(reloaded.body));
    const sessionId = await sessionWithHistory(t);
    const pending = t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'Go on' } });
    // While the handler spins in its own thread, the bridge answers.
    const health = await t.bridge.call('getHealth');
    assert.equal(health.status, 200);
    const reply = await pending;
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const emitted = await t.waitForEvent((e) => results('suggest_request.requested')(e) && (e.payload as { results: { kind: string }[] }).results.some((r) => r.kind === 'handler_error'));
    const error = (emitted.payload as { results: { kind: string; moduleName: string; error?: string }[] }).results.find((r) => r.kind === 'handler_error')!;
    assert.equal(error.moduleName, 'hung-agent');
    assert.match(error.error!, /timed out after 500ms/);
    // The next event gets a fresh thread (it times out again, but the module is there).
    await t.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: {} });
    const hung = ((await t.bridge.call('listAgentExtensions')).body as { modules: Module[] }).modules.find((m) => m.agentId === 'hung')!;
    assert.ok(hung.restarts >= 1, `restarts: ${hung.restarts}`);
    fs.rmSync(path.join(root, 'hung-agent'), { recursive: true });
    assert.equal((await t.bridge.call('reloadAgentExtensions', { body: {} })).status, 200);
  });

  it('survives a module that exits its process: only its thread ends', async () => {
    fs.cpSync(path.join(FIXTURES, 'extensions-crash'), root, { recursive: true });
    assert.equal((await t.bridge.call('reloadAgentExtensions', { body: {} })).status, 200);
    const sessionId = await sessionWithHistory(t);
    const reply = await t.bridge.call('suggestSessionRequest', { params: { sessionId }, body: { draft: 'Carry on' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const emitted = await t.waitForEvent((e) => results('suggest_request.requested')(e) && (e.payload as { results: { moduleName: string }[] }).results.some((r) => r.moduleName === 'crash-agent'));
    const crashed = (emitted.payload as { results: { kind: string; moduleName: string }[] }).results.find((r) => r.moduleName === 'crash-agent');
    assert.equal(crashed?.kind, 'handler_error');
    assert.equal((await t.bridge.call('getHealth')).status, 200);
    fs.rmSync(path.join(root, 'crash-agent'), { recursive: true });
    assert.equal((await t.bridge.call('reloadAgentExtensions', { body: {} })).status, 200);
  });

  it('loads codex-manager\'s own portable conformance fixture unchanged (when the reference copy is present)', async function () {
    const anchor = path.resolve(__dirname, '..', '..', '..', 'shared', 'anchors', 'codex-manager', 'apps', 'api', 'test-fixtures', 'extensions');
    if (!fs.existsSync(anchor)) this.skip();
    const other = await startTestBridge({ extensions: { builtin: false, roots: [anchor] } });
    try {
      const modules = ((await other.bridge.call('listAgentExtensions')).body as { modules: Module[] }).modules;
      assert.deepEqual(modules.map((m) => [m.agentId, m.trust.status]), [['portable-suggest', 'accepted']]);
      const sessionId = await sessionWithHistory(other);
      const queued = await other.bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: {} });
      assert.equal(queued.status, 202, JSON.stringify(queued.body));
      const done = await other.bridge.services.orchestrator.engine.waitForTerminal((queued.body as { jobId: string }).jobId, 20_000);
      assert.equal(done?.state, 'completed');
      assert.equal(done?.result?.suggestion, 'Add a test for the change you just made');
    } finally {
      await other.stop();
    }
  });

  it('keeps the old snapshot when a reload fails, and audits every attempt', async () => {
    const before = (await t.bridge.call('listAgentExtensions')).body as { snapshotVersion: string; modules: Module[] };
    const broken = path.join(root, 'broken-agent');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'events.mjs'), 'export function registerAgentEvents(registry) { registry.on(\n');
    const failed = await t.bridge.call('reloadAgentExtensions', { body: {} });
    assert.equal(failed.status, 400);
    const body = failed.body as { code: string; snapshotVersion: string; errors: { extension: string; code: string }[] };
    assert.deepEqual([body.code, body.snapshotVersion, body.errors[0]?.extension, body.errors[0]?.code], ['reload_failed', before.snapshotVersion, 'broken-agent', 'import_failed']);
    const after = (await t.bridge.call('listAgentExtensions')).body as { snapshotVersion: string; modules: Module[] };
    assert.equal(after.snapshotVersion, before.snapshotVersion);
    assert.deepEqual(after.modules.map((m) => m.agentId), before.modules.map((m) => m.agentId));
    fs.rmSync(broken, { recursive: true });
    const audit = fs.readFileSync(path.join(t.dataDir, 'extensions-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { result: string });
    assert.deepEqual(audit.map((a) => a.result).slice(-2), ['success', 'failed']);
    assert.ok(audit.length >= 5, 'every reload of this suite is audited');
  });
});

describe('agent extensions: trust enforced and RBAC (real runtime)', function () {
  let t: TestBridge;
  after(async () => { await t?.stop(); });

  it('refuses an undeclared action under trust enforced', async () => {
    t = await startTestBridge({ extensions: { builtin: false, roots: [path.join(FIXTURES, 'extensions-undeclared')], trustMode: 'enforced' } });
    const sessionId = await sessionWithHistory(t);
    const emitted = await t.waitForEvent(results('turn.completed'));
    const [result] = (emitted.payload as { results: { kind: string; status: string; actionType: string; details: { code: string } }[] }).results;
    assert.deepEqual([result?.kind, result?.actionType, result?.status, result?.details.code], ['action_result', 'approval.decide', 'forbidden', 'undeclared_capability']);
    assert.ok(sessionId);
  });

  it('accepts and refuses the shared-secret header and a JWT on the extension routes', async () => {
    await t.stop();
    t = await startTestBridge({ extensions: { builtin: false, rbac: { mode: 'header', headerSecret: 'let-me-in' } } });
    const api = await startApi(t);
    try {
      assert.equal((await api.request('GET', '/api/agents/extensions')).status, 401);
      assert.equal((await api.request('GET', '/api/agents/extensions', undefined, { 'x-codex-rbac-token': 'wrong', 'x-codex-role': 'admin' })).status, 401);
      const ok = await api.request('GET', '/api/agents/extensions', undefined, { 'x-codex-rbac-token': 'let-me-in', 'x-codex-role': 'member' });
      assert.equal(ok.status, 200);
      const member = await api.request('POST', '/api/agents/extensions/reload', {}, { 'x-codex-rbac-token': 'let-me-in', 'x-codex-role': 'member' });
      assert.deepEqual([member.status, (member.body as { code: string }).code], [403, 'insufficient_role']);
      assert.equal((await api.request('POST', '/api/agents/extensions/reload', {}, { 'x-codex-rbac-token': 'let-me-in', 'x-codex-role': 'admin' })).status, 200);
    } finally {
      await api.close();
    }
    await t.stop();
    const secret = 'jwt-secret-for-tests-0123456789';
    t = await startTestBridge({ extensions: { builtin: false, rbac: { mode: 'jwt', jwt: { secret, issuer: 'tests' } } } });
    const api2 = await startApi(t);
    const sign = (role: string, issuer = 'tests') => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setSubject('alice').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    try {
      assert.equal((await api2.request('GET', '/api/agents/extensions')).status, 401);
      assert.equal((await api2.request('POST', '/api/agents/extensions/reload', {}, { 'x-codex-rbac-jwt': `Bearer ${await sign('owner')}` })).status, 200);
      assert.equal((await api2.request('POST', '/api/agents/extensions/reload', {}, { 'x-codex-rbac-jwt': await sign('owner', 'someone-else') })).status, 401);
      assert.equal((await api2.request('POST', '/api/agents/extensions/reload', {}, { 'x-codex-rbac-jwt': await sign('member') })).status, 403);
      const audit = fs.readFileSync(path.join(t.dataDir, 'extensions-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { result: string; actorId: string | null });
      assert.deepEqual(audit.map((a) => a.result), ['success', 'forbidden', 'forbidden']);
      assert.equal(audit[0]!.actorId, 'alice');
    } finally {
      await api2.close();
    }
  });
});
