// Benchmark: the bridge's event hot path, runtime line in → WebSocket frame out, against
// a raw baseline (the same lines split and sent as frames, nothing else) in the same run.
// Not a test: prints numbers for bench/RESULTS.md. Run: npm run bench:stream [-- clients=1]
// or, one line per event-loop turn as codex writes: npm run bench:stream -- mode=tick rounds=3
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { WebSocketServer } from 'ws';
import { JsonlMessageReader } from '../server/appserver/jsonl-transport.ts';
import { RuntimeRouter } from '../server/domain/runtime-router.ts';
import { TurnTracker } from '../server/domain/turn-tracker.ts';
import { EventLog } from '../server/state/event-log.ts';
import { PendingRegistry } from '../server/state/pending-registry.ts';
import { StreamServer } from '../server/transports/ws/stream-server.ts';

const THREAD = '01a200a8-7f6c-7372-a893-f5ef32cff506';
const TURN = '01a200a8-7f92-73f0-ba7c-04494fc632ec';

/** A realistic ~170-byte delta line, with the send time embedded for latency. */
function deltaLine(i: number): string {
  return `{"method":"item/agentMessage/delta","params":{"threadId":"${THREAD}","turnId":"${TURN}","itemId":"msg_resp_1_0","delta":"t${process.hrtime.bigint()} w${i} "}}`;
}

