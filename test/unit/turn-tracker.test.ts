import assert from 'node:assert/strict';
import { TurnTracker, type TurnEnded } from '../../server/domain/turn-tracker';

describe('TurnTracker', () => {
  const completed = (threadId: string, id: string) => ({ threadId, turn: { id, status: 'completed' } });

  it('a turn/start answer processed after its turn/completed leaves no active turn', () => {
    const ended: TurnEnded[] = [];
    const tracker = new TurnTracker((e) => ended.push(e));
    const mark = tracker.completionMark('t1');
    // The runtime's notifications and its answer share one pipe: the short turn completes first.
    tracker.observe('turn/started', { threadId: 't1', turn: { id: 'u1' } });
    tracker.observe('turn/completed', completed('t1', 'u1'));
    tracker.turnStarted('t1', 'u1', mark);
    assert.equal(tracker.activeTurn('t1'), undefined);
    assert.equal(ended.length, 1);
  });

  it('an answer before any completion sets the active turn', () => {
    const tracker = new TurnTracker(() => undefined);
    tracker.observe('turn/completed', completed('t1', 'u0'));
    const mark = tracker.completionMark('t1');
    tracker.turnStarted('t1', 'u1', mark);
    assert.equal(tracker.activeTurn('t1'), 'u1');
  });

  it('reserves a start once per key until released', () => {
    const tracker = new TurnTracker(() => undefined);
    const release = tracker.reserveStart('s1');
    assert.ok(release);
    assert.equal(tracker.reserveStart('s1'), undefined, 'a second start while the first is under way is refused');
    assert.ok(tracker.reserveStart('s2'), 'other sessions are independent');
    release();
    assert.ok(tracker.reserveStart('s1'));
  });
});
