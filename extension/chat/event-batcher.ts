/**
 * Collects items and hands them over in one batch per interval (~one frame): a streaming
 * turn sends hundreds of deltas per second, and one postMessage per delta makes webviews
 * fall behind (worst over remote connections).
 */
export class EventBatcher<T> {
  private queue: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deliver: (batch: T[]) => void, private readonly intervalMs = 16) {}

  push(item: T): void {
    this.queue.push(item);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Forget queued items (e.g. the ones a fresh state already contains). */
  discard(predicate: (item: T) => boolean = () => true): void {
    this.queue = this.queue.filter((item) => !predicate(item));
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.deliver(batch);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}
