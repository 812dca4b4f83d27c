import assert from 'node:assert/strict';
import os from 'node:os';
import { BridgeError } from '../../protocol/errors';
import { given } from '../../protocol/schemas/common';
import { MAX_INPUT_DEPTH, nestedTooDeep } from '../../server/operations/input-depth';
import { spawnableCommand } from '../../server/operations/runtime/exec-input';

describe('compatibility input rules', () => {
  it('reads a blank optional string as not given', () => {
    assert.deepEqual([given(undefined), given(null), given(''), given('  \t'), given('gpt-5'), given(' a ')], [undefined, undefined, undefined, undefined, 'gpt-5', ' a ']);
  });

  it('finds JSON nested deeper than the limit without recursing', () => {
    const nest = (n: number): unknown => { let v: unknown = 1; for (let i = 0; i < n; i++) v = i % 2 ? [v] : { k: v }; return v; };
    assert.equal(nestedTooDeep(nest(MAX_INPUT_DEPTH)), false);
    assert.equal(nestedTooDeep(nest(MAX_INPUT_DEPTH + 1)), true);
    assert.equal(nestedTooDeep(nest(200_000)), true);
    assert.equal(nestedTooDeep({ wide: Array.from({ length: 10_000 }, (_, i) => ({ i })) }), false);
  });

  describe('executeCommand input the OS can spawn', () => {
    const base = os.tmpdir();
    const refusal = async (body: { command: string[]; cwd?: string }) => {
      try {
        await spawnableCommand(body, base);
      } catch (error) {
        assert.ok(error instanceof BridgeError && error.code === 'invalid_request');
        return error.issues?.map((i) => i.path.join('.'));
      }
      assert.fail('accepted');
    };

    it('resolves a relative cwd against the runtime\'s, and a blank one means the runtime\'s', async () => {
      assert.deepEqual(await spawnableCommand({ command: ['pwd'], cwd: '.' }, base), { command: ['pwd'], cwd: base });
      assert.deepEqual(await spawnableCommand({ command: ['pwd'], cwd: '' }, base), { command: ['pwd'], cwd: null });
      assert.deepEqual(await spawnableCommand({ command: ['pwd'] }, base), { command: ['pwd'], cwd: null });
    });

    it('refuses a cwd that is not a directory, and NUL bytes, naming the field', async () => {
      assert.deepEqual(await refusal({ command: ['pwd'], cwd: 'no/such/dir' }), ['body.cwd']);
      assert.deepEqual(await refusal({ command: ['pwd'], cwd: __filename }), ['body.cwd']);
      assert.deepEqual(await refusal({ command: ['echo', 'a\u0000b'], cwd: 'x\u0000' }), ['body.command.1', 'body.cwd']);
    });
  });
});
