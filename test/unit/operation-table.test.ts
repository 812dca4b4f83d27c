import assert from 'node:assert/strict';
import { OPERATIONS } from '../../protocol/operations';
import { OperationTable, type HandlerMap } from '../../server/operations/table';

/** Handlers that echo their validated input, to test the table's own behaviour. */
function echoHandlers(reply: (id: string, input: unknown) => { status: number; body: unknown }): HandlerMap {
  return Object.fromEntries(Object.keys(OPERATIONS).map((id) => [id, async (input: unknown) => reply(id, input)])) as unknown as HandlerMap;
}

describe('OperationTable', () => {
  it('declares every operation once, with a unique id, route and client name', () => {
    const specs = Object.values(OPERATIONS);
    for (const [key, spec] of Object.entries(OPERATIONS)) assert.equal(spec.id, key);
    assert.equal(new Set(specs.map((s) => `${s.method} ${s.path}`)).size, specs.length);
    assert.equal(new Set(specs.map((s) => `${s.domain}.${s.name}`)).size, specs.length);
    for (const s of specs) {
      assert.match(s.path, /^\/api(\/|$)/);
      for (const param of s.path.match(/\{(\w+)\}/g) ?? []) {
        assert.ok(s.params && param.slice(1, -1) in (s.params as unknown as { shape: object }).shape, `${s.id} declares ${param}`);
      }
    }
  });

  it('validates input and names every bad field', async () => {
    const table = new OperationTable(echoHandlers(() => ({ status: 202, body: {} })));
    const reply = await table.invoke('sendSessionMessage', { params: { sessionId: '' }, body: { text: 5, bogus: true } }, { actor: 't' });
    assert.equal(reply.status, 400);
    const body = reply.body as { code: string; issues: { path: unknown[] }[] };
    assert.equal(body.code, 'invalid_request');
    // An unknown key (`bogus`) is ignored, as codex-manager ignores it; known fields are still checked.
    assert.deepEqual(body.issues.map((i) => i.path), [['params', 'sessionId'], ['body', 'text']]);
  });

  it('ignores unknown body and query keys, as codex-manager does', async () => {
    const seen: unknown[] = [];
    const table = new OperationTable(echoHandlers((_id, input) => { seen.push(input); return { status: 200, body: {} }; }));
    const listed = await table.invoke('listSessions', { query: { includeSystemOwned: 'true', somethingElse: 'x' } }, { actor: 't' });
    assert.equal(listed.status, 200);
    const created = await table.invoke('createSession', { body: { cwd: '/tmp', metadata: { from: 'a client' } } }, { actor: 't' });
    assert.equal(created.status, 200);
    assert.deepEqual(seen, [
      { params: {}, query: { includeSystemOwned: true }, body: undefined },
      { params: {}, query: {}, body: { cwd: '/tmp' } },
    ]);
  });

  it('requires a body where declared, parses an optional one from {}', async () => {
    const seen: unknown[] = [];
    const table = new OperationTable(echoHandlers((_id, input) => { seen.push(input); return { status: 200, body: {} }; }));
    assert.equal((await table.invoke('decideApproval', { params: { approvalId: 'a' } }, { actor: 't' })).status, 400);
    await table.invoke('createSession', {}, { actor: 't' });
    assert.deepEqual((seen[0] as { body: unknown }).body, {});
  });

  it('coerces query strings', async () => {
    const seen: unknown[] = [];
    const table = new OperationTable(echoHandlers((_id, input) => { seen.push(input); return { status: 200, body: { data: [], nextCursor: null } }; }));
    await table.invoke('listSessions', { query: { limit: '5', archived: 'false' } }, { actor: 't' });
    assert.deepEqual((seen[0] as { query: unknown }).query, { limit: 5, archived: false });
    assert.equal((await table.invoke('listSessions', { query: { limit: '0' } }, { actor: 't' })).status, 400);
  });

  it('turns thrown errors into structured replies and unknown operations into 404', async () => {
    const table = new OperationTable(echoHandlers(() => { throw new Error('boom'); }));
    const reply = await table.invoke('getHealth', {}, { actor: 't' });
    assert.equal(reply.status, 500);
    assert.deepEqual(reply.body, { status: 'error', code: 'internal_error', message: 'internal error' });
    assert.equal((await table.invoke('noSuchOperation', {}, { actor: 't' })).status, 404);
  });

  it('with reply validation on, rejects undeclared statuses and bodies that break the schema', async () => {
    const table = new OperationTable(echoHandlers(() => ({ status: 418, body: {} })), { validateReplies: true });
    await assert.rejects(table.invoke('getHealth', {}, { actor: 't' }), /does not declare/);
    const table2 = new OperationTable(echoHandlers(() => ({ status: 202, body: { status: 'nope' } })), { validateReplies: true });
    await assert.rejects(table2.invoke('sendSessionMessage', { params: { sessionId: 's' }, body: { text: 'x' } }, { actor: 't' }), /does not match/);
  });
});

describe('unknown input keys (codex-manager ignores them)', () => {
  /** A schema that refuses keys it does not name, anywhere inside. */
  const closed = (schema: unknown, path: string, found: string[]): void => {
    if (!schema || typeof schema !== 'object') return;
    const node = schema as { _zod?: { def?: Record<string, unknown> } };
    const def = node._zod?.def;
    if (!def) return;
    if (def.type === 'object') {
      const catchall = def.catchall as { _zod?: { def?: { type?: string } } } | undefined;
      if (catchall?._zod?.def?.type === 'never') found.push(path);
      for (const [key, child] of Object.entries((def.shape ?? {}) as Record<string, unknown>)) closed(child, `${path}.${key}`, found);
    }
    for (const key of ['innerType', 'element', 'in', 'out', 'valueType']) closed(def[key], path, found);
    for (const option of (def.options ?? []) as unknown[]) closed(option, path, found);
  };

  it('no operation refuses an unknown body, query or path key', () => {
    const found: string[] = [];
    for (const spec of Object.values(OPERATIONS)) {
      closed(spec.body, `${spec.id}.body`, found);
      closed(spec.query, `${spec.id}.query`, found);
      closed(spec.params, `${spec.id}.params`, found);
    }
    assert.deepEqual(found, []);
  });
});
