// A bridge in its own process, for crash tests: it starts a slow suggest_request job and
// prints `RUNNING <jobId>` once the job's worker turn is under way, then waits to be killed.
// Usage: node --import tsx queue-child.ts <dataDir> <codexHome> <workspace>
import { Bridge } from '../../../server/bridge';

async function main(): Promise<void> {
  const [dataDir, codexHome, workspace] = process.argv.slice(2) as [string, string, string];
  const bridge = await Bridge.start({
    dataDir, codexHome, runtimeEnv: { OPENAI_API_KEY: 'test-key-not-secret' },
    sessionDefaults: { cwd: workspace, filesystemSandbox: 'read-only' },
  });
  const created = await bridge.call('createSession', { body: {} });
  const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
  const turnDone = new Promise<void>((resolve) => bridge.events.subscribe((e) => {
    if (e.type === 'notification' && e.threadId === sessionId && (e.payload as { method?: string }).method === 'turn/completed') resolve();
  }));
  await bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: 'hello' } });
  await turnDone;
  bridge.events.subscribe((e) => {
    const p = e.payload as { jobId?: string; progress?: { phase?: string } };
    if (e.type === 'orchestrator_job_progress' && p.progress?.phase === 'turn_started') process.stdout.write(`RUNNING ${p.jobId} ${sessionId}\n`);
  });
  const queued = await bridge.call('enqueueSuggestedSessionRequest', { params: { sessionId }, body: { draft: 'slow please' } });
  if (queued.status !== 202) throw new Error(`enqueue answered ${queued.status}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`queue-child: ${String(error)}\n`);
  process.exit(1);
});
