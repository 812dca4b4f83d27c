// Child process of the load benchmark: N WebSocket clients, client i following session
// i % sessions (default subscription: every family). Counts each client's delta events (the
// raw `notification` frame of each) per session, checks every one arrived in order, and
// measures latency from the monotonic timestamp in each line (shared by processes on Linux).
import WebSocket from 'ws';

const [url, clientsArg, sessionsArg, perSessionArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const sessions = Number(sessionsArg);
const perSession = Number(perSessionArg);
const marker = /"delta":"t(\d+) s(\d+) w(\d+) "/;
const latencies: number[][] = Array.from({ length: sessions }, () => []);
/** For fairness: how far each session's clients had got when the first client finished. */
const progress: number[] = new Array(clients).fill(0);
let done = 0;
let outOfOrder = 0;
let firstDoneAt: number[] | null = null;

for (let i = 0; i < clients; i++) {
  const session = i % sessions;
  const ws = new WebSocket(`${url}?threadId=s${session}`, { perMessageDeflate: false });
  let next = 0;
  ws.on('open', () => {
    if (i === clients - 1) setTimeout(() => process.stdout.write('ready\n'), 300);
  });
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    if (!text.startsWith('{"type":"notification"')) return; // one frame per event counted
    const m = marker.exec(text);
    if (!m) return;
    if (Number(m[3]) !== next) outOfOrder++;
    next = Number(m[3]) + 1;
    progress[i] = next;
    if (i < sessions * 2) latencies[session]!.push(Number(process.hrtime.bigint() - BigInt(m[1]!)) / 1e6);
    if (next === perSession) {
      firstDoneAt ??= [...progress];
      done++;
      ws.close();
      if (done === clients) report();
    }
  });
}

// A client that never gets everything is loss: report what arrived instead of hanging.
setTimeout(() => report(), 120_000).unref();

function report(): void {
  const all = latencies.flat().sort((a, b) => a - b);
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  const perSessionP99 = latencies.map((xs) => q([...xs].sort((a, b) => a - b), 0.99));
  const atFirst = firstDoneAt ?? progress;
  process.stdout.write(JSON.stringify({
    clients, sessions, perSession, received: progress.reduce((a, b) => a + b, 0), outOfOrder,
    p50: q(all, 0.5), p99: q(all, 0.99), max: all.at(-1),
    sessionP99Min: Math.min(...perSessionP99), sessionP99Max: Math.max(...perSessionP99),
    // When the first client had everything, the slowest client's share: 1.0 is perfectly even.
    slowestShareWhenFirstDone: Math.min(...atFirst) / perSession,
  }) + '\n');
  process.exit(0);
}
