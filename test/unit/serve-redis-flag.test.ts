import assert from 'node:assert/strict';
import { main } from '../../server/main';

describe('serve --redis', () => {
  it('is in the help and refuses a URL that is not redis:// or rediss:// before starting anything', async () => {
    const writes: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => { writes.push(String(chunk)); return true; }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => { writes.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      assert.equal(await main(['serve', '--help'], {}), 0);
      assert.match(writes.join(''), /--redis <url>.*\n.*\n.*CODEX_MANAGER_REDIS_URL/);
      assert.equal(await main(['serve', '--redis', 'http://127.0.0.1:6379'], {}), 2);
      assert.equal(await main(['serve'], { CODEX_MANAGER_REDIS_URL: 'localhost:6379' }), 2);
      assert.match(writes.join(''), /--redis must be a redis:\/\/ or rediss:\/\/ URL/);
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
  });
});
