import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeModel, writeCodexHome, type FakeModel } from '../test/fake-model';
import { Bridge } from './bridge';
import { extensionOptionsFromEnv } from './extensions/service';
import { publishDiscovery } from './discovery';
import { editorSocketPath } from '../protocol/editor-socket';
import { acquireDataDirLock, type DataDirLock } from './lifecycle/data-dir-lock';
import { listenEditorSocket, type EditorSocketServer } from './lifecycle/editor-socket-server';
import { startApiServer } from './transports/api-server';
import { loadOrCreateToken } from './transports/http/security';
import { BRIDGE_VERSION } from './version';

export interface StackOptions {
  /** How the bridge was started, recorded in the discovery file. */
  mode: 'serve' | 'editor';
  host: string;
  port: number;
  dataDir: string;
  codexPath?: string;
  codexHome?: string;
  tokenFile?: string;
  /** `auto`: the offline demo model only when no OpenAI credentials are found. */
  demo: 'auto' | 'on' | 'off';
  allowedHosts: string[];
  allowedOrigins: string[];
  /** Defaults for new sessions (the editor passes its workspace folder as cwd). */
  sessionCwd?: string;
  /** See BridgeOptions.lockDefaults. */
  lockDefaults?: string | null;
  /**
   * Serve editor windows on the data dir's local socket (default: yes). `replaceable`:
   * the editor-started shared bridge, which a newer extension may replace when idle and a
   * window may stop ("Codex: Stop Bridge"); never a `serve` someone started by hand.
   * `onStopRequested` stops it.
   */
  editorSocket?: { replaceable: boolean; onStopRequested?: (why: string) => void } | false;
  /** Each line of the runtime's stderr, redacted (the editor shows them in its Output channel). */
  runtimeStderr?: (line: string) => void;
  /** Background jobs on BullMQ with this Redis, shared with every bridge using it (default: the embedded queue). */
  redisUrl?: string;
}

export interface RunningBridge {
  url: string;
  tokenFile: string;
  dataDir: string;
  bridge: Bridge;
  demo: boolean;
  /** The editor socket, when this bridge serves one. */
  editorSocket: EditorSocketServer | undefined;
  stop(): Promise<void>;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME ?? path.join(env.HOME ?? os.homedir(), '.local', 'share');
  return path.join(base, 'codex-manager');
}

/** Whether codex would find credentials of its own (so no demo model is needed). */
function hasOpenAiCredentials(env: NodeJS.ProcessEnv): boolean {
  if (env.OPENAI_API_KEY) return true;
  const home = env.CODEX_HOME ?? path.join(env.HOME ?? os.homedir(), '.codex');
  return fs.existsSync(path.join(home, 'auth.json'));
}

/**
 * The bridge with its HTTP API and WebSocket stream, registered for discovery: what
 * `codex-manager serve` runs headless and what the editor starts over stdio. With no
 * OpenAI credentials (or `--demo`) the runtime talks to a scripted offline demo model,
 * so a newcomer can try everything without an account; `demo` says so.
 */
export async function startBridgeStack(opts: StackOptions, env: NodeJS.ProcessEnv = process.env): Promise<RunningBridge> {
  const dataDir = path.resolve(opts.dataDir);
  // One bridge per data dir: two would keep separate in-memory copies of the same state
  // and the last to save would win. Throws DataDirLockedError naming the running one.
  const lock = acquireDataDirLock(dataDir, { version: BRIDGE_VERSION, mode: opts.mode });
  try {
    return await startLocked(opts, env, dataDir, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startLocked(opts: StackOptions, env: NodeJS.ProcessEnv, dataDir: string, lock: DataDirLock): Promise<RunningBridge> {
  const useDemo = opts.demo === 'on' || (opts.demo === 'auto' && !opts.codexHome && !hasOpenAiCredentials(env));
  let demoModel: FakeModel | undefined;
  let codexHome = opts.codexHome;
  const runtimeEnv: Record<string, string> = {};
  if (useDemo) {
    demoModel = await startFakeModel({ label: 'the Codex Manager offline demo model' });
    codexHome = path.join(dataDir, 'demo-codex-home');
    writeCodexHome(codexHome, demoModel.baseUrl);
    runtimeEnv.OPENAI_API_KEY = 'offline-demo-no-key';
  }
  let bridge: Bridge;
  try {
    bridge = await Bridge.start({
      dataDir,
      ...(opts.codexPath ? { codexPath: opts.codexPath } : {}),
      ...(codexHome ? { codexHome } : {}),
      runtimeEnv,
      ...(opts.lockDefaults !== undefined ? { lockDefaults: opts.lockDefaults } : {}),
      ...(opts.redisUrl ? { orchestrator: { redisUrl: opts.redisUrl } } : {}),
      extensions: { ...extensionOptionsFromEnv(env), workspaceAgentsDir: path.join(opts.sessionCwd ?? process.cwd(), 'agents') },
      ...(opts.runtimeStderr ? { supervisor: { stderrEcho: opts.runtimeStderr } } : {}),
      sessionDefaults: { cwd: opts.sessionCwd ?? process.cwd(), ...(useDemo ? { filesystemSandbox: 'read-only' as const } : {}) },
    });
  } catch (error) {
    // No codex, or it would not start: the demo model's server must not keep `serve` alive.
    await demoModel?.close();
    throw error;
  }
  const tokenFile = path.resolve(opts.tokenFile ?? path.join(dataDir, 'token'));
  const token = loadOrCreateToken(tokenFile);
  const api = await startApiServer(bridge, {
    host: opts.host,
    port: opts.port,
    token,
    allowedHosts: opts.allowedHosts,
    allowedOrigins: opts.allowedOrigins,
  });
  const { url } = api;
  let stopped = false;
  const running: RunningBridge = {
    url, tokenFile, dataDir, bridge, demo: Boolean(demoModel), editorSocket: undefined,
    async stop() {
      if (stopped) return;
      stopped = true;
      unpublish();
      await running.editorSocket?.close();
      await api.close();
      await bridge.stop();
      await demoModel?.close();
      lock.release();
    },
  };
  const socketOptions = opts.editorSocket ?? { replaceable: false };
  if (socketOptions) {
    running.editorSocket = await listenEditorSocket(running, {
      socketPath: editorSocketPath(dataDir, env),
      token,
      busy: () => !socketOptions.replaceable || bridge.hasRunningWork(),
      onStopRequested: socketOptions.replaceable ? (why) => socketOptions.onStopRequested?.(why) : undefined,
    });
  }
  lock.update({ url, tokenFile, ...(running.editorSocket ? { socket: running.editorSocket.socketPath } : {}) });
  const unpublish = publishDiscovery({ url, tokenFile, pid: process.pid, version: BRIDGE_VERSION, started: new Date().toISOString(), dataDir, mode: opts.mode }, env);
  return running;
}
