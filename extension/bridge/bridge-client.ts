import { PassThrough } from 'node:stream';
import * as vscode from 'vscode';
import { withPathWarning } from '../approvals/lens-warning';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { EditorWelcome } from '../../protocol/editor-socket';
import type { BridgeState } from '../status-bar';
import { readSettings } from '../settings';
import { connectSharedBridge } from './bridge-socket';
import { CodexMissingError, locateCodex } from './codex-locator';
import { toBridgeCallError } from './errors';
import { openSetting } from './open-setting';

/** A bridge event as `codex/event` delivers it (`protocol/webview.ts` BridgeEvent). */
export interface BridgeEvent { type: string; threadId: string | null; seq: number; payload: unknown }

/** What `codex/<operationId>` takes: the operation's path params, query and body. */
export interface OperationInput { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }

/** Crashes tolerated within CRASH_WINDOW_MS before the client gives up restarting the bridge. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

/**
 * This window's connection to the shared bridge of its data dir (one per user and data
 * dir, `node dist/server.js --shared`), through vscode-languageclient over the bridge's
 * local socket: LSP lifecycle, code lenses, `codex/<operationId>` requests and
 * `codex/event` notifications. If no bridge runs, connecting starts one detached; it
 * outlives this window. A lost connection reconnects (bounded): to the same bridge, the
 * events missed meanwhile are replayed (`codex/replay`); to a new one (a new event
 * epoch), `onRestart` tells views to reload their state.
 */
