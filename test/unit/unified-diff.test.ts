import assert from 'node:assert/strict';
import { applyHunks, parseHunks } from '../../server/domain/unified-diff';

describe('unified diffs from codex fileChange items', () => {
  it('parses and applies a one-line replacement (what codex 0.169 sends)', () => {
    const hunks = parseHunks('@@ -1 +1 @@\n-old line\n+new line\n');
    assert.deepEqual(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]), [[1, 1, 1, 1]]);
    assert.equal(applyHunks('old line\n', hunks), 'new line\n');
  });

  it('applies several hunks with context, insertions and deletions', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n') + '\n';
    const diff = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -6,3 +6,4 @@\n f\n+f2\n g\n-h\n+H\n';
    assert.equal(applyHunks(before, parseHunks(diff)), ['a', 'B', 'c', 'd', 'e', 'f', 'f2', 'g', 'H'].join('\n') + '\n');
  });

  it('inserts into an empty file', () => {
    assert.equal(applyHunks('', parseHunks('@@ -0,0 +1,2 @@\n+x\n+y\n')), 'x\ny\n');
  });

  it('refuses a proposal whose context no longer matches', () => {
    assert.throws(() => applyHunks('something else\n', parseHunks('@@ -1 +1 @@\n-old line\n+new line\n')), /changed since/);
  });
});

describe('firstChangedLine', () => {
  it('skips leading context to the first changed line', async () => {
    const { firstChangedLine } = await import('../../server/domain/unified-diff');
    assert.equal(firstChangedLine(parseHunks('@@ -1,3 +1,3 @@\n one\n-old line\n+new line\n three\n')[0]!), 1);
    assert.equal(firstChangedLine(parseHunks('@@ -5 +5 @@\n-x\n+y\n')[0]!), 4);
  });
});
