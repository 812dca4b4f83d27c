// A bridge in its own process sharing a Redis queue with others, for the multi-bridge test:
// it starts (real runtime), enqueues <count> jobs of the test type `shared_work` through its
// queue, prints `ENQUEUED <n>` and keeps running jobs until it is killed.
// Usage: node --import tsx bullmq-bridge-child.ts <redisUrl> <queueName> <bridgeId> <dataDir> <codexHome> <workspace> <count>
import { Bridge } from '../../../server/bridge';
import { sharedWork } from './shared-work-job';

async function main(): Promise<void> {
  const [redisUrl, queueName, bridgeId, dataDir, codexHome, workspace, count] = process.argv.slice(2) as [string, string, string, string, string, string, string];
  const bridge = await Bridge.start({
    dataDir, codexHome, runtimeEnv: { OPENAI_API_KEY: 'test-key-not-secret' },
    sessionDefaults: { cwd: workspace, filesystemSandbox: 'read-only' },
    orchestrator: {
      redisUrl, redis: { queueName, bridgeId, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      definitions: [sharedWork(bridgeId)],
      limits: { globalConcurrency: 12, maxActiveGlobal: 1000, maxActivePerProject: 1000 },
    },
  });
  process.stdout.write(`READY ${bridge.services.orchestrator.engine.kind}\n`);
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve())); // go
  const n = Number(count);
  for (let i = 0; i < n; i++) {
    await bridge.services.orchestrator.engine.enqueue({ type: 'shared_work', projectId: `project-${i % 30}`, payload: { n: i } });
  }
  process.stdout.write(`ENQUEUED ${n}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bullmq-bridge-child: ${String(error)}\n`);
  process.exit(1);
});
