import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventLog, LoggedEvent } from '../../state/event-log';
import { ALL_FAMILIES, FrameBuilder, type Family, type SessionInfo } from './families';
import { parseClientCommand } from './commands';
import { encodeTextFrame } from './text-frame';
import { FlushScheduler, type FlushSchedulerOptions } from './flush-scheduler';

export interface StreamServerOptions {
  /** Server heartbeat: a ping every interval; no pong within two intervals closes the socket. */
  heartbeatMs?: number;
  /** A socket whose unsent bytes pass this bound is a slow consumer and is closed with a reason. */
  maxBufferedBytes?: number;
  /** Adaptive write coalescing (see FlushScheduler). */
  coalesce?: FlushSchedulerOptions;
}

/** Where a resuming client stands: after `since`, with `sinceFrames` frames of event `since` received. */
interface ResumePoint {
  since: number;
  sinceFrames?: number;
  epoch?: string;
}

/** A socket's queue is written at once past this many bytes, burst or not. */
const FLUSH_AT_BYTES = 64 * 1024;

interface Client {
  ws: WebSocket;
  /**
   * The upgraded socket, as the HTTP server handed it to us (ws wraps the same object).
   * Pre-encoded frames are written to it directly; see `flush` for why that is safe.
   */
  socket: Duplex;
  /** null: every thread. */
  threads: Set<string> | null;
  families: Set<Family>;
  /** Frames without what the client already knows (see FrameBuilder.frame). */
  compact: boolean;
  /** Encoded frames waiting for this tick's flush. */
  queue: Buffer[];
  queuedBytes: number;
  alive: boolean;
  /** While a replay is being paced out: the last seq it sent. Live events wait in the log. */
  replayedTo?: number;
  replayCount?: number;
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
  private readonly scheduler: FlushScheduler;
  private readonly maxBuffered: number;

