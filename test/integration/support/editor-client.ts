import type net from 'node:net';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { connectSharedBridge, type SharedBridgeLaunch } from '../../../extension/bridge/bridge-socket';

export type EditorEvent = { type: string; threadId: string | null; seq: number; payload: Record<string, unknown> };

/**
 * One editor window as the shared bridge sees it: the extension's own connector (socket,
 * token handshake, start-if-none), then LSP-framed JSON-RPC with `codex/*` requests.
 */
export class EditorClient {
  readonly events: EditorEvent[] = [];
  private constructor(readonly rpc: MessageConnection, readonly socket: net.Socket, readonly pid: number, readonly started: boolean) {}

  static async connect(launch: SharedBridgeLaunch, version = '0.1.0'): Promise<EditorClient> {
    const { socket, welcome, started } = await connectSharedBridge(launch, version);
    const rpc = createMessageConnection(new StreamMessageReader(socket), new StreamMessageWriter(socket));
    const client = new EditorClient(rpc, socket, welcome.pid, started);
    rpc.onNotification('codex/event', (e: EditorEvent) => { client.events.push(e); });
    rpc.onRequest('workspace/codeLens/refresh', () => null);
    rpc.onNotification(() => undefined);
    rpc.listen();
    socket.resume();
    await rpc.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await rpc.sendNotification('initialized', {});
    return client;
  }

  call<T = Record<string, unknown>>(operationId: string, input: { params?: unknown; query?: unknown; body?: unknown } = {}): Promise<T> {
    return this.rpc.sendRequest(`codex/${operationId}`, input) as Promise<T>;
  }

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  async waitForEvent(pred: (e: EditorEvent) => boolean, timeoutMs = 20_000, what = 'an event'): Promise<EditorEvent> {
    const t0 = Date.now();
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The window goes away abruptly (extension host killed or reloaded). */
  kill(): void {
    this.rpc.dispose();
    this.socket.destroy();
  }

  /** The window closes politely (LSP shutdown + exit): the bridge must stay up. */
  async close(): Promise<void> {
    try {
      await this.rpc.sendRequest('shutdown');
      await this.rpc.sendNotification('exit');
    } catch {
      // already gone
    }
    this.rpc.dispose();
    this.socket.destroy();
  }
}
