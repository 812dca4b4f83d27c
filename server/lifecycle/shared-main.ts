import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataDir, startBridgeStack, type RunningBridge } from '../stack';
import { DataDirLockedError } from './data-dir-lock';
import { IdleExit } from './idle-exit';

const SHARED_HELP = `Usage: node dist/server.js --shared [options]

The per-user shared bridge of one data dir, as an editor window starts it (detached):
editor windows connect to its local socket, the CLI and Python SDK to its HTTP API. It
outlives the windows and exits by itself when idle.

Options:
  --data-dir <dir>            bridge state (the extension's global storage)
  --codex-path <file>         codex binary
  --codex-home <dir>          CODEX_HOME for the runtime
  --demo auto|on|off          the offline demo model (default auto)
  --session-cwd <dir>         default cwd of sessions created without one
  --redis <url>               background jobs on BullMQ with this Redis (default: the
                              embedded queue)                [CODEX_MANAGER_REDIS_URL]
  --idle-exit-seconds <n>     exit after n seconds with no editor client, no running
                              turn, no waiting request and no running job (default 600;
                              0 never)
`;

/** Exit code when another bridge already serves the data dir (the window connects to that one). */
export const EXIT_LOCKED = 4;

export async function runSharedBridge(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' }, 'codex-path': { type: 'string' }, 'codex-home': { type: 'string' },
        demo: { type: 'string' }, 'session-cwd': { type: 'string' }, 'idle-exit-seconds': { type: 'string' }, redis: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`codex-manager shared bridge: ${(error as Error).message}\n\n${SHARED_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(SHARED_HELP);
    return 0;
  }
  const demo = values.demo ?? 'auto';
  const idleSeconds = Number(values['idle-exit-seconds'] ?? 600);
  if ((demo !== 'auto' && demo !== 'on' && demo !== 'off') || !Number.isFinite(idleSeconds) || idleSeconds < 0) {
    process.stderr.write(`codex-manager shared bridge: bad --demo or --idle-exit-seconds\n\n${SHARED_HELP}`);
    return 2;
  }
  let stopRequested!: (why: string) => void;
  const stopping = new Promise<string>((resolve) => { stopRequested = resolve; });
  const codexPath = values['codex-path'] ?? env.CODEX_BIN;
  const codexHome = values['codex-home'] ?? env.CODEX_HOME;
  const redisUrl = values.redis ?? env.CODEX_MANAGER_REDIS_URL;
  let running: RunningBridge;
  try {
    running = await startBridgeStack({
      mode: 'editor',
      host: '127.0.0.1',
      port: 0,
      dataDir: values['data-dir'] ?? env.CODEX_MANAGER_DATA_DIR ?? defaultDataDir(env),
      ...(codexPath ? { codexPath } : {}),
      ...(codexHome ? { codexHome } : {}),
      ...(redisUrl ? { redisUrl } : {}),
      demo,
      allowedHosts: [],
      allowedOrigins: [],
      ...(values['session-cwd'] ? { sessionCwd: values['session-cwd'] } : {}),
      editorSocket: { replaceable: true, onStopRequested: (why) => stopRequested(why) },
    }, env);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(`codex-manager shared bridge: ${error.message}\n`);
    return EXIT_LOCKED;
  }
  process.stdout.write(`codex-manager shared bridge pid ${process.pid}: editor socket ${running.editorSocket?.socketPath ?? '-'}, HTTP ${running.url}\n`);
  const idle = new IdleExit(idleSeconds * 1000, () => (running.editorSocket?.clients ?? 0) > 0 || running.bridge.hasRunningWork(), () => stopRequested('idle'));
  // A data dir that was deleted (an uninstalled extension's storage, a test's temp dir)
  // has nothing left to serve: stop rather than linger until idle.
  const orphanCheck = setInterval(() => { if (!fs.existsSync(running.dataDir)) stopRequested('data dir removed'); }, 5000);
  orphanCheck.unref();
  process.once('SIGINT', () => stopRequested('SIGINT'));
  process.once('SIGTERM', () => stopRequested('SIGTERM'));
  const why = await stopping;
  idle.dispose();
  clearInterval(orphanCheck);
  process.stdout.write(`stopping (${why})\n`);
  await running.stop();
  return 0;
}
