import { parseArgs } from 'node:util';
import { BRIDGE_VERSION } from './version';
import { DataDirLockedError } from './lifecycle/data-dir-lock';
import { defaultDataDir, startBridgeStack, type RunningBridge } from './stack';

const SERVE_HELP = `Usage: codex-manager serve [options]

Runs the bridge headless: supervises \`codex app-server\` and serves the HTTP API
on loopback. Prints where it listens; Ctrl-C stops it.

Options (environment variable in brackets):
  --host <addr>          bind address, default 127.0.0.1            [CODEX_MANAGER_HOST]
  --port <n>             port, 0 picks a free one, default 0         [CODEX_MANAGER_PORT]
  --data-dir <dir>       bridge state, default $XDG_DATA_HOME/codex-manager
                                                                     [CODEX_MANAGER_DATA_DIR]
  --codex-path <file>    codex binary, default the pinned @openai/codex  [CODEX_BIN]
  --codex-home <dir>     CODEX_HOME for the runtime                  [CODEX_HOME]
  --token-file <file>    bearer token file (created 0600), default <data-dir>/token
                                                                     [CODEX_MANAGER_TOKEN_FILE]
  --demo / --no-demo     force the scripted offline demo model on or off
                         (default: on only when no OpenAI credentials are found)
  --lock-defaults <why>  lock the default session controls and settings (423 for writes)
  --unlock-defaults      unlock them again (the lock is stored in the data dir)
  --allow-host <name>    also answer to this Host name (repeatable)
  --allow-origin <url>   also accept browser requests from this origin (repeatable)
  --attach               if a bridge already serves the data dir, print where it
                         listens and exit 0 (default: refuse with exit code 4)
  --redis <url>          run background jobs on BullMQ with this Redis, shared by every
                         bridge given the same URL (default: the embedded queue)
                                                                     [CODEX_MANAGER_REDIS_URL]
  -h, --help             show this help
`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv[0] === '--shared') {
    // The per-user shared bridge an editor window starts (detached) for its data dir.
    const { runSharedBridge } = await import('./lifecycle/shared-main');
    return runSharedBridge(argv.slice(1), env);
  }
  if (argv.includes('--stdio')) {
    // Loaded only in editor mode: the language-server library is a third of start-up.
    const { runEditorServer } = await import('./transports/editor/editor-server');
    runEditorServer((init) => startBridgeStack({
      mode: 'editor',
      host: '127.0.0.1',
      port: 0,
      dataDir: init.dataDir ?? env.CODEX_MANAGER_DATA_DIR ?? defaultDataDir(env),
      ...((init.codexPath ?? env.CODEX_BIN) ? { codexPath: init.codexPath ?? env.CODEX_BIN } : {}),
      ...((init.codexHome ?? env.CODEX_HOME) ? { codexHome: init.codexHome ?? env.CODEX_HOME } : {}),
      demo: init.demo ?? 'auto',
      allowedHosts: [],
      allowedOrigins: [],
      ...(init.workspaceFolder ? { sessionCwd: init.workspaceFolder } : {}),
      // This bridge's one client is on stdio; windows share a bridge through `--shared`.
      editorSocket: false,
      // The bridge's stderr is the extension's Output channel (vscode-languageclient shows it).
      runtimeStderr: (line) => process.stderr.write(`[codex] ${line}\n`),
      ...((init.redisUrl ?? env.CODEX_MANAGER_REDIS_URL) ? { redisUrl: init.redisUrl ?? env.CODEX_MANAGER_REDIS_URL } : {}),
    }, env));
    return new Promise<number>(() => undefined); // the connection's exit handler ends the process
  }
  const [command, ...rest] = argv;
  if (command !== 'serve') {
    process.stderr.write(`codex-manager bridge: unknown mode ${command ?? '(none)'}; use \`serve\`\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' },
        'codex-path': { type: 'string' }, 'codex-home': { type: 'string' }, 'token-file': { type: 'string' },
        demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' },
        'lock-defaults': { type: 'string' }, 'unlock-defaults': { type: 'boolean' },
        'allow-host': { type: 'string', multiple: true }, 'allow-origin': { type: 'string', multiple: true },
        attach: { type: 'boolean' },
        redis: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`codex-manager serve: ${(error as Error).message}\n\n${SERVE_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const port = Number(values.port ?? env.CODEX_MANAGER_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`codex-manager serve: --port must be 0-65535\n`);
    return 2;
  }
  const codexPath = values['codex-path'] ?? env.CODEX_BIN;
  const codexHome = values['codex-home'] ?? env.CODEX_HOME;
  const tokenFile = values['token-file'] ?? env.CODEX_MANAGER_TOKEN_FILE;
  const redisUrl = values.redis ?? env.CODEX_MANAGER_REDIS_URL;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    process.stderr.write(`codex-manager serve: --redis must be a redis:// or rediss:// URL\n`);
    return 2;
  }
  let running: RunningBridge;
  try {
    running = await startBridgeStack({
      mode: 'serve',
      host: values.host ?? env.CODEX_MANAGER_HOST ?? '127.0.0.1',
      port,
      dataDir: values['data-dir'] ?? env.CODEX_MANAGER_DATA_DIR ?? defaultDataDir(env),
      ...(codexPath ? { codexPath } : {}),
      ...(codexHome ? { codexHome } : {}),
      ...(tokenFile ? { tokenFile } : {}),
      ...(redisUrl ? { redisUrl } : {}),
      demo: values.demo ? 'on' : values['no-demo'] ? 'off' : 'auto',
      allowedHosts: values['allow-host'] ?? [],
      allowedOrigins: values['allow-origin'] ?? [],
      ...(values['lock-defaults'] !== undefined ? { lockDefaults: values['lock-defaults'] } : values['unlock-defaults'] ? { lockDefaults: null } : {}),
    }, env);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    if (values.attach) {
      const { owner } = error;
      process.stdout.write(`codex-manager bridge ${owner.version} already running (pid ${owner.pid}, ${owner.mode} mode)\n`
        + `  listening   ${owner.url ?? '(starting)'}/api\n  data dir    ${error.dataDir}\n`);
      return 0;
    }
    process.stderr.write(`codex-manager serve: ${error.message}\n`);
    return 4;
  }
  printBanner(running);
  await new Promise<void>((resolve) => {
    const shutdown = () => { process.stdout.write('stopping…\n'); resolve(); };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await running.stop();
  return 0;
}

function printBanner(running: RunningBridge): void {
  const health = running.bridge.runtime.health();
  const lines = [
    `codex-manager bridge ${BRIDGE_VERSION}`,
    `  listening   ${running.url}/api  (Authorization: Bearer <contents of ${running.tokenFile}>)`,
    `  stream      ${running.url.replace('http', 'ws')}/api/stream`,
    `  runtime     ${health.userAgent ?? 'codex'} (${health.state}, pid ${health.pid ?? '-'})`,
    `  data dir    ${running.dataDir}`,
  ];
  if (running.demo) {
    lines.push('  model       OFFLINE DEMO MODEL: scripted answers, not a real model (no OpenAI credentials found).');
    lines.push('              Set OPENAI_API_KEY or log in with codex, or pass --no-demo, to use a real model.');
  }
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
    process.stderr.write(`codex-manager: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