interface Pipeline { url: string; feed(text: string): void; close(): Promise<void> }

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/stream`;
}

/** The bridge's path: JSONL reader → router → event log → stream server → sockets. */
async function bridgePipeline(): Promise<Pipeline> {
  const events = new EventLog();
  const pending = new PendingRegistry();
  const tracker = new TurnTracker(() => undefined);
  const router = new RuntimeRouter(events, pending, tracker, () => 1);
  const stdout = new PassThrough();
  const reader = new JsonlMessageReader(stdout, {
    notification: (m, raw) => router.notification(m.method, m, raw),
    serverRequest: () => undefined,
    malformedLine: () => undefined,
  });
  reader.listen(() => undefined);
  const stream = new StreamServer(events, () => ({ id: THREAD, title: 'bench', projectId: null }));
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => stream.handleUpgrade(req, socket, head));
  return { url: await listen(server), feed: (text) => stdout.write(text), close: async () => { await stream.close(); server.close(); } };
}

/** The baseline: split lines and send each as a frame to every socket. */
async function rawPipeline(): Promise<Pipeline> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, () => undefined));
  let buffered = '';
  return {
    url: await listen(server),
    feed(text) {
      const lines = (buffered + text).split('\n');
      buffered = lines.pop()!;
      for (const line of lines) for (const ws of wss.clients) ws.send(line);
    },
    close: async () => { wss.close(); server.close(); },
  };
}

async function run(kind: 'bridge' | 'bridge-default' | 'raw', clients: number, events: number, ratePerSec: number | 'tick' | null) {
  const pipeline = kind === 'raw' ? await rawPipeline() : await bridgePipeline();
  // One family, so each runtime event is one frame (what a focused client asks for); or the
  // default subscription (every family: 2 frames per delta) as codex-manager clients get.
  const subscribe = kind === 'bridge' ? JSON.stringify({ type: 'subscribe', families: ['notification'], compact: true }) : '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ws-clients.ts', pipeline.url, String(clients), String(events), subscribe], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 20));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (ratePerSec === 'tick') {
    // As codex writes: one line per read, each in its own event-loop turn, back to back.
    for (let i = 0; i < events; i++) {
      pipeline.feed(deltaLine(i) + '\n');
      await new Promise((r) => setImmediate(r));
    }
  } else if (ratePerSec === null) {
    // As fast as possible, in runtime-sized chunks (~64 KiB reads from a pipe).
    let chunk = '';
    for (let i = 0; i < events; i++) {
      chunk += deltaLine(i) + '\n';
      if (chunk.length > 64 * 1024) { pipeline.feed(chunk); chunk = ''; await new Promise((r) => setImmediate(r)); }
    }
    pipeline.feed(chunk);
  } else {
    // Paced: one line per 1/rate s, in small batches every millisecond.
    const perMs = ratePerSec / 1000;
    let sent = 0;
    const start = Date.now();
    while (sent < events) {
      const due = Math.min(events, Math.floor((Date.now() - start + 1) * perMs));
      let chunk = '';
      for (; sent < due; sent++) chunk += deltaLine(sent) + '\n';
      if (chunk) pipeline.feed(chunk);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  await new Promise((r) => child.once('exit', r));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await pipeline.close();
  const result = JSON.parse(out.trim().split('\n').pop()!) as { p50: number; p99: number; bytesPerFrame: number };
  return { kind, clients, events, rate: ratePerSec ?? 'max', seconds, eventsPerSec: events / seconds, cpuUsPerEvent: (cpu.user + cpu.system) / events, ...result };
}

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const CLIENT_COUNTS = args.clients ? [Number(args.clients)] : [1, 100];
const rows = [];
if (args.mode === 'tick') {
  // One line per event-loop turn (codex's pattern), raw vs compact vs default subscription, repeated.
  for (let round = 0; round < Number(args.rounds ?? 3); round++) {
    for (const kind of ['raw', 'bridge', 'bridge-default'] as const) rows.push(await run(kind, 1, 20_000, 'tick'));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`one line per tick, 20,000 events, ${args.rounds ?? 3} rounds, medians; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| pipeline | throughput (ev/s) | process CPU µs/event | over raw | p50 ms | p99 ms | bytes/event |');
  console.log('|---|---|---|---|---|---|---|');
  const rawCpu = med(rows.filter((r) => r.kind === 'raw').map((r) => r.cpuUsPerEvent));
  for (const kind of ['raw', 'bridge', 'bridge-default'] as const) {
    const rs = rows.filter((r) => r.kind === kind);
    const cpu = med(rs.map((r) => r.cpuUsPerEvent));
    console.log(`| ${kind === 'bridge' ? 'bridge, one family + compact' : kind === 'bridge-default' ? 'bridge, default subscription' : 'raw'} | ${med(rs.map((r) => r.eventsPerSec)).toFixed(0)} | ${cpu.toFixed(2)} | ${(cpu - rawCpu).toFixed(2)} | ${med(rs.map((r) => r.p50)).toFixed(3)} | ${med(rs.map((r) => r.p99)).toFixed(3)} | ${med(rs.map((r) => r.bytesPerFrame)).toFixed(0)} |`);
  }
  process.exit(0);
}
for (const clients of CLIENT_COUNTS) {
  for (const kind of ['raw', 'bridge'] as const) {
    rows.push(await run(kind, clients, 20_000, 5_000));
    rows.push(await run(kind, clients, clients === 1 ? 200_000 : 20_000, null));
  }
}
const fmt = (n: number, d = 1) => n.toFixed(d);
console.log('| pipeline | clients | rate (ev/s) | events | throughput (ev/s) | CPU µs/event | p50 ms | p99 ms | bytes/frame |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.kind} | ${r.clients} | ${r.rate} | ${r.events} | ${fmt(r.eventsPerSec, 0)} | ${fmt(r.cpuUsPerEvent, 2)} | ${fmt(r.p50, 3)} | ${fmt(r.p99, 3)} | ${fmt(r.bytesPerFrame, 0)} |`);
for (const clients of CLIENT_COUNTS) {
  for (const rate of [5_000, 'max'] as const) {
    const raw = rows.find((r) => r.kind === 'raw' && r.clients === clients && r.rate === rate)!;
    const bridge = rows.find((r) => r.kind === 'bridge' && r.clients === clients && r.rate === rate)!;
    console.log(`${clients} client(s) at ${rate} ev/s: bridge overhead ${fmt(bridge.cpuUsPerEvent - raw.cpuUsPerEvent, 2)} µs CPU/event, p50 +${fmt(bridge.p50 - raw.p50, 3)} ms, p99 +${fmt(bridge.p99 - raw.p99, 3)} ms, throughput ×${fmt(bridge.eventsPerSec / raw.eventsPerSec, 2)}`);
  }
}