export class BridgeClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private lastSeqValue = 0;
  private stateValue: BridgeState = 'idle';
  private problemValue: string | null = null;
  private runningBefore = false;
  /** The bridge settings the running client was started with (they are fixed per process). */
  private launchedWith: string | undefined;
  /** The codex-missing message already shown, so retries do not stack notifications. */
  private missingShown: string | undefined;
  private readonly crashes: number[] = [];
  /** The bridge this window last connected to (its handshake answer). */
  private welcome: EditorWelcome | undefined;
  /** The event epoch `lastSeqValue` belongs to. */
  private seenEpoch: string | undefined;
  /** Live events that arrive while the missed ones are being replayed; delivered after them. */
  private heldDuringReplay: BridgeEvent[] | undefined;
  private readonly eventEmitter = new vscode.EventEmitter<BridgeEvent>();
  private readonly stateEmitter = new vscode.EventEmitter<BridgeState>();
  private readonly restartEmitter = new vscode.EventEmitter<void>();
  readonly onEvent = this.eventEmitter.event;
  readonly onState = this.stateEmitter.event;
  /** The bridge came back after a crash or a restart: a new epoch, seqs start over. */
  readonly onRestart = this.restartEmitter.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly output: vscode.LogOutputChannel) {}

  get state(): BridgeState { return this.stateValue; }
  get problem(): string | null { return this.problemValue; }
  /** The highest event seq received in the current epoch. */
  get lastSeq(): number { return this.lastSeqValue; }

  /** Start the bridge once; concurrent callers share the start. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.launch().catch((error: unknown) => {
      this.starting = undefined;
      this.setState('failed', error instanceof Error ? error.message : String(error));
      throw error;
    });
    return this.starting;
  }

  /** Call an operation: `codex/<operationId>` with `{params, query, body}`. */
  call<T = Record<string, unknown>>(operationId: string, input: OperationInput = {}): Promise<T> {
    return this.request<T>(`codex/${operationId}`, input);
  }

  /** A bridge request that is not an operation (`codex/proposedContent`, `codex/info`, ...). */
  async request<T>(method: string, params: unknown): Promise<T> {
    const client = await this.start();
    try {
      return await client.sendRequest<T>(method, params);
    } catch (error) {
      throw toBridgeCallError(error);
    }
  }

  /** Whether codexPath / codexHome / demoModel changed since the bridge started. */
  settingsChanged(): boolean {
    return this.launchedWith !== undefined && this.launchedWith !== bridgeSettingsKey();
  }

  /**
   * Stop the shared bridge and start a new one with the current settings (also after it
   * gave up reconnecting, or when codex was missing). Other windows reconnect to the new
   * one. Sessions live in the data dir and in codex, so they survive; the new process is
   * a new event epoch.
   */
  async restart(): Promise<void> {
    // One restart at a time (a settings change and a command can ask together): a second
    // waits for the first, which already starts the bridge with the current settings.
    if (this.restarting) {
      await this.restartSettled();
      if (this.state === 'running' && !this.settingsChanged()) return;
      return this.restart();
    }
    this.restarting = this.restartOnce().finally(() => { this.restarting = undefined; });
    return this.restarting;
  }

  private restarting: Promise<void> | undefined;

  /** Resolves once no restart is under way (whatever its outcome). */
  async restartSettled(): Promise<void> {
    while (this.restarting) await this.restarting.catch(() => undefined);
  }

  private async restartOnce(): Promise<void> {
    this.crashes.length = 0;
    this.missingShown = undefined;
    if (this.client) this.setState('restarting');
    await this.stopBridgeProcess();
    await this.start();
  }

  /** "Codex: Stop Bridge": the shared bridge exits (for every window); this window stays disconnected until used again. */
  async stopBridge(): Promise<void> {
    await this.stopBridgeProcess();
    this.setState('stopped');
  }

  /** This window disconnects; the shared bridge goes on for the other windows and the running work. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client?.needsStop()) await client.stop(5000).catch(() => undefined);
    this.setState('stopped');
  }

  private async stopBridgeProcess(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (!old) return;
    if (old.isRunning()) {
      const pid = this.welcome?.pid;
      await old.sendRequest('codex/stopBridge', {}).catch((error: unknown) => this.log(`the bridge did not accept the stop: ${String(error)}`));
      await old.dispose(5000).catch(() => undefined);
      if (pid) await waitForExit(pid, 15_000);
    } else {
      await old.dispose(5000).catch(() => undefined);
    }
  }

  dispose(): void {
    void this.stop();
    this.eventEmitter.dispose();
    this.stateEmitter.dispose();
    this.restartEmitter.dispose();
  }

  private async launch(): Promise<LanguageClient> {
    const settings = readSettings();
    this.launchedWith = bridgeSettingsKey();
    if (this.stateValue !== 'restarting') this.setState('starting');
    let codexPath: string;
    try {
      codexPath = locateCodex(settings.codexPath, process.env, this.context.extensionPath);
    } catch (error) {
      if (error instanceof CodexMissingError && this.missingShown !== error.message) {
        this.missingShown = error.message;
        void showCodexMissing(error);
      }
      throw error;
    }
    this.missingShown = undefined;
    const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const dataDir = this.context.globalStorageUri.fsPath;
    const codexHome = settings.codexHome ?? process.env.CODEX_HOME;
    // Called again by the client for every reconnect: to the running bridge, or to a new one.
    const serverOptions: ServerOptions = async () => {
      const { socket, welcome, started } = await connectSharedBridge({
        serverModule: this.context.asAbsolutePath('dist/server.js'),
        dataDir,
        codexPath,
        ...(codexHome ? { codexHome } : {}),
        demo: settings.demoModel,
        ...(workspaceFolder ? { sessionCwd: workspaceFolder } : {}),
        ...((settings.redisUrl ?? process.env.CODEX_MANAGER_REDIS_URL) ? { redisUrl: settings.redisUrl ?? process.env.CODEX_MANAGER_REDIS_URL } : {}),
        idleExitSeconds: Math.round(settings.bridgeIdleExitMinutes * 60),
      }, String(this.context.extension.packageJSON.version ?? '0.0.0'), (line) => this.log(line));
      this.welcome = welcome;
      this.log(`${started ? 'started and connected to' : 'connected to'} the shared bridge ${welcome.version} (pid ${welcome.pid}, codex: ${codexPath})`);
      // Buffer what arrives before the client's reader listens; the socket stays the writer.
      const reader = socket.pipe(new PassThrough());
      socket.once('close', () => reader.end());
      return { reader, writer: socket, detached: true };
    };
    const clientOptions: LanguageClientOptions = {
      // Approvals can touch any file, so lenses are asked for every file on disk.
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A file whose name hides characters gets a warning lens above the approval lenses.
      middleware: { provideCodeLenses: async (document, token, next) => withPathWarning(document, await next(document, token)) },
      initializationFailedHandler: (error) => {
        this.log(`the bridge failed to initialize: ${String(error)}`);
        return false;
      },
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => this.onClosed(),
      },
    };
    const client = new LanguageClient('codexManager', 'Codex Manager bridge', serverOptions, clientOptions);
    client.onNotification('codex/event', (event: BridgeEvent) => {
      if (this.heldDuringReplay) this.heldDuringReplay.push(event);
      else this.deliver(event);
    });
    client.onDidChangeState(({ newState }) => this.clientStateChanged(newState));
    this.client = client;
    await client.start();
    return client;
  }

  private onClosed(): { action: CloseAction; message?: string; handled?: boolean } {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0]! > CRASH_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length <= MAX_CRASHES) {
      this.log(`the connection to the bridge was lost; reconnecting (${this.crashes.length}/${MAX_CRASHES} in 3 minutes)`);
      this.setState('restarting');
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The connection to the Codex Manager bridge was lost ${this.crashes.length} times in 3 minutes and is not retried. See "Codex: Show Bridge Log", then run "Codex: Restart Bridge".`;
    this.setState('failed', message);
    return { action: CloseAction.DoNotRestart, message };
  }

  /** Each event once, in order: replayed and live ones may overlap around a reconnect. */
  private deliver(event: BridgeEvent): void {
    if (event.seq <= this.lastSeqValue) return;
    this.lastSeqValue = event.seq;
    this.eventEmitter.fire(event);
  }

  /**
   * Connected again. To the same bridge (same epoch): replay what was missed, so views
   * carry on. To a new bridge: seqs start over and views reload their state.
   */
  private async reconnected(client: LanguageClient): Promise<void> {
    const epoch = this.welcome?.epoch;
    const sameBridge = epoch !== undefined && epoch === this.seenEpoch;
    this.seenEpoch = epoch;
    if (sameBridge) {
      this.heldDuringReplay = [];
      try {
        const replay = await client.sendRequest<{ ok: boolean; events?: BridgeEvent[] }>('codex/replay', { since: this.lastSeqValue });
        if (replay.ok && replay.events) {
          for (const event of replay.events) this.deliver(event);
          return;
        }
      } catch (error) {
        this.log(`replay after reconnecting failed: ${String(error)}`);
      } finally {
        const held = this.heldDuringReplay;
        this.heldDuringReplay = undefined;
        for (const event of held) this.deliver(event);
      }
    }
    this.lastSeqValue = 0;
    if (this.runningBefore) this.restartEmitter.fire();
  }

  private clientStateChanged(state: State): void {
    if (state === State.Running) {
      this.setState('running');
      if (this.client) void this.reconnected(this.client);
      this.runningBefore = true;
    } else if (state === State.Starting) {
      if (this.stateValue !== 'restarting') this.setState(this.runningBefore ? 'restarting' : 'starting');
    } else if (state === State.Stopped && this.stateValue === 'running') {
      this.setState('stopped');
    }
  }

  private setState(state: BridgeState, problem: string | null = null): void {
    this.problemValue = problem;
    if (state === this.stateValue && !problem) return;
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }

  private log(line: string): void {
    this.output.info(line);
  }
}

function bridgeSettingsKey(): string {
  const s = readSettings();
  return JSON.stringify([s.codexPath, s.codexHome, s.demoModel]);
}

async function showCodexMissing(error: CodexMissingError): Promise<void> {
  const choice = await vscode.window.showErrorMessage(error.message, 'Open Settings', 'Retry');
  if (choice === 'Open Settings') await openSetting('codexManager.codexPath');
  if (choice === 'Retry') await vscode.commands.executeCommand('codexManager.restartRuntime');
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
