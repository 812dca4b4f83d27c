// Benchmark: one turn streaming N deltas through the bridge (codex-manager serve + a
// WebSocket client) against the bare runtime (a minimal JSONL client on codex
// app-server's stdio), same machine, same run, same scripted model. Two bridge clients
// take turns: the default subscription (every family, as codex-manager clients subscribe)
// and one family with compact frames. Reports turn time ratio, bridge CPU per delta and
// bytes per delta (every frame a delta produces, WebSocket header excluded as the
// runtime's newline is included).
// Not a test. Run: npm run bench:turn [-- deltas=20000 runs=3 prof=<dir>]
// prof=<dir> starts the bridge under `node --cpu-prof` and leaves the profile there.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startFakeModel, writeCodexHome } from '../test/fake-model/index.ts';
import { resolveCodexBinary } from '../server/appserver/codex-binary.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const DELTAS = Number(args.deltas ?? 20_000);
const RUNS = Number(args.runs ?? 3);
const PROMPT = `stream ${DELTAS} words`;
const clockTicks = 100; // USER_HZ on Linux

function cpuMsOf(pid: number): number {
  const { user, sys } = cpuSplitOf(pid);
  return user + sys;
}

/** User and kernel CPU ms of a process (all its threads), from /proc. */
function cpuSplitOf(pid: number): { user: number; sys: number } {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: (Number(fields[11]) * 1000) / clockTicks, sys: (Number(fields[12]) * 1000) / clockTicks };
}

async function bare(codexHome: string, cwd: string): Promise<{ ms: number; bytesPerDelta: number; deltas: number }> {
  const child = spawn(resolveCodexBinary(), ['app-server'], { env: { ...process.env, CODEX_HOME: codexHome, OPENAI_API_KEY: 'bench' }, cwd, stdio: ['pipe', 'pipe', 'ignore'] });
  let buffered = '';
  const waiters: { pred: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let deltaBytes = 0;
  let deltas = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line.includes('"item/agentMessage/delta"')) { deltas++; deltaBytes += Buffer.byteLength(line) + 1; }
      for (const w of waiters.splice(0)) {
        if (w.pred(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  const send = (msg: object) => child.stdin.write(JSON.stringify(msg) + '\n');
  const next = (pred: (line: string) => boolean) => new Promise<string>((resolve) => waiters.push({ pred, resolve }));
  send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'bench', title: null, version: '0' }, capabilities: { experimentalApi: true } } });
  await next((l) => l.startsWith('{"id":1'));
  send({ method: 'initialized' });
  send({ id: 2, method: 'thread/start', params: { cwd } });
  const threadId = JSON.parse(await next((l) => l.startsWith('{"id":2'))).result.thread.id as string;
  const t0 = performance.now();
  send({ id: 3, method: 'turn/start', params: { threadId, input: [{ type: 'text', text: PROMPT, text_elements: [] }] } });
  await next((l) => l.includes('"turn/completed"'));
  const ms = performance.now() - t0;
  child.kill();
  return { ms, bytesPerDelta: deltaBytes / deltas, deltas };
}

