import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { compareVersions, HANDSHAKE_MAX_BYTES, type EditorHello, type EditorRefused, type EditorWelcome } from '../../protocol/editor-socket';
import type { RunningBridge } from '../stack';
import { attachEditorClient } from '../transports/editor/editor-server';
import { tokenMatches } from '../transports/http/security';
import { BRIDGE_VERSION } from '../version';

export interface EditorSocketOptions {
  socketPath: string;
  token: string;
  /** Whether a turn, a pending request or a job is running (an upgrade waits for it). */
  busy(): boolean;
  /**
   * Stops this bridge: a newer client asked it (idle) to make way, or a window ran "Codex:
   * Stop Bridge". Undefined for a bridge that may not be stopped from a window (`serve`).
   */
  onStopRequested: ((why: string) => void) | undefined;
}

export interface EditorSocketServer {
  readonly socketPath: string;
  /** Editor clients connected right now. */
  readonly clients: number;
  close(): Promise<void>;
}

const HANDSHAKE_TIMEOUT_MS = 5000;

/**
 * Where editor windows connect to the shared bridge: every window is one client over its
 * own socket, after a token handshake (the same bearer token as HTTP, read from the
 * 0600 token file: only this user can). The socket lives in a 0700 directory and is
 * itself 0600; on Windows it is a named pipe.
 */
export async function listenEditorSocket(running: RunningBridge, opts: EditorSocketOptions): Promise<EditorSocketServer> {
  let clients = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handshake(socket, opts, running, () => {
      clients++;
      return () => { clients--; };
    });
  });
  await prepareSocketPath(opts.socketPath);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.socketPath, () => { server.off('error', reject); resolve(); });
  });
  if (process.platform !== 'win32') fs.chmodSync(opts.socketPath, 0o600);
  return {
    socketPath: opts.socketPath,
    get clients() { return clients; },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

function handshake(socket: net.Socket, opts: EditorSocketOptions, running: RunningBridge, opened: () => () => void): void {
  let buffered = Buffer.alloc(0);
  const timer = setTimeout(() => refuse('bad_hello', 'no hello within 5 s'), HANDSHAKE_TIMEOUT_MS);
  const refuse = (reason: EditorRefused['reason'], message: string): void => {
    clearTimeout(timer);
    socket.off('data', onData);
    const line: EditorRefused = { type: 'refused', reason, message };
    socket.end(JSON.stringify(line) + '\n');
  };
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    const newline = buffered.indexOf(0x0a);
    if (newline === -1) {
      if (buffered.length > HANDSHAKE_MAX_BYTES) refuse('bad_hello', 'hello line too long');
      return;
    }
    clearTimeout(timer);
    socket.off('data', onData);
    socket.pause();
    let hello: Partial<EditorHello>;
    try {
      hello = JSON.parse(buffered.subarray(0, newline).toString('utf8')) as Partial<EditorHello>;
    } catch {
      refuse('bad_hello', 'the hello line is not JSON');
      return;
    }
    if (hello.type !== 'hello' || typeof hello.version !== 'string') return refuse('bad_hello', 'expected {"type":"hello","token":…,"version":…}');
    if (typeof hello.token !== 'string' || !tokenMatches(hello.token, opts.token)) return refuse('unauthorized', 'wrong token (read it from the bridge token file)');
    const older = compareVersions(BRIDGE_VERSION, hello.version) < 0;
    if (older && hello.replaceOlder && opts.onStopRequested && !opts.busy()) {
      refuse('replacing', `bridge ${BRIDGE_VERSION} is older than ${hello.version} and idle: it stops so the newer one can start`);
      opts.onStopRequested(`replaced by version ${hello.version}`);
      return;
    }
    const welcome: EditorWelcome = { type: 'welcome', version: BRIDGE_VERSION, pid: process.pid, epoch: running.bridge.events.epoch, ...(older ? { outdated: true } : {}) };
    socket.write(JSON.stringify(welcome) + '\n');
    const rest = buffered.subarray(newline + 1);
    if (rest.length) socket.unshift(rest);
    const closed = opened();
    attachEditorClient(running, socket, closed, opts.onStopRequested);
    socket.resume();
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

/** The socket's 0700 directory exists; a socket file left by a dead bridge is removed. */
async function prepareSocketPath(socketPath: string): Promise<void> {
  if (process.platform === 'win32') return;
  const dir = path.dirname(socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (!fs.existsSync(socketPath)) return;
  // The data dir lock is ours, so no live bridge of this data dir listens here: a leftover.
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => { probe.destroy(); resolve(true); });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`another process listens on ${socketPath}`);
  fs.rmSync(socketPath, { force: true });
}
