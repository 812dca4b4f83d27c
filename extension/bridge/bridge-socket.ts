import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { editorSocketPath, HANDSHAKE_MAX_BYTES, type EditorHello, type EditorRefused, type EditorWelcome } from '../../protocol/editor-socket';

/**
 * Reaching the shared bridge of a data dir from an editor window, with no `vscode`
 * import (tests use it as a second window would): connect to the data dir's socket, say
 * hello with the token, and if no bridge runs, start one detached and connect to it.
 */

export interface SharedBridgeLaunch {
  /** dist/server.js */
  serverModule: string;
  dataDir: string;
  codexPath?: string;
  codexHome?: string;
  demo: 'auto' | 'on' | 'off';
  sessionCwd?: string;
  /** Background jobs on BullMQ with this Redis (`codexManager.redisUrl`). */
  redisUrl?: string;
  idleExitSeconds: number;
  /** The node to run it with; in VS Code, its own binary with ELECTRON_RUN_AS_NODE. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
}

export interface BridgeConnection {
  socket: net.Socket;
  welcome: EditorWelcome;
  /** Whether this call started the bridge process. */
  started: boolean;
}

export class BridgeRefusedError extends Error {
  constructor(readonly refusal: EditorRefused) {
    super(`the Codex Manager bridge refused the connection (${refusal.reason}): ${refusal.message}`);
    this.name = 'BridgeRefusedError';
  }
}

const CONNECT_TIMEOUT_MS = 30_000;
const MAX_SPAWNS = 5;

/**
 * Connects to the running bridge for `launch.dataDir`, or starts one and connects. An
 * older idle bridge makes way for a newer client (version handshake); an older busy one
 * is used as it is (`welcome.outdated`) until it is idle.
 */
export async function connectSharedBridge(launch: SharedBridgeLaunch, clientVersion: string, log: (line: string) => void = () => undefined): Promise<BridgeConnection> {
  const env = launch.env ?? process.env;
  const socketPath = editorSocketPath(launch.dataDir, env);
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  let started = false;
  /** The bridge process we started is starting (not exited): wait for its socket. */
  let starting = false;
  let spawns = 0;
  let replaceOlder = true;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let socket: net.Socket;
    try {
      socket = await openSocket(socketPath);
    } catch (error) {
      lastError = error;
      // Start one unless ours is still starting. One that exited at once usually lost the
      // data dir lock to a bridge another window started at the same moment (or one that
      // is still stopping): try again, a few times.
      if (!starting && spawns < MAX_SPAWNS) {
        log(`no bridge listens on ${socketPath}; starting one`);
        spawns++;
        starting = true;
        started = true;
        startDetached(launch, () => { starting = false; });
      }
      await sleep(100 * Math.max(1, spawns));
      continue;
    }
    let answer: EditorWelcome | EditorRefused;
    try {
      answer = await handshake(socket, { type: 'hello', token: readToken(launch.dataDir), version: clientVersion, replaceOlder });
    } catch (error) {
      // The bridge died while we connected (a reconnect right after it was killed lands in
      // the dying listener's backlog and is reset): look again; with no listener left, the
      // next attempt starts one.
      lastError = error;
      await sleep(100);
      continue;
    }
    if (answer.type === 'welcome') {
      if (answer.outdated) log(`the running bridge ${answer.version} is older than ${clientVersion} but busy; it is replaced once idle`);
      return { socket, welcome: answer, started };
    }
    if (answer.reason !== 'replacing') throw new BridgeRefusedError(answer);
    log(answer.message);
    // Once only: the bridge started next is the one this extension ships, whatever it says.
    replaceOlder = false;
    // The old one is going away: start ours once it has released the data dir.
    while (lockHeld(launch.dataDir) && Date.now() < deadline) await sleep(100);
  }
  throw new Error(`could not reach the Codex Manager bridge on ${socketPath} within ${CONNECT_TIMEOUT_MS / 1000} s: ${lastError instanceof Error ? lastError.message : String(lastError)}`
    + ` (see ${path.join(launch.dataDir, 'logs', 'bridge.log')})`);
}

/** Whether the data dir's lock file names a live process (the bridge that holds it). */
function lockHeld(dataDir: string): boolean {
  try {
    const { pid } = JSON.parse(fs.readFileSync(path.join(dataDir, 'bridge.lock'), 'utf8')) as { pid?: unknown };
    if (typeof pid !== 'number') return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The token file the bridge uses (recorded in its lock), else the default in the data dir. */
function readToken(dataDir: string): string {
  let tokenFile = path.join(dataDir, 'token');
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'bridge.lock'), 'utf8')) as { tokenFile?: unknown };
    if (typeof lock.tokenFile === 'string') tokenFile = lock.tokenFile;
  } catch {
    // no lock yet: the default
  }
  try {
    return fs.readFileSync(tokenFile, 'utf8').trim();
  } catch {
    return ''; // not created yet: the bridge refuses, and the next attempt reads it
  }
}

function startDetached(launch: SharedBridgeLaunch, exited: () => void): void {
  const logDir = path.join(launch.dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const out = fs.openSync(path.join(logDir, 'bridge.log'), 'a', 0o600);
  const args = [launch.serverModule, '--shared', '--data-dir', launch.dataDir, '--demo', launch.demo, '--idle-exit-seconds', String(launch.idleExitSeconds)];
  if (launch.codexPath) args.push('--codex-path', launch.codexPath);
  if (launch.codexHome) args.push('--codex-home', launch.codexHome);
  if (launch.sessionCwd) args.push('--session-cwd', launch.sessionCwd);
  if (launch.redisUrl) args.push('--redis', launch.redisUrl);
  // Detached, in its own process group, stdio to a log file: it outlives this window.
  const child = spawn(launch.execPath ?? process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...(launch.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  child.once('exit', exited);
  child.once('error', exited);
  child.unref();
  fs.closeSync(out);
}

function openSocket(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => { socket.off('error', reject); resolve(socket); });
    socket.once('error', reject);
  });
}

/** Sends the hello line and reads the answer line; bytes after it are left in the socket. */
function handshake(socket: net.Socket, hello: EditorHello): Promise<EditorWelcome | EditorRefused> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const fail = (error: Error) => { cleanup(); socket.destroy(); reject(error); };
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(0x0a);
      if (newline === -1) {
        if (buffered.length > HANDSHAKE_MAX_BYTES) fail(new Error('bridge handshake answer too long'));
        return;
      }
      cleanup();
      socket.pause();
      const rest = buffered.subarray(newline + 1);
      if (rest.length) socket.unshift(rest);
      try {
        resolve(JSON.parse(buffered.subarray(0, newline).toString('utf8')) as EditorWelcome | EditorRefused);
      } catch {
        socket.destroy();
        reject(new Error('bridge handshake answer is not JSON'));
      }
    };
    const onClose = () => fail(new Error('the bridge closed the connection during the handshake'));
    const cleanup = () => { socket.off('data', onData); socket.off('close', onClose); socket.off('error', fail); };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', fail);
    socket.write(JSON.stringify(hello) + '\n');
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
