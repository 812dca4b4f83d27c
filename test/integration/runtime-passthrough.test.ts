import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { OPERATIONS } from '../../protocol/operations';
import type { RawInput, Reply } from '../../server/operations';
import { methodOf, startTestBridge, type TestBridge } from './support/harness';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A local port nobody listens on: HTTPS through it fails at once, so nothing leaves the machine. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('runtime pass-through operations against the real codex app-server', function () {
  let t: TestBridge;
  before(async () => {
    const proxy = `http://127.0.0.1:${await closedPort()}`;
    // Feedback, device-code login and app refreshes would go to OpenAI: route HTTPS to a dead proxy.
    t = await startTestBridge({
      runtimeEnv: { OPENAI_API_KEY: 'test-key-not-secret', HTTPS_PROXY: proxy, https_proxy: proxy, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
    });
  });
  after(async () => { await t?.stop(); });

  const call = async (id: string, input: RawInput = {}): Promise<{ status: number; body: Body }> => {
    const reply: Reply = await t.bridge.call(id, input);
    return { status: reply.status, body: reply.body as Body };
  };
  const ok = async (id: string, input: RawInput = {}): Promise<Body> => {
    const reply = await call(id, input);
    assert.equal(reply.status, 200, `${id}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  /** Our own validation: a 400 whose issues name `field` ("body.keyPath"); unknown keys are named in the message. */
  const rejects = async (id: string, input: RawInput, field: string): Promise<void> => {
    const reply = await call(id, input);
    assert.equal(reply.status, 400, `${id}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body.code, 'invalid_request');
    const named = (reply.body.issues ?? []).some((i: { path: unknown[] }) => i.path.join('.') === field);
    assert.ok(named || String(reply.body.message).includes(`"${field.split('.').pop()!}"`), `${field} not named in ${JSON.stringify(reply.body)}`);
  };
  /** The runtime's own refusal of valid-looking input: a 400 that names the runtime method. */
  const runtimeRefuses = async (id: string, input: RawInput, method: string): Promise<void> => {
    const reply = await call(id, input);
    assert.equal(reply.status, 400, `${id}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body.details?.runtimeMethod, method);
  };
  const configToml = () => fs.readFileSync(path.join(t.root, 'codex-home', 'config.toml'), 'utf8');

  it('describes the API: name, version, links and every operation', async () => {
    const info = await ok('getApiInfo');
    assert.equal(info.name, 'Codex Manager API');
    assert.equal(info.links.openapi, '/api/openapi.json');
    assert.equal(info.links.stream, '/api/stream');
    assert.equal(info.operations.length, Object.keys(OPERATIONS).length);
    assert.deepEqual(info.operations.find((o: Body) => o.id === 'getApiInfo'), { id: 'getApiInfo', method: 'GET', path: '/api', domain: 'system', name: 'info' });
  });

  it('derives capabilities from the declared methods and the experimental flags', async () => {
    const caps = await ok('getCapabilities', { query: { refresh: 'true' } });
    assert.equal(caps.status, 'ok');
    assert.equal(caps.runtime.initialized, true);
    assert.equal(caps.runtime.experimentalApi, true);
    assert.match(caps.runtime.userAgent, /codex_manager\/\d+\.\d+\.\d+/);
    assert.equal(caps.methods['thread/fork'], 'available');
    assert.equal(caps.methods['skills/remote/read'], 'disabled');
    assert.match(caps.details['thread/rollback'].reason, /has no method thread\/rollback/);
    assert.equal(caps.features.commandExec, true);
    assert.equal(caps.features.remoteSkills, false);
    assert.equal(caps.operations.listModels, true);
    assert.equal(caps.operations.readRemoteSkills, false);
    assert.equal(caps.operations.getHealth, true, 'bridge-only operations are always available');
    assert.ok(caps.experimentalFeatures.some((f: Body) => typeof f.name === 'string' && typeof f.enabled === 'boolean'));
    await rejects('getCapabilities', { query: { refresh: 'maybe' } }, 'query.refresh');
  });

  it('lists experimental features, collaboration modes, apps and models page by page', async () => {
    const features = await ok('listExperimentalFeatures', { query: { limit: '2' } });
    assert.equal(features.data.length, 2);
    const next = await ok('listExperimentalFeatures', { query: { limit: '2', cursor: features.nextCursor } });
    assert.notEqual(next.data[0].name, features.data[0].name);
    await rejects('listExperimentalFeatures', { query: { limit: '0' } }, 'query.limit');

    const modes = await ok('listCollaborationModes');
    assert.ok(modes.data.some((m: Body) => m.mode === 'plan'));
    assert.equal(modes.nextCursor, null);
    const first = await ok('listCollaborationModes', { query: { limit: '1' } });
    assert.deepEqual([first.data.length, first.nextCursor], [1, '1']);
    await rejects('listCollaborationModes', { query: { cursor: 'abc' } }, 'query.cursor');

    assert.deepEqual(await ok('listApps', { query: { forceRefetch: 'true' } }), { data: [], nextCursor: null });
    await rejects('listApps', { query: { forceRefetch: 'nope' } }, 'query.forceRefetch');

    const models = await ok('listModels', { query: { limit: '1' } });
    assert.equal(models.data.length, 1);
    assert.equal(typeof models.data[0].displayName, 'string');
    await runtimeRefuses('listModels', { query: { cursor: 'zzz' } }, 'model/list'); // the runtime refuses a cursor it did not mint
    await rejects('listModels', { query: { limit: '500' } }, 'query.limit');
    assert.equal((await call('listModels', { query: { bogus: '1', limit: '1' } })).status, 200, 'unknown query keys are ignored, as codex-manager ignores them');
  });

  it('lists skills and disables one by its path', async () => {
    const listed = await ok('listSkills', { query: { cwd: t.workspace } });
    assert.equal(listed.nextCursor, null);
    const skill = listed.data[0].skills.find((s: Body) => s.enabled);
    const written = await ok('writeSkillConfig', { body: { path: skill.path, enabled: false } });
    assert.deepEqual(written, { status: 'ok', result: { effectiveEnabled: false } });
    const again = await ok('listSkills', { query: { cwd: t.workspace, forceReload: 'true' } });
    assert.equal(again.data[0].skills.find((s: Body) => s.path === skill.path).enabled, false);
    await rejects('writeSkillConfig', { body: { path: skill.path } }, 'body.enabled');
    // The runtime judges path and name (exactly one, the path absolute); a blank one means not given.
    await runtimeRefuses('writeSkillConfig', { body: { path: 'relative/SKILL.md', enabled: true } }, 'skills/config/write');
    await runtimeRefuses('writeSkillConfig', { body: { path: '', enabled: true } }, 'skills/config/write');
    await runtimeRefuses('writeSkillConfig', { body: { enabled: true } }, 'skills/config/write');
  });

  it('answers 501 for the remote-skill methods the pinned runtime lacks', async () => {
    for (const [id, body] of [['readRemoteSkills', undefined], ['writeRemoteSkills', { hazelnutId: 'h1', isPreload: true }]] as const) {
      const reply = await call(id, { body });
      assert.equal(reply.status, 501, JSON.stringify(reply.body));
      assert.equal(reply.body.code, 'method_not_supported');
    }
    await rejects('writeRemoteSkills', { body: { hazelnutId: 'h1' } }, 'body.isPreload');
  });

  it('writes config values and batches, quoting key segments that are not bare keys', async () => {
    const one = await ok('writeConfigValue', { body: { keyPath: ['projects', t.workspace, 'trust_level'], mergeStrategy: 'upsert', value: 'trusted' } });
    assert.equal(one.status, 'ok');
    assert.match(one.result.version, /^sha256:/);
    assert.ok(configToml().includes(`[projects.${JSON.stringify(t.workspace)}]`), configToml());
    const batch = await ok('writeConfigBatch', {
      body: { edits: [{ keyPath: ['model_reasoning_effort'], mergeStrategy: 'replace', value: 'low' }, { keyPath: 'model_verbosity', mergeStrategy: 'replace', value: 'low' }] },
    });
    assert.notEqual(batch.result.version, one.result.version);
    const read = await ok('readConfig', { query: { cwd: t.workspace, includeLayers: 'true' } });
    assert.equal(read.config.model_reasoning_effort, 'low');
    assert.ok(Array.isArray(read.layers));
    // The runtime validates values and versions itself.
    await runtimeRefuses('writeConfigValue', { body: { keyPath: ['model'], mergeStrategy: 'replace', value: 5 } }, 'config/value/write');
    await runtimeRefuses('writeConfigValue', { body: { keyPath: ['model'], mergeStrategy: 'replace', value: 'x', expectedVersion: 0 } }, 'config/value/write');
    await rejects('writeConfigValue', { body: { keyPath: [], mergeStrategy: 'replace', value: 1 } }, 'body.keyPath');
    await rejects('writeConfigValue', { body: { keyPath: ['model'], mergeStrategy: 'replace' } }, 'body.value');
    await rejects('writeConfigBatch', { body: { edits: [] } }, 'body.edits');
    await rejects('readConfig', { query: { includeLayers: 'perhaps' } }, 'query.includeLayers');
    assert.deepEqual(await ok('readConfigRequirements'), { supportsIndependentSpeedModes: true, requirements: null });
  });

  it('reloads MCP config, lists the servers, and refuses OAuth for a stdio server', async () => {
    await ok('writeConfigValue', { body: { keyPath: ['mcp_servers', 'docs'], mergeStrategy: 'upsert', value: { command: 'definitely-not-a-binary-xyz', args: [] } } });
    assert.deepEqual(await ok('reloadMcpConfig', { body: { anything: 'goes' } }), { status: 'ok', result: {} });
    const servers = await ok('listMcpServers', { query: { limit: '10' } });
    const docs = servers.data.find((s: Body) => s.name === 'docs');
    assert.ok(docs, JSON.stringify(servers));
    assert.equal(typeof docs.toolsError, 'string', 'the command does not exist, so startup failed');
    await runtimeRefuses('startMcpOauthLogin', { params: { serverName: 'docs' }, body: {} }, 'mcpServer/oauth/login');
    await runtimeRefuses('startMcpOauthLogin', { params: { serverName: 'nope' } }, 'mcpServer/oauth/login');
    await rejects('startMcpOauthLogin', { params: { serverName: 'docs' }, body: { timeoutSecs: 0 } }, 'body.timeoutSecs');
  });

  it('reads the account; rate limits need a signed-in account', async () => {
    const account = await ok('readAccount');
    assert.equal(account.account, null);
    const limits = await call('readAccountRateLimits');
    assert.equal(limits.status, 401, JSON.stringify(limits.body));
    assert.equal(limits.body.code, 'unauthorized');
  });

  it('starts and cancels a ChatGPT login; a finished login id is a 404', async () => {
    const started = await ok('startAccountLogin', { body: { type: 'chatgpt' } });
    assert.equal(started.result.type, 'chatgpt');
    assert.match(started.result.authUrl, /^https:\/\//);
    const canceled = await ok('cancelAccountLogin', { body: { loginId: started.result.loginId } });
    assert.deepEqual(canceled, { status: 'ok', result: { status: 'canceled' } });
    // The runtime tells everyone the login ended, unsuccessfully (the stream's account_login_completed).
    const completed = await t.waitForEvent((e) => methodOf(e) === 'account/login/completed', 5_000, 'account/login/completed');
    assert.deepEqual((completed.payload as { params: Body }).params.loginId, started.result.loginId);
    assert.equal((completed.payload as { params: Body }).params.success, false);
    const again = await call('cancelAccountLogin', { body: { loginId: started.result.loginId } });
    assert.equal(again.status, 404);
    assert.equal(again.body.status, 'not_found');
    await rejects('startAccountLogin', { body: { type: 'password' } }, 'body.type');
    await rejects('cancelAccountLogin', { body: {} }, 'body.loginId');
  });

  it('logs in with an API key and logs out', async () => {
    assert.deepEqual(await ok('startAccountLogin', { body: { type: 'apiKey', apiKey: 'sk-test-not-real' } }), { status: 'ok', result: { type: 'apiKey' } });
    assert.ok(fs.existsSync(path.join(t.root, 'codex-home', 'auth.json')), 'the login is stored in the isolated CODEX_HOME');
    assert.deepEqual(await ok('logoutAccount', { body: { any: 'thing' } }), { status: 'ok', result: {} });
    await rejects('startAccountLogin', { body: { type: 'apiKey' } }, 'body.apiKey');
    await rejects('startAccountLogin', { body: { type: 'apiKey', apiKey: '' } }, 'body.apiKey'); // the runtime would store an empty key
  });

  it("runs a one-off command in the runtime's sandbox", async () => {
    assert.deepEqual(await ok('executeCommand', { body: { command: ['echo', 'hi'] } }), { status: 'ok', result: { exitCode: 0, stdout: 'hi\n', stderr: '' } });
    const denied = await ok('executeCommand', { body: { command: ['sh', '-c', 'echo x > written.txt'], cwd: t.workspace } });
    assert.notEqual(denied.result.exitCode, 0, 'the sandbox is read-only');
    assert.equal(fs.existsSync(path.join(t.workspace, 'written.txt')), false);
    const slow = await ok('executeCommand', { body: { command: ['sleep', '5'], timeoutMs: 300 } });
    assert.equal(slow.result.exitCode, 124, 'a timeout ends the command');
    await rejects('executeCommand', { body: { command: [] } }, 'body.command');
    // The runtime reports a command it cannot spawn as an internal error; the bridge checks the cwd first.
    await rejects('executeCommand', { body: { command: ['pwd'], cwd: path.join(t.workspace, 'no-such-dir') } }, 'body.cwd');
    assert.deepEqual(await ok('executeCommand', { body: { command: ['pwd'], cwd: '' } }), { status: 'ok', result: { exitCode: 0, stdout: `${t.workspace}\n`, stderr: '' } });
    await rejects('executeCommand', { body: { command: ['ls'], timeoutMs: 0 } }, 'body.timeoutMs');
  });

  it('reports a feedback upload the runtime cannot deliver as a 500 naming the method', async () => {
    const reply = await call('uploadFeedback', { body: { classification: 'bug', includeLogs: false, reason: 'integration test' } });
    assert.equal(reply.status, 500, JSON.stringify(reply.body));
    assert.equal(reply.body.code, 'internal_error');
    assert.equal(reply.body.details.runtimeMethod, 'feedback/upload');
    await rejects('uploadFeedback', { body: { classification: 'bug' } }, 'body.includeLogs');
  });
});
