import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventLog, LoggedEvent } from '../../state/event-log';
import { ALL_FAMILIES, FrameBuilder, type Family, type SessionInfo } from './families';
import { parseClientCommand } from './commands';
import { encodeTextFrame } from './text-frame';

export interface StreamServerOptions {
  /** Server heartbeat: a ping every interval; no pong within two intervals closes the socket. */
  heartbeatMs?: number;
  /** A socket whose unsent bytes pass this bound is a slow consumer and is closed with a reason. */
  maxBufferedBytes?: number;
}

interface Client {
  ws: WebSocket;
  /** null: every thread. */
  threads: Set<string> | null;
  families: Set<Family>;
  /** Frames without what the client already knows (see FrameBuilder.frame). */
  compact: boolean;
  /** Encoded frames waiting for this tick's flush. */
  queue: Buffer[];
  queuedBytes: number;
  alive: boolean;
  lastSeq: number;
}

/**
 * `/api/stream`: codex-manager's WebSocket stream, with seq/epoch, replay since a seq,
 * several thread filters, family selection, heartbeats and slow-consumer cut-off. Frames
 * are built once per event for all sockets and written in one batch per socket per tick.
 */
export class StreamServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  private readonly clients = new Set<Client>();
  private readonly frames: FrameBuilder;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private flushScheduled = false;
  private readonly maxBuffered: number;

  constructor(private readonly log: EventLog, sessionInfo: (threadId: string) => SessionInfo | null, opts: StreamServerOptions = {}) {
    this.frames = new FrameBuilder(log, sessionInfo);
    this.maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.unsubscribe = log.subscribe((event) => this.publish(event));
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Takes over an authenticated upgrade request for /api/stream. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://bridge');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // Everything a subscribe frame can say can also be said in the URL, so a reconnecting
      // client gets its replay before any live event (no window for duplicates).
      const threadIds = [...url.searchParams.getAll('threadId'), ...(url.searchParams.get('threadIds')?.split(',') ?? [])].filter(Boolean);
      const threadId = threadIds[0] ?? null;
      const since = url.searchParams.get('since');
      const families = url.searchParams.get('families');
      const client: Client = {
        ws, threads: threadIds.length ? new Set(threadIds) : null, families: new Set(ALL_FAMILIES), compact: url.searchParams.get('compact') === '1',
        queue: [], queuedBytes: 0, alive: true, lastSeq: this.log.lastSeq,
      };
      if (families) client.families = new Set(families.split(',').filter((f): f is Family => (ALL_FAMILIES as readonly string[]).includes(f)));
      this.clients.add(client);
      ws.on('pong', () => { client.alive = true; });
      ws.on('message', (data, isBinary) => this.onMessage(client, isBinary ? '' : data.toString()));
      ws.on('close', () => this.clients.delete(client));
      ws.on('error', () => this.clients.delete(client));
      this.sendNow(client, { type: 'ready', threadId, threadIds: client.threads ? [...client.threads] : null, epoch: this.log.epoch, lastSeq: this.log.lastSeq });
      if (since !== null) this.replay(client, Number(since));
    });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const c of this.clients) c.ws.close(1001, 'bridge shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(client: Client, text: string): void {
    const command = parseClientCommand(text);
    switch (command.type) {
      case 'ping':
        return this.sendNow(client, { type: 'pong', lastSeq: this.log.lastSeq });
      case 'unsubscribe':
        client.threads = null;
        client.families = new Set(ALL_FAMILIES);
        return this.sendNow(client, { type: 'unsubscribed' });
      case 'subscribe':
        client.threads = command.threadIds.length ? new Set(command.threadIds) : null;
        if (command.families) client.families = new Set(command.families);
        if (command.compact !== undefined) client.compact = command.compact;
        this.sendNow(client, { type: 'subscribed', threadIds: client.threads ? [...client.threads] : null, families: [...client.families], compact: client.compact, epoch: this.log.epoch, lastSeq: this.log.lastSeq });
        if (command.since !== undefined) this.replay(client, command.since);
        return;
      default:
        return this.sendNow(client, { type: 'error', message: 'invalid websocket command', ...(command.reason ? { reason: command.reason } : {}) });
    }
  }

  /** Everything after `since` that matches the client's filter, or `resync_required` when the ring lost some. */
  private replay(client: Client, since: number): void {
    const result = this.log.since(Number.isFinite(since) ? since : 0);
    if (!result.ok) {
      this.sendNow(client, { type: 'resync_required', since, oldestSeq: result.oldestSeq, lastSeq: result.lastSeq, epoch: this.log.epoch });
      return;
    }
    for (const event of result.events) this.enqueue(client, event);
    this.sendNow(client, { type: 'replayed', since, count: result.events.length, lastSeq: this.log.lastSeq });
  }

  private publish(event: LoggedEvent): void {
    if (this.clients.size === 0) return;
    // Each family's frame is serialized at most once per event, shared by every socket.
    const built: Partial<Record<string, Buffer>> = {};
    for (const client of this.clients) this.enqueue(client, event, built);
  }

  private enqueue(client: Client, event: LoggedEvent, built: Partial<Record<string, Buffer>> = {}): void {
    if (event.threadId !== null && client.threads !== null && !client.threads.has(event.threadId)) return;
    for (const target of this.frames.targets(event)) {
      if (!client.families.has(target.family)) continue;
      if (target.threadId !== null && client.threads !== null && !client.threads.has(target.threadId)) continue;
      const key = client.compact ? `${target.family}:c` : target.family;
      const frame = (built[key] ??= encodeTextFrame(this.frames.frame(event, target.family, client.compact)));
      client.queue.push(frame);
      client.queuedBytes += frame.length;
    }
    client.lastSeq = event.seq;
    // The backlog the socket could not send in earlier ticks; this tick's queue is bounded
    // by one read from the runtime and is not held against the client.
    if (client.ws.bufferedAmount > this.maxBuffered) {
      this.cutOff(client);
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * One write per socket per tick: the tick's frames, already encoded, in one buffer,
   * straight to the socket. Safe beside ws's own sends (ready, pong, close) because
   * without compression ws writes synchronously, so nothing of its is queued behind us.
   */
  private flush(): void {
    this.flushScheduled = false;
    for (const client of this.clients) {
      if (client.queue.length === 0) continue;
      const socket = (client.ws as unknown as { _socket?: { write(data: Buffer): boolean } })._socket;
      if (socket && client.ws.readyState === client.ws.OPEN) {
        socket.write(client.queue.length === 1 ? client.queue[0]! : Buffer.concat(client.queue, client.queuedBytes));
      }
      client.queue = [];
      client.queuedBytes = 0;
      if (client.ws.bufferedAmount > this.maxBuffered) this.cutOff(client);
    }
  }

  private cutOff(client: Client): void {
    if (!this.clients.delete(client)) return;
    client.queue = [];
    client.ws.close(1008, `slow consumer: more than ${this.maxBuffered} bytes unsent; reconnect with since=${client.lastSeq - 1}`);
    // The close frame queues behind what the client has not read; give it a few seconds to
    // drain and learn why before the socket (and its buffer) is dropped for good.
    setTimeout(() => client.ws.terminate(), 5000).unref();
  }

  private sendNow(client: Client, message: Record<string, unknown>): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(message));
  }

  private beat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.ws.terminate();
        this.clients.delete(client);
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }
}
