import type WebSocketType from 'ws';
import { apiPath, type Connection } from './config';
import { CliError, EXIT } from './errors';

/**
 * The event stream client: `/api/stream` with its filter in the URL (so the replay
 * comes before any live event), and reconnection that replays what was missed.
 *
 * No gap and no duplicate across a disconnect: frames of one event share its `seq`
 * (one frame per family). The client remembers the highest seq it has seen and how many
 * frames of that seq it got, and reconnects with `since = lastSeq` and `sinceFrames =
 * that count` (and its epoch): the bridge sends exactly the rest. Frame types already
 * seen are still dropped, in case an older bridge (no `sinceFrames`) replays the event
 * whole. A new epoch (the bridge restarted) cannot be replayed across: the client says
 * so and replays the new epoch from its start.
 */

export interface StreamFrame {
  type: string;
  threadId?: string | null;
  seq?: number;
  epoch?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface EventStreamOptions {
  threadIds?: string[];
  families?: string[];
  compact?: boolean;
  since?: number;
  reconnect?: boolean;
  /** Frames to send after each (re)connect, e.g. codex-manager's `subscribe`. */
  onOpenFrames?: () => object[];
  /** An event (a frame with a seq), after de-duplication; `raw` is the frame text. */
  onEvent(frame: StreamFrame, raw: string): void;
  /** Control frames: ready, subscribed, replayed, pong, resync_required, error. */
  onControl?(frame: StreamFrame, raw: string): void;
  /** Connection news for people: disconnected, reconnecting, resumed. */
  onStatus?(message: string, level: 'info' | 'warn'): void;
  pingIntervalMs?: number;
}

const CONTROL = new Set(['ready', 'subscribed', 'unsubscribed', 'replayed', 'pong', 'resync_required', 'error']);

export class EventStream {
  /** Highest seq seen (or the point the stream started from). */
  lastSeq: number | undefined;
  epoch: string | undefined;
  reconnects = 0;
  events = 0;
  /** Frame types of `lastSeq` already delivered; `complete` when nothing of it can still arrive. */
  private typesAtLast = new Set<string>();
  private lastComplete = false;
  private nextSince: number | undefined;
  /** Frames of `nextSince` already received (0: that event is complete). */
  private nextSinceFrames = 0;
  private ws: WebSocketType | undefined;
  private stopped = false;
  private attempt = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private settle!: { resolve(): void; reject(e: unknown): void };
  private connectedOnce = false;
  private resolveReady!: (frame: StreamFrame) => void;
  /** Resolves once the first `ready` arrived. */
  readonly ready: Promise<StreamFrame> = new Promise((resolve) => { this.resolveReady = resolve; });

  constructor(private readonly conn: Connection, private readonly opts: EventStreamOptions) {
    if (opts.since !== undefined) {
      this.lastSeq = opts.since;
      this.lastComplete = true;
      this.nextSince = opts.since;
    }
  }

