import assert from 'node:assert/strict';
import { beforeOfChange, beforeOfMovedSource } from '../../server/checkpoints/before-state';
import { turnHunks, undoHunk } from '../../server/checkpoints/hunks';

describe('checkpoint logic', () => {
  const update = (diff: string) => ({ path: '/w/a.txt', kind: { type: 'update' as const, move_path: null }, diff });

  it('takes the read as the before-state when the patch has not landed yet', () => {
    assert.deepEqual(beforeOfChange(update('@@ -1 +1 @@\n-old\n+new\n'), 'old\n'), { text: 'old\n', derived: false });
  });

  it('derives the before-state from the diff when codex wrote first', () => {
    assert.deepEqual(beforeOfChange(update('@@ -1,2 +1,2 @@\n-old\n+new\n keep\n'), 'new\nkeep\n'), { text: 'old\nkeep\n', derived: true });
    assert.deepEqual(beforeOfChange({ path: '/w/n', kind: { type: 'add' }, diff: 'fresh\n' }, 'fresh\n'), { text: null, derived: true });
    assert.deepEqual(beforeOfChange({ path: '/w/d', kind: { type: 'delete' }, diff: 'gone\n' }, null), { text: 'gone\n', derived: true });
    assert.deepEqual(beforeOfMovedSource('@@ -1 +1 @@\n-x\n+y\n', 'y\n'), { text: 'x\n', derived: true });
  });

  it('splits a change into hunks and undoes any one of them alone', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n';
    const after = 'A\nb\nc\nd\ne\nf\n';  // changed a, removed g
    const hunks = turnHunks(before, after);
    assert.equal(hunks.length, 2);
    assert.equal(undoHunk(after, hunks[1]!), 'A\nb\nc\nd\ne\nf\ng\n');
    assert.equal(undoHunk(after, hunks[0]!), 'a\nb\nc\nd\ne\nf\n');
    // In either order.
    assert.equal(undoHunk(undoHunk(after, hunks[0]!)!, hunks[1]!), before);
  });

  it('places a deletion hunk right after earlier hunks were undone, given the turn\'s after text', () => {
    const before = 'a\nb\nc\nd\ne\n';
    const after = 'a\nX\nY\nZ\nb\nc\ne\n'; // inserted X, Y, Z after a; removed d
    const hunks = turnHunks(before, after);
    assert.equal(hunks.length, 2);
    const firstUndone = undoHunk(after, hunks[0]!, after)!;
    assert.equal(firstUndone, 'a\nb\nc\ne\n');
    assert.equal(undoHunk(firstUndone, hunks[1]!, after), before);
  });

  it('finds a hunk that moved because lines were added above it, and says when it is gone', () => {
    const hunks = turnHunks('x\ny\n', 'x\nY\n');
    assert.equal(undoHunk('new top\nx\nY\n', hunks[0]!), 'new top\nx\ny\n');
    assert.equal(undoHunk('x\nsomething else\n', hunks[0]!), undefined);
  });
});
