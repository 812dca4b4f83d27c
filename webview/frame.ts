/**
 * One requestAnimationFrame for everything that wants to paint: a burst of host messages
 * (each carrying many deltas) becomes at most one repaint per view per frame. Tasks are
 * keyed by identity, so scheduling the same task twice in a frame runs it once.
 */
const SLOW_FRAME_MS = 50;

export class FrameScheduler {
  private readonly tasks = new Set<() => void>();
  private handle = 0;

  schedule(task: () => void): void {
    this.tasks.add(task);
    if (!this.handle) this.handle = requestAnimationFrame(() => this.run());
  }

  private run(): void {
    this.handle = 0;
    const start = performance.now();
    const tasks = [...this.tasks];
    this.tasks.clear();
    for (const task of tasks) {
      try {
        task();
      } catch (error) {
        console.error('codex webview: a frame task failed', error);
      }
    }
    // A slow frame leaves a mark for profiling and for the hostile-output test's frame budget
    // (only the latest is kept in the timeline; observers see each one).
    const end = performance.now();
    if (end - start > SLOW_FRAME_MS) {
      performance.clearMeasures('codex:slow-frame');
      performance.measure('codex:slow-frame', { start, end });
    }
  }
}