async function startServe(codexHome: string, root: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  const prof = args.prof ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(args.prof)] : [];
  const child = spawn(process.execPath, [...prof, 'dist/cli.js', 'serve', '--codex-home', codexHome, '--data-dir', path.join(root, 'data'), '--port', '0'], {
    env: { ...process.env, OPENAI_API_KEY: 'bench', XDG_RUNTIME_DIR: path.join(root, 'run') }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  while (!/listening\s+(\S+)\/api/.test(out)) await new Promise((r) => setTimeout(r, 20));
  return { child, url: out.match(/listening\s+(\S+)\/api/)![1]!, token: fs.readFileSync(path.join(root, 'data', 'token'), 'utf8').trim() };
}

async function viaBridge(serveInfo: { child: ChildProcess; url: string; token: string }, cwd: string, query: string): Promise<{ ms: number; bytesPerDelta: number; deltas: number; cpuUsPerDelta: number; sysUsPerDelta: number }> {
  const headers = { authorization: `Bearer ${serveInfo.token}`, 'content-type': 'application/json' };
  const created = await (await fetch(`${serveInfo.url}/api/sessions`, { method: 'POST', headers, body: JSON.stringify({ cwd }) })).json() as { session: { sessionId: string } };
  const sessionId = created.session.sessionId;
  const ws = new WebSocket(`${serveInfo.url.replace('http', 'ws')}/api/stream?threadId=${sessionId}${query}`, { headers, perMessageDeflate: false });
  await new Promise((r) => ws.once('open', r));
  let deltaBytes = 0;
  let deltas = 0;
  const done = new Promise<void>((resolve) => ws.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text.includes('"item/agentMessage/delta"')) {
      deltaBytes += data.length;
      if (text.startsWith('{"type":"notification"')) deltas++;
    } else if (text.startsWith('{"type":"notification"') && text.includes('"turn/completed"')) resolve();
  }));
  const cpu0 = cpuMsOf(serveInfo.child.pid!);
  const split0 = cpuSplitOf(serveInfo.child.pid!);
  const t0 = performance.now();
  await fetch(`${serveInfo.url}/api/sessions/${sessionId}/messages`, { method: 'POST', headers, body: JSON.stringify({ text: PROMPT }) });
  await done;
  const ms = performance.now() - t0;
  const cpuMs = cpuMsOf(serveInfo.child.pid!) - cpu0;
  const split1 = cpuSplitOf(serveInfo.child.pid!);
  ws.close();
  return { ms, bytesPerDelta: deltaBytes / deltas, deltas, cpuUsPerDelta: (cpuMs * 1000) / deltas, sysUsPerDelta: ((split1.sys - split0.sys) * 1000) / deltas };
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-turn-bench-'));
const cwd = path.join(root, 'ws');
fs.mkdirSync(cwd);
const fake = await startFakeModel({ label: 'bench' });
const codexHome = path.join(root, 'codex-home');
writeCodexHome(codexHome, fake.baseUrl);
const serveInfo = await startServe(codexHome, root);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bareRuns: Awaited<ReturnType<typeof bare>>[] = [];
const QUERIES = { default: '', compact: '&families=notification&compact=1' };
const bridgeRuns: Record<keyof typeof QUERIES, Awaited<ReturnType<typeof viaBridge>>[]> = { default: [], compact: [] };
try {
  await bare(codexHome, cwd); // warm-up: first codex start pays disk caches
  for (let i = 0; i < RUNS; i++) {
    bareRuns.push(await bare(codexHome, cwd));
    bridgeRuns.default.push(await viaBridge(serveInfo, cwd, QUERIES.default));
    bridgeRuns.compact.push(await viaBridge(serveInfo, cwd, QUERIES.compact));
  }
} finally {
  serveInfo.child.kill('SIGTERM');
  await fake.close();
}
const b = { ms: median(bareRuns.map((r) => r.ms)), bytes: median(bareRuns.map((r) => r.bytesPerDelta)) };
const summary = (runs: Awaited<ReturnType<typeof viaBridge>>[]) => ({ ms: median(runs.map((r) => r.ms)), bytes: median(runs.map((r) => r.bytesPerDelta)), cpu: median(runs.map((r) => r.cpuUsPerDelta)), sys: median(runs.map((r) => r.sysUsPerDelta)), deltas: runs[0]!.deltas });
const rows = { default: summary(bridgeRuns.default), compact: summary(bridgeRuns.compact) };
const labels = { default: 'through the bridge (WS, default subscription)', compact: 'through the bridge (WS, one family, compact)' };
console.log(`deltas per turn: ${DELTAS} (bare saw ${bareRuns[0]!.deltas}, default client saw ${rows.default.deltas}, compact client saw ${rows.compact.deltas}); runs: ${RUNS}, medians; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| path | turn time ms | bytes/delta on the wire | bridge CPU µs/delta (of which kernel) | turn time ratio | bytes ratio |');
console.log('|---|---|---|---|---|---|');
console.log(`| bare runtime (stdio JSONL) | ${b.ms.toFixed(0)} | ${b.bytes.toFixed(0)} | - | 1 | 1 |`);
for (const key of ['default', 'compact'] as const) {
  const g = rows[key];
  console.log(`| ${labels[key]} | ${g.ms.toFixed(0)} | ${g.bytes.toFixed(0)} | ${g.cpu.toFixed(1)} (${g.sys.toFixed(1)}) | ×${(g.ms / b.ms).toFixed(3)} | ×${(g.bytes / b.bytes).toFixed(2)} |`);
}
fs.rmSync(root, { recursive: true, force: true });
