import type { Duplex } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection as createSharedConnection } from 'vscode-languageserver';
import {
  createConnection, createProtocolConnection, ResponseError, StreamMessageReader, StreamMessageWriter, TextDocumentSyncKind,
  type CodeLens, type Connection, type InitializeParams,
} from 'vscode-languageserver/node';
import { BridgeError } from '../../../protocol/errors';
import type { LoggedEvent } from '../../state/event-log';
import type { RunningBridge } from '../../stack';
import { BRIDGE_VERSION } from '../../version';
import { LENS_COMMANDS, lensRowsFor, proposedContent } from './code-lenses';

/** What the extension passes as `initializationOptions`. */
export interface EditorInitOptions {
  dataDir?: string;
  codexPath?: string;
  codexHome?: string;
  workspaceFolder?: string;
  demo?: 'auto' | 'on' | 'off';
  /** `codexManager.redisUrl`: background jobs on BullMQ with this Redis. */
  redisUrl?: string;
}

/** The JSON-RPC error code carrying a bridge error; `data` is `{ httpStatus, body }`. */
export const BRIDGE_ERROR_CODE = -32050;

/**
 * The editor front door over stdio: the bridge is this process's only client's, started
 * from its `initializationOptions`, stopped on `shutdown`; `exit` ends the process.
 */
export function runEditorServer(start: (init: EditorInitOptions) => Promise<RunningBridge>, streams?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): Connection {
  const connection = streams ? createConnection(streams.input, streams.output) : createConnection();
  let running: RunningBridge | undefined;
  let starting: Promise<RunningBridge> | undefined;
  let init: EditorInitOptions = {};
  const ready = (): Promise<RunningBridge> => {
    if (running) return Promise.resolve(running);
    starting ??= start(init).then((r) => { running = r; return r; });
    return starting;
  };
  serveEditorClient(connection, { ready, current: () => running, onInit: (options) => { init = options; } });
  connection.onShutdown(async () => { await running?.stop(); });
  connection.onExit(() => process.exit(0));
  connection.listen();
  return connection;
}

/**
 * One editor client of a shared bridge, over a socket that already passed the token
 * handshake. Nothing the client does ends the bridge: `shutdown`/`exit` and a closed
 * socket end this connection only (the language-server library's own watchdog, which
 * exits the process when the client's pid dies, is replaced). `onClosed` runs once.
 */
export function attachEditorClient(running: RunningBridge, socket: Duplex, onClosed: () => void, stopBridge?: (why: string) => void): Connection {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    connection.dispose();
    socket.destroy();
    onClosed();
  };
  let shutdownReceived = false;
  const watchDog = {
    initialize: () => undefined,
    get shutdownReceived() { return shutdownReceived; },
    set shutdownReceived(value: boolean) { shutdownReceived = value; },
    exit: () => close(),
  };
  const reader = new StreamMessageReader(socket);
  const writer = new StreamMessageWriter(socket);
  // The library logs protocol failures through the connection itself (window/logMessage);
  // once the socket is gone that throws and would end the whole shared bridge. Failures of
  // one client's connection go to the bridge log instead.
  const logger = { error: logLine, warn: logLine, info: () => undefined, log: () => undefined };
  const connection = createSharedConnection(() => createProtocolConnection(reader, writer, logger), watchDog);
  const unsubscribe = serveEditorClient(connection, { ready: () => Promise.resolve(running), current: () => running, onInit: () => undefined, stopBridge });
  reader.onClose(close);
  reader.onError(close);
  writer.onError(close);
  socket.once('close', close);
  connection.listen();
  return connection;
}

function logLine(message: string): void {
  process.stderr.write(`editor client: ${message}\n`);
}

interface BridgeSource {
  ready(): Promise<RunningBridge>;
  current(): RunningBridge | undefined;
  onInit(options: EditorInitOptions): void;
  /** `codex/stopBridge`: only a shared bridge started by an editor may be stopped from one. */
  stopBridge?: ((why: string) => void) | undefined;
}

/**
 * The editor protocol on one connection: every operation is the request
 * `codex/<operationId>` with `{params, query, body}`; events arrive as `codex/event`
 * notifications; code lenses for pending file changes come from `textDocument/codeLens`,
 * refreshed with `workspace/codeLens/refresh`. Its subscriptions end with the connection.
 */
