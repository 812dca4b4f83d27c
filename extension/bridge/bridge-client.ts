import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { BridgeState } from '../status-bar';
import { readSettings } from '../settings';
import { CodexMissingError, locateCodex } from './codex-locator';
import { toBridgeCallError } from './errors';

/** A bridge event as `codex/event` delivers it (`protocol/webview.ts` BridgeEvent). */
export interface BridgeEvent { type: string; threadId: string | null; seq: number; payload: unknown }

/** What `codex/<operationId>` takes: the operation's path params, query and body. */
export interface OperationInput { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }

/** Crashes tolerated within CRASH_WINDOW_MS before the client gives up restarting the bridge. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

/**
 * The bridge process (`node dist/server.js --stdio`), started lazily through
 * vscode-languageclient: LSP lifecycle, code lenses, `codex/<operationId>` requests and
 * `codex/event` notifications. A crash restarts it (bounded); each restart is a new event
 * epoch, so `onRestart` tells views to reload their state.
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
   * Stop the bridge process and start a new one with the current settings (also after it
   * gave up restarting, or when codex was missing). Sessions live in the data dir and in
   * codex, so they survive; the new process is a new event epoch.
   */
  async restart(): Promise<void> {
    this.crashes.length = 0;
    this.missingShown = undefined;
    const old = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (old) {
      this.setState('restarting');
      await old.dispose(5000).catch(() => undefined);
    }
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client?.needsStop()) await client.stop(5000).catch(() => undefined);
    this.setState('stopped');
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
    this.log(`starting the bridge (codex: ${codexPath})`);
    const server = { module: this.context.asAbsolutePath('dist/server.js'), transport: TransportKind.stdio };
    const serverOptions: ServerOptions = { run: server, debug: server };
    const clientOptions: LanguageClientOptions = {
      // Approvals can touch any file, so lenses are asked for every file on disk.
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: {
        dataDir: this.context.globalStorageUri.fsPath,
        ...(settings.codexPath ? { codexPath: settings.codexPath } : process.env.CODEX_BIN ? { codexPath: process.env.CODEX_BIN } : {}),
        ...((settings.codexHome ?? process.env.CODEX_HOME) ? { codexHome: settings.codexHome ?? process.env.CODEX_HOME } : {}),
        ...(vscode.workspace.workspaceFolders?.[0] ? { workspaceFolder: vscode.workspace.workspaceFolders[0].uri.fsPath } : {}),
        demo: settings.demoModel,
        ...((settings.redisUrl ?? process.env.CODEX_MANAGER_REDIS_URL) ? { redisUrl: settings.redisUrl ?? process.env.CODEX_MANAGER_REDIS_URL } : {}),
      },
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
      this.lastSeqValue = event.seq;
      this.eventEmitter.fire(event);
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
      this.log(`the bridge exited unexpectedly; restarting (${this.crashes.length}/${MAX_CRASHES} in 3 minutes)`);
      this.setState('restarting');
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The Codex Manager bridge crashed ${this.crashes.length} times in 3 minutes and was not restarted. See "Codex: Show Bridge Log", then run "Codex: Restart Runtime".`;
    this.setState('failed', message);
    return { action: CloseAction.DoNotRestart, message };
  }

  private clientStateChanged(state: State): void {
    if (state === State.Running) {
      this.lastSeqValue = 0;
      this.setState('running');
      if (this.runningBefore) this.restartEmitter.fire();
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
  if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'codexManager.codexPath');
  if (choice === 'Retry') await vscode.commands.executeCommand('codexManager.restartRuntime');
}
