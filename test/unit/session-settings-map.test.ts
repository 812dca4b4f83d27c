import assert from 'node:assert/strict';
import { applySettingsChange, changedKeys, withoutKey } from '../../server/domain/settings-map';

describe('session settings map', () => {
  const current = { supervisor: { fileChange: true }, theme: 'dark' };

  it('sets one key without touching the others', () => {
    assert.deepEqual(applySettingsChange(current, { kind: 'key', key: 'theme', value: 'light' }), { supervisor: { fileChange: true }, theme: 'light' });
  });

  it('merges an object shallowly: a top-level value is replaced whole', () => {
    const next = applySettingsChange(current, { kind: 'object', mode: 'merge', settings: { supervisor: { other: 1 }, extra: null } });
    assert.deepEqual(next, { supervisor: { other: 1 }, theme: 'dark', extra: null });
  });

  it('replaces the whole map in replace mode', () => {
    assert.deepEqual(applySettingsChange(current, { kind: 'object', mode: 'replace', settings: { only: 1 } }), { only: 1 });
  });

  it('removes a key, and says when there was nothing to remove', () => {
    assert.deepEqual(withoutKey(current, 'theme'), { next: { supervisor: { fileChange: true } }, removed: true });
    assert.deepEqual(withoutKey(current, 'missing'), { next: current, removed: false });
  });

  it('lists the keys that changed', () => {
    assert.deepEqual(changedKeys(current, { supervisor: { fileChange: true }, theme: 'light', added: 1 }), ['added', 'theme']);
    assert.deepEqual(changedKeys(current, { ...current }), []);
  });

  it('does not let a "__proto__" key reach the prototype', () => {
    const settings = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const next = applySettingsChange({}, { kind: 'object', mode: 'merge', settings });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(next, '__proto__'));
  });
});
