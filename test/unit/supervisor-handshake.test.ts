import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BridgeError } from '../../protocol/errors';
import { RuntimeSupervisor } from '../../server/appserver/supervisor';

const FAKE = path.resolve('test/fixtures/fake-app-server.mjs');

function supervisor(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-sup-'));
  return new RuntimeSupervisor(
    { codexPath: FAKE, env, clientInfo: { name: 't', title: null, version: '0' }, stderrLogFile: path.join(dir, 'stderr.log') },
    { notification: () => undefined, serverRequest: () => undefined },
  );
}

describe('RuntimeSupervisor handshake (fake runtime)', () => {
  it('opts into the experimental API', async () => {
    const s = supervisor();
    await s.start();
    assert.equal(s.health().experimentalApi, true);
    assert.equal(s.health().userAgent, 'fake/0.0.0');
    await s.stop();
  });

  it('falls back to the stable API when the runtime refuses the opt-in', async () => {
    const s = supervisor({ FAKE_REJECT_EXPERIMENTAL: '1' });
    await s.start();
    assert.equal(s.health().state, 'ready');
    assert.equal(s.health().experimentalApi, false);
    assert.deepEqual(await s.request('thread/list', {}), { echo: 'thread/list' });
    await s.stop();
  });

  it('answers methods the pinned runtime lacks with method_not_supported, without calling it', async () => {
    const s = supervisor();
    await s.start();
    await assert.rejects(s.request('no/such/method', {}), (e: unknown) => e instanceof BridgeError && e.code === 'method_not_supported' && e.httpStatus === 501);
    await s.stop();
  });

  it('fails calls after stop with runtime_unavailable', async () => {
    const s = supervisor();
    await s.start();
    await s.stop();
    assert.equal(s.health().state, 'stopped');
    await assert.rejects(s.request('thread/list', {}), (e: unknown) => e instanceof BridgeError && e.code === 'runtime_unavailable');
  });
});
