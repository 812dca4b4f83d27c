/**
 * One requestAnimationFrame for everything that wants to paint: a burst of host messages
 * (each carrying many deltas) becomes at most one repaint per view per frame. Tasks are
 * keyed by identity, so scheduling the same task twice in a frame runs it once.
 */
export class FrameScheduler {
  private readonly tasks = new Set<() => void>();
  private handle = 0;

  schedule(task: () => void): void {
    this.tasks.add(task);
    if (!this.handle) this.handle = requestAnimationFrame(() => this.run());
  }

  private run(): void {
    this.handle = 0;
    const tasks = [...this.tasks];
    this.tasks.clear();
    for (const task of tasks) {
      try {
        task();
      } catch (error) {
        console.error('codex webview: a frame task failed', error);
      }
    }
  }
}
