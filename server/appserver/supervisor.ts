import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { BridgeError } from '../../protocol/errors';
import { CLIENT_REQUEST_METHODS } from '../../protocol/generated/codex/methods';
import { AppServerConnection, type ClientInfo, type RuntimeServerRequest } from './app-server-connection';
import { spawnCodexAppServer, type CodexProcessOptions } from './codex-process';
import type { InboundRuntimeMessage } from './jsonl-transport';
import { RotatingLog, StderrEcho } from './stderr-log';

export type RuntimeState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export type RuntimeExit = {
  /** Which process this was: increments with every launch. */
  generation: number;
  code: number | null;
  signal: string | null;
  at: string;
  /** Last lines the runtime printed on stderr before it went away. */
  stderrTail: string[];
};

export type RuntimeHealth = {
  state: RuntimeState;
  pid: number | null;
  restarts: number;
  startedAt: string | null;
  lastExit: RuntimeExit | null;
  /** Why the runtime is `failed` (the circuit breaker's reason), else null. */
  failureReason: string | null;
  userAgent: string | null;
  experimentalApi: boolean;
};

export interface SupervisorOptions extends CodexProcessOptions {
  clientInfo: ClientInfo;
  stderrLogFile: string;
  /**
   * Also hand each line of the runtime's stderr, secrets redacted, to a person (the
   * editor's Output channel): the file alone is where nobody looks.
   */
  stderrEcho?: (line: string) => void;
  requestTimeoutMs?: number;
  initializeTimeoutMs?: number;
  /** How long a call made while the runtime is (re)starting waits for it. */
  readyWaitMs?: number;
  backoff?: { initialMs: number; maxMs: number; factor: number };
  /** `maxCrashes` unexpected exits within `windowMs` → state `failed` until restart(). */
  breaker?: { maxCrashes: number; windowMs: number };
}

export interface NotificationSink {
  (method: string, message: InboundRuntimeMessage, rawLine: string): void;
}

const KNOWN_METHODS = new Set(CLIENT_REQUEST_METHODS);

/**
 * Keeps one `codex app-server` alive: spawns it, initializes it, restarts it after an
 * unexpected exit with exponential backoff, and stops trying (state `failed`) when it
 * crashes too often, until someone asks for a restart. Health always tells the truth.
 */
