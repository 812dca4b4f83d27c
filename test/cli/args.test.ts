import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyGlobals, parseOptions, splitArgv } from '../../cli/args';
import { CliError } from '../../cli/errors';
import { MANIFEST } from '../../cli/manifest';
import { nodeAt } from '../../cli/tree';
import { buildRequest, flagForIssue } from '../../cli/values';

/** Flags → requests: parsing, typing from the manifest, --body, compat spellings, usage errors. */

function build(command: string, argv: string[]) {
  const entry = nodeAt(command.split(' '))!.entry!;
  assert.equal(entry.kind, 'op');
  const globals = emptyGlobals();
  const parsed = parseOptions(argv, entry.options, globals, command);
  return { req: buildRequest(MANIFEST.commands.find((c) => c.command === command)!, parsed), globals };
}

function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof CliError && e.kind === 'usage' && e.exitCode === 2 && pattern.test(`${e.message} | ${e.fix}`));
}

describe('cli: arguments', () => {
  it('splits global flags, command words and command flags (globals anywhere)', () => {
    const split = splitArgv(['--base-url', 'http://x:1', '--json', 'sessions', 'send', '--session-id', 'S', '--verbose'], (w) => nodeAt(w) !== undefined);
    assert.deepEqual(split.words, ['sessions', 'send']);
    assert.equal(split.globals.baseUrl, 'http://x:1');
    assert.equal(split.globals.json, true);
    const { globals } = build('sessions send', ['--session-id', 'S', '--text', 'hi', '--verbose', '--headers', 'a:b', '--headers=c:d']);
    assert.equal(globals.verbose, true);
    assert.deepEqual(globals.headers, ['a:b', 'c:d']);
    assert.deepEqual(splitArgv(['--', 'system', 'health'], (w) => nodeAt(w) !== undefined).words, ['system', 'health']);
  });

  it('puts path, query and body flags where they belong, typed', () => {
    const { req } = build('sessions send', ['--session-id', 'a/b', '--text', 'hello --there', '--effort=high']);
    assert.deepEqual(req.params, { sessionId: 'a/b' });
    assert.equal(req.path, '/api/sessions/a%2Fb/messages');
    assert.deepEqual(req.body, { text: 'hello --there', effort: 'high' });
    const list = build('sessions list', ['--limit', '5', '--archived']).req;
    assert.deepEqual(list.query, { limit: '5', archived: 'true' });
    assert.equal(list.body, undefined);
  });

  it("takes booleans as --flag, --no-flag, --flag=false and codex-manager's --flag true|false", () => {
    assert.deepEqual(build('sessions list', ['--no-archived']).req.query, { archived: 'false' });
    assert.deepEqual(build('sessions list', ['--archived=false']).req.query, { archived: 'false' });
    assert.deepEqual(build('sessions list', ['--archived', 'false', '--limit', '2']).req.query, { archived: 'false', limit: '2' });
    assert.deepEqual(build('skills config set', ['--path', '/x/SKILL.md', '--enabled', 'true']).req.body, { path: '/x/SKILL.md', enabled: true });
  });

  it('reads JSON, @file, --flag-file and stdin-free files for structured and text values', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-args-'));
    try {
      fs.writeFileSync(path.join(dir, 'tools.json'), '[{"name":"t","description":"d","inputSchema":{}}]');
      fs.writeFileSync(path.join(dir, 'prompt.txt'), 'from a file\n');
      fs.writeFileSync(path.join(dir, 'body.json'), '{"text":"base","effort":"low"}');
      const { req } = build('sessions send', ['--session-id', 'S', '--text-file', path.join(dir, 'prompt.txt'), '--dynamic-tools', `@${path.join(dir, 'tools.json')}`]);
      assert.deepEqual(req.body, { text: 'from a file\n', dynamicTools: [{ name: 't', description: 'd', inputSchema: {} }] });
      // --body is the base; flags override its fields.
      assert.deepEqual(build('sessions send', ['--session-id', 'S', '--body', `@${path.join(dir, 'body.json')}`, '--effort', 'high']).req.body, { text: 'base', effort: 'high' });
      usage(() => build('sessions send', ['--session-id', 'S', '--text', 'x', '--dynamic-tools', '{nope']), /--dynamic-tools is not valid JSON/);
      usage(() => build('sessions send', ['--session-id', 'S', '--text-file', path.join(dir, 'missing.txt')]), /cannot read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends `any` values as JSON when they parse, else as text (config set --value)', () => {
    const v = (value: string) => (build('config set', ['--key-path', 'a.b', '--merge-strategy', 'replace', '--value', value]).req.body as { value: unknown }).value;
    assert.equal(v('42'), 42);
    assert.deepEqual(v('{"x":1}'), { x: 1 });
    assert.equal(v('plain text'), 'plain text');
    assert.deepEqual((build('config set', ['--key-path', '["a","b"]', '--merge-strategy', 'replace', '--value', '1']).req.body as { keyPath: unknown }).keyPath, ['a', 'b']);
  });

  it('builds nested and nullable fields the way codex-manager scripts wrote them', () => {
    const apply = build('sessions controls apply', ['--session-id', 'S', '--scope', 'session', '--approval-policy', 'never', '--network-access', 'enabled', '--filesystem-sandbox', 'read-only', '--actor', 'me']).req.body;
    assert.deepEqual(apply, { scope: 'session', controls: { approvalPolicy: 'never', networkAccess: 'enabled', filesystemSandbox: 'read-only', model: null }, actor: 'me' });
    const withModel = build('sessions controls apply', ['--session-id', 'S', '--scope', 'default', '--approval-policy', 'never', '--network-access', 'enabled', '--filesystem-sandbox', 'read-only', '--model', 'gpt-x']).req.body as { controls: { model: unknown } };
    assert.equal(withModel.controls.model, 'gpt-x');
    assert.deepEqual(build('sessions project set', ['--session-id', 'S', '--clear']).req.body, { projectId: null });
    assert.deepEqual(build('sessions project set', ['--session-id', 'S']).req.body, { projectId: null });
    assert.deepEqual(build('sessions project set', ['--session-id', 'S', '--project-id', 'P']).req.body, { projectId: 'P' });
    assert.deepEqual(build('projects create', ['--name', 'n', '--clear-working-directory']).req.body, { name: 'n', workingDirectory: null });
    assert.deepEqual(build('sessions transcript upsert', ['--session-id', 'S', '--message-id', 'm', '--turn-id', 't', '--entry-role', 'assistant', '--type', 'note', '--content', 'c', '--status', 'complete']).req.body,
      { messageId: 'm', turnId: 't', role: 'assistant', type: 'note', content: 'c', status: 'complete' });
  });

  it('lists: repeatable, JSON arrays, CSV where codex-manager used it, and args after -- for runtime exec', () => {
    assert.deepEqual(build('mcp oauth login', ['--server-name', 's', '--scopes', 'a,b', '--scopes', 'c']).req.body, { scopes: ['a', 'b', 'c'] });
    assert.deepEqual(build('runtime exec', ['--cwd', '/tmp', '--', 'ls', '-la']).req.body, { cwd: '/tmp', command: ['ls', '-la'] });
    assert.deepEqual(build('runtime exec', ['--command', '["echo","a,b"]']).req.body, { command: ['echo', 'a,b'] });
    assert.deepEqual((build('runtime exec', ['--command', 'echo', '--timeout-ms', '500']).req.body), { command: ['echo'], timeoutMs: 500 });
  });

  it('discriminated unions: the member named by the discriminator sets what is required', () => {
    assert.deepEqual(build('account login start', ['--type', 'apiKey', '--api-key', 'k']).req.body, { type: 'apiKey', apiKey: 'k' });
    usage(() => build('account login start', ['--type', 'apiKey']), /missing --api-key/);
    usage(() => build('account login start', []), /missing --type/);
    assert.deepEqual(build('account login start', ['--type', 'chatgpt']).req.body, { type: 'chatgpt' });
  });

  it('usage errors name the flag and the fix: unknown, missing, wrong type, wrong enum, positionals', () => {
    usage(() => build('sessions send', ['--session-id', 'S', '--txt', 'hi']), /unknown flag --txt.*did you mean --text/);
    usage(() => build('sessions send', []), /missing --session-id, --text/);
    usage(() => build('sessions list', ['--limit', 'ten']), /--limit expects an integer/);
    usage(() => build('approvals decide', ['--approval-id', 'A', '--decision', 'maybe']), /one of accept, decline, cancel/);
    usage(() => build('sessions get', ['S1']), /parameters are flags.*--session-id S1/);
    usage(() => build('sessions get', ['--session-id']), /needs a value/);
    usage(() => build('sessions controls apply', ['--session-id', 'S', '--scope', 'session']), /missing --approval-policy, --network-access, --filesystem-sandbox/);
  });

  it('maps validation issue paths from the bridge back to flags', () => {
    const decide = MANIFEST.commands.find((c) => c.command === 'approvals decide')!;
    assert.equal(flagForIssue(decide, ['body', 'decision']), '--decision');
    assert.equal(flagForIssue(decide, ['params', 'approvalId']), '--approval-id');
    const apply = MANIFEST.commands.find((c) => c.command === 'sessions controls apply')!;
    assert.equal(flagForIssue(apply, ['body', 'controls', 'approvalPolicy']), '--approval-policy');
    const upsert = MANIFEST.commands.find((c) => c.command === 'sessions transcript upsert')!;
    assert.equal(flagForIssue(upsert, ['body', 'role']), '--entry-role');
  });

  it('a command flag with a global name wins after the command words (runtime exec --timeout-ms)', () => {
    const { req, globals } = build('runtime exec', ['--command', 'true', '--timeout-ms', '900']);
    assert.equal((req.body as { timeoutMs: number }).timeoutMs, 900);
    assert.equal(globals.timeoutMs, undefined);
    const split = splitArgv(['--timeout-ms', '5', 'runtime', 'exec'], (w) => nodeAt(w) !== undefined);
    assert.equal(split.globals.timeoutMs, '5');
  });
});
