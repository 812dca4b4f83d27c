import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { CodexManagerApi } from '../../../extension/shell';
import { extension, poll } from './support';

/** The bridge process dies: the client's error handler restarts it and sessions survive. */
describe('bridge crash', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;

  before(async () => {
    api = await extension().activate();
  });

  it('restarts the bridge and keeps the active session', async () => {
    const sessionId = api.activeSessionId();
    assert.ok(sessionId, 'the earlier tests left an active session');
    // `codex/info` is not an operation, but answers under the same method prefix.
    const { dataDir } = await api.call<{ dataDir: string }>('info');
    const before = JSON.parse(fs.readFileSync(path.join(dataDir, 'bridge.json'), 'utf8')) as { pid: number };
    process.kill(before.pid, 'SIGKILL');

    const health = await poll('the restarted bridge to answer', async () => {
      const h = await api.call<{ runtime: { state: string }; bridge: { epoch: string } }>('getHealth').catch(() => undefined);
      return h?.runtime.state === 'ready' ? h : undefined;
    }, 60_000, 250);
    assert.equal(health.runtime.state, 'ready');
    const after = JSON.parse(fs.readFileSync(path.join(dataDir, 'bridge.json'), 'utf8')) as { pid: number };
    assert.notEqual(after.pid, before.pid, 'a new bridge process');
    const detail = await api.call<{ session: { sessionId: string } }>('readSession', { params: { sessionId } });
    assert.equal(detail.session.sessionId, sessionId, 'the session is still there');
  });
});
