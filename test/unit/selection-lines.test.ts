import assert from 'node:assert/strict';
import { describeSelectionLines } from '../../extension/chat/selection-lines';

describe('Send Selection line range (issue 13, flaw 6)', () => {
  it('a selection ending at column 1 of line 5 is lines 2-4', () => {
    assert.equal(describeSelectionLines({ line: 1, character: 0 }, { line: 4, character: 0 }, false), ' lines 2-4');
  });
  it('a selection ending inside a line includes it; one line is "line N"; empty says nothing', () => {
    assert.equal(describeSelectionLines({ line: 1, character: 3 }, { line: 4, character: 2 }, false), ' lines 2-5');
    assert.equal(describeSelectionLines({ line: 2, character: 0 }, { line: 3, character: 0 }, false), ' line 3');
    assert.equal(describeSelectionLines({ line: 2, character: 1 }, { line: 2, character: 5 }, false), ' line 3');
    assert.equal(describeSelectionLines({ line: 2, character: 1 }, { line: 2, character: 1 }, true), '');
  });
});
