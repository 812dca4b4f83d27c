import fs from 'node:fs';
import path from 'node:path';
import { parseOptions, splitArgv, suggest, type Globals } from './args';
import { runApiRequest, runBridgesList, runInspect, runJobsWait, textOpt } from './commands/misc';
import { runOperation } from './commands/operation';
import { runProfile } from './commands/profile';
import { completionScript } from './completion';
import { createContext, reportError, type Ctx } from './context';
import { CliError, EXIT, usageError } from './errors';
import { commandHelp, groupHelp, mainHelp } from './help';
import { colorEnabled, painter, type Stream } from './output';
import { commandTree, nodeAt, type Entry } from './tree';

/**
 * The `codex-manager` command: every operation of the bridge's table as a command
 * (derived from the zod declarations through cli/generated/commands.json), the live
 * commands (stream, send --wait, approvals watch), profiles, completion, and `serve`,
 * which loads the bridge bundle (dist/server.js) only for that command, so every other
 * command starts fast.
 */

let versionCache: string | undefined;
function version(): string {
  if (versionCache) return versionCache;
  for (const candidate of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', 'package.json')]) {
    try {
      versionCache = (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { version: string }).version;
      return versionCache;
    } catch {
      // next
    }
  }
  return (versionCache = '0.0.0');
}

/** Help wraps at the terminal's width (at most 120), else at 100 columns. */
function helpWidth(ctx: Ctx): number {
  return ctx.stdout.isTTY && ctx.width ? Math.min(ctx.width, 120) : 100;
}

async function dispatch(ctx: Ctx, entry: Entry, tail: string[]): Promise<number> {
  const parsed = parseOptions(tail, entry.options, ctx.globals, entry.command);
  if (ctx.globals.help) {
    ctx.stdout.write(commandHelp(entry, ctx.paint, helpWidth(ctx)));
    return EXIT.ok;
  }
  if (entry.kind === 'op') {
    switch (entry.spec.id) {
      case 'connectEventStream': {
        const { runStreamEvents } = await import('./commands/events');
        return runStreamEvents(ctx, parsed);
      }
      case 'sendSessionMessage': {
        const raw = parsed.values.get('wait')?.at(-1);
        if (raw?.kind === 'bool' && raw.value) {
          const { runSendWait } = await import('./commands/send');
          return runSendWait(ctx, entry.spec, parsed);
        }
        break;
      }
    }
    return runOperation(ctx, entry.spec, parsed);
  }
  const words = entry.command.split(' ');
  switch (entry.command) {
    case 'bridges list': return runBridgesList(ctx, parsed);
    case 'api request': return runApiRequest(ctx, parsed);
    case 'sessions inspect': return runInspect(ctx, parsed);
    case 'orchestrator jobs wait': return runJobsWait(ctx, parsed);
    case 'approvals watch': {
      const { runApprovalsWatch } = await import('./commands/watch');
      return runApprovalsWatch(ctx, parsed);
    }
    case 'completion': {
      const shell = textOpt(parsed, 'shell') ?? parsed.positionals[0];
      const script = shell ? completionScript(shell) : undefined;
      if (!script) throw usageError(shell ? `no completion for ${JSON.stringify(shell)}` : 'completion needs a shell', 'e.g. codex-manager completion bash (or zsh, fish)');
      ctx.stdout.write(script);
      return EXIT.ok;
    }
  }
  if (words[0] === 'profile') return runProfile(ctx, words[1]!, parsed);
  throw new CliError('internal', `no handler for ${entry.command}`, EXIT.error);
}

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'serve') {
    // A runtime require of the sibling bundle, on purpose: esbuild must not inline the bridge here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require(path.join(__dirname, 'server.js')) as { main(argv: string[]): Promise<number> };
    return server.main(argv);
  }
  let globals: Globals | undefined;
  let ctx: Ctx | undefined;
  try {
    const split = splitArgv(argv, (words) => nodeAt(words) !== undefined);
    globals = split.globals;
    ctx = createContext(globals, version());
    const { words, tail } = split;
    if (words[0] === 'serve') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const server = require(path.join(__dirname, 'server.js')) as { main(argv: string[]): Promise<number> };
      return await server.main(['serve', ...tail]);
    }
    const root = commandTree();
    if (words.length === 0) {
      if (globals.version && !tail.length) {
        ctx.stdout.write(`${version()}\n`);
        return EXIT.ok;
      }
      if (tail[0] === 'help') {
        const target = nodeAt(tail.slice(1));
        if (target?.entry) ctx.stdout.write(commandHelp(target.entry, ctx.paint, helpWidth(ctx)));
        else if (target && target !== root) ctx.stdout.write(groupHelp(target, ctx.paint, helpWidth(ctx)));
        else ctx.stdout.write(mainHelp(root, ctx.paint, version(), helpWidth(ctx)));
        return EXIT.ok;
      }
      if (tail.length === 0 || globals.help) {
        ctx.stdout.write(mainHelp(root, ctx.paint, version(), helpWidth(ctx)));
        return EXIT.ok;
      }
      const guess = suggest(tail[0]!, root.children.keys());
      throw usageError(`unknown command ${JSON.stringify(tail[0])}`, guess ? `did you mean \`codex-manager ${guess}\`? (codex-manager --help lists the commands)` : 'codex-manager --help lists the commands');
    }
    const node = nodeAt(words)!;
    ctx.command = words.join(' ');
    if (!node.entry) {
      const next = tail.find((t) => !t.startsWith('-'));
      if (next && !globals.help && !tail.includes('--help') && !tail.includes('-h')) {
        const guess = suggest(next, node.children.keys());
        throw usageError(`unknown command \`${ctx.command} ${next}\``, guess ? `did you mean \`codex-manager ${ctx.command} ${guess}\`?` : `\`codex-manager ${ctx.command} --help\` lists its commands`);
      }
      const help = groupHelp(node, ctx.paint, helpWidth(ctx));
      if (globals.help || tail.includes('--help') || tail.includes('-h')) {
        ctx.stdout.write(help);
        return EXIT.ok;
      }
      ctx.stderr.write(help);
      return EXIT.usage;
    }
    if (tail.includes('--help') || tail.includes('-h') || globals.help) {
      ctx.stdout.write(commandHelp(node.entry, ctx.paint, helpWidth(ctx)));
      return EXIT.ok;
    }
    return await dispatch(ctx, node.entry, tail);
  } catch (error) {
    const fallback = { globals: globals ?? { json: argv.includes('--json'), jsonl: argv.includes('--jsonl') } as Globals, stderr: process.stderr as Stream, paintErr: painter(colorEnabled(process.stderr as Stream)), command: '' };
    return reportError(ctx ?? fallback, error);
  }
}

if (require.main === module) {
  // `codex-manager stream events | head`: a closed pipe ends the command quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stderr.write(`codex-manager: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
