import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import { BridgeError } from '../../protocol/errors';
import type { InitializeResponse } from '../../protocol/generated/codex/InitializeResponse';
import { JsonlMessageReader, JsonlMessageWriter, type InboundRuntimeMessage } from './jsonl-transport';
import { mapRuntimeError } from './runtime-errors';
import { illFormedStringPath } from '../../protocol/unicode';

/** A request the runtime sent us; answered once through respond() or fail(). */
export interface RuntimeServerRequest {
  method: string;
  /** The runtime's JSON-RPC id. Internal: never exposed to clients. */
  id: number | string;
  params: unknown;
  respond(result: unknown): Promise<void>;
  fail(code: number, message: string): Promise<void>;
}

export interface ConnectionHandlers {
  notification(method: string, message: InboundRuntimeMessage, rawLine: string): void;
  serverRequest(request: RuntimeServerRequest): void;
  malformedLine?(line: string): void;
}

export interface ClientInfo {
  name: string;
  title: string | null;
  version: string;
}

interface PendingCall {
  reject(error: BridgeError): void;
}

/**
 * One JSON-RPC conversation with one `codex app-server` process. Outgoing requests use
 * vscode-jsonrpc (ids, correlation, error objects); what the runtime initiates goes
 * straight to the handlers. When the process goes away every call in flight fails at
 * once with `runtime_unavailable` instead of hanging.
 */
export class AppServerConnection {
  private readonly rpc: MessageConnection;
  private readonly writer: JsonlMessageWriter;
  private readonly inFlight = new Set<PendingCall>();
  private closedWith: BridgeError | undefined;
  /** Whether the runtime accepted the experimental API opt-in at initialize. */
  experimentalApi = false;

  constructor(child: ChildProcessWithoutNullStreams, private readonly handlers: ConnectionHandlers) {
    this.writer = new JsonlMessageWriter(child.stdin);
    const reader = new JsonlMessageReader(child.stdout, {
      notification: (message, raw) => this.handlers.notification(message.method, message, raw),
      serverRequest: (message) => this.handlers.serverRequest(this.wrapServerRequest(message)),
      malformedLine: (line) => this.handlers.malformedLine?.(line),
    });
    this.rpc = createMessageConnection(reader, this.writer);
    this.rpc.onError(() => { /* surfaced through process exit; avoid unhandled noise */ });
    this.rpc.listen();
  }

  /**
   * `initialize` + `initialized`. Opts into the experimental API (dynamic tools, user
   * input, ...) and falls back to the stable surface if this runtime refuses it.
   */
  async initialize(clientInfo: ClientInfo, timeoutMs: number): Promise<InitializeResponse> {
    let result: InitializeResponse;
    try {
      result = await this.request<InitializeResponse>('initialize', { clientInfo, capabilities: { experimentalApi: true } }, timeoutMs);
      this.experimentalApi = true;
    } catch (error) {
      if (!(error instanceof BridgeError) || error.code !== 'invalid_request') throw error;
      result = await this.request<InitializeResponse>('initialize', { clientInfo, capabilities: null }, timeoutMs);
      this.experimentalApi = false;
    }
    await this.notify('initialized', undefined);
    return result;
  }

  request<T>(method: string, params: unknown, timeoutMs: number): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const refused = refuseIllFormed(method, params);
    if (refused) return Promise.reject(refused);
    return new Promise<T>((resolve, reject) => {
      const call: PendingCall = { reject };
      const timer = setTimeout(() => {
        this.inFlight.delete(call);
        reject(new BridgeError('timeout', `codex ${method}: no answer within ${timeoutMs} ms`, { details: { runtimeMethod: method } }));
      }, timeoutMs);
      timer.unref?.();
      this.inFlight.add(call);
      const sent = params === undefined ? this.rpc.sendRequest<T>(method) : this.rpc.sendRequest<T>(method, params);
      sent.then(
        (value) => { clearTimeout(timer); if (this.inFlight.delete(call)) resolve(value); },
        (error: unknown) => { clearTimeout(timer); if (this.inFlight.delete(call)) reject(mapRuntimeError(error, method)); },
      );
    });
  }

  async notify(method: string, params: unknown): Promise<void> {
    if (this.closedWith) throw this.closedWith;
    await (params === undefined ? this.rpc.sendNotification(method) : this.rpc.sendNotification(method, params));
  }

  /** Fails everything in flight with `reason`; later calls fail the same way. */
  close(reason: BridgeError): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    for (const call of this.inFlight) call.reject(reason);
    this.inFlight.clear();
    this.rpc.dispose();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private wrapServerRequest(message: InboundRuntimeMessage & { id: number | string }): RuntimeServerRequest {
    let answered = false;
    const send = (body: Record<string, unknown>): Promise<void> => {
      if (answered) return Promise.reject(new BridgeError('conflict', 'this runtime request was already answered'));
      if (this.closedWith) return Promise.reject(this.closedWith);
      const refused = refuseIllFormed(message.method, body);
      if (refused) return Promise.reject(refused);
      answered = true;
      return this.writer.writeLine(JSON.stringify({ jsonrpc: '2.0', id: message.id, ...body }));
    };
    return {
      method: message.method,
      id: message.id,
      params: message.params,
      respond: (result) => send({ result }),
      fail: (code, errorMessage) => send({ error: { code, message: errorMessage } }),
    };
  }
}

/**
 * The runtime drops a line it cannot parse without answering it, so a request carrying
 * ill-formed Unicode would only fail by timeout. Such a line is refused before it is
 * written, failing its request at once (the API boundary already refuses client input
 * like this; this catches anything the bridge itself would pass on).
 */
function refuseIllFormed(method: string, params: unknown): BridgeError | undefined {
  const bad = illFormedStringPath(params);
  if (!bad) return undefined;
  return new BridgeError('invalid_request', `codex ${method}: ${bad.join('.') || 'params'} contains a lone UTF-16 surrogate, which the runtime cannot read`, {
    issues: [{ path: bad, message: 'contains a lone UTF-16 surrogate (ill-formed Unicode)', code: 'ill_formed_unicode' }],
    details: { runtimeMethod: method },
  });
}
