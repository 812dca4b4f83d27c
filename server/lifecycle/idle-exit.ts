/**
 * Calls `onIdle` once `inUse()` has been false for `idleMs` in a row (checked a few times
 * per period, so a window that reconnects within it keeps the bridge). 0 disables it.
 */
export class IdleExit {
  private readonly timer: NodeJS.Timeout | undefined;
  private idleSince: number | undefined;
  private fired = false;

  constructor(private readonly idleMs: number, private readonly inUse: () => boolean, private readonly onIdle: () => void) {
    if (idleMs <= 0) return;
    this.timer = setInterval(() => this.check(), Math.max(100, Math.min(idleMs / 4, 30_000)));
    this.timer.unref();
  }

  check(now = Date.now()): void {
    if (this.fired) return;
    if (this.inUse()) {
      this.idleSince = undefined;
      return;
    }
    this.idleSince ??= now;
    if (now - this.idleSince >= this.idleMs) {
      this.fired = true;
      this.onIdle();
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
