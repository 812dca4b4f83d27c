import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandHelp } from '../../cli/help';
import { painter } from '../../cli/output';
import { allEntries, commandTree } from '../../cli/tree';
import { cli, ensureBuilt, makeHome } from './support';

/** Help and completion come from the same tree as the commands. */

function has(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

describe('cli: help and completion', function () {
  const home = makeHome();
  before(() => ensureBuilt());

  it('--help lists every top-level group, the global flags, the environment and exit codes', async () => {
    const r = await cli(home, ['--help']);
    assert.equal(r.code, 0);
    for (const group of commandTree().children.keys()) assert.match(r.stdout, new RegExp(`\\n  ${group}\\b`));
    for (const flag of ['--profile', '--base-url', '--api-prefix', '--timeout-ms', '--json', '--verbose', '--bearer', '--headers', '--rbac-token', '--role', '--actor']) assert.ok(r.stdout.includes(flag), flag);
    assert.match(r.stdout, /CODEX_MANAGER_API_BASE/);
    assert.match(r.stdout, /0 ok, 1 error, 2 usage, 3 not found, 4 conflict, 5 auth/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colours when NO_COLOR is set / not a TTY');
  });

  it('a command\'s help shows its flags with the zod descriptions, required ones and the route', async () => {
    const r = await cli(home, ['sessions', 'list', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--archived\s+When true, list archived sessions \[query\]/);
    assert.match(r.stdout, /--limit <n>\s+Maximum rows to return/);
    assert.match(r.stdout, /GET \/api\/sessions/);
    const send = await cli(home, ['help', 'sessions', 'send']);
    assert.match(send.stdout, /Usage\n {2}codex-manager sessions send --session-id <id> --text <text> \[flags\]/);
    assert.match(send.stdout, /--wait/);
    const group = await cli(home, ['sessions']);
    assert.equal(group.code, 2, 'a bare group is a usage error (help on stderr)');
    assert.match(group.stderr, /sessions send\s+Start a turn in a session/);
  });

  it('every command has help listing all its flags (built binary for a sample, in-process for all)', async () => {
    for (const entry of allEntries()) {
      const text = commandHelp(entry, painter(false), 100);
      assert.ok(text.startsWith(entry.spec.summary), entry.command);
      for (const o of entry.options) assert.ok(text.includes(`--${o.name}`), `${entry.command}: --${o.name}`);
    }
    const sample = ['sessions send', 'stream events', 'approvals watch', 'profile set', 'account login start', 'sessions controls apply'];
    await Promise.all(sample.map(async (command) => {
      const r = await cli(home, [...command.split(' '), '--help']);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.equal(r.stdout, commandHelp(allEntries().find((e) => e.command === command)!, painter(false), 100));
    }));
  });

  it('unknown commands and flags: exit 2, one line, a suggestion', async () => {
    const a = await cli(home, ['sesions', 'list']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /unknown command "sesions".*did you mean `codex-manager sessions`/);
    const b = await cli(home, ['sessions', 'list', '--limt', '3']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /unknown flag --limt for sessions list.*did you mean --limit/);
    assert.equal(b.stderr.trim().split('\n').length, 1);
  });

  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`${shell} completion: a script the shell accepts, covering every command`, async function () {
      const r = await cli(home, ['completion', shell]);
      assert.equal(r.code, 0, r.stderr);
      for (const entry of allEntries()) {
        for (const word of entry.command.split(' ')) assert.ok(r.stdout.includes(word), `${shell}: ${word}`);
      }
      if (!has(shell)) this.skip();
      const file = path.join(home.root, `completion.${shell}`);
      fs.writeFileSync(file, r.stdout);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stderr);
    });
  }

  it('bash completion completes words, flags and enum values', async function () {
    const script = (await cli(home, ['completion', 'bash'])).stdout;
    const complete = (words: string[]): string[] => {
      const cword = words.length - 1;
      const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${cword}; _codex_manager; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return execFileSync('bash', ['-c', program], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    };
    assert.ok(complete(['codex-manager', 'sess']).includes('sessions'));
    assert.ok(complete(['codex-manager', 'sessions', 'se']).includes('send'));
    assert.deepEqual(complete(['codex-manager', '--json', 'approvals', 'decide', '--approval-id', 'A', '--decision', '']).sort(), ['accept', 'cancel', 'decline']);
    const flags = complete(['codex-manager', 'sessions', 'send', '--session-id', 'S', '--']);
    for (const f of ['--text', '--wait', '--effort', '--json', '--base-url']) assert.ok(flags.includes(f), f);
  });
});
