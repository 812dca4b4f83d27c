import assert from 'node:assert/strict';
import { unwrapShellCommand } from '../../protocol/shell-command';

describe('unwrapShellCommand (issue 13, flaw 5)', () => {
  it('takes the command out of the runtime\'s shell wrapper', () => {
    assert.equal(unwrapShellCommand("/bin/bash -lc 'npm test'"), 'npm test');
    assert.equal(unwrapShellCommand('/bin/zsh -c "echo \\"hi\\" && ls"'), 'echo "hi" && ls');
    assert.equal(unwrapShellCommand("bash -lc 'grep '\\''it'\\''s'\\'' src'"), "grep 'it's' src");
    assert.equal(unwrapShellCommand(['/bin/bash', '-lc', 'cargo build']), 'cargo build');
    assert.equal(unwrapShellCommand(['sh', '-l', '-c', 'make']), 'make');
  });

  it('leaves anything else as it is', () => {
    for (const text of ['npm test', "/bin/bash -lc 'unterminated", "/bin/bash -lc 'a' 'b'", '/bin/bash -lc bare words', "python -c 'print(1)'", "/bin/bash -lc ''"]) {
      assert.equal(unwrapShellCommand(text), text);
    }
    assert.equal(unwrapShellCommand(['python', '-c', 'print(1)']), 'python -c print(1)');
  });
});
