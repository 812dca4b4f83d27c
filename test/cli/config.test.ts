import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { apiPath, configFile, resolveConnection } from '../../cli/config';
import { CliError } from '../../cli/errors';
import { cli, ensureBuilt, makeHome, parseJson, type Home } from './support';

/** Profiles and connection precedence (flags, environment, profile, discovery), without a bridge. */

function register(home: Home, record: { url: string; tokenFile: string; pid?: number; started?: string }): void {
  const dir = path.join(home.env.XDG_RUNTIME_DIR!, 'codex-manager');
  fs.mkdirSync(dir, { recursive: true });
  const pid = record.pid ?? process.pid;
  fs.writeFileSync(path.join(dir, `bridge-${pid}.json`), JSON.stringify({ version: '0', dataDir: home.root, mode: 'serve', started: new Date().toISOString(), pid, ...record }));
}

describe('cli: profiles and connection precedence', function () {
  before(() => ensureBuilt());

  it('writes profiles in codex-manager\'s format with mode 0600 (directory 0700)', async () => {
    const home = makeHome();
    const set = await cli(home, ['profile', 'set', 'remote', '--base-url', 'http://10.0.0.5:8080/', '--timeout-ms', '5000']);
    assert.equal(set.code, 0, set.stderr);
    const auth = await cli(home, ['profile', 'auth-set', '--name', 'remote', '--bearer', 'secret-token-1234', '--role', 'ops']);
    assert.equal(auth.code, 0, auth.stderr);
    const file = configFile(home.env);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    const stored = parseJson<{ currentProfile: string; profiles: Record<string, { baseUrl: string; timeoutMs: number; auth: { bearer: string; role: string } }> }>(fs.readFileSync(file, 'utf8'));
    assert.equal(stored.currentProfile, 'remote');
    assert.equal(stored.profiles.remote!.baseUrl, 'http://10.0.0.5:8080');
    assert.equal(stored.profiles.remote!.timeoutMs, 5000);
    assert.equal(stored.profiles.remote!.auth.bearer, 'secret-token-1234');
    assert.equal(stored.profiles.remote!.auth.role, 'ops');

    const list = await cli(home, ['profile', 'list', '--json']);
    assert.equal(list.code, 0);
    const listed = parseJson<{ currentProfile: string; profiles: Record<string, { auth: { bearer: string } }> }>(list.stdout);
    assert.equal(listed.currentProfile, 'remote');
    assert.equal(listed.profiles.remote!.auth.bearer, '****1234', 'tokens are masked');
    assert.ok(!list.stdout.includes('secret-token'));

    await cli(home, ['profile', 'set', 'other', '--base-url', 'http://127.0.0.1:1']);
    assert.equal((await cli(home, ['profile', 'use', 'other'])).code, 0);
    assert.equal(parseJson<{ currentProfile: string }>(fs.readFileSync(file, 'utf8')).currentProfile, 'other');
    const missing = await cli(home, ['profile', 'use', 'nope']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /no profile named "nope".*Fix: use one of: remote, other/);
  });

  it('reads codex-manager config files it did not write (extra fields kept)', async () => {
    const home = makeHome();
    const file = configFile(home.env);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ currentProfile: 'local', profiles: { local: { baseUrl: 'http://127.0.0.1:3001', apiPrefix: '/api', timeoutMs: 30000, headers: { 'x-a': '1' }, auth: { bearer: null, rbacToken: 'r', role: null, actor: 'me' } } }, extra: true }));
    const conn = resolveConnection({ headers: [] }, home.env);
    assert.equal(conn.baseUrl, 'http://127.0.0.1:3001');
    assert.equal(conn.headers['x-a'], '1');
    assert.equal(conn.headers['x-codex-rbac-token'], 'r');
    assert.equal(conn.headers['x-codex-actor'], 'me');
    await cli(home, ['profile', 'set', 'local', '--timeout-ms', '10']);
    const after = parseJson<{ extra: boolean; profiles: { local: { headers: Record<string, string> } } }>(fs.readFileSync(file, 'utf8'));
    assert.equal(after.extra, true);
    assert.deepEqual(after.profiles.local.headers, { 'x-a': '1' });
  });

  it('per setting: flag, then environment, then profile, then discovery', () => {
    const home = makeHome();
    const tokenFile = path.join(home.root, 'token');
    fs.writeFileSync(tokenFile, 'discovered-token\n', { mode: 0o600 });
    register(home, { url: 'http://127.0.0.1:4555', tokenFile });

    // Nothing configured: discovery, with its token file.
    let conn = resolveConnection({ headers: [] }, home.env);
    assert.equal(conn.baseUrl, 'http://127.0.0.1:4555');
    assert.equal(conn.apiPrefix, '/api');
    assert.equal(conn.headers.authorization, 'Bearer discovered-token');
    assert.match(conn.source.baseUrl, /^discovery/);

    // A profile beats discovery; its bearer is used.
    const file = configFile(home.env);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ currentProfile: 'p', profiles: { p: { baseUrl: 'http://127.0.0.1:7001', timeoutMs: 1234, auth: { bearer: 'profile-token' } } } }));
    conn = resolveConnection({ headers: [] }, home.env);
    assert.equal(conn.baseUrl, 'http://127.0.0.1:7001');
    assert.equal(conn.timeoutMs, 1234);
    assert.equal(conn.headers.authorization, 'Bearer profile-token');

    // The environment beats the profile.
    const env = { ...home.env, CODEX_MANAGER_API_BASE: 'http://127.0.0.1:7002', CODEX_MANAGER_BEARER_TOKEN: 'env-token', CODEX_MANAGER_TIMEOUT_MS: '99', CODEX_MANAGER_RBAC_ROLE: 'env-role' };
    conn = resolveConnection({ headers: [] }, env);
    assert.equal(conn.baseUrl, 'http://127.0.0.1:7002');
    assert.equal(conn.headers.authorization, 'Bearer env-token');
    assert.equal(conn.timeoutMs, 99);
    assert.equal(conn.headers['x-codex-role'], 'env-role');

    // Flags beat the environment.
    conn = resolveConnection({ headers: ['X-Extra: 1'], baseUrl: 'http://127.0.0.1:7003/api', bearer: 'flag-token', timeoutMs: '7', role: 'flag-role' }, env);
    assert.equal(conn.baseUrl, 'http://127.0.0.1:7003', 'a base URL ending in the prefix (as serve prints it) is accepted');
    assert.equal(conn.headers.authorization, 'Bearer flag-token');
    assert.equal(conn.timeoutMs, 7);
    assert.equal(conn.headers['x-codex-role'], 'flag-role');
    assert.equal(conn.headers['X-Extra'], '1');
    assert.equal(conn.headers['x-codex-manager-client'], 'cli');

    // A URL from elsewhere pointing at a discovered bridge still gets its token file.
    conn = resolveConnection({ headers: [], baseUrl: 'http://localhost:4555', profile: 'p' }, { ...home.env });
    assert.equal(conn.headers.authorization, 'Bearer profile-token', 'the profile bearer is used before discovery');
    fs.writeFileSync(file, JSON.stringify({ profiles: {} }));
    conn = resolveConnection({ headers: [], baseUrl: 'http://localhost:4555' }, home.env);
    assert.equal(conn.headers.authorization, 'Bearer discovered-token');

    // --profile names a profile that must exist.
    assert.throws(() => resolveConnection({ headers: [], profile: 'ghost' }, home.env), (e: unknown) => e instanceof CliError && /no profile named "ghost"/.test(e.message));
  });

  it('without any URL and no running bridge: one line saying where it looked and what to do', async () => {
    const home = makeHome();
    register(home, { url: 'http://127.0.0.1:4556', tokenFile: '/nope', pid: 999_999_999 });
    const r = await cli(home, ['system', 'health']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /no running bridge found \(discovery looked in .*run\/codex-manager\).*Fix: start one with `codex-manager serve`/);
    assert.deepEqual(fs.readdirSync(path.join(home.env.XDG_RUNTIME_DIR!, 'codex-manager')), [], 'the stale registration is removed');
    const j = await cli(home, ['--json', 'system', 'health']);
    const envelope = parseJson<{ ok: boolean; command: string; error: { kind: string; message: string } }>(j.stderr);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.command, 'system health');
    assert.equal(envelope.error.kind, 'config');
    assert.equal(j.stdout, '');
  });

  it('maps declared paths under another API prefix', () => {
    assert.equal(apiPath({ apiPrefix: '/api' }, '/api/sessions/x'), '/api/sessions/x');
    assert.equal(apiPath({ apiPrefix: '/bridge/v1' }, '/api/sessions/x'), '/bridge/v1/sessions/x');
    assert.equal(apiPath({ apiPrefix: '/bridge/v1' }, '/api'), '/bridge/v1');
    assert.equal(apiPath({ apiPrefix: '' }, '/api/health'), '/health');
  });
});
