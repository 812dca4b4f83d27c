// Row: the 401/403 matrix. Every combination of token, Host and Origin variants, over
// HTTP and the WebSocket upgrade, must get exactly the expected status (200/101 only
// with the right token, a loopback Host and no or a loopback Origin).
import http from 'node:http';
import { startApi, TEST_TOKEN } from '../../test/integration/support/api-client.ts';
import { startTestBridge } from '../../test/integration/support/harness.ts';
import { row, type Row } from './common.mts';

const TOKENS: [string, string | undefined, boolean][] = [
  ['right token', `Bearer ${TEST_TOKEN}`, true],
  ['lowercase scheme', `bearer ${TEST_TOKEN}`, true],
  ['no header', undefined, false],
  ['empty bearer', 'Bearer ', false],
  ['wrong token', 'Bearer wrong', false],
  ['token prefix', `Bearer ${TEST_TOKEN.slice(0, -1)}`, false],
  ['token + suffix', `Bearer ${TEST_TOKEN}x`, false],
  ['basic scheme', `Basic ${Buffer.from(`user:${TEST_TOKEN}`).toString('base64')}`, false],
  ['token without scheme', TEST_TOKEN, false],
  ['two tokens', `Bearer wrong Bearer ${TEST_TOKEN}`, false],
];
const HOSTS: [string, (port: number) => string | undefined, boolean][] = [
  ['127.0.0.1:port', (p) => `127.0.0.1:${p}`, true],
  ['localhost:port', (p) => `localhost:${p}`, true],
  ['[::1]:port', (p) => `[::1]:${p}`, true],
  ['127.1.2.3', () => '127.1.2.3', true],
  ['evil.example', () => 'evil.example', false],
  ['localhost.evil.example', () => 'localhost.evil.example', false],
  ['127.0.0.1.nip.io', () => '127.0.0.1.nip.io', false],
  ['empty Host', () => '', false],
];
const ORIGINS: [string, string | undefined, boolean][] = [
  ['no Origin', undefined, true],
  ['http://localhost', 'http://localhost:3000', true],
  ['http://127.0.0.1', 'http://127.0.0.1:9', true],
  ['https://evil.example', 'https://evil.example', false],
  ['null', 'null', false],
  ['file://', 'file://', false],
  ['vscode-webview://x', 'vscode-webview://abc', false],
];

function send(port: number, headers: Record<string, string>, upgrade: boolean): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1', port, path: upgrade ? '/api/stream' : '/api/health', setHost: false,
      headers: upgrade ? { ...headers, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } : headers,
    });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 101); });
    req.on('error', () => resolve(-1));
    req.end();
  });
}

export async function authMatrix(): Promise<Row> {
  const r = row('401/403 matrix (token × Host × Origin, HTTP and WS upgrade)', 'latency per request');
  const t = await startTestBridge({ validateReplies: false, onReply: () => undefined });
  const api = await startApi(t);
  const port = Number(new URL(api.url).port);
  try {
    for (const upgrade of [false, true]) {
      for (const [tName, auth, tOk] of TOKENS) {
        for (const [hName, host, hOk] of HOSTS) {
          for (const [oName, origin, oOk] of ORIGINS) {
            const headers: Record<string, string> = {};
            const h = host(port);
            if (h !== undefined) headers.Host = h;
            if (auth !== undefined) headers.Authorization = auth;
            if (origin !== undefined) headers.Origin = origin;
            // Host and Origin are checked before the token: a foreign page never learns whether a token is right.
            const expected = !hOk || !oOk ? 403 : !tOk ? 401 : upgrade ? 101 : 200;
            r.count++;
            const t0 = performance.now();
            const got = await send(port, headers, upgrade);
            r.samples.push(performance.now() - t0);
            if (got !== expected) {
              r.failures++;
              if (r.notes.length < 10) r.notes.push(`${upgrade ? 'WS' : 'HTTP'} ${tName} / ${hName} / ${oName}: ${got}, expected ${expected}`);
            }
          }
        }
      }
    }
  } finally {
    await api.close();
    await t.stop().catch(() => undefined);
  }
  r.notes.push(`${TOKENS.length} token × ${HOSTS.length} Host × ${ORIGINS.length} Origin variants, over HTTP and the WebSocket upgrade`);
  return r;
}
