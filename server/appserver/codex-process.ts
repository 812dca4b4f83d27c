import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export interface CodexProcessOptions {
  /** The native `codex` binary (see resolveCodexBinary). */
  codexPath: string;
  /** CODEX_HOME for the runtime; the bridge never defaults to the user's ~/.codex silently in tests. */
  codexHome?: string;
  /** Working directory of the runtime process. */
  cwd?: string;
  /** Extra arguments after `app-server` (e.g. `-c key=value`). */
  extraArgs?: string[];
  /** Variables added to the child's environment on top of the allow-listed ones. */
  env?: Record<string, string>;
  /** The environment the allow-list is taken from (defaults to process.env). */
  parentEnv?: NodeJS.ProcessEnv;
}

/**
 * Variables the runtime legitimately needs from the bridge's environment. Everything
 * else (editor internals, other tools' tokens, npm_* noise) stays out of the child.
 */
const INHERITED = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TERM', 'TZ', 'TMPDIR',
  'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR',
  'SYSTEMROOT', 'WINDIR', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'COMSPEC', 'PATHEXT',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS',
  'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'CODEX_HOME', 'RUST_LOG',
];

export function childEnvironment(opts: CodexProcessOptions): Record<string, string> {
  const parent = opts.parentEnv ?? process.env;
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = parent[key];
    if (value !== undefined) env[key] = value;
  }
  // The pinned package ships helper tools (rg) next to the binary; the npm launcher adds
  // them to PATH, so we do too.
  const helperDir = path.join(path.dirname(path.dirname(opts.codexPath)), 'codex-path');
  env.PATH = env.PATH ? `${helperDir}${path.delimiter}${env.PATH}` : helperDir;
  if (opts.codexHome) env.CODEX_HOME = opts.codexHome;
  Object.assign(env, opts.env);
  return env;
}

export function spawnCodexAppServer(opts: CodexProcessOptions): ChildProcessWithoutNullStreams {
  return spawn(opts.codexPath, ['app-server', ...(opts.extraArgs ?? [])], {
    cwd: opts.cwd,
    env: childEnvironment(opts),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
}
