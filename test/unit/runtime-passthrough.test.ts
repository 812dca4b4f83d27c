import assert from 'node:assert/strict';
import { BridgeError } from '../../protocol/errors';
import { CLIENT_REQUEST_METHODS } from '../../protocol/generated/codex/methods';
import { CapabilitiesSchema } from '../../protocol/operations/passthrough/system-info';
import { RUNTIME_PASSTHROUGH_OPERATIONS } from '../../protocol/operations/runtime-passthrough';
import type { RuntimeHealth } from '../../server/appserver/supervisor';
import {
  buildCapabilities, featureFlags, methodCapability, operationAvailability, RUNTIME_METHODS_BY_OPERATION,
} from '../../server/operations/runtime/capabilities';
import { pageLocally } from '../../server/operations/runtime/catalog';
import { tomlKeyPath } from '../../server/operations/runtime/config';

const health: RuntimeHealth = {
  state: 'ready', pid: 1, restarts: 0, startedAt: '2026-01-01T00:00:00.000Z', lastExit: null,
  failureReason: null, userAgent: 'codex_manager/0.169.0', experimentalApi: true,
};

describe('runtime pass-through: capabilities', () => {
  it('reads availability from the generated method lists, never from calls', () => {
    assert.deepEqual(methodCapability('model/list'), { status: 'available', reason: null });
    assert.equal(methodCapability('item/tool/requestUserInput').status, 'available', 'a server request the runtime sends');
    assert.deepEqual(methodCapability('skills/remote/read'), { status: 'disabled', reason: 'the pinned codex runtime has no method skills/remote/read' });
  });

  it('names the runtime methods of every pass-through operation that calls the runtime', () => {
    const selfContained = new Set(['getApiInfo', 'getCapabilities']);
    for (const id of Object.keys(RUNTIME_PASSTHROUGH_OPERATIONS)) {
      if (selfContained.has(id)) assert.equal(RUNTIME_METHODS_BY_OPERATION[id], undefined, id);
      else assert.ok(RUNTIME_METHODS_BY_OPERATION[id]?.length, `${id} lists its runtime methods`);
    }
  });

  it('marks an operation unavailable when any runtime method it needs is missing', () => {
    assert.deepEqual(operationAvailability(['listModels', 'writeRemoteSkills', 'someBridgeOnlyOperation']), {
      listModels: true, writeRemoteSkills: false, someBridgeOnlyOperation: true,
    });
  });

  it("derives codex-manager's feature flags from the operations behind them", () => {
    const flags = featureFlags(false);
    assert.equal(flags.threadFork, CLIENT_REQUEST_METHODS.includes('thread/fork'));
    assert.equal(methodCapability('thread/rollback').status, 'disabled');
    assert.equal(flags.threadRollback, true, 'the bridge rolls back through thread/revert');
    assert.equal(flags.remoteSkills, false);
    assert.equal(flags.planUpdates, true);
    assert.equal(flags.dynamicTools, false);
    assert.equal(featureFlags(true).dynamicTools, true);
  });

  it('builds a body that matches the declared capabilities schema', () => {
    const body = buildCapabilities({ health, operationIds: ['listModels'], experimentalFeatures: null, now: new Date(0) });
    assert.equal(CapabilitiesSchema.safeParse(body).success, true);
    assert.equal(body.runtime.capabilitiesLastUpdatedAt, '1970-01-01T00:00:00.000Z');
    assert.equal(body.methods['account/read'], 'available');
    assert.equal(body.details['tool/requestUserInput']!.status, 'disabled');
    assert.deepEqual(body.operations, { listModels: true });
  });
});

describe('runtime pass-through: config key paths', () => {
  it('joins bare segments with dots and quotes the rest as TOML strings', () => {
    assert.equal(tomlKeyPath(['mcp_servers', 'docs', 'command']), 'mcp_servers.docs.command');
    assert.equal(tomlKeyPath(['projects', '/home/me/a.b', 'trust_level']), 'projects."/home/me/a.b".trust_level');
    assert.equal(tomlKeyPath(['x', 'say "hi"\\']), 'x."say \\"hi\\"\\\\"');
  });

  it('takes a string as an already dotted path', () => {
    assert.equal(tomlKeyPath('model_providers.mock.name'), 'model_providers.mock.name');
  });
});

describe('runtime pass-through: local paging', () => {
  const rows = ['a', 'b', 'c'];

  it('pages with offset cursors and ends with a null cursor', () => {
    assert.deepEqual(pageLocally(rows, undefined, 2), { data: ['a', 'b'], nextCursor: '2' });
    assert.deepEqual(pageLocally(rows, '2', 2), { data: ['c'], nextCursor: null });
    assert.deepEqual(pageLocally(rows, '9', 2), { data: [], nextCursor: null });
  });

  it('refuses a cursor it did not mint, naming query.cursor', () => {
    for (const cursor of ['abc', '-1', '1.5', '']) {
      assert.throws(() => pageLocally(rows, cursor, 2), (e: unknown) =>
        e instanceof BridgeError && e.code === 'invalid_request' && e.issues?.[0]?.path.join('.') === 'query.cursor');
    }
  });
});
