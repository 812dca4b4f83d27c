import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * Where the `codex` runtime comes from, in order: an explicit path (`--codex-path`,
 * the `codexManager.codexPath` setting), `CODEX_BIN`, then the native binary of the
 * pinned `@openai/codex` package.
 *
 * We resolve the *native* binary rather than the package's Node launcher: on Node < 23
 * the launcher spawns the binary as a grandchild, so a signal or crash of the launcher
 * would not be the runtime's, and supervision would lie.
 */
export function resolveCodexBinary(explicitPath?: string, env: NodeJS.ProcessEnv = process.env, searchFrom = process.cwd()): string {
  if (explicitPath) return explicitPath;
  if (env.CODEX_BIN) return env.CODEX_BIN;
  const found = findPinnedNativeBinary(searchFrom) ?? findPinnedNativeBinary(__dirname) ?? findOnPath(env);
  if (found) return found;
  throw new Error('codex runtime not found (no CODEX_BIN, no pinned @openai/codex next to the bridge, no `codex` on PATH): '
    + 'install it with `npm install -g @openai/codex`, or give its path with --codex-path / CODEX_BIN (VS Code: the codexManager.codexPath setting)');
}

const TRIPLES: Record<string, string> = {
  'linux-x64': 'x86_64-unknown-linux-musl',
  'linux-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
  'win32-x64': 'x86_64-pc-windows-msvc',
  'win32-arm64': 'aarch64-pc-windows-msvc',
};

function findPinnedNativeBinary(from: string): string | undefined {
  const key = `${process.platform}-${process.arch}`;
  const triple = TRIPLES[key];
  if (!triple) return undefined;
  const exe = process.platform === 'win32' ? 'codex.exe' : 'codex';
  try {
    const req = createRequire(path.join(from, 'noop.js'));
    const pkg = req.resolve(`@openai/codex-${key}/package.json`);
    const candidate = path.join(path.dirname(pkg), 'vendor', triple, 'bin', exe);
    return fs.existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** A `codex` on PATH (what users of the extension usually have). */
function findOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === 'win32' ? ['codex.exe', 'codex.cmd'] : ['codex'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir && fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}
