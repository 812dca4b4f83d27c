/**
 * A server-to-client WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, no mask), encoded
 * once per event and shared by every socket that gets it. Writing a tick's frames as one
 * buffer costs one syscall, where `ws.send` per frame costs two writes each (header and
 * payload) plus per-call bookkeeping: measured at ~20 µs per delta on a 20,000-delta turn.
 */
export function encodeTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, headerLength, 'utf8');
  return frame;
}
