import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { OPERATIONS } from '../../protocol/operations';
import { COMPAT } from '../../cli/compat';
import { deriveCommand, kebab } from '../../cli/derive';
import { manifestText, MANIFEST_FILE } from '../../cli/generate';
import { MANIFEST } from '../../cli/manifest';
import { EXTRA_COMMANDS } from '../../cli/extras';
import { allEntries, commandTree } from '../../cli/tree';

/** The command tree is derived from the operation table and follows the clients document's names. */

const CLIENTS_DOC = path.resolve(__dirname, '..', '..', '..', 'shared', 'contracts', 'codex-manager-clients.md');

function documentedCommands(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of fs.readFileSync(CLIENTS_DOC, 'utf8').split('\n')) {
    const m = line.match(/^\|\s*(\w+)\s*\|\s*`([^`]+)`\s*\|/);
    if (m && m[1] !== 'operationId') rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe('cli: command tree derived from the operation table', () => {
  const ops = Object.values(OPERATIONS);

  it('the checked-in manifest is what the table derives (regenerate with `npx tsx cli/generate.ts`)', () => {
    assert.equal(fs.readFileSync(MANIFEST_FILE, 'utf8'), manifestText());
  });

  it('every operation has exactly one command, and every derived command maps to an operation', () => {
    const byId = new Map(MANIFEST.commands.map((c) => [c.id, c]));
    for (const op of ops) assert.ok(byId.has(op.id), `no command for ${op.id}`);
    assert.equal(MANIFEST.commands.length, ops.length);
    for (const c of MANIFEST.commands) {
      const op = (OPERATIONS as Record<string, (typeof ops)[number]>)[c.id];
      assert.ok(op, `${c.command} maps to no operation`);
      assert.equal(c.method, op.method);
      assert.equal(c.path, op.path);
    }
    const names = MANIFEST.commands.map((c) => c.command);
    assert.equal(new Set(names).size, names.length, 'two operations share a command name');
  });

  it('every command in the tree is an operation or a documented extra, and each is reachable', () => {
    const entries = allEntries(commandTree());
    const extras = new Set(EXTRA_COMMANDS.map((e) => e.command));
    for (const e of entries) {
      if (e.kind === 'op') assert.ok(MANIFEST.commands.includes(e.spec), e.command);
      else assert.ok(extras.has(e.command), e.command);
    }
    assert.equal(entries.length, MANIFEST.commands.length + EXTRA_COMMANDS.length, 'an extra collides with an operation command');
    for (const extra of ['sessions inspect', 'orchestrator jobs wait', 'api request', 'profile list', 'profile use', 'profile set', 'profile auth-set', 'approvals watch', 'completion', 'serve']) {
      assert.ok(extras.has(extra), `missing extra ${extra}`);
    }
  });

  it("uses the clients document's command name for every operation it lists", () => {
    const documented = documentedCommands();
    assert.ok(documented.size >= 70, `parsed only ${documented.size} rows from ${CLIENTS_DOC}`);
    for (const [id, command] of documented) {
      const c = MANIFEST.commands.find((x) => x.id === id);
      assert.ok(c, `documented operation ${id} has no command`);
      assert.equal(c.command, command, `${id}`);
    }
  });

  it('an operation unknown to compat.ts still gets a command from its domain and name', () => {
    const op = { ...OPERATIONS.listProjects, id: 'listWidgets', domain: 'widgets', name: 'list_all' };
    assert.equal(COMPAT.listWidgets, undefined);
    assert.equal(deriveCommand(op).command, 'widgets list-all');
  });

  it('path, query and body fields become kebab-case flags typed and described by their zod schemas', () => {
    const send = MANIFEST.commands.find((c) => c.command === 'sessions send')!;
    const flag = (name: string) => send.flags.find((f) => f.name === name);
    assert.deepEqual(flag('session-id'), { name: 'session-id', field: 'sessionId', in: 'path', kind: 'string', required: true, description: 'Session id' });
    assert.equal(flag('text')?.required, true);
    assert.equal(flag('text')?.in, 'body');
    assert.deepEqual(flag('effort')?.enum, ['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
    assert.equal(flag('dynamic-tools')?.kind, 'json');
    assert.equal(flag('collaboration-mode')?.description, 'Runtime collaboration mode for this turn (bridge extension)');

    const list = MANIFEST.commands.find((c) => c.command === 'sessions list')!;
    assert.deepEqual(list.flags.map((f) => [f.name, f.in, f.kind]), [['archived', 'query', 'boolean'], ['include-system-owned', 'query', 'boolean'], ['cursor', 'query', 'string'], ['limit', 'query', 'integer']]);

    // Every field of every operation is a flag (or, for open bodies, --body).
    for (const op of ops) {
      const c = MANIFEST.commands.find((x) => x.id === op.id)!;
      for (const part of ['params', 'query'] as const) {
        const shape = (op[part] as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
        for (const field of Object.keys(shape)) assert.ok(c.flags.some((f) => f.field === field && f.in === (part === 'params' ? 'path' : 'query')), `${op.id}: ${part}.${field}`);
      }
      if (op.body && !c.body?.open) {
        const shape = (op.body as unknown as { shape?: Record<string, unknown> }).shape;
        for (const field of Object.keys(shape ?? {})) assert.ok(c.flags.some((f) => f.field === field && f.in === 'body'), `${op.id}: body.${field}`);
      }
      for (const f of c.flags) if (!f.alias && !COMPAT[op.id]?.renames?.[f.field] && !f.field.includes('.') && f.name !== `body-${kebab(f.field)}`) assert.match(f.name, /^[a-z0-9-]+$/);
    }
  });

  it("keeps codex-manager's spellings: --entry-role, --inherit-model, --clear, scopes as CSV, exec args after --", () => {
    const upsert = MANIFEST.commands.find((c) => c.command === 'sessions transcript upsert')!;
    assert.equal(upsert.flags.find((f) => f.field === 'role')?.name, 'entry-role');
    const apply = MANIFEST.commands.find((c) => c.command === 'sessions controls apply')!;
    assert.deepEqual(apply.flags.find((f) => f.name === 'inherit-model')?.alias, { value: null });
    assert.equal(apply.flags.find((f) => f.name === 'approval-policy')?.field, 'controls.approvalPolicy');
    const project = MANIFEST.commands.find((c) => c.command === 'sessions project set')!;
    assert.deepEqual(project.body?.nullDefaults, ['projectId']);
    assert.equal(MANIFEST.commands.find((c) => c.command === 'mcp oauth login')!.flags.find((f) => f.name === 'scopes')?.csv, true);
    assert.equal(MANIFEST.commands.find((c) => c.command === 'runtime exec')!.flags.find((f) => f.name === 'command')?.rest, true);
  });

  it('discriminated-union bodies become a discriminator flag and member flags', () => {
    const login = MANIFEST.commands.find((c) => c.command === 'account login start')!;
    assert.deepEqual(login.flags.find((f) => f.name === 'type')?.enum, ['apiKey', 'chatgpt', 'chatgptAuthTokens', 'chatgptDeviceCode']);
    assert.equal(login.flags.find((f) => f.name === 'api-key')?.when, 'type=apiKey');
    assert.deepEqual(login.body?.variants?.apiKey, ['type', 'apiKey']);
  });

  it('statuses counted as success are declared by the operation and never 400, 401, 403 or 5xx other than 501', () => {
    for (const c of MANIFEST.commands) {
      for (const s of c.expect) {
        assert.ok(c.statuses.includes(s), `${c.command}: ${s} not declared`);
        assert.ok(![400, 401, 403].includes(s) && (s < 500 || s === 501), `${c.command}: ${s}`);
      }
    }
  });
});
