export interface FlushSchedulerOptions {
  /**
   * Longest a frame waits while a burst lasts, in ms (a Node timer: it fires after this,
   * within one event-loop turn). 0 turns coalescing across ticks off.
   */
  maxDelayMs?: number;
  /** Reads closer together than this on average (ms) are a burst; 0.1 ms is 10,000 reads/s. */
  burstGapMs?: number;
}

/**
 * Events closer than this (ms) came from the same read (one chunk's lines are routed
 * synchronously, a few µs apart): they are batched anyway, so they do not count as a burst.
 */
const SAME_READ_MS = 0.02;

/**
 * When to write what the stream queued: adaptive coalescing.
 *
 * The runtime writes one line per read, so during a streamed answer each event loop tick
 * carries one event, and writing every tick costs one syscall per event: the dominant
 * bridge cost in the profiles (`writeBuffer`, ~13 µs per delta). So:
 * - idle, or a trickle (reads that bring events further apart than `burstGapMs` on
 *   average): flush at the end of this tick (`setImmediate`), as before; latency stays
 *   that of one tick. Many events in one read are one write already;
 * - a burst (reads closer than `burstGapMs` on average, i.e. a tick per event): flush on a
 *   short timer, so one write carries every event of the last `maxDelayMs`; no event waits
 *   longer than that bound plus one loop turn;
 * - the caller flushes at once when a socket's queue grows large (`flushNow`).
 * The average is an exponentially weighted mean of the gaps between reads (1/8 weight to
 * the newest), so one pause leaves burst mode within a few reads and one burst enters it
 * within a few reads.
 */
export class FlushScheduler {
  private readonly maxDelayMs: number;
  private readonly burstGapMs: number;
  private lastArrival = -Infinity;
  private meanGapMs = Infinity;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly flush: () => void, opts: FlushSchedulerOptions = {}) {
    this.maxDelayMs = opts.maxDelayMs ?? 1;
    this.burstGapMs = opts.burstGapMs ?? 0.1;
  }

  /** Whether the stream is in a burst (frames are held up to the bound). */
  get bursting(): boolean {
    return this.maxDelayMs > 0 && this.meanGapMs < this.burstGapMs;
  }

  /** One event arrived: updates the read-rate estimate. Once per event, not per socket. */
  arrived(now = performance.now()): void {
    // A long pause counts as 5 ms, so a new burst is recognised within ~30 reads (2 ms at 15,000 reads/s).
    const gap = Math.min(now - this.lastArrival, 5);
    this.lastArrival = now;
    if (gap < SAME_READ_MS) return;
    this.meanGapMs = this.meanGapMs === Infinity ? gap : this.meanGapMs + (gap - this.meanGapMs) / 8;
  }

  /** Something was queued: makes sure a flush is coming, soon or at once depending on the rate. */
  schedule(): void {
    if (this.immediate || this.timer) return;
    if (this.bursting) this.timer = setTimeout(this.run, this.maxDelayMs);
    else this.immediate = setImmediate(this.run);
  }

  /** Flush now (a queue grew large, or the stream is closing). */
  flushNow(): void {
    this.run();
  }

  cancel(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = this.timer = undefined;
  }

  private readonly run = (): void => {
    this.cancel();
    this.flush();
  };
}
