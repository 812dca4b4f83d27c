import type { ParsedOptions } from '../args';
import type { Ctx } from '../context';
import { EXIT, usageError } from '../errors';
import { EventStream, type StreamFrame } from '../stream';
import { eventSummary } from './live';
import { boolOpt, intOpt, noPositionals, textOpt, textOpts } from './misc';

/**
 * `stream events`: the event stream, one line per event for people, raw frames with
 * --jsonl (or --json). Reconnects and replays since the last seq by default.
 */

const FAMILIES = ['notification', 'app_server', 'alias', 'bridge'];

function csv(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export async function runStreamEvents(ctx: Ctx, parsed: ParsedOptions): Promise<number> {
  noPositionals(parsed, 'stream events');
  const threadIds = [...textOpts(parsed, 'thread-id'), ...csv(textOpt(parsed, 'thread-ids'))];
  const subscribe = textOpts(parsed, 'subscribe');
  let families = csv(textOpt(parsed, 'families'));
  const unknown = families.filter((f) => !FAMILIES.includes(f));
  if (unknown.length) throw usageError(`--families: unknown ${unknown.join(', ')}`, `use some of ${FAMILIES.join(', ')}`);
  const types = csv(textOpt(parsed, 'types'));
  const since = intOpt(parsed, 'since', undefined, 0);
  const durationMs = intOpt(parsed, 'duration-ms', undefined, 1);
  const maxEvents = intOpt(parsed, 'max-events', undefined, 1);
  const pingIntervalMs = intOpt(parsed, 'ping-interval-ms', undefined, 1);
  const raw = ctx.globals.jsonl || ctx.globals.json;
  const { paint, paintErr, stdout, stderr } = ctx;
  const conn = ctx.connection();
  const filter = [...new Set([...threadIds, ...subscribe])];
  // For people, each event once (raw notifications and bridge events); machines get every
  // family by default, as codex-manager sent them.
  if (!families.length && !raw) families = ['notification', 'bridge'];

  let shown = 0;
  const stream: EventStream = new EventStream(conn, {
    ...(filter.length ? { threadIds: filter } : {}),
    ...(families.length ? { families } : {}),
    compact: boolOpt(parsed, 'compact'),
    ...(since !== undefined ? { since } : {}),
    reconnect: boolOpt(parsed, 'reconnect', true),
    ...(pingIntervalMs ? { pingIntervalMs } : {}),
    // codex-manager's `--subscribe ID` sends a subscribe frame after connecting.
    onOpenFrames: () => (subscribe.length ? [subscribe.length === 1 ? { type: 'subscribe', threadId: subscribe[0] } : { type: 'subscribe', threadIds: subscribe }] : []),
    onEvent: (frame: StreamFrame, text: string) => {
      if (types.length && !types.some((t) => frame.type.startsWith(t))) return;
      shown++;
      if (raw) {
        stdout.write(`${text}\n`);
      } else {
        const time = new Date().toISOString().slice(11, 23);
        const thread = typeof frame.threadId === 'string' ? frame.threadId.slice(-8) : '-';
        stdout.write(`${paint('dim', time)} ${paint('gray', `#${String(frame.seq).padEnd(5)}`)} ${paint('cyan', frame.type.padEnd(26))} ${paint('dim', thread.padEnd(8))}  ${eventSummary(frame)}\n`);
      }
      if (maxEvents && shown >= maxEvents) stream.stop();
    },
    onControl: (frame: StreamFrame, text: string) => {
      if (raw) stdout.write(`${text}\n`);
      else if (frame.type === 'ready' && !stream.reconnects) stderr.write(`${paintErr('dim', `connected to ${conn.baseUrl}; epoch ${String(frame.epoch ?? '').slice(0, 8)}, last seq ${String(frame.lastSeq)}${filter.length ? `; threads ${filter.join(', ')}` : ''}`)}\n`);
      else if (frame.type === 'replayed') stderr.write(`${paintErr('dim', `replayed ${String(frame.count)} events after seq ${String(frame.since)}`)}\n`);
      else if (frame.type === 'error') stderr.write(`${paintErr('red', 'stream error:')} ${String(frame.message)}${frame.reason ? ` (${String(frame.reason)})` : ''}\n`);
    },
    onStatus: (message, level) => {
      if (!raw || ctx.globals.verbose) stderr.write(`${paintErr(level === 'warn' ? 'yellow' : 'dim', message)}\n`);
    },
  });
  const stop = () => stream.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const timer = durationMs ? setTimeout(stop, durationMs) : undefined;
  try {
    await stream.run();
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (!raw) stderr.write(`${paintErr('dim', `${shown} events; last seq ${String(stream.lastSeq ?? '-')}${stream.reconnects ? `; ${stream.reconnects} reconnects` : ''}`)}\n`);
  return EXIT.ok;
}
