import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestBridge, type TestBridge } from './support/harness';

describe('store recovery with the real bridge', function () {
  let t: TestBridge;
  before(async () => { t = await startTestBridge(); });
  after(async () => { await t?.stop(); });

  it('keeps acknowledged sessions across a bridge restart', async () => {
    const created = await t.bridge.call('createSession', { body: {} });
    const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
    const bridge = await t.restartBridge();
    const listed = await bridge.call('listSessions');
    assert.ok((listed.body as { data: { sessionId: string }[] }).data.some((s) => s.sessionId === sessionId));
  });

  it('quarantines a corrupt store file, reports it in health, and keeps serving', async () => {
    await t.bridge.stop();
    const file = path.join(t.dataDir, 'sessions.json');
    fs.writeFileSync(file, '{"version":1,"sessions":{"broken"');
    const bridge = await t.restartBridge();
    const health = (await bridge.call('getHealth')).body as { status: string; store: { quarantined: { file: string; quarantinedAs: string; reason: string }[] } };
    assert.equal(health.store.quarantined.length, 1);
    const report = health.store.quarantined[0]!;
    assert.equal(report.file, file);
    assert.equal(report.reason, 'unparsable');
    assert.equal(fs.readFileSync(report.quarantinedAs, 'utf8'), '{"version":1,"sessions":{"broken"', 'the corrupt bytes are kept, not dropped');
    assert.ok(report.quarantinedAs.startsWith(path.join(t.dataDir, 'quarantine')));
    assert.equal((await bridge.call('createSession', { body: {} })).status, 200, 'the bridge keeps working');
  });
});
