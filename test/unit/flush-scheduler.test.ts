import assert from 'node:assert/strict';
import { FlushScheduler } from '../../server/transports/ws/flush-scheduler';

/** Decisions only (no timing assertions): which events count as a burst. */
describe('FlushScheduler burst detection', () => {
  it('one event per read, reads 50 µs apart, is a burst; a pause ends it', () => {
    const s = new FlushScheduler(() => undefined);
    let t = 0;
    for (let i = 0; i < 40; i++) s.arrived((t += 0.05));
    assert.equal(s.bursting, true);
    s.arrived((t += 5));
    s.arrived(t + 5);
    assert.equal(s.bursting, false);
  });

  it('many events in one read every millisecond is not a burst (they are one write anyway)', () => {
    const s = new FlushScheduler(() => undefined);
    let t = 0;
    for (let read = 0; read < 50; read++) {
      t += 1;
      for (let i = 0; i < 20; i++) s.arrived((t += 0.003));
    }
    assert.equal(s.bursting, false);
  });

  it('maxDelayMs 0 turns coalescing across ticks off', () => {
    const s = new FlushScheduler(() => undefined, { maxDelayMs: 0 });
    let t = 0;
    for (let i = 0; i < 40; i++) s.arrived((t += 0.05));
    assert.equal(s.bursting, false);
  });

  it('a scheduled flush runs once, and flushNow runs it at once', async () => {
    let runs = 0;
    const s = new FlushScheduler(() => { runs++; });
    s.schedule();
    s.schedule();
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 1);
    s.schedule();
    s.flushNow();
    assert.equal(runs, 2);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(runs, 2, 'the pending one was cancelled');
  });
});
