// Child process of the stream benchmark: opens N WebSocket clients to a URL, counts the
// delta frames each receives and, from the monotonic timestamp embedded in each delta,
// the latency from "line handed to the bridge" to "frame received". Monotonic clocks
// (process.hrtime) are shared by all processes of one Linux machine.
import WebSocket from 'ws';

const [url, clientsArg, expectedArg, subscribe] = process.argv.slice(2);
const clients = Number(clientsArg);
const expected = Number(expectedArg);
const latencies: number[] = [];
let done = 0;
let bytes = 0;
const marker = /"delta":"t(\d+) /;

for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(url!, { perMessageDeflate: false });
  let count = 0;
  ws.on('open', () => {
    if (subscribe) ws.send(subscribe);
    if (i === clients - 1) setTimeout(() => process.stdout.write('ready\n'), 200);
  });
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    // On the default subscription an event also comes as its app_server signal: count each event once.
    if (text.startsWith('{"type":"app_server')) { if (i === 0) bytes += data.length; return; }
    const m = marker.exec(text);
    if (!m) return;
    count++;
    if (i === 0) {
      bytes += data.length;
      latencies.push(Number(process.hrtime.bigint() - BigInt(m[1]!)) / 1e6);
    }
    if (count === expected) {
      done++;
      ws.close();
      if (done === clients) {
        latencies.sort((a, b) => a - b);
        const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
        process.stdout.write(JSON.stringify({ received: expected, clients, p50: q(0.5), p99: q(0.99), max: latencies.at(-1), bytesPerFrame: bytes / expected }) + '\n');
        process.exit(0);
      }
    }
  });
}
