import type { ParsedOptions } from '../args';
import { apiPath, type Connection } from '../config';
import type { Ctx } from '../context';
import { EXIT, usageError } from '../errors';
import { request } from '../http';
import { EventStream, type StreamFrame } from '../stream';
import { approvalCard, choiceToDecision, decideApproval, DECISION_KEYS, isObj, readDecisionKey, type PendingApproval } from './live';
import { boolOpt, intOpt, noPositionals, textOpt, textOpts } from './misc';

/**
 * `approvals watch`: pending approvals (those already waiting, then new ones as they
 * arrive), decided with a keypress on a terminal, automatically with --decision, or
 * just printed (no terminal, or --jsonl). An approval decided elsewhere disappears.
 */

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

async function pendingNow(conn: Connection, sessionIds: string[]): Promise<PendingApproval[]> {
  let ids = sessionIds;
  if (!ids.length) {
    // Approvals exist only while a turn runs, so the sessions with an active turn are enough.
    const res = await request(conn, { method: 'GET', path: apiPath(conn, '/api/sessions'), query: { limit: '200' } });
    const rows = isObj(res.body) && Array.isArray(res.body.data) ? res.body.data.filter(isObj) : [];
    ids = rows.filter((s) => s.activeTurnId).map((s) => str(s.sessionId));
  }
  const lists = await Promise.all(ids.map(async (id) => {
    const res = await request(conn, { method: 'GET', path: apiPath(conn, `/api/sessions/${encodeURIComponent(id)}/approvals`) });
    return isObj(res.body) && Array.isArray(res.body.data) ? (res.body.data.filter(isObj) as unknown as PendingApproval[]) : [];
  }));
  return lists.flat();
}

