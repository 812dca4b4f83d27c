import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { configFile } from '../../cli/config';
import { cli, cliBackground, cliTty, ensureBuilt, hasScript, makeHome, parseJson, startBridge, startProxy, until, type Bridge, type Home } from './support';

/**
 * The CLI against a real bridge: `codex-manager serve --demo` runs the real codex
 * runtime against the scripted offline model. Commands find it through discovery.
 */

interface Envelope<B = Record<string, unknown>> {
  ok: boolean;
  command: string;
  request: { method: string; path: string; url: string };
  response: { statusCode: number; body: B };
  error?: { kind: string; message: string; fix?: string; exitCode: number; statusCode?: number; code?: string };
  turn?: { id: string; status: string; text: string; error: unknown };
}

type Session = { sessionId: string; activeTurnId: string | null };

describe('cli: against a real bridge (real runtime, offline demo model)', function () {
  this.timeout(120_000);
  let home: Home;
  let bridge: Bridge;
  let workspace: string;

  const run = (args: string[], env?: NodeJS.ProcessEnv) => cli(home, args, { ...(env ? { env } : {}), timeoutMs: 60_000 });
  const json = async <B = Record<string, unknown>>(args: string[]): Promise<Envelope<B>> => {
    const r = await run(['--json', ...args]);
    assert.equal(r.code, 0, `${args.join(' ')} → ${r.code}\n${r.stderr}`);
    return parseJson<Envelope<B>>(r.stdout);
  };
  const createSession = async (extra: string[] = []): Promise<string> =>
    (await json<{ session: Session }>(['sessions', 'create', '--cwd', workspace, '--filesystem-sandbox', 'read-only', ...extra])).response.body.session.sessionId;
  const pendingApproval = (sessionId: string) => until(`an approval in ${sessionId}`, async () => {
    const env = await json<{ data: { approvalId: string; summary: string }[] }>(['sessions', 'approvals', 'list', '--session-id', sessionId]);
    return env.response.body.data[0];
  });
  const idle = (sessionId: string) => until(`${sessionId} idle`, async () => {
    const env = await json<{ session: Session }>(['sessions', 'get', '--session-id', sessionId]);
    return env.response.body.session.activeTurnId === null || undefined;
  });

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

  it('finds the bridge with no configuration (discovery and its token file)', async () => {
    const r = await run(['--verbose', 'system', 'health']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /status\s+ok/);
    assert.match(r.stdout, /runtime\s+ready/);
    assert.match(r.stderr, new RegExp(`bridge ${bridge.url}/api \\(from discovery \\(serve bridge, pid \\d+\\)\\); token from token file ${bridge.tokenFile.replace(/[/.]/g, '\\$&')}`));
    const listed = parseJson<{ bridges: { url: string; tokenFile: string }[] }>((await run(['--json', 'bridges', 'list'])).stdout);
    assert.equal(listed.bridges[0]!.url, bridge.url);
    assert.equal(listed.bridges[0]!.tokenFile, bridge.tokenFile);
  });

  it('a scripted session: create, send --wait (streamed), approve via the CLI, read the transcript', async () => {
    fs.writeFileSync(path.join(workspace, 'a.txt'), 'old\n');
    const sessionId = await createSession();

    const hello = await run(['sessions', 'send', '--session-id', sessionId, '--text', 'hello', '--wait']);
    assert.equal(hello.code, 0, hello.stderr);
    assert.equal(hello.stdout, 'Hello from the Codex Manager offline demo model. This is a scripted offline answer, not a real model.\n');
    assert.match(hello.stderr, /✓ completed in [\d.]+ s/);

    // A file change that needs approval: send --wait shows it and keeps waiting; the CLI approves it.
    const send = cliBackground(home, ['sessions', 'send', '--session-id', sessionId, '--text', 'patch a.txt: old => new', '--wait']);
    const approval = await pendingApproval(sessionId);
    await until('the approval shown by send --wait', () => send.err().includes(approval.approvalId) || undefined);
    assert.match(send.err(), /\? approval .*a\.txt/);
    assert.match(send.err(), /update .*a\.txt\n\s+@@ -1 \+1 @@\n\s+-old\n\s+\+new/);
    assert.match(send.err(), new RegExp(`codex-manager approvals decide --approval-id ${approval.approvalId} --decision accept\\|decline`));
    const decide = await run(['approvals', 'decide', '--approval-id', approval.approvalId, '--decision', 'accept']);
    assert.equal(decide.code, 0, decide.stderr);
    assert.match(decide.stdout, /decision sent/);
    const done = await send.done;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stderr, new RegExp(`approval ${approval.approvalId}: resolved \\(accept\\) by http:cli`));
    assert.match(done.stderr, /✓ completed/);
    assert.ok(done.stdout.length > 0, 'the final answer is streamed to stdout');
    assert.equal(fs.readFileSync(path.join(workspace, 'a.txt'), 'utf8'), 'new\n');

    // Deciding again: the first decision stands (409, counted as success for approvals decide).
    const again = await run(['--json', 'approvals', 'decide', '--approval-id', approval.approvalId, '--decision', 'decline']);
    assert.equal(again.code, 0);
    const env = parseJson<Envelope<{ status: string; resolution: { by: string } }>>(again.stdout);
    assert.equal(env.ok, true);
    assert.equal(env.response.statusCode, 409);
    assert.equal(env.response.body.resolution.by, 'http:cli');
    const strict = await run(['approvals', 'decide', '--approval-id', approval.approvalId, '--decision', 'decline', '--allow-status', 'none']);
    assert.equal(strict.code, 4);
    assert.match(strict.stderr, /already decided by http:cli \(409 already_resolved\)/);

    // The transcript, as people and machines read it.
    const get = await run(['sessions', 'get', '--session-id', sessionId]);
    assert.equal(get.code, 0);
    assert.match(get.stdout, /you\n {2}hello\n/);
    assert.match(get.stdout, /codex\n {2}Hello from the Codex Manager offline demo model/);
    assert.match(get.stdout, /fileChange.*\n.*a\.txt/);
    const transcript = (await json<{ transcript: { role: string; type: string; content: string }[] }>(['sessions', 'get', '--session-id', sessionId])).response.body.transcript;
    assert.deepEqual(transcript.filter((e) => e.role === 'user').map((e) => e.content), ['hello', 'patch a.txt: old => new']);
    assert.ok(transcript.some((e) => e.type === 'fileChange'));
    const inspect = await json<{ transcriptTail: { role: string; content: string }[]; latestTurn: { status: string }; transcriptCount: number; filteredTranscriptCount: number }>(
      ['sessions', 'inspect', '--session-id', sessionId, '--roles', 'user', '--transcript-tail', '1', '--content-chars', '5']);
    assert.equal(inspect.command, 'sessions inspect');
    assert.deepEqual(inspect.response.body.transcriptTail.map((e) => e.content), ['patch']);
    assert.equal(inspect.response.body.latestTurn.status, 'completed');
    assert.equal(inspect.response.body.filteredTranscriptCount, 2);
  });

  it('send --wait --json: the envelope with the turn; approvals watch --decision declines a command', async () => {
    const sessionId = await createSession();
    const watch = cliBackground(home, ['approvals', 'watch', '--session-id', sessionId, '--decision', 'decline', '--once']);
    await until('approvals watch started', () => watch.err().includes('watching for approvals') || undefined);
    const send = await run(['--json', 'sessions', 'send', '--session-id', sessionId, '--text', 'run command: touch created.txt', '--wait']);
    assert.equal(send.code, 0, send.stderr);
    const env = parseJson<Envelope<{ status: string; turnId: string }>>(send.stdout);
    assert.deepEqual(Object.keys(env).sort(), ['command', 'ok', 'request', 'response', 'turn']);
    assert.equal(env.ok, true);
    assert.equal(env.command, 'sessions send');
    assert.equal(env.request.method, 'POST');
    assert.equal(env.request.path, `/api/sessions/${sessionId}/messages`);
    assert.equal(env.response.statusCode, 202);
    assert.equal(env.turn!.id, env.response.body.turnId);
    assert.equal(env.turn!.status, 'completed');
    assert.match(env.turn!.text, /rejected|declined|not run|Done|command/i);
    const watched = await watch.done;
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /\? approval Run command: .*touch created\.txt/);
    assert.match(watched.stdout, /✓ decline sent/);
    assert.ok(!fs.existsSync(path.join(workspace, 'created.txt')), 'the declined command did not run');
  });

  it('on a terminal: approvals watch and send --wait decide approvals with a keypress', async function () {
    if (!hasScript()) this.skip();
    const sessionId = await createSession();
    const watch = cliTty(home, ['approvals', 'watch', '--session-id', sessionId]);
    await until('the watcher idle', () => watch.out().includes('watching for approvals') || undefined);
    const send = cliBackground(home, ['sessions', 'send', '--session-id', sessionId, '--text', 'run command: echo watched > watched.txt', '--wait']);
    await until('the approval card with its keys', () => /\[a\] accept {2}\[s\] accept for session {2}\[d\] decline/.test(watch.out()) || undefined);
    assert.match(watch.out(), /\$ \/bin\/bash -lc 'echo watched > watched\.txt'/);
    watch.press('a');
    const sent = await send.done;
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(fs.readFileSync(path.join(workspace, 'watched.txt'), 'utf8').trim(), 'watched');
    assert.match(watch.out(), /✓ accept sent/);
    watch.press('q');
    assert.equal((await watch.done).code, 0);

    // send --wait itself asks on a terminal; d declines.
    const tty = cliTty(home, ['sessions', 'send', '--session-id', sessionId, '--text', 'run command: echo no > declined.txt', '--wait']);
    await until('the inline approval prompt', () => tty.out().includes('[d] decline') || undefined);
    tty.press('d');
    const done = await tty.done;
    assert.equal(done.code, 0, done.stdout);
    assert.match(done.stdout, /✓ decline sent/);
    assert.match(done.stdout, /✓ completed in/);
    assert.ok(!fs.existsSync(path.join(workspace, 'declined.txt')));
  });

  it('background jobs: suggest-request enqueue, orchestrator jobs wait/get/list, agents extensions list', async () => {
    const sessionId = await createSession();
    assert.equal((await run(['sessions', 'send', '--session-id', sessionId, '--text', 'hello', '--wait'])).code, 0);
    const queued = await json<{ jobId: string; projectId: string }>(['sessions', 'suggest-request', 'enqueue', '--session-id', sessionId, '--draft', 'Ship it']);
    const { jobId, projectId } = queued.response.body;
    const wait = await run(['orchestrator', 'jobs', 'wait', '--job-id', jobId]);
    assert.equal(wait.code, 0, wait.stderr);
    const got = await json<{ job: { state: string; result: { suggestion: string } } }>(['orchestrator', 'jobs', 'get', '--job-id', jobId]);
    assert.deepEqual([got.response.body.job.state, got.response.body.job.result.suggestion], ['completed', 'Ship it, and add a test for it']);
    const listed = await json<{ data: { id: string }[] }>(['orchestrator', 'jobs', 'list', '--project-id', projectId]);
    assert.ok(listed.response.body.data.some((j) => j.id === jobId));
    const done = await run(['orchestrator', 'jobs', 'cancel', '--job-id', jobId]);
    assert.equal(done.code, 4, 'canceling a finished job is a conflict');
    const extensions = await json<{ modules: { agentId: string }[] }>(['agents', 'extensions', 'list']);
    assert.ok(extensions.response.body.modules.some((m) => m.agentId === 'supervisor'));
  });

  it('--json envelopes: success on stdout, failure on stderr with the kind, status and code', async () => {
    const ok = await run(['--json', 'system', 'info']);
    assert.equal(ok.code, 0);
    assert.equal(ok.stderr, '');
    const env = parseJson<Envelope>(ok.stdout);
    assert.deepEqual(Object.keys(env), ['ok', 'command', 'request', 'response']);
    assert.deepEqual(env.request, { method: 'GET', path: '/api', url: `${bridge.url}/api` });
    assert.deepEqual(Object.keys(env.response), ['statusCode', 'body']);
    assert.equal(env.response.body.name, 'Codex Manager API');

    const missing = await run(['--json', 'sessions', 'get', '--session-id', 'no-such-session']);
    assert.equal(missing.code, 3);
    assert.equal(missing.stdout, '');
    const failure = parseJson<Envelope>(missing.stderr);
    assert.equal(failure.ok, false);
    assert.equal(failure.command, 'sessions get');
    assert.deepEqual({ kind: failure.error!.kind, statusCode: failure.error!.statusCode, code: failure.error!.code, exitCode: failure.error!.exitCode }, { kind: 'http', statusCode: 404, code: 'not_found', exitCode: 3 });
    assert.equal(failure.response.statusCode, 404);

    const usage = await run(['--json', 'sessions', 'send', '--text', 'x']);
    assert.equal(usage.code, 2);
    assert.equal(parseJson<Envelope>(usage.stderr).error!.kind, 'usage');

    const raw = await run(['api', 'request', '--method', 'GET', '--path', '/sessions', '--query', 'limit=1']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(parseJson<{ data: unknown[] }>(raw.stdout).data.length, 1);
    const rawMissing = await run(['--json', 'api', 'request', '--method', 'GET', '--path', '/api/sessions/nope', '--allow-status', '404']);
    assert.equal(rawMissing.code, 0);
    assert.equal(parseJson<Envelope>(rawMissing.stdout).response.statusCode, 404);
  });

  it('exit codes: 400 → 2, 404 → 3, 409 → 4, 401 → 5, each with one line naming the cause and the fix', async () => {
    const bad = await run(['sessions', 'list', '--limit', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: invalid --limit: .*\(400 invalid_request\)\. Fix: see `codex-manager sessions list --help`\n$/);

    const notFound = await run(['sessions', 'get', '--session-id', 'nope']);
    assert.equal(notFound.code, 3);
    assert.match(notFound.stderr, /^error: no session nope \(404 not_found\)\. Fix: check the id; `codex-manager sessions list` shows what exists\n$/);

    const sessionId = await createSession();
    const slow = await run(['sessions', 'send', '--session-id', sessionId, '--text', 'slow']);
    assert.equal(slow.code, 0, slow.stderr);
    const busy = await run(['sessions', 'send', '--session-id', sessionId, '--text', 'hello']);
    assert.equal(busy.code, 4);
    assert.match(busy.stderr, /\(409 conflict\)\. Fix: wait for the running turn, or stop it: `codex-manager sessions interrupt --session-id /);
    assert.equal(busy.stderr.trim().split('\n').length, 1);
    const interrupt = await run(['sessions', 'interrupt', '--session-id', sessionId]);
    assert.equal(interrupt.code, 0, interrupt.stderr);
    await idle(sessionId);

    const unauthorized = await run(['--bearer', 'wrong', 'system', 'health']);
    assert.equal(unauthorized.code, 5);
    assert.match(unauthorized.stderr, /missing or wrong bearer token.*\(401 unauthorized\)\. Fix: the token from --bearer is not this bridge's: pass the contents of .*token with --bearer/);
    const proxy = await startProxy(bridge.url);
    try {
      // A URL no registered bridge has: no token file to use.
      const noToken = await run(['--base-url', proxy.url, 'system', 'health']);
      assert.equal(noToken.code, 5, noToken.stderr);
      assert.match(noToken.stderr, /Fix: no token was found: pass --bearer TOKEN/);
    } finally {
      await proxy.close();
    }

    const refused = await run(['--base-url', 'http://127.0.0.1:9', 'system', 'health']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot reach the bridge \(URL from --base-url\) at http:\/\/127\.0\.0\.1:9 \(connection refused\)\. Fix: start the bridge/);
  });

  it('profile precedence against the bridge: flag > environment > profile > discovery', async () => {
    const file = configFile(home.env);
    try {
      assert.equal((await run(['profile', 'set', 'dead', '--base-url', 'http://127.0.0.1:9'])).code, 0);
      assert.equal((await run(['system', 'health'])).code, 1, 'the current profile beats discovery');
      const viaEnv = await run(['system', 'health'], { CODEX_MANAGER_API_BASE: bridge.url });
      assert.equal(viaEnv.code, 0, `the environment beats the profile (token from the discovered bridge at that URL): ${viaEnv.stderr}`);
      assert.equal((await run(['--base-url', 'http://127.0.0.1:9', 'system', 'health'], { CODEX_MANAGER_API_BASE: bridge.url })).code, 1, 'the flag beats the environment');
      assert.equal((await run(['--base-url', bridge.url, 'system', 'health'])).code, 0, 'the flag beats the profile');
      assert.equal((await run(['profile', 'set', 'live', '--base-url', `${bridge.url}/api`])).code, 0);
      assert.equal((await run(['profile', 'auth-set', 'live', '--bearer', 'wrong-token'])).code, 0);
      assert.equal((await run(['--profile', 'live', 'system', 'health'])).code, 5, 'the profile bearer beats the token file');
      assert.equal((await run(['--profile', 'live', 'system', 'health'], { CODEX_MANAGER_BEARER_TOKEN: bridge.token })).code, 0, 'the environment bearer beats the profile');
      assert.equal((await run(['--profile', 'live', '--bearer', bridge.token, 'system', 'health'], { CODEX_MANAGER_BEARER_TOKEN: 'wrong' })).code, 0, 'the flag bearer beats the environment');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('stream events: reconnects across dropped connections and replays with no gap and no duplicate', async () => {
    const sessionId = await createSession();
    const proxy = await startProxy(bridge.url);
    try {
      const stream = cliBackground(home, ['--jsonl', '--base-url', proxy.url, '--bearer', bridge.token, 'stream', 'events', '--thread-id', sessionId]);
      await until('the stream connected', () => stream.out().includes('"type":"ready"') || undefined);
      // The slow scenario streams 200 deltas 50 ms apart; cut every connection through the proxy
      // three times while it runs (each time after the CLI has reconnected), then stop the turn.
      const send = await run(['sessions', 'send', '--session-id', sessionId, '--text', 'slow']);
      assert.equal(send.code, 0, send.stderr);
      const readies = () => stream.out().match(/"type":"ready"/g)?.length ?? 0;
      const deltas = () => stream.out().match(/item\/agentMessage\/delta/g)?.length ?? 0;
      let cuts = 0;
      for (let i = 0; i < 3; i++) {
        await until(`reconnection ${i}`, () => readies() === i + 1 || undefined, 20_000);
        const before = deltas();
        await until('a few more deltas', () => deltas() >= before + 20 || undefined, 20_000);
        if (proxy.cut() > 0) cuts++;
      }
      await until('the last reconnection', () => readies() === 4 || undefined, 20_000);
      const before = deltas();
      await until('deltas after it', () => deltas() >= before + 10 || undefined, 20_000);
      assert.equal((await run(['sessions', 'interrupt', '--session-id', sessionId])).code, 0);
      await idle(sessionId);
      await until('the turn end on the stream', () => stream.out().includes('"method":"turn/completed"') || undefined, 20_000);
      stream.child.kill('SIGINT');
      const result = await stream.done;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(cuts, 3);
      assert.equal(result.stdout.match(/"type":"ready"/g)?.length, 4, 'it reconnected after each cut');

      const seen = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; seq?: number }).filter((f) => typeof f.seq === 'number');
      const keys = seen.map((f) => `${f.seq}:${f.type}`);
      assert.equal(new Set(keys).size, keys.length, 'no frame twice');
      // The truth: the bridge's own replay of this thread from the start.
      const truth = await run(['--jsonl', 'stream', 'events', '--thread-id', sessionId, '--since', '0', '--no-reconnect', '--duration-ms', '1500']);
      const all = truth.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; seq?: number }).filter((f) => typeof f.seq === 'number');
      const first = seen[0]!.seq!;
      const last = seen[seen.length - 1]!.seq!;
      const expected = all.filter((f) => f.seq! >= first && f.seq! <= last).map((f) => `${f.seq}:${f.type}`);
      assert.deepEqual(keys, expected, 'every frame of the thread, in order, once');
      assert.ok(keys.length > 100, `${keys.length} frames`);
    } finally {
      await proxy.close();
    }
  });
});