export class RuntimeSupervisor {
  private child: ChildProcessWithoutNullStreams | undefined;
  private connection: AppServerConnection | undefined;
  private stateValue: RuntimeState = 'stopped';
  private restarts = 0;
  private generationValue = 0;
  private startedAt: string | null = null;
  private lastExit: RuntimeExit | null = null;
  private failureReason: string | null = null;
  private userAgent: string | null = null;
  private crashTimes: number[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Set by restart() so the exit it causes relaunches at once and does not count as a crash. */
  private manualRestartPending = false;
  private readonly stderr: RotatingLog;
  private readonly stderrEcho: StderrEcho | undefined;
  private readonly stateEmitter = new Emitter<RuntimeState>();
  private readonly exitEmitter = new Emitter<RuntimeExit>();
  private readonly readyEmitter = new Emitter<{ restarted: boolean }>();
  private readonly opts: Required<Pick<SupervisorOptions, 'requestTimeoutMs' | 'initializeTimeoutMs' | 'readyWaitMs' | 'backoff' | 'breaker'>> & SupervisorOptions;

  /** Every state change. */
  readonly onState: Event<RuntimeState> = this.stateEmitter.event;
  /** The runtime went away (expected or not); pending work tied to it must be expired. */
  readonly onExit: Event<RuntimeExit> = this.exitEmitter.event;
  /** The runtime is initialized; `restarted` is true after a crash or manual restart. */
  readonly onReady: Event<{ restarted: boolean }> = this.readyEmitter.event;

  constructor(
    options: SupervisorOptions,
    private readonly sinks: { notification: NotificationSink; serverRequest(request: RuntimeServerRequest, generation: number): void },
  ) {
    this.opts = {
      requestTimeoutMs: 120_000,
      initializeTimeoutMs: 30_000,
      readyWaitMs: 15_000,
      backoff: { initialMs: 100, maxMs: 10_000, factor: 2 },
      breaker: { maxCrashes: 5, windowMs: 60_000 },
      ...options,
    };
    this.stderr = new RotatingLog(options.stderrLogFile);
    if (options.stderrEcho) {
      this.stderrEcho = new StderrEcho(options.stderrEcho);
      options.stderrEcho(`the runtime's error output follows here (secrets redacted); in full: ${options.stderrLogFile}`);
    }
  }

  /** The current (or last) runtime process's generation; server requests are tied to one. */
  get generation(): number {
    return this.generationValue;
  }

  get state(): RuntimeState {
    return this.stateValue;
  }

  health(): RuntimeHealth {
    return {
      state: this.stateValue,
      pid: this.stateValue === 'ready' || this.stateValue === 'starting' ? (this.child?.pid ?? null) : null,
      restarts: this.restarts,
      startedAt: this.startedAt,
      lastExit: this.lastExit,
      failureReason: this.failureReason,
      userAgent: this.userAgent,
      experimentalApi: this.connection?.experimentalApi ?? false,
    };
  }

  /** Whether the pinned runtime declares this client request method. */
  supports(method: string): boolean {
    return KNOWN_METHODS.has(method);
  }

  /** Starts the runtime and resolves once it is ready (or rejects if the first start fails). */
  async start(): Promise<void> {
    this.stopping = false;
    this.launch(false);
    await this.waitForReady(this.opts.initializeTimeoutMs + 5_000);
  }

  /** Manual restart: resets the circuit breaker and replaces the process. */
  async restart(): Promise<void> {
    this.crashTimes = [];
    this.failureReason = null;
    clearTimeout(this.restartTimer);
    const old = this.child;
    if (old && old.exitCode === null && old.signalCode === null) {
      this.setState('restarting');
      this.manualRestartPending = true;
      old.kill('SIGTERM');
    } else {
      this.restarts++;
      this.launch(true);
    }
    await this.waitForReady(this.opts.initializeTimeoutMs + 5_000);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killTimer);
    }
    this.setState('stopped');
    this.stderr.close();
  }

  async request<T>(method: string, params: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (!this.supports(method)) {
      throw new BridgeError('method_not_supported', `the pinned codex runtime has no method ${method}`, { details: { runtimeMethod: method } });
    }
    if (this.stateValue !== 'ready') await this.waitForReady(this.opts.readyWaitMs);
    return this.connection!.request<T>(method, params, opts.timeoutMs ?? this.opts.requestTimeoutMs);
  }

  private waitForReady(timeoutMs: number): Promise<void> {
    if (this.stateValue === 'ready') return Promise.resolve();
    if (this.stateValue === 'failed' || this.stateValue === 'stopped') return Promise.reject(this.unavailable());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(this.unavailable()); }, timeoutMs);
      const sub = this.onState((state) => {
        if (state === 'ready') { clearTimeout(timer); sub.dispose(); resolve(); }
        else if (state === 'failed' || state === 'stopped') { clearTimeout(timer); sub.dispose(); reject(this.unavailable()); }
      });
    });
  }

  private unavailable(): BridgeError {
    const reason = this.failureReason ?? `runtime is ${this.stateValue}`;
    return new BridgeError('runtime_unavailable', `codex runtime unavailable: ${reason}`, { details: { state: this.stateValue } });
  }

  private launch(restarted: boolean): void {
    this.setState(restarted ? 'restarting' : 'starting');
    const generation = ++this.generationValue;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawnCodexAppServer(this.opts);
    } catch (error) {
      this.onChildGone(undefined, null, null, error);
      return;
    }
    this.child = child;
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr.write(chunk);
      this.stderrEcho?.write(chunk);
    });
    child.on('error', (error) => this.onChildGone(child, null, null, error));
    child.on('exit', (code, signal) => this.onChildGone(child, code, signal));
    const connection = new AppServerConnection(child, {
      notification: this.sinks.notification,
      serverRequest: (request) => this.sinks.serverRequest(request, generation),
      malformedLine: (line) => this.stderr.write(`[bridge] malformed line from runtime: ${line.slice(0, 200)}\n`),
    });
    this.connection = connection;
    connection.initialize(this.opts.clientInfo, this.opts.initializeTimeoutMs).then(
      (result) => {
        if (this.child !== child) return;
        this.userAgent = result.userAgent;
        this.startedAt = new Date().toISOString();
        this.setState('ready');
        this.readyEmitter.fire({ restarted });
      },
      (error: unknown) => {
        if (this.child !== child) return;
        this.stderr.write(`[bridge] initialize failed: ${error instanceof Error ? error.message : String(error)}\n`);
        child.kill('SIGKILL');
      },
    );
  }

  private onChildGone(child: ChildProcessWithoutNullStreams | undefined, code: number | null, signal: string | null, error?: unknown): void {
    // 'error' and 'exit' can both fire for one process; only the first one counts.
    if (child && this.child !== child) return;
    this.child = undefined;
    if (error) this.stderr.write(`[bridge] runtime process error: ${error instanceof Error ? error.message : String(error)}\n`);
    const exit: RuntimeExit = { generation: this.generationValue, code, signal, at: new Date().toISOString(), stderrTail: this.stderr.recentLines() };
    this.lastExit = exit;
    this.connection?.close(new BridgeError('runtime_unavailable', `codex runtime exited (${signal ?? `code ${code ?? '?'}`}) while the call was in flight`));
    this.connection = undefined;
    this.exitEmitter.fire(exit);
    if (this.stopping) return;
    if (this.manualRestartPending) {
      this.manualRestartPending = false;
      this.restarts++;
      this.launch(true);
      return;
    }
    this.scheduleRestart(exit);
  }

  private scheduleRestart(exit: RuntimeExit): void {
    const now = Date.now();
    const { maxCrashes, windowMs } = this.opts.breaker;
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < windowMs), now];
    if (this.crashTimes.length >= maxCrashes) {
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
      this.failureReason = `circuit breaker open: ${this.crashTimes.length} crashes within ${Math.round(windowMs / 1000)} s (last: ${how}); restart the runtime to try again`;
      this.setState('failed');
      return;
    }
    const { initialMs, maxMs, factor } = this.opts.backoff;
    const delay = Math.min(maxMs, initialMs * factor ** (this.crashTimes.length - 1));
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.launch(true);
    }, delay);
  }

  private setState(state: RuntimeState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }
}
