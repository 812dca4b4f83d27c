import type { Globals } from './args';
import { resolveConnection, type Connection } from './config';
import { CliError, EXIT } from './errors';
import { colorEnabled, json, painter, type Painter, type Stream } from './output';

/** What every command gets: flags, streams, painters, and the connection (resolved on first use). */
export interface Ctx {
  globals: Globals;
  env: NodeJS.ProcessEnv;
  stdout: Stream;
  stderr: Stream;
  paint: Painter;
  paintErr: Painter;
  version: string;
  /** The command words, e.g. `sessions send`. */
  command: string;
  connection(): Connection;
  verbose(message: string): void;
  /** Width for tables, when stdout is a terminal. */
  width: number | undefined;
}

export function createContext(globals: Globals, version: string, env: NodeJS.ProcessEnv = process.env): Ctx {
  const stdout = process.stdout as Stream;
  const stderr = process.stderr as Stream;
  let conn: Connection | undefined;
  const paintErr = painter(colorEnabled(stderr, env, globals.noColor));
  const ctx: Ctx = {
    globals,
    env,
    stdout,
    stderr,
    paint: painter(colorEnabled(stdout, env, globals.noColor)),
    paintErr,
    version,
    command: '',
    // Tables fit the terminal; piped, they are cut at a generous width (machines use --json).
    width: stdout.isTTY ? stdout.columns : 160,
    verbose(message) {
      if (globals.verbose) stderr.write(`${paintErr('dim', `• ${message}`)}\n`);
    },
    connection() {
      if (!conn) {
        conn = resolveConnection(globals, env, version);
        ctx.verbose(`bridge ${conn.baseUrl}${conn.apiPrefix} (from ${conn.source.baseUrl}); token from ${conn.source.bearer}${conn.source.profile ? `; profile ${conn.source.profile}` : ''}`);
      }
      return conn;
    },
  };
  return ctx;
}

/** Prints a failure: one line for people, the error envelope on stderr with --json. Returns the exit code. */
export function reportError(ctx: Pick<Ctx, 'globals' | 'stderr' | 'paintErr' | 'command'>, error: unknown): number {
  const e = error instanceof CliError ? error : new CliError('internal', error instanceof Error ? error.message : String(error), EXIT.error, 'this is a bug in the CLI: please report it with the command you ran');
  if (ctx.globals.json || ctx.globals.jsonl) {
    const { request, response, ...extra } = e.extra as { request?: unknown; response?: unknown };
    ctx.stderr.write(json({
      ok: false,
      command: ctx.command,
      error: { kind: e.kind, message: e.message, ...(e.fix ? { fix: e.fix } : {}), exitCode: e.exitCode, ...extra },
      ...(request ? { request } : {}),
      ...(response ? { response } : {}),
    }));
  } else {
    const message = e.message.replace(/\s*\n\s*/g, ' ');
    ctx.stderr.write(`${ctx.paintErr(['bold', 'red'], 'error:')} ${message}${e.fix ? `. ${ctx.paintErr('bold', 'Fix:')} ${e.fix.replace(/\s*\n\s*/g, ' ')}` : ''}\n`);
  }
  return e.exitCode;
}
