import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { encodeTextFrame } from '../../server/transports/ws/text-frame';

describe('encodeTextFrame', () => {
  it('encodes short, 16-bit and 64-bit lengths that a real WebSocket client decodes', async () => {
    const texts = ['hi', 'é'.repeat(100), 'x'.repeat(70_000), JSON.stringify({ delta: 'ünïcode ✓' })];
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (_ws, req) => {
      req.socket.write(Buffer.concat(texts.map(encodeTextFrame)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: string[] = [];
    await new Promise<void>((resolve) => client.on('message', (data) => { received.push(data.toString()); if (received.length === texts.length) resolve(); }));
    client.close();
    wss.close();
    server.close();
    assert.deepEqual(received, texts);
  });
});