export async function runApprovalsWatch(ctx: Ctx, parsed: ParsedOptions): Promise<number> {
  noPositionals(parsed, 'approvals watch');
  const sessionIds = textOpts(parsed, 'session-id');
  const auto = textOpt(parsed, 'decision');
  if (auto !== undefined && !['accept', 'decline', 'cancel'].includes(auto)) throw usageError(`--decision must be accept, decline or cancel; got ${JSON.stringify(auto)}`, 'e.g. --decision decline');
  const scope = textOpt(parsed, 'scope');
  if (scope !== undefined && scope !== 'turn' && scope !== 'session') throw usageError(`--scope must be turn or session; got ${JSON.stringify(scope)}`, 'e.g. --scope session');
  const once = boolOpt(parsed, 'once');
  const durationMs = intOpt(parsed, 'duration-ms', undefined, 1);
  const machine = ctx.globals.json || ctx.globals.jsonl;
  const interactive = !auto && !machine && Boolean(process.stdin.isTTY) && Boolean(ctx.stdout.isTTY);
  const { paint, stdout, stderr, paintErr } = ctx;
  const conn = ctx.connection();

  const queue: PendingApproval[] = [];
  const seen = new Set<string>();
  const resolved = new Set<string>();
  let prompting: { id: string; cancel(): void } | undefined;
  let busy = false;
  let decided = 0;
  let quit!: () => void;
  const finished = new Promise<void>((r) => { quit = r; });

  const emit = (record: Record<string, unknown>) => stdout.write(`${JSON.stringify(record)}\n`);
  const idle = () => {
    if (interactive && !queue.length && !prompting) stdout.write(`${paint('dim', `watching for approvals${sessionIds.length ? ` in ${sessionIds.join(', ')}` : ''}… (q or Ctrl-C to quit)`)}\n`);
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (queue.length) {
        const a = queue.shift()!;
        if (resolved.has(a.approvalId)) continue;
        if (auto) {
          const r = await decideApproval(ctx, conn, a.approvalId, auto as 'accept', auto === 'accept' && scope === 'session' ? 'session' : undefined);
          if (machine) emit({ type: 'decision', approvalId: a.approvalId, decision: auto, ok: r.ok, status: r.status, message: r.message });
          else stdout.write(`${approvalCard(a, paint)}${r.ok ? paint('green', `✓ ${r.message}`) : paint('yellow', `! ${r.message}`)}\n`);
          if (r.ok) decided++;
          if (once && r.ok) return quit();
          continue;
        }
        if (!interactive) continue;
        stdout.write(`\n${approvalCard(a, paint)}${paint('dim', DECISION_KEYS)}\n`);
        const reader = readDecisionKey(true);
        prompting = { id: a.approvalId, cancel: reader.cancel };
        const key = await reader.choice;
        prompting = undefined;
        if (key === undefined) continue; // decided elsewhere; already said so
        if (key === 'quit') return quit();
        const d = choiceToDecision(key);
        if (!d) {
          stdout.write(`${paint('dim', 'skipped')}\n`);
          continue;
        }
        const r = await decideApproval(ctx, conn, a.approvalId, d.decision, d.scope);
        stdout.write(`${r.ok ? paint('green', `✓ ${r.message}`) : paint('yellow', `! ${r.message}`)}\n`);
        if (r.ok) decided++;
        if (once && r.ok) return quit();
      }
      idle();
    } finally {
      busy = false;
    }
  };

  const add = (a: PendingApproval) => {
    if (seen.has(a.approvalId) || resolved.has(a.approvalId)) return;
    seen.add(a.approvalId);
    if (machine) emit({ type: 'approval', ...a });
    else if (!interactive && !auto) stdout.write(`${approvalCard(a, paint)}${paint('dim', `decide: codex-manager approvals decide --approval-id ${a.approvalId} --decision accept|decline`)}\n`);
    queue.push(a);
    void pump();
  };

  const stream = new EventStream(conn, {
    ...(sessionIds.length ? { threadIds: sessionIds } : {}),
    families: ['bridge'],
    onEvent: (frame: StreamFrame) => {
      const p = isObj(frame.payload) ? frame.payload : {};
      if (frame.type === 'approval' && typeof p.approvalId === 'string') add(p as unknown as PendingApproval);
      if (frame.type === 'approval_resolved' && typeof p.approvalId === 'string') {
        resolved.add(p.approvalId);
        const by = p.resolvedBy ? ` by ${str(p.resolvedBy)}` : '';
        const what = `${p.approvalId} ${str(p.status)}${p.decision ? ` (${typeof p.decision === 'string' ? p.decision : JSON.stringify(p.decision)})` : ''}${by}`;
        if (machine) emit({ type: 'approval_resolved', ...p });
        else if (prompting?.id === p.approvalId) {
          prompting.cancel();
          stdout.write(`${paint('yellow', `! decided elsewhere: ${what}`)}\n`);
        } else if (seen.has(p.approvalId) && !interactive && !auto) {
          stdout.write(`${paint('dim', `  resolved: ${what}`)}\n`);
        }
      }
    },
    onStatus: (message, level) => stderr.write(`${paintErr(level === 'warn' ? 'yellow' : 'dim', message)}\n`),
  });
  const running = stream.run();
  running.catch(() => undefined);
  await Promise.race([stream.ready, running]);
  for (const a of await pendingNow(conn, sessionIds)) add(a);
  if (!interactive && !machine) stderr.write(`${paintErr('dim', `watching for approvals${sessionIds.length ? ` in ${sessionIds.join(', ')}` : ''}${auto ? ` (answering ${auto})` : ''}…`)}\n`);
  idle();

  let quitKeys: ((data: Buffer) => void) | undefined;
  if (interactive) {
    // Raw keys the whole time: between prompts, q or Ctrl-C quits.
    process.stdin.setRawMode(true);
    process.stdin.resume();
    quitKeys = (data: Buffer) => {
      if (!prompting && (data.toString() === 'q' || data.toString() === '\u0003')) quit();
    };
    process.stdin.on('data', quitKeys);
  }
  const onSignal = () => quit();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = durationMs ? setTimeout(quit, durationMs) : undefined;
  try {
    await Promise.race([finished, running]);
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (quitKeys) process.stdin.off('data', quitKeys);
    prompting?.cancel();
    stream.stop();
    if (interactive) process.stdin.setRawMode(false);
    process.stdin.pause();
  }
  if (!machine) stderr.write(`${paintErr('dim', `${decided} decided`)}\n`);
  return EXIT.ok;
}
