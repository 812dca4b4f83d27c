import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

describe('generated codex protocol bindings', function () {
  this.timeout(60_000);
  it('match what the pinned runtime generates (run `npm run generate:protocol` when this fails)', () => {
    const out = execFileSync(process.execPath, ['scripts/generate-protocol.mjs', '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(out, /up to date/);
  });
});