  constructor(private readonly log: EventLog, sessionInfo: (threadId: string) => SessionInfo | null, opts: StreamServerOptions = {}) {
    this.frames = new FrameBuilder(log, sessionInfo);
    this.maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.scheduler = new FlushScheduler(() => this.flush(), opts.coalesce);
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
        ws, socket, threads: threadIds.length ? new Set(threadIds) : null, families: new Set(ALL_FAMILIES), compact: url.searchParams.get('compact') === '1',
        queue: [], queuedBytes: 0, alive: true,
      };
      if (families) client.families = new Set(families.split(',').filter((f): f is Family => (ALL_FAMILIES as readonly string[]).includes(f)));
      this.clients.add(client);
      ws.on('pong', () => { client.alive = true; });
      ws.on('message', (data, isBinary) => this.onMessage(client, isBinary ? '' : data.toString()));
      ws.on('close', () => this.clients.delete(client));
      ws.on('error', () => this.clients.delete(client));
      this.sendNow(client, { type: 'ready', threadId, threadIds: client.threads ? [...client.threads] : null, epoch: this.log.epoch, lastSeq: this.log.lastSeq });
      if (since !== null) {
        const sinceFrames = url.searchParams.get('sinceFrames');
        const epoch = url.searchParams.get('epoch');
        this.replay(client, { since: Number(since), ...(sinceFrames !== null ? { sinceFrames: Number(sinceFrames) } : {}), ...(epoch ? { epoch } : {}) });
      }
    });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    this.scheduler.flushNow();
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
        if (command.since !== undefined) this.replay(client, { since: command.since, ...(command.sinceFrames !== undefined ? { sinceFrames: command.sinceFrames } : {}), ...(command.epoch ? { epoch: command.epoch } : {}) });
        return;
      default:
        return this.sendNow(client, { type: 'error', message: 'invalid websocket command', ...(command.reason ? { reason: command.reason } : {}) });
    }
  }

  /**
   * Everything the client has not received, exactly: the frames of event `since` after its
   * first `sinceFrames` (frames of one event share a seq, so a seq alone cannot say a
   * disconnect fell between them), then every later event that matches the filter. When
   * that cannot be answered exactly (the ring lost some, `since` is beyond the last seq, or
   * it belongs to another epoch) the answer is `resync_required` with the current epoch:
   * never a silent empty replay.
   */
  private replay(client: Client, point: ResumePoint): void {
    const since = Number.isInteger(point.since) && point.since >= 0 ? point.since : 0;
    const partial = point.sinceFrames !== undefined && Number.isInteger(point.sinceFrames) && point.sinceFrames > 0 && since > 0 ? point.sinceFrames : 0;
    if (point.epoch !== undefined && point.epoch !== this.log.epoch) return this.resync(client, since, 'epoch_changed');
    if (since > this.log.lastSeq) return this.resync(client, since, 'since_ahead');
    if (partial) {
      const first = this.log.since(since - 1, 1);
      if (!first.ok || first.events[0]?.seq !== since) return this.resync(client, since, 'evicted');
      this.queueFrames(client, first.events[0], {}, partial);
    }
    client.replayedTo = since;
    client.replayCount = partial ? 1 : 0;
    this.pump(client, since, partial);
  }

  /**
   * Sends a replay in chunks, each after the socket drained the previous one, then switches
   * the client to live events. Live events that arrive meanwhile are read from the log in
   * turn, so order holds; a replay larger than the slow-consumer bound is paced, not cut off.
   */
  private pump(client: Client, since: number, partial: number): void {
    while (client.replayedTo !== undefined && this.clients.has(client)) {
      if (client.ws.bufferedAmount > this.maxBuffered / 2) {
        client.socket.once('drain', () => this.pump(client, since, partial));
        return;
      }
      const result = this.log.since(client.replayedTo, 512);
      if (!result.ok) {
        client.replayedTo = undefined;
        client.queue = [];
        client.queuedBytes = 0;
        return this.resync(client, since, 'evicted');
      }
      if (result.events.length === 0) {
        client.replayedTo = undefined;
        this.sendNow(client, { type: 'replayed', since, ...(partial ? { sinceFrames: partial } : {}), count: client.replayCount, lastSeq: this.log.lastSeq });
        return;
      }
      for (const event of result.events) this.queueFrames(client, event);
      client.replayedTo = result.events.at(-1)!.seq;
      client.replayCount! += result.events.length;
      this.write(client);
    }
  }

  private resync(client: Client, since: number, reason: 'epoch_changed' | 'since_ahead' | 'evicted'): void {
    this.sendNow(client, { type: 'resync_required', reason, since, oldestSeq: this.log.oldestSeq, lastSeq: this.log.lastSeq, epoch: this.log.epoch });
  }

  private publish(event: LoggedEvent): void {
    if (this.clients.size === 0) return;
    this.scheduler.arrived();
    // Each family's frame is serialized at most once per event, shared by every socket.
    const built: Partial<Record<string, Buffer>> = {};
    for (const client of this.clients) this.enqueue(client, event, built);
  }

  /** Queues a live event's frames for the client, leaving out its first `skip` (already received). */
  private enqueue(client: Client, event: LoggedEvent, built: Partial<Record<string, Buffer>> = {}, skip = 0): void {
    if (client.replayedTo !== undefined) return; // the replay reads it from the log
    this.queueFrames(client, event, built, skip);
    // The backlog the socket could not send in earlier flushes; what is queued now is
    // bounded by FLUSH_AT_BYTES and is not held against the client.
    if (client.ws.bufferedAmount > this.maxBuffered) {
      this.cutOff(client);
      return;
    }
    if (client.queuedBytes >= FLUSH_AT_BYTES) this.scheduler.flushNow();
    else if (client.queue.length > 0) this.scheduler.schedule();
  }

  private queueFrames(client: Client, event: LoggedEvent, built: Partial<Record<string, Buffer>> = {}, skip = 0): void {
    if (event.threadId !== null && client.threads !== null && !client.threads.has(event.threadId)) return;
    let position = 0;
    for (const target of this.frames.targets(event)) {
      if (!client.families.has(target.family)) continue;
      if (target.threadId !== null && client.threads !== null && !client.threads.has(target.threadId)) continue;
      if (position++ < skip) continue;
      const key = client.compact ? `${target.family}:c` : target.family;
      const frame = (built[key] ??= encodeTextFrame(this.frames.frame(event, target.family, client.compact)));
      client.queue.push(frame);
      client.queuedBytes += frame.length;
    }
  }

  /**
   * One write per socket per flush: the frames queued since the last one, already
   * encoded, in one buffer, straight to the socket, with no write to any private field
   * of `ws`. `socket` is our own reference, handed to us with the upgrade (ws wraps that
   * same object). Interleaving with ws's own sends (ready, pong, close) is safe because,
   * without compression (`perMessageDeflate: false`) and with no Blob data, ws writes each
   * frame to the socket synchronously inside `send`, so nothing of its can be queued
   * behind or between our frames; and `ws.bufferedAmount` (public) counts the socket's
   * unsent bytes, ours included. test/unit/ws-raw-frames.test.ts fails if a `ws` upgrade
   * changes either.
   */
  private flush(): void {
    for (const client of this.clients) {
      if (client.queue.length === 0) continue;
      this.write(client);
      if (client.ws.bufferedAmount > this.maxBuffered) this.cutOff(client);
    }
  }

  private write(client: Client): void {
    if (client.ws.readyState === client.ws.OPEN && client.socket.writable) {
      client.socket.write(client.queue.length === 1 ? client.queue[0]! : Buffer.concat(client.queue, client.queuedBytes));
    }
    client.queue = [];
    client.queuedBytes = 0;
  }

  /**
   * Drops a consumer that does not read. Its queued frames and whatever the socket still
   * holds are lost, and the bridge cannot know which frames reached the client, so the
   * reason suggests no seq: the client resumes from what it received (its last seq, and
   * how many frames of that seq), which is exact (see `replay`).
   */
  private cutOff(client: Client): void {
    if (!this.clients.delete(client)) return;
    client.queue = [];
    client.queuedBytes = 0;
    client.ws.close(1008, `slow consumer: over ${this.maxBuffered} bytes unsent; resume from what you received (since, sinceFrames)`);
    // The close frame queues behind what the client has not read; give it a few seconds to
    // drain and learn why before the socket (and its buffer) is dropped for good.
    setTimeout(() => client.ws.terminate(), 5000).unref();
  }

  /** A control frame, after whatever is queued for the client (so `replayed` follows the replay). */
  private sendNow(client: Client, message: Record<string, unknown>): void {
    if (client.queue.length > 0) this.write(client);
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