  /** Resolves when stopped; rejects when the stream cannot be opened (or drops with reconnecting off). */
  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.connect();
    });
  }

  send(frame: object): void {
    if (this.ws && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    try {
      this.ws?.close(1000, 'client done');
    } catch {
      // already closed
    }
    setTimeout(() => this.ws?.terminate(), 200).unref();
    this.settle.resolve();
  }

  url(): string {
    const base = new URL(this.conn.baseUrl + apiPath(this.conn, '/api/stream'));
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    for (const t of this.opts.threadIds ?? []) base.searchParams.append('threadId', t);
    if (this.opts.families?.length) base.searchParams.set('families', this.opts.families.join(','));
    if (this.opts.compact) base.searchParams.set('compact', '1');
    if (this.nextSince !== undefined) {
      base.searchParams.set('since', String(this.nextSince));
      if (this.nextSinceFrames > 0) base.searchParams.set('sinceFrames', String(this.nextSinceFrames));
      if (this.epoch) base.searchParams.set('epoch', this.epoch);
    }
    return base.toString();
  }

  private connect(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const WebSocket = require('ws') as typeof WebSocketType;
    const url = this.url();
    const ws = new WebSocket(url, { headers: this.conn.headers, handshakeTimeout: this.conn.timeoutMs, perMessageDeflate: false });
    this.ws = ws;
    let opened = false;
    let refusal: CliError | undefined;
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let message = `the bridge refused the stream (${status})`;
        try {
          message = `${(JSON.parse(Buffer.concat(chunks).toString()) as { message?: string }).message ?? message} (${status})`;
        } catch {
          // not JSON
        }
        refusal = new CliError('stream', message, status === 401 || status === 403 ? EXIT.auth : EXIT.error,
          status === 401 ? 'pass the bridge token with --bearer (or CODEX_MANAGER_BEARER_TOKEN)' : 'check the URL and the bridge version');
        ws.terminate();
      });
    });
    ws.on('open', () => {
      opened = true;
      this.attempt = 0;
      for (const frame of this.opts.onOpenFrames?.() ?? []) ws.send(JSON.stringify(frame));
      if (this.opts.pingIntervalMs) {
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.send({ type: 'ping' }), Math.max(100, this.opts.pingIntervalMs));
      }
    });
    ws.on('message', (data) => {
      if (this.ws === ws) this.onMessage(data.toString());
    });
    ws.on('error', () => { /* close follows */ });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      const why = `${code}${reason.length ? `: ${reason.toString()}` : ''}`;
      if (refusal && !opened) return this.fail(refusal);
      if (!this.connectedOnce && (this.opts.reconnect === false || this.attempt >= 3)) {
        return this.fail(new CliError('connection', `cannot open the event stream at ${url.replace(/\?.*/, '')} (${why})`, EXIT.error,
          'start the bridge with `codex-manager serve`, or check --base-url'));
      }
      if (this.opts.reconnect === false) {
        if (code === 1000 || code === 1001) {
          this.stopped = true;
          this.settle.resolve();
          return;
        }
        return this.fail(new CliError('stream', `the event stream closed (${why})`, EXIT.error, 'drop --no-reconnect to resume automatically'));
      }
      this.scheduleReconnect(`stream disconnected (${why})`);
    });
  }

  private fail(error: CliError): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.settle.reject(error);
  }

  private scheduleReconnect(why: string, delayMs?: number): void {
    // Resume right after the last frame received: the rest of its event, then what followed.
    if (this.lastSeq !== undefined) {
      this.nextSince = this.lastSeq;
      this.nextSinceFrames = this.lastComplete ? 0 : this.typesAtLast.size;
    }
    const delay = delayMs ?? Math.min(5000, 100 * 2 ** this.attempt++);
    if (why) this.opts.onStatus?.(`${why}; reconnecting in ${delay} ms`, 'warn');
    this.retryTimer = setTimeout(() => { this.reconnects++; this.connect(); }, delay);
  }

  private onMessage(raw: string): void {
    if (this.stopped) return;
    let frame: StreamFrame;
    try {
      frame = JSON.parse(raw) as StreamFrame;
    } catch {
      return;
    }
    if (typeof frame.seq !== 'number' || CONTROL.has(frame.type)) {
      if (frame.type === 'ready' && !this.onReady(frame)) return;
      if (frame.type === 'resync_required') {
        const why = frame.reason === 'since_ahead' || frame.reason === 'epoch_changed'
          ? `seq ${String(frame.since)} is not from this bridge run (${String(frame.reason)}; last seq ${String(frame.lastSeq)})`
          : `events after seq ${String(frame.since)} are gone from the bridge's buffer (oldest is ${String(frame.oldestSeq)})`;
        this.opts.onStatus?.(`${why}; continuing live`, 'warn');
        // Live from the bridge's current position: a later reconnect resumes from there.
        if (typeof frame.lastSeq === 'number' && (this.lastSeq === undefined || this.lastSeq > frame.lastSeq)) {
          this.lastSeq = frame.lastSeq;
          this.lastComplete = true;
          this.typesAtLast.clear();
        }
      }
      this.opts.onControl?.(frame, raw);
      return;
    }
    const seq = frame.seq;
    if (this.lastSeq !== undefined) {
      if (seq < this.lastSeq) return;
      if (seq === this.lastSeq && (this.lastComplete || this.typesAtLast.has(frame.type))) return;
    }
    if (seq !== this.lastSeq) {
      this.typesAtLast.clear();
      this.lastComplete = false;
    }
    this.lastSeq = seq;
    this.typesAtLast.add(frame.type);
    this.events++;
    this.opts.onEvent(frame, raw);
  }

  /** Returns false when this socket is being replaced (a new bridge epoch). */
  private onReady(frame: StreamFrame): boolean {
    const epoch = typeof frame.epoch === 'string' ? frame.epoch : undefined;
    if (epoch && this.epoch && epoch !== this.epoch) {
      // The bridge restarted: its seqs start again. Replay the new epoch from its start.
      this.opts.onStatus?.('the bridge restarted (new epoch): events of the old bridge after the disconnect are lost; replaying the new one', 'warn');
      this.epoch = epoch;
      this.lastSeq = 0;
      this.lastComplete = true;
      this.typesAtLast.clear();
      this.nextSince = 0;
      this.nextSinceFrames = 0;
      const old = this.ws;
      this.ws = undefined;
      old?.terminate();
      this.scheduleReconnect('', 0);
      return false;
    }
    if (this.lastSeq === undefined && typeof frame.lastSeq === 'number') {
      // Live from here: a reconnect replays what happens after this point.
      this.lastSeq = frame.lastSeq;
      this.lastComplete = true;
    }
    if (this.connectedOnce) this.opts.onStatus?.(`stream resumed after seq ${String(this.nextSince ?? 0)}`, 'info');
    this.epoch = epoch ?? this.epoch;
    this.connectedOnce = true;
    this.resolveReady(frame);
    return true;
  }
}
