// Benchmark: the bridge under many sessions and many clients, on its real in-process path
// (JSONL reader → router → event log → stream server → sockets), same harness as
// bench/stream-bench.mts.
//  1. memory: 200 sessions, 1,000,000 runtime events logged; heap after GC as the log fills
//     and after it wraps: bounded by the ring (count and bytes), not by the events seen;
//  2. fan-out: 20 sessions streaming together to 100 WebSocket clients (5 per session,
//     default subscription), clients in a child process: loss, order, p50/p99 latency,
//     per-session p99 spread and progress fairness.
// Not a test. Run: npm run bench:load [-- events=1000000 rate=5000]
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { PassThrough } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { JsonlMessageReader } from '../server/appserver/jsonl-transport.ts';
import { RuntimeRouter } from '../server/domain/runtime-router.ts';
import { TurnTracker } from '../server/domain/turn-tracker.ts';
import { EventLog, type EventLogOptions } from '../server/state/event-log.ts';
import { PendingRegistry } from '../server/state/pending-registry.ts';
import { StreamServer } from '../server/transports/ws/stream-server.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const EVENTS = Number(args.events ?? 1_000_000);
const RATE = Number(args.rate ?? 5000);
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const TURN = '01a200a8-7f92-73f0-ba7c-04494fc632ec';
function deltaLine(session: number, i: number): string {
  return `{"method":"item/agentMessage/delta","params":{"threadId":"s${session}","turnId":"${TURN}","itemId":"msg_resp_1_0","delta":"t${process.hrtime.bigint()} s${session} w${i} "},"emittedAtMs":${Date.now()}}`;
}

function pipeline(log?: EventLogOptions) {
  const events = new EventLog(log);
  const router = new RuntimeRouter(events, new PendingRegistry(), new TurnTracker(() => undefined), () => 1);
  const stdout = new PassThrough();
  new JsonlMessageReader(stdout, {
    notification: (m, raw) => router.notification(m.method, m, raw),
    serverRequest: () => undefined,
    malformedLine: () => undefined,
  }).listen(() => undefined);
  return { events, stdout };
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1);

async function memory(): Promise<void> {
  const { events, stdout } = pipeline();
  gc();
  const base = process.memoryUsage();
  console.log(`### memory: 200 sessions, ${EVENTS.toLocaleString('en')} runtime delta events through the reader, router and event log (ring: 50,000 events / 64 MiB)`);
  console.log('| events logged | held in the ring | ring bytes | heap used after GC | over the empty bridge | RSS |');
  console.log('|---|---|---|---|---|---|');
  const checkpoints = new Set([10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, EVENTS]);
  let chunk = '';
  for (let i = 1; i <= EVENTS; i++) {
    chunk += deltaLine(i % 200, i) + '\n';
    if (chunk.length > 64 * 1024 || checkpoints.has(i)) {
      stdout.write(chunk);
      chunk = '';
      await new Promise((r) => setImmediate(r));
    }
    if (checkpoints.has(i)) {
      gc();
      const m = process.memoryUsage();
      console.log(`| ${i.toLocaleString('en')} | ${events.size.events.toLocaleString('en')} | ${mib(events.size.bytes)} MiB | ${mib(m.heapUsed)} MiB | ${mib(m.heapUsed - base.heapUsed)} MiB | ${mib(m.rss)} MiB |`);
    }
  }
}

async function fanOut(): Promise<void> {
  const sessions = 20;
  const clients = 100;
  const perSession = Math.round((RATE / sessions) * 4); // four seconds of streaming
  const { events, stdout } = pipeline();
  const stream = new StreamServer(events, (id) => ({ id, title: `session ${id}`, projectId: null }));
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => stream.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/stream`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load-clients.ts', url, String(clients), String(sessions), String(perSession)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 20));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Paced: every millisecond, the lines due, the sessions interleaved.
  const total = perSession * sessions;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - t0 + 1) * (RATE / 1000)));
    let chunk = '';
    for (; sent < due; sent++) chunk += deltaLine(sent % sessions, Math.floor(sent / sessions)) + '\n';
    if (chunk) stdout.write(chunk);
    await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => child.once('exit', r));
  const cpu = process.cpuUsage(cpu0);
  const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  await stream.close();
  server.close();
  console.log(`### fan-out: ${sessions} sessions streaming together at ${RATE} events/s in total (${perSession} deltas each) to ${clients} WebSocket clients (${clients / sessions} per session, default subscription: 2 frames per delta)`);
  console.log('| received / expected | out of order | p50 ms | p99 ms | max ms | per-session p99 min–max ms | slowest client when the first finished | bridge CPU µs/event |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| ${result.received} / ${clients * perSession} | ${result.outOfOrder} | ${result.p50!.toFixed(3)} | ${result.p99!.toFixed(3)} | ${result.max!.toFixed(1)} | ${result.sessionP99Min!.toFixed(2)}–${result.sessionP99Max!.toFixed(2)} | ${(result.slowestShareWhenFirstDone! * 100).toFixed(1)} % | ${((cpu.user + cpu.system) / total).toFixed(1)} |`);
}

console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${os.cpus().length} CPUs`);
await memory();
await fanOut();
