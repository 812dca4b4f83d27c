// Benchmark: the cost of a checkpoint for a turn that touches 200 files, through the real
// runtime. Same run, as baselines: a bare read of the same 200 files, and the runtime's own
// time to apply the patch (item/started → item/completed of the fileChange item).
// Not a test. Run: npm run bench:checkpoints [-- files=200 rounds=3 lines=100]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bridge } from '../server/bridge.ts';
import type { LoggedEvent } from '../server/state/event-log.ts';
import { startFakeModel, writeCodexHome } from '../test/fake-model/index.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const FILES = Number(args.files ?? 200);
const ROUNDS = Number(args.rounds ?? 3);
const LINES = Number(args.lines ?? 100);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-cp-bench-'));
const workspace = path.join(root, 'workspace');
fs.mkdirSync(workspace, { recursive: true });
const fake = await startFakeModel();
writeCodexHome(path.join(root, 'codex-home'), fake.baseUrl);
const bridge = await Bridge.start({
  dataDir: path.join(root, 'data'), codexHome: path.join(root, 'codex-home'), runtimeEnv: { OPENAI_API_KEY: 'x' },
  sessionDefaults: { cwd: workspace, filesystemSandbox: 'workspace-write', approvalPolicy: 'never' },
});

// Time the recorder's synchronous part (the read that must beat the runtime's write).
const recorder = bridge.checkpointRecorder;
const observe = recorder.observe.bind(recorder);
let syncMs = 0;
recorder.observe = (event: LoggedEvent) => {
  const t0 = performance.now();
  observe(event);
  const ms = performance.now() - t0;
  if (ms > 0.05) syncMs += ms;
};

const name = (i: number) => `f${String(i).padStart(3, '0')}.txt`;
const rows: string[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (let i = 0; i < FILES; i++) {
    fs.writeFileSync(path.join(workspace, name(i)), Array.from({ length: LINES }, (_, l) => `round ${round} file ${i} line ${l} ${'x'.repeat(30)}`).join('\n') + '\n');
  }
  const t0read = performance.now();
  let bytes = 0;
  for (let i = 0; i < FILES; i++) bytes += fs.readFileSync(path.join(workspace, name(i))).length;
  const bareReadMs = performance.now() - t0read;

  const created = await bridge.call('createSession', { body: {} });
  const sessionId = (created.body as { session: { sessionId: string } }).session.sessionId;
  const patch = Array.from({ length: FILES }, (_, i) => `*** Update File: ${name(i)}\n@@\n-round ${round} file ${i} line 5 ${'x'.repeat(30)}\n+changed ${i}`).join('\n');
  syncMs = 0;
  const marks: Record<string, number> = {};
  const unsubscribe = bridge.events.subscribe((e) => {
    const method = e.type === 'notification' ? (e.payload as { method: string; params: { item?: { type?: string } } }) : undefined;
    if (method?.params.item?.type === 'fileChange') marks[method.method] ??= performance.now();
    if (e.type === 'checkpoint_created') marks.created = performance.now();
    if (method?.method === 'turn/completed') marks.done = performance.now();
  });
  const t0 = performance.now();
  const sent = await bridge.call('sendSessionMessage', { params: { sessionId }, body: { text: `apply patch:\n${patch}` } });
  const turnId = (sent.body as { turnId: string }).turnId;
  while (marks.done === undefined) await new Promise((r) => setTimeout(r, 5));
  await recorder.idle();
  const durableMs = (marks.created ?? NaN) - (marks['item/started'] ?? NaN);
  const applyMs = (marks['item/completed'] ?? NaN) - (marks['item/started'] ?? NaN);
  const turnMs = marks.done - t0;
  unsubscribe();
  const t0restore = performance.now();
  const restored = await bridge.call('restoreSessionCheckpoint', { params: { sessionId, turnId }, body: {} });
  const restoreMs = performance.now() - t0restore;
  if (restored.status !== 200) throw new Error(JSON.stringify(restored.body).slice(0, 300));
  rows.push(`| ${round} | ${FILES} | ${(bytes / 1024).toFixed(0)} KiB | ${bareReadMs.toFixed(1)} | ${syncMs.toFixed(1)} | ${(syncMs / bareReadMs).toFixed(2)} | ${durableMs.toFixed(1)} | ${applyMs.toFixed(1)} | ${turnMs.toFixed(0)} | ${restoreMs.toFixed(1)} |`);
}
console.log('| round | files | bytes | bare read ms | snapshot sync ms | sync / bare read | snapshot durable ms | runtime apply ms | turn ms | restore ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
const blobs = path.join(root, 'data', 'checkpoints', 'blobs');
console.log(`blob store: ${fs.readdirSync(blobs).reduce((n, shard) => n + fs.readdirSync(path.join(blobs, shard)).length, 0)} blobs`);
await bridge.stop();
await fake.close();
fs.rmSync(root, { recursive: true, force: true });
