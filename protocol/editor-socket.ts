import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { registryDir } from './discovery';

/**
 * The local socket every editor window uses to reach the one bridge of a data dir: a Unix
 * domain socket in a 0700 directory (a named pipe on Windows), derived from the data dir
 * so a window finds it with no discovery step. Before any JSON-RPC flows, the client
 * sends one `hello` line with the bridge's bearer token and its version; the bridge
 * answers one `welcome` (or `refused`) line. Then the socket carries LSP-framed JSON-RPC.
 */

export interface EditorHello {
  type: 'hello';
  token: string;
  /** The extension's version. */
  version: string;
  /** Ask an older, idle bridge to make way for this (newer) version. */
  replaceOlder?: boolean;
}

export interface EditorWelcome {
  type: 'welcome';
  version: string;
  pid: number;
  epoch: string;
  /** The bridge is older than the client but busy (a turn or job running): it stays for now. */
  outdated?: boolean;
}

export interface EditorRefused {
  type: 'refused';
  reason: 'unauthorized' | 'bad_hello' | 'replacing';
  message: string;
}

/** Longest handshake line either side accepts. */
export const HANDSHAKE_MAX_BYTES = 4096;

/** Unix socket paths are limited (~104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100;

export function editorSocketPath(dataDir: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\codex-manager-${os.userInfo().username}-${id}`;
  const preferred = path.join(registryDir(env), `editor-${id}.sock`);
  if (preferred.length <= MAX_SOCKET_PATH) return preferred;
  return path.join(os.tmpdir(), `codex-manager-${process.getuid?.() ?? 'user'}`, `editor-${id}.sock`);
}

/** Compares dotted versions numerically ("0.10.0" > "0.9.1"); pre-release tags are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('-')[0]!.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
