/**
 * Runs async operations strictly one after another, in call order. A failed
 * operation rejects only its own caller; the queue keeps going, so one bad
 * write cannot wedge every later one.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(op: () => Promise<R>): Promise<R> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
