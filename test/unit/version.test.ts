import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BRIDGE_VERSION } from '../../server/version';

describe('version', () => {
  it('the bridge reports the package version', () => {
    assert.equal(BRIDGE_VERSION, JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });
});
