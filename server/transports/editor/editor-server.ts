import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection, ResponseError, TextDocumentSyncKind, type CodeLens, type Connection, type InitializeParams } from 'vscode-languageserver/node';
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
 * The editor front door: LSP-style JSON-RPC over stdio (vscode-languageserver). Every
 * operation is the request `codex/<operationId>` with `{params, query, body}`; events
 * arrive as `codex/event` notifications; code lenses for pending file changes come from
 * `textDocument/codeLens`, refreshed with `workspace/codeLens/refresh`.
 */
export function runEditorServer(start: (init: EditorInitOptions) => Promise<RunningBridge>, streams?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): Connection {
  const connection = streams ? createConnection(streams.input, streams.output) : createConnection();
  let running: RunningBridge | undefined;
  let starting: Promise<RunningBridge> | undefined;
  let refreshSupported = false;
  let init: EditorInitOptions = {};

  const ready = (): Promise<RunningBridge> => {
    if (running) return Promise.resolve(running);
    starting ??= start(init).then((r) => { running = r; wire(r); return r; });
    return starting;
  };

  function wire(r: RunningBridge): void {
    const { bridge } = r;
    bridge.events.subscribe((event) => sendEvent(event));
    const refresh = (kind: string) => {
      if (kind === 'approval' && refreshSupported) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    };
    bridge.pending.onRequested((e) => refresh(e.kind));
    bridge.pending.onSettled((e) => refresh(e.kind));
    bridge.runtime.onState((state) => {
      if (state === 'failed') {
        connection.window.showErrorMessage(`Codex runtime failed: ${bridge.runtime.health().failureReason ?? 'unknown reason'}. Run "Codex: Restart Runtime".`);
      }
    });
  }

  function sendEvent(event: LoggedEvent): void {
    // Runtime request echoes are for stream clients; the editor follows the pending events.
    if (event.type === 'server_request') return;
    void connection.sendNotification('codex/event', { type: event.type, threadId: event.threadId, seq: event.seq, payload: event.payload });
  }

  connection.onInitialize((params: InitializeParams) => {
    init = (params.initializationOptions ?? {}) as EditorInitOptions;
    refreshSupported = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.None, codeLensProvider: { resolveProvider: false } },
      serverInfo: { name: 'codex-manager-bridge', version: BRIDGE_VERSION },
    };
  });

  // Start the runtime once the client is ready, without holding up its initialize.
  connection.onInitialized(() => { void ready().catch((error: unknown) => connection.window.showErrorMessage(`Codex Manager bridge failed to start: ${String(error)}`)); });

  connection.onRequest(async (method: string, params: unknown) => {
    if (!method.startsWith('codex/')) throw new ResponseError(-32601, `unknown method ${method}`);
    const r = await ready();
    const name = method.slice('codex/'.length);
    const p = (params ?? {}) as Record<string, unknown>;
    switch (name) {
      case 'info':
        return { url: r.url, tokenFile: r.tokenFile, dataDir: r.dataDir, epoch: r.bridge.events.epoch, lastSeq: r.bridge.events.lastSeq, demo: r.demo };
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
  });

  connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
    if (!textDocument.uri.startsWith('file:')) return [];
    const r = running;
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

  connection.onShutdown(async () => {
    await running?.stop();
  });
  connection.onExit(() => process.exit(0));
  connection.listen();
  return connection;
}

function bridgeError(error: BridgeError): ResponseError<unknown> {
  return new ResponseError(BRIDGE_ERROR_CODE, error.message, { httpStatus: error.httpStatus, body: error.toBody() });
}
