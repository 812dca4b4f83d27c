/**
 * The bridge side of one extension module: its worker thread, the handlers it
 * registered, and calls into them with a deadline. A handler that misses its deadline is
 * really stopped: the thread is terminated (whatever it was doing, even a busy loop) and
 * a fresh one loads the module again for the next event. A crashing module loses only its
 * own thread. Handlers reach the bridge only through `onTool`, which the runtime checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExtensionEvent, HostMessage, WorkerMessage } from './types';

export interface HandlerInfo { eventType: string; priority: number; timeoutMs: number }

export interface ModuleHostOptions {
  defaultTimeoutMs: number;
  /** How long loading and registering may take. */
  loadTimeoutMs: number;
  /** A handler's tool call (enqueueJob, getSessionSettings, ...); capability checks happen there. */
  onTool(name: string, args: unknown): Promise<unknown>;
  onLog?(level: string, input: unknown, message?: string): void;
  /** Per-thread heap limit, so a runaway module cannot exhaust the bridge's memory. */
  maxHeapMb?: number;
}

export class ModuleLoadFailure extends Error {
  constructor(readonly code: 'import_failed' | 'missing_register' | 'registration_failed', message: string) {
    super(message);
  }
}

export class HandlerTimeout extends Error {}

/**
 * The worker script: the bundled file in dist/, or, when running from the TypeScript
 * sources (tests, dev), a bootstrap that registers tsx's require hook in the thread first
 * (loader hooks of the main thread do not reach workers).
 */
function workerScript(): { script: string; eval: boolean } {
  const source = path.join(__dirname, 'module-worker.ts');
  if (!fs.existsSync(source)) return { script: path.join(__dirname, 'extension-worker.js'), eval: false };
  return { script: `require('tsx/cjs'); require(${JSON.stringify(source)});`, eval: true };
}

interface Call { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

export class ModuleHost {
  handlers: HandlerInfo[] = [];
  restarts = 0;
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly calls = new Map<number, Call>();
  private nextCall = 0;
  private stopped = false;

  constructor(readonly moduleName: string, readonly entrypoint: string, private readonly opts: ModuleHostOptions) {}

  /** Loads the module in a new thread; rejects with ModuleLoadFailure (or a timeout) if it cannot register. */
  start(): Promise<void> {
    this.ready = this.spawn();
    return this.ready;
  }

  async invoke(handlerIndex: number, event: ExtensionEvent): Promise<unknown> {
    if (this.stopped) throw new Error(`module ${this.moduleName} is stopped`);
    if (!this.worker) this.ready = this.spawn().then(() => { this.restarts += 1; });
    await this.ready;
    const worker = this.worker!;
    const timeoutMs = this.handlers[handlerIndex]?.timeoutMs ?? this.opts.defaultTimeoutMs;
    const callId = ++this.nextCall;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.calls.delete(callId);
        reject(new HandlerTimeout(`agent event handler timed out after ${timeoutMs}ms; its worker thread was stopped`));
        void this.recycle(worker);
      }, timeoutMs);
      this.calls.set(callId, { resolve, reject, timer });
      worker.postMessage({ kind: 'invoke', callId, handlerIndex, event } satisfies HostMessage);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failCalls(new Error(`module ${this.moduleName} was unloaded`));
    await worker?.terminate();
  }

  private spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const { script, eval: isEval } = workerScript();
      const worker = new Worker(script, {
        eval: isEval,
        workerData: { entrypoint: this.entrypoint, defaultTimeoutMs: this.opts.defaultTimeoutMs },
        resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb ?? 256 },
        stdout: false,
        stderr: false,
      });
      this.worker = worker;
      let loaded = false;
      const loadTimer = setTimeout(() => {
        if (loaded) return;
        reject(new ModuleLoadFailure('import_failed', `module did not register within ${this.opts.loadTimeoutMs} ms`));
        void this.recycle(worker, false);
      }, this.opts.loadTimeoutMs);
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'registered') {
          loaded = true;
          clearTimeout(loadTimer);
          this.handlers = message.handlers;
          resolve();
        } else if (message.kind === 'loadError') {
          clearTimeout(loadTimer);
          reject(new ModuleLoadFailure(message.code, message.message));
          void this.recycle(worker, false);
        } else {
          this.onMessage(worker, message);
        }
      });
      worker.on('error', (error) => {
        clearTimeout(loadTimer);
        if (!loaded) reject(new ModuleLoadFailure('import_failed', error.message));
        this.failCalls(new Error(`module ${this.moduleName} crashed: ${error.message}`));
      });
      worker.on('exit', () => {
        clearTimeout(loadTimer);
        if (this.worker === worker) this.worker = undefined; // the next event starts a fresh thread
        if (!loaded) reject(new ModuleLoadFailure('import_failed', 'the module thread exited while loading'));
        this.failCalls(new Error(`module ${this.moduleName} stopped`));
      });
    });
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    if (message.kind === 'result') {
      const call = this.calls.get(message.callId);
      if (!call) return; // timed out already
      this.calls.delete(message.callId);
      clearTimeout(call.timer);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(message.error ?? 'handler failed'));
    } else if (message.kind === 'tool') {
      // A tool call from an invocation that already ended (timed out) is refused.
      const active = this.calls.has(message.callId);
      const work = active ? this.opts.onTool(message.name, message.args) : Promise.reject(new Error('agent handler invocation is no longer active'));
      work.then(
        (value) => worker.postMessage({ kind: 'toolResult', toolCallId: message.toolCallId, ok: true, value } satisfies HostMessage),
        (error: unknown) => worker.postMessage({ kind: 'toolResult', toolCallId: message.toolCallId, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies HostMessage),
      ).catch(() => undefined); // the worker may be gone
    } else if (message.kind === 'log') {
      this.opts.onLog?.(message.level, message.input, message.message);
    }
  }

  /** Terminates a thread; the next invoke loads the module in a new one. */
  private async recycle(worker: Worker, failOthers = true): Promise<void> {
    if (this.worker === worker) this.worker = undefined;
    if (failOthers) this.failCalls(new Error(`module ${this.moduleName} was restarted after a handler timeout`));
    await worker.terminate().catch(() => undefined);
  }

  private failCalls(error: Error): void {
    for (const [id, call] of this.calls) {
      clearTimeout(call.timer);
      call.reject(error);
      this.calls.delete(id);
    }
  }
}
