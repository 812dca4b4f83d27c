import type { ParsedOptions } from '../args';
import { apiPath } from '../config';
import type { Ctx } from '../context';
import { CliError, EXIT } from '../errors';
import { request } from '../http';
import type { CommandSpec } from '../manifest';
import { json } from '../output';
import { EventStream, type StreamFrame } from '../stream';
import { buildRequest } from '../values';
import { approvalCard, choiceToDecision, decideApproval, DECISION_KEYS, isObj, readDecisionKey, type PendingApproval } from './live';
import { intOpt } from './misc';
import { allowedStatuses, envelope, finish } from './operation';

/**
 * `sessions send --wait`: subscribe to the session's events first (so nothing of the
 * turn is missed), start the turn, stream the answer to stdout as it arrives (activity
 * and approvals on stderr), and end with the turn's status. On a terminal an approval
 * of the turn is decided with a keypress; Ctrl-C interrupts the turn.
 */

type Obj = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

interface TurnResult {
  status: string;
  error: unknown;
}

export async function runSendWait(ctx: Ctx, spec: CommandSpec, parsed: ParsedOptions): Promise<number> {
  const built = buildRequest(spec, parsed);
  const waitTimeout = intOpt(parsed, 'wait-timeout-ms', undefined, 1);
  const conn = ctx.connection();
  const sessionId = built.params.sessionId!;
  const mode: 'human' | 'json' | 'jsonl' = ctx.globals.jsonl ? 'jsonl' : ctx.globals.json ? 'json' : 'human';
  const { paintErr, stdout, stderr } = ctx;
  const interactive = mode === 'human' && Boolean(process.stdin.isTTY) && Boolean(stderr.isTTY);
  const spinnerOn = mode === 'human' && Boolean(stderr.isTTY);

  let turnId: string | undefined = undefined;
  const early: { frame: StreamFrame; raw: string }[] = [];
  let result: TurnResult | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  let text = '';
  let atLineStart = true;
  let lastItem: string | undefined;
  const printedItems = new Set<string>();
  const approvals: PendingApproval[] = [];
  let prompting: { id: string; cancel(): void } | undefined;
  let spinner: NodeJS.Timeout | undefined;
  let spin = 0;
  const started = Date.now();

  const clearSpinner = () => {
    if (spinner) {
      clearInterval(spinner);
      spinner = undefined;
      stderr.write('\r\u001b[2K');
    }
  };
  const startSpinner = (label: string) => {
    if (!spinnerOn || spinner) return;
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
    spinner = setInterval(() => stderr.write(`\r\u001b[2K${paintErr('cyan', frames[spin++ % frames.length]!)} ${paintErr('dim', `${label} ${((Date.now() - started) / 1000).toFixed(0)} s`)}`), 100);
  };
  /** A line on stderr, starting on a fresh line even when the answer is mid-line. */
  const note = (line: string) => {
    clearSpinner();
    if (!atLineStart) {
      stdout.write('\n');
      atLineStart = true;
    }
    stderr.write(`${line}\n`);
  };

  const nextApproval = async () => {
    if (!interactive || prompting) return;
    const a = approvals[0];
    if (!a) return;
    note(`${approvalCard(a, paintErr)}${paintErr('dim', DECISION_KEYS)}`);
    const reader = readDecisionKey();
    prompting = { id: a.approvalId, cancel: reader.cancel };
    const key = await reader.choice;
    prompting = undefined;
    approvals.shift();
    if (key === 'quit') {
      note(paintErr('dim', 'left the approval pending; still waiting (Ctrl-C interrupts the turn)'));
    } else if (key) {
      const d = choiceToDecision(key);
      if (d) {
        const r = await decideApproval(ctx, conn, a.approvalId, d.decision, d.scope);
        note(r.ok ? `${paintErr('green', '✓')} ${r.message}` : `${paintErr('yellow', '!')} ${r.message}`);
      } else {
        note(paintErr('dim', `skipped; decide later: codex-manager approvals decide --approval-id ${a.approvalId} --decision accept`));
      }
    }
    void nextApproval();
  };

  const handle = (frame: StreamFrame, raw: string) => {
    if (mode === 'jsonl') stdout.write(`${raw}\n`);
    const payload = isObj(frame.payload) ? frame.payload : {};
    if (frame.type === 'notification') {
      const method = str(payload.method);
      const params = isObj(payload.params) ? payload.params : {};
      const item = isObj(params.item) ? params.item : undefined;
      const turn = isObj(params.turn) ? params.turn : undefined;
      const paramTurn = str(params.turnId ?? turn?.id);
      if (paramTurn && paramTurn !== turnId) return;
      if (method === 'item/agentMessage/delta' && typeof params.delta === 'string') {
        clearSpinner();
        const itemId = str(params.itemId);
        if (lastItem && itemId !== lastItem && mode === 'human' && !atLineStart) stdout.write('\n\n');
        lastItem = itemId;
        printedItems.add(itemId);
        text += params.delta;
        if (mode === 'human') {
          stdout.write(params.delta);
          atLineStart = params.delta.endsWith('\n');
        }
      } else if (method === 'item/started' && item && mode === 'human') {
        if (item.type === 'commandExecution') note(paintErr('dim', `▸ $ ${str(item.command)}`));
        if (item.type === 'fileChange') note(paintErr('dim', `▸ edit ${(Array.isArray(item.changes) ? item.changes : []).map((c) => str(isObj(c) ? c.path : '')).join(', ')}`));
        if (item.type === 'dynamicToolCall' || item.type === 'mcpToolCall') note(paintErr('dim', `▸ tool ${str(item.tool)}`));
      } else if (method === 'item/completed' && item) {
        if (item.type === 'agentMessage' && typeof item.text === 'string' && !printedItems.has(str(item.id))) {
          // Deltas not seen (e.g. lost before a reconnect): the completed item has the whole text.
          text += item.text;
          printedItems.add(str(item.id));
          if (mode === 'human') {
            clearSpinner();
            if (!atLineStart) stdout.write('\n\n');
            stdout.write(item.text);
            atLineStart = item.text.endsWith('\n');
          }
        } else if (item.type === 'commandExecution' && mode === 'human') {
          note(paintErr('dim', `  ${str(item.status)}${item.exitCode !== undefined && item.exitCode !== null ? `, exit ${str(item.exitCode)}` : ''}`));
        }
      } else if (method === 'error' && mode === 'human') {
        const error = isObj(params.error) ? params.error : {};
        note(`${paintErr('red', '!')} ${str(error.message)}${params.willRetry ? paintErr('dim', ' (retrying)') : ''}`);
      } else if (method === 'turn/completed' && turn) {
        result = { status: str(turn.status), error: turn.error ?? null };
        resolveDone();
      }
      return;
    }
    if (frame.type === 'approval' && (!payload.turnId || payload.turnId === turnId)) {
      const a = payload as unknown as PendingApproval;
      if (interactive) {
        approvals.push(a);
        void nextApproval();
      } else if (mode === 'human') {
        note(`${approvalCard(a, paintErr)}${paintErr('dim', `decide: codex-manager approvals decide --approval-id ${a.approvalId} --decision accept|decline   (or: codex-manager approvals watch)`)}`);
      }
    } else if (frame.type === 'approval_resolved') {
      const id = str(payload.approvalId);
      const i = approvals.findIndex((a) => a.approvalId === id);
      if (i >= 0 && !(prompting?.id === id)) approvals.splice(i, 1);
      if (prompting?.id === id) {
        prompting.cancel();
        note(`${paintErr('yellow', '!')} decided elsewhere${payload.resolvedBy ? ` by ${str(payload.resolvedBy)}` : ''}`);
      } else if (mode === 'human' && !interactive) {
        note(paintErr('dim', `  approval ${id}: ${str(payload.status)}${payload.decision ? ` (${typeof payload.decision === 'string' ? payload.decision : JSON.stringify(payload.decision)})` : ''}${payload.resolvedBy ? ` by ${str(payload.resolvedBy)}` : ''}`));
      }
    } else if ((frame.type === 'tool_user_input_requested' || frame.type === 'tool_call_requested') && mode === 'human') {
      const cmd = frame.type === 'tool_call_requested'
        ? `codex-manager tool-calls respond --request-id ${str(payload.requestId)} --text "..."`
        : `codex-manager tool-input decide --request-id ${str(payload.requestId)} --decision accept --answers '{...}'`;
      note(`${paintErr(['bold', 'yellow'], '?')} ${str(payload.summary)}\n  ${paintErr('dim', `answer: ${cmd}`)}`);
    } else if (frame.type === 'runtime_state' && mode === 'human' && ['failed', 'restarting', 'stopped'].includes(str(payload.state))) {
      note(`${paintErr('red', '!')} codex runtime ${str(payload.state)}`);
    }
  };

  const stream = new EventStream(conn, {
    threadIds: [sessionId],
    families: ['notification', 'bridge'],
    onEvent: (frame, raw) => {
      if (turnId === undefined) early.push({ frame, raw });
      else handle(frame, raw);
    },
    onStatus: (message, level) => {
      if (mode === 'human') note(paintErr(level === 'warn' ? 'yellow' : 'dim', message));
    },
  });
  const running = stream.run();
  running.catch(() => undefined);
  await Promise.race([stream.ready, running]);

  const path = apiPath(conn, built.path);
  const res = await request(conn, { method: 'POST', path, body: built.body });
  if (res.statusCode !== 202 || !isObj(res.body) || typeof res.body.turnId !== 'string') {
    stream.stop();
    return finish(ctx, res, 'POST', path, allowedStatuses(ctx, spec.expect), spec);
  }
  turnId = res.body.turnId;
  startSpinner('waiting for codex…');
  for (const e of early.splice(0)) handle(e.frame, e.raw);

  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) {
      clearSpinner();
      stream.stop();
      process.exit(130);
    }
    note(paintErr('yellow', 'interrupting the turn… (Ctrl-C again to stop waiting)'));
    void request(conn, { method: 'POST', path: apiPath(conn, `/api/sessions/${encodeURIComponent(sessionId)}/interrupt`), body: { turnId } }).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (waitTimeout) timer = setTimeout(() => resolve('timeout'), waitTimeout);
  });
  try {
    const outcome = await Promise.race([done.then(() => 'done' as const), timedOut, running.then(() => 'closed' as const)]);
    if (outcome === 'timeout') {
      throw new CliError('timeout', `turn ${turnId} is still running after ${waitTimeout} ms`, EXIT.error,
        `follow it: codex-manager stream events --thread-id ${sessionId} (or wait longer with --wait-timeout-ms)`, { turnId });
    }
    if (outcome === 'closed' && !result) throw new CliError('stream', 'the event stream ended before the turn did', EXIT.error, `read the session: codex-manager sessions get --session-id ${sessionId}`);
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
    prompting?.cancel();
    clearSpinner();
    stream.stop();
  }

  const r = result!;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const errorMessage = isObj(r.error) ? str(r.error.message) : '';
  const ok = r.status === 'completed';
  const turn = { id: turnId, status: r.status, error: r.error, text, durationMs: Date.now() - started };
  if (mode === 'json') {
    const env = envelope(ctx, 'POST', path, res, ok, { turn });
    if (ok) stdout.write(json(env));
    else stderr.write(json({ ...env, error: { kind: 'turn_failed', message: `turn ${r.status}${errorMessage ? `: ${errorMessage}` : ''}`, exitCode: EXIT.error } }));
  } else if (mode === 'human') {
    if (!atLineStart) stdout.write('\n');
    const line = ok ? paintErr('green', `✓ completed in ${seconds} s`)
      : r.status === 'interrupted' ? paintErr('yellow', `■ interrupted after ${seconds} s`)
        : paintErr('red', `✗ ${r.status}${errorMessage ? `: ${errorMessage}` : ''} (${seconds} s)`);
    stderr.write(`${line}\n`);
  }
  return ok ? EXIT.ok : EXIT.error;
}

export type { Obj };
