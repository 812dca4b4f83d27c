/**
 * The command a person asked for, out of the shell invocation the runtime wraps it in
 * (`/bin/bash -lc 'npm test'` → `npm test`). In a narrow view the wrapper is all one
 * would see; the full invocation stays available (hover, details). Anything that does not
 * parse exactly as `<shell> -c|-lc <one argument>` is returned unchanged.
 */

const SHELL = /^(?:\/usr)?(?:\/bin\/|\/usr\/local\/bin\/)?(?:ba|z|da|k)?sh$/;
const FLAGS = new Set(['-c', '-lc', '-cl', '-l -c']);

/** The inner command, or `command` itself when it is not a plain shell wrapper. */
export function unwrapShellCommand(command: string | readonly string[]): string {
  if (Array.isArray(command)) {
    const argv = command as readonly string[];
    if (argv.length === 3 && SHELL.test(argv[0]!) && FLAGS.has(argv[1]!)) return argv[2]!;
    if (argv.length === 4 && SHELL.test(argv[0]!) && FLAGS.has(`${argv[1]} ${argv[2]}`)) return argv[3]!;
    return argv.join(' ');
  }
  const text = command as string;
  const head = /^(\S+)\s+(-l\s+-c|-lc|-cl|-c)\s+/.exec(text);
  if (!head || !SHELL.test(head[1]!)) return text;
  const inner = singleShellWord(text.slice(head[0].length).trimEnd());
  return inner === null || !inner.trim() ? text : inner;
}

/**
 * One shell word made of quoted parts only ('…', "…", or both glued together as in
 * `'it'\''s'`), unquoted; null when it is anything else (several words, bare text).
 */
function singleShellWord(word: string): string | null {
  let out = '';
  let i = 0;
  if (!word) return null;
  while (i < word.length) {
    const c = word[i];
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) return null;
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < word.length && word[j] !== '"'; j++) {
        if (word[j] === '\\' && j + 1 < word.length && '"\\$`\n'.includes(word[j + 1]!)) j++;
        out += word[j];
      }
      if (j >= word.length) return null;
      i = j + 1;
    } else if (c === '\\' && i + 1 < word.length) {
      out += word[i + 1];
      i += 2;
    } else {
      return null;
    }
  }
  return out;
}
