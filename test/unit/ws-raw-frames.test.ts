import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { encodeTextFrame } from '../../server/transports/ws/text-frame';

/**
 * The stream server writes pre-encoded frames to the upgraded socket itself, beside ws's own
 * sends (server/transports/ws/stream-server.ts, `flush`). That is safe only while ws, without
 * compression, writes every frame to the socket synchronously inside `send`/`close`, and
 * counts the socket's unsent bytes in `bufferedAmount`. These tests pin both: if a `ws`
 * upgrade changes either, they fail and the stream server must change with it.
 */
describe('ws behaviour the stream server relies on', () => {
  let server: http.Server;
  let wss: WebSocketServer;
  let upgraded: Promise<{ ws: WebSocket; socket: Duplex }>;

  beforeEach(async () => {
    server = http.createServer();
    wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    upgraded = new Promise((resolve) => {
      server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, socket })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const url = () => `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;

  it('send and close hand their frames to the socket before returning', async () => {
    const client = new WebSocket(url(), { perMessageDeflate: false });
    const { ws, socket } = await upgraded;
    await new Promise((r) => client.once('open', r));
    const written: Buffer[] = [];
    const original = socket.write.bind(socket) as (chunk: Buffer) => boolean;
    (socket as unknown as { write(chunk: Buffer): boolean }).write = (chunk: Buffer) => { written.push(Buffer.from(chunk)); return original(chunk); };
    ws.send('{"type":"pong"}');
    assert.ok(written.length > 0, 'ws.send wrote to the socket synchronously');
    const afterSend = Buffer.concat(written).toString();
    assert.ok(afterSend.endsWith('{"type":"pong"}'), 'the whole frame, not part of it');
    written.length = 0;
    ws.close(1000, 'bye');
    assert.ok(written.length > 0, 'ws.close wrote the close frame synchronously');
    client.terminate();
  });

  it('our frames and ws frames on the same socket arrive in write order, and bufferedAmount counts ours', async () => {
    const client = new WebSocket(url(), { perMessageDeflate: false });
    const received: string[] = [];
    const done = new Promise<void>((resolve) => client.on('message', (data) => { received.push(data.toString()); if (received.length === 4) resolve(); }));
    const { ws, socket } = await upgraded;
    ws.send('a');
    socket.write(Buffer.concat([encodeTextFrame('b'), encodeTextFrame('c')]));
    ws.send('d');
    await done;
    assert.deepEqual(received, ['a', 'b', 'c', 'd']);

    // Fill the socket until the kernel stops taking bytes: ws must report them as buffered.
    client.pause();
    const big = encodeTextFrame('x'.repeat(60_000));
    for (let i = 0; i < 400 && socket.writableLength === 0; i++) socket.write(big);
    for (let i = 0; i < 10; i++) socket.write(big);
    assert.ok(socket.writableLength > 0, 'the socket holds unsent bytes');
    assert.ok(ws.bufferedAmount >= socket.writableLength, 'ws.bufferedAmount counts what we wrote to the socket');
    client.terminate();
  });
});