function serveEditorClient(connection: Connection, source: BridgeSource): () => void {
  let refreshSupported = false;
  let disposed = false;
  const subscriptions: (() => void)[] = [];

  function wire(r: RunningBridge): void {
    if (disposed) return;
    const { bridge } = r;
    subscriptions.push(bridge.events.subscribe((event) => sendEvent(event)));
    const refresh = (kind: string) => {
      if (kind === 'approval' && refreshSupported) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    };
    const disposables = [
      bridge.pending.onRequested((e) => refresh(e.kind)),
      bridge.pending.onSettled((e) => refresh(e.kind)),
      bridge.runtime.onState((state) => {
        if (state === 'failed') {
          void connection.window.showErrorMessage(`Codex runtime failed: ${bridge.runtime.health().failureReason ?? 'unknown reason'}. Run "Codex: Restart Runtime".`);
        }
      }),
    ];
    subscriptions.push(() => { for (const d of disposables) d.dispose(); });
  }

  function sendEvent(event: LoggedEvent): void {
    // Runtime request echoes are for stream clients; the editor follows the pending events.
    if (event.type === 'server_request') return;
    void connection.sendNotification('codex/event', { type: event.type, threadId: event.threadId, seq: event.seq, payload: event.payload }).catch(() => undefined);
  }

  connection.onInitialize((params: InitializeParams) => {
    source.onInit((params.initializationOptions ?? {}) as EditorInitOptions);
    refreshSupported = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.None, codeLensProvider: { resolveProvider: false } },
      serverInfo: { name: 'codex-manager-bridge', version: BRIDGE_VERSION },
    };
  });

  // Start the runtime once the client is ready, without holding up its initialize.
  connection.onInitialized(() => {
    void source.ready().then(wire, (error: unknown) => connection.window.showErrorMessage(`Codex Manager bridge failed to start: ${error instanceof Error ? error.message : String(error)}`));
  });

  connection.onRequest(async (method: string, params: unknown) => {
    if (!method.startsWith('codex/')) throw new ResponseError(-32601, `unknown method ${method}`);
    let r: RunningBridge;
    try {
      r = await source.ready();
    } catch (error) {
      throw bridgeError(new BridgeError('runtime_unavailable', `the bridge did not start: ${error instanceof Error ? error.message : String(error)}`));
    }
    const name = method.slice('codex/'.length);
    if (name === 'stopBridge') {
      if (!source.stopBridge) throw bridgeError(new BridgeError('conflict', 'this bridge was not started by the editor (codex-manager serve?): stop it where it runs'));
      // Answer first, then stop: the answer is written after this handler returns, so the
      // stop waits a moment for it to reach the window that asked.
      setTimeout(() => source.stopBridge?.('stopped from an editor window'), 200);
      return { stopping: true, pid: process.pid };
    }
    return editorRequest(r, name, (params ?? {}) as Record<string, unknown>);
  });

  connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
    if (!textDocument.uri.startsWith('file:')) return [];
    const r = source.current();
    if (!r) return [];
    const approvals = r.bridge.pending.list({ kind: 'approval' });
    const rows = lensRowsFor(fileURLToPath(textDocument.uri), approvals, (id) => r.bridge.services.tracker.item(id));
    return rows.flatMap((row) => {
      const range = { start: { line: row.line, character: 0 }, end: { line: row.line, character: 0 } };
      const uri = pathToFileURL(row.path).toString();
      return [
        { range, command: { title: '$(check) Accept', command: LENS_COMMANDS.accept, arguments: [row.approvalId] } },
        { range, command: { title: 'Accept for session', command: LENS_COMMANDS.acceptForSession, arguments: [row.approvalId] } },
        { range, command: { title: '$(close) Decline', command: LENS_COMMANDS.decline, arguments: [row.approvalId] } },
        { range, command: { title: 'Show diff', command: LENS_COMMANDS.showDiff, arguments: [row.approvalId, uri] } },
      ];
    });
  });
  return () => {
    disposed = true;
    for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
  };
}

async function editorRequest(r: RunningBridge, name: string, p: Record<string, unknown>): Promise<unknown> {
  switch (name) {
    case 'info':
      return { url: r.url, tokenFile: r.tokenFile, dataDir: r.dataDir, epoch: r.bridge.events.epoch, lastSeq: r.bridge.events.lastSeq, demo: r.demo, version: BRIDGE_VERSION, pid: process.pid };
    case 'replay': {
      const result = r.bridge.events.since(Number(p.since ?? 0));
      return result.ok
        ? { ok: true, epoch: r.bridge.events.epoch, events: result.events.filter((e) => e.type !== 'server_request').map((e) => ({ type: e.type, threadId: e.threadId, seq: e.seq, payload: e.payload })) }
        : { ...result, epoch: r.bridge.events.epoch };
    }
    case 'proposedContent': {
      const entry = r.bridge.pending.get(String(p.approvalId));
      if (!entry) throw bridgeError(new BridgeError('not_found', `no pending approval ${String(p.approvalId)}`));
      try {
        return proposedContent(entry, String(p.path), (id) => r.bridge.services.tracker.item(id));
      } catch (error) {
        throw bridgeError(new BridgeError('conflict', (error as Error).message));
      }
    }
    default: {
      const reply = await r.bridge.call(name, { params: p.params, query: p.query, body: p.body }, { actor: 'editor' });
      if (reply.status >= 400) {
        const body = reply.body as { message?: string };
        throw new ResponseError(BRIDGE_ERROR_CODE, body?.message ?? `status ${reply.status}`, { httpStatus: reply.status, body: reply.body });
      }
      return reply.body;
    }
  }
}

function bridgeError(error: BridgeError): ResponseError<unknown> {
  return new ResponseError(BRIDGE_ERROR_CODE, error.message, { httpStatus: error.httpStatus, body: error.toBody() });
}
