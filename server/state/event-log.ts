import { randomBytes } from 'node:crypto';

/** One event as every surface sees it: codex-manager's envelope plus `seq` and `epoch`. */
export interface LoggedEvent {
  seq: number;
  type: string;
  threadId: string | null;
  /** The payload as an object, for in-process listeners. */
  payload: unknown;
  /** The payload as JSON text: for runtime notifications the runtime's own line, never re-serialized. */
  payloadJson: string;
  at: number;
}

export type ReplayResult =
  | { ok: true; events: LoggedEvent[] }
  /** The ring no longer holds every event after `since`, or `since` is beyond the last seq: the client must reload state. */
  | { ok: false; reason: 'resync_required'; oldestSeq: number; lastSeq: number };

export interface EventLogOptions {
  maxEvents?: number;
  maxBytes?: number;
  /** Fixed epoch (tests); by default a fresh id per bridge start. */
  epoch?: string;
}

export type EventListener = (event: LoggedEvent) => void;

const UNPARSED: unique symbol = Symbol('unparsed');

/**
 * A held event. When the caller gave the payload's text (a runtime line), the parsed
 * payload is kept only while the event is handed to the live listeners and parsed again
 * on demand later (a replay): the ring then holds one string per event instead of a tree
 * of objects, which would otherwise all survive into the old generation (with a 50,000
 * event ring, a third of the bridge's CPU on a long streamed answer went to GC).
 */
class HeldEvent implements LoggedEvent {
  #payload: unknown;

  constructor(
    readonly seq: number,
    readonly type: string,
    readonly threadId: string | null,
    payload: unknown,
    readonly payloadJson: string,
    readonly at: number,
  ) {
    this.#payload = payload;
  }

  get payload(): unknown {
    if (this.#payload === UNPARSED) this.#payload = JSON.parse(this.payloadJson);
    return this.#payload;
  }

  /** Drops the parsed payload; it can be rebuilt from the text. */
  release(): void {
    this.#payload = UNPARSED;
  }
}

/**
 * The bridge's event history: every event gets a monotonic `seq` (per `epoch`, one epoch
 * per bridge start) and is kept in a ring bounded by count and bytes, so a client that
 * reconnects can ask for everything after the last seq it saw.
 */
export class EventLog {
  readonly epoch: string;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly ring: (HeldEvent | undefined)[];
  private head = 0; // index of the oldest event
  private count = 0;
  private bytes = 0;
  private nextSeq = 1;
  private readonly listeners = new Set<EventListener>();

  constructor(opts: EventLogOptions = {}) {
    // 48 random bits, 8 characters: plenty to tell one bridge start from the previous
    // ones, and 28 bytes shorter than a UUID on every frame that carries it.
    this.epoch = opts.epoch ?? randomBytes(6).toString('base64url');
    this.maxEvents = opts.maxEvents ?? 50_000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.ring = new Array(this.maxEvents);
  }

  /** The seq of the newest event, 0 before the first. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The seq of the oldest event still held, or lastSeq + 1 when empty. */
  get oldestSeq(): number {
    return this.count === 0 ? this.nextSeq : this.ring[this.head]!.seq;
  }

  get size(): { events: number; bytes: number } {
    return { events: this.count, bytes: this.bytes };
  }

  /**
   * Records an event and hands it to every listener synchronously. `payloadJson` is
   * the payload's JSON text when the caller already has it (a runtime line).
   */
  append(type: string, threadId: string | null, payload: unknown, payloadJson?: string): LoggedEvent {
    const event = new HeldEvent(this.nextSeq++, type, threadId, payload, payloadJson ?? JSON.stringify(payload ?? null), Date.now());
    this.push(event);
    for (const listener of this.listeners) listener(event);
    // Only runtime lines: the bridge's own events are small and rare, and their payload
    // objects may not survive a JSON round trip unchanged (undefined fields).
    if (payloadJson !== undefined) event.release();
    return event;
  }

  /**
   * Held events with seq > `since` (at most `max` of them, oldest first), or a resync
   * signal when some were evicted.
   */
  since(since: number, max = Infinity): ReplayResult {
    // A seq this log never issued is from another bridge run (or a client's mistake): an
    // empty answer would look like "nothing missed", so the caller must resync instead.
    if (since > this.lastSeq) return { ok: false, reason: 'resync_required', oldestSeq: this.oldestSeq, lastSeq: this.lastSeq };
    if (since === this.lastSeq) return { ok: true, events: [] };
    if (since + 1 < this.oldestSeq) {
      return { ok: false, reason: 'resync_required', oldestSeq: this.oldestSeq, lastSeq: this.lastSeq };
    }
    const events: LoggedEvent[] = [];
    const skip = since + 1 - this.oldestSeq;
    const end = Math.min(this.count, Math.max(0, skip) + max);
    for (let i = Math.max(0, skip); i < end; i++) {
      events.push(this.ring[(this.head + i) % this.maxEvents]!);
    }
    return { ok: true, events };
  }

  /** Live events from now on. Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The event's wire frame: the payload text is spliced in, never re-serialized. Callers
   * that fan out build it once per event and share it (the ring does not keep frames).
   */
  frame(event: LoggedEvent): string {
    return `{"type":${JSON.stringify(event.type)},"threadId":${event.threadId === null ? 'null' : JSON.stringify(event.threadId)},"seq":${event.seq},"epoch":"${this.epoch}","payload":${event.payloadJson}}`;
  }

  private push(event: HeldEvent): void {
    const size = event.payloadJson.length;
    while (this.count > 0 && (this.count >= this.maxEvents || this.bytes + size > this.maxBytes)) this.evictOldest();
    this.ring[(this.head + this.count) % this.maxEvents] = event;
    this.count++;
    this.bytes += size;
  }

  private evictOldest(): void {
    const oldest = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.maxEvents;
    this.count--;
    this.bytes -= oldest.payloadJson.length;
  }
}
