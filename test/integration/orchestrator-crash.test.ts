import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bridge } from '../../server/bridge';
import { startFakeModel, writeCodexHome, type FakeModel } from '../fake-model';

/** kill -9 of a bridge mid-job, then a restart on the same data dir: the job is recovered and completes exactly once. */
describe('orchestrator: crash recovery (kill -9 of the bridge process, real runtime)', function () {
  let root: string;
  let fake: FakeModel;
  let bridge: Bridge | undefined;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-crash-'));
    fake = await startFakeModel({ label: 'the test model' });
    writeCodexHome(path.join(root, 'codex-home'), fake.baseUrl);
    fs.mkdirSync(path.join(root, 'workspace'));
  });
  after(async () => {
    await bridge?.stop().catch(() => undefined);
    await fake.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('re-queues the job that was running and completes it once', async () => {
    const dataDir = path.join(root, 'data');
    const args = ['--import', 'tsx', path.join(__dirname, 'support', 'queue-child.ts'), dataDir, path.join(root, 'codex-home'), path.join(root, 'workspace')];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    const t0 = Date.now();
    while (!/RUNNING (\S+) (\S+)/.test(output)) {
      if (Date.now() - t0 > 45_000 || child.exitCode !== null) { child.kill('SIGKILL'); throw new Error(`child did not start its job:\n${output}`); }
      await new Promise((r) => setTimeout(r, 50));
    }
    const [, jobId, sessionId] = /RUNNING (\S+) (\S+)/.exec(output)!;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    bridge = await Bridge.start({
      dataDir, codexHome: path.join(root, 'codex-home'), runtimeEnv: { OPENAI_API_KEY: 'test-key-not-secret' },
      sessionDefaults: { cwd: path.join(root, 'workspace'), filesystemSandbox: 'read-only' }, validateReplies: true,
    });
    const completions: string[] = [];
    bridge.events.subscribe((e) => { if (e.type === 'orchestrator_job_completed') completions.push((e.payload as { jobId: string }).jobId); });
    const done = await bridge.services.orchestrator.engine.waitForTerminal(jobId!, 40_000);
    assert.equal(done?.state, 'completed', JSON.stringify(done));
    assert.equal(done?.attempts, 2, 'the interrupted attempt counts; the job ran again once');
    assert.equal(done?.sourceSessionId, sessionId);
    assert.equal(done?.result?.suggestion, 'slow please, and add a test for it');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(completions, [jobId]);
    const reply = await bridge.call('getOrchestratorJob', { params: { jobId } });
    assert.equal((reply.body as { job: { state: string } }).job.state, 'completed');
  });
});
