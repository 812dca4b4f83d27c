import { apiPath, type Connection } from '../config';
import type { Ctx } from '../context';
import { request } from '../http';
import { truncate, type Painter } from '../output';
import type { StreamFrame } from '../stream';

/** Pieces the live commands share: approval cards, keypress decisions, one-line event summaries. */

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export interface PendingApproval {
  approvalId: string;
  method?: string;
  threadId?: string | null;
  turnId?: string | null;
  summary?: string;
  details?: unknown;
  createdAt?: string;
}

function diffLines(diff: string, paint: Painter, max = 30): string[] {
  const lines = diff.replace(/\n$/, '').split('\n');
  const shown = lines.slice(0, max).map((l) => (l.startsWith('+') ? paint('green', l) : l.startsWith('-') ? paint('red', l) : l.startsWith('@@') ? paint('cyan', l) : l));
  if (lines.length > max) shown.push(paint('dim', `… ${lines.length - max} more lines`));
  return shown;
}

/** The approval as people need to judge it: what runs where, or which files change how. */
export function approvalCard(a: PendingApproval, paint: Painter): string {
  const d = isObj(a.details) ? a.details : {};
  const item = isObj(d.item) ? d.item : {};
  const out: string[] = [`${paint(['bold', 'yellow'], '? approval')} ${paint('bold', str(a.summary) || str(a.method))}  ${paint('dim', a.approvalId)}`];
  const command = d.command ?? item.command;
  if (command) out.push(`  ${paint('bold', '$')} ${Array.isArray(command) ? command.join(' ') : str(command)}`);
  if (d.cwd ?? item.cwd) out.push(`  ${paint('dim', `in ${str(d.cwd ?? item.cwd)}`)}`);
  if (d.reason) out.push(`  ${paint('dim', `why: ${str(d.reason)}`)}`);
  const changes = (Array.isArray(d.changes) ? d.changes : Array.isArray(item.changes) ? item.changes : []).filter(isObj);
  for (const c of changes) {
    const kind = isObj(c.kind) ? str(c.kind.type) : str(c.kind);
    out.push(`  ${paint('bold', kind || 'change')} ${str(c.path)}`);
    if (typeof c.diff === 'string') out.push(...diffLines(c.diff, paint).map((l) => `    ${l}`));
  }
  if (d.grantRoot) out.push(`  ${paint('yellow', `asks for write access to ${str(d.grantRoot)}`)}`);
  return out.join('\n') + '\n';
}

export const DECISION_KEYS = `${'[a]'} accept  [s] accept for session  [d] decline  [c] cancel  [n] skip  [q] quit`;

export type KeyChoice = 'accept' | 'session' | 'decline' | 'cancel' | 'skip' | 'quit';

/** Reads one decision key from a terminal; `cancel()` ends the wait (e.g. it was decided elsewhere). */
export function readDecisionKey(keepRaw = false): { choice: Promise<KeyChoice | undefined>; cancel(): void } {
  const stdin = process.stdin;
  let finish!: (c: KeyChoice | undefined) => void;
  const choice = new Promise<KeyChoice | undefined>((resolve) => { finish = resolve; });
  const map: Record<string, KeyChoice> = { a: 'accept', y: 'accept', s: 'session', d: 'decline', c: 'cancel', n: 'skip', q: 'quit', '\u0003': 'quit' };
  const onData = (data: Buffer) => {
    const key = data.toString().toLowerCase();
    const c = map[key];
    if (c) done(c);
  };
  const done = (c: KeyChoice | undefined) => {
    stdin.off('data', onData);
    if (!keepRaw) {
      try {
        stdin.setRawMode(false);
      } catch {
        // not a TTY any more
      }
      stdin.pause();
    }
    finish(c);
  };
  stdin.setRawMode(true);
  stdin.resume();
  stdin.on('data', onData);
  return { choice, cancel: () => done(undefined) };
}

export interface DecisionResult {
  status: number;
  message: string;
  ok: boolean;
}

export async function decideApproval(ctx: Ctx, conn: Connection, approvalId: string, decision: 'accept' | 'decline' | 'cancel', scope?: 'turn' | 'session'): Promise<DecisionResult> {
  const path = apiPath(conn, `/api/approvals/${encodeURIComponent(approvalId)}/decision`);
  const res = await request(conn, { method: 'POST', path, body: { decision, ...(scope ? { scope } : {}) } });
  const body = isObj(res.body) ? res.body : {};
  if (res.statusCode === 200) return { status: 200, ok: true, message: `${decision}${scope === 'session' ? ' (for the session)' : ''} sent` };
  if (res.statusCode === 409 && isObj(body.resolution)) {
    return { status: 409, ok: false, message: `already decided by ${str(body.resolution.by)}${body.resolution.decision ? ` (${JSON.stringify(isObj(body.resolution.decision) ? body.resolution.decision.decision ?? body.resolution.decision : body.resolution.decision)})` : ''}` };
  }
  return { status: res.statusCode, ok: false, message: `${str(body.message) || `HTTP ${res.statusCode}`} (${res.statusCode})` };
}

export function choiceToDecision(c: KeyChoice): { decision: 'accept' | 'decline' | 'cancel'; scope?: 'session' } | undefined {
  if (c === 'accept') return { decision: 'accept' };
  if (c === 'session') return { decision: 'accept', scope: 'session' };
  if (c === 'decline') return { decision: 'decline' };
  if (c === 'cancel') return { decision: 'cancel' };
  return undefined;
}

/** A one-line summary of an event's payload, for people. */
export function eventSummary(frame: StreamFrame): string {
  const p = isObj(frame.payload) ? frame.payload : {};
  const message = isObj(p) && typeof p.method === 'string' ? p : undefined;
  if (message) {
    const params = isObj(message.params) ? message.params : {};
    const item = isObj(params.item) ? params.item : undefined;
    const turn = isObj(params.turn) ? params.turn : undefined;
    let detail = '';
    if (typeof params.delta === 'string') detail = JSON.stringify(params.delta);
    else if (item) detail = `${str(item.type)}${item.command ? ` ${str(item.command)}` : item.text ? ` ${JSON.stringify(truncate(str(item.text), 60))}` : ''}${item.status ? ` (${str(item.status)})` : ''}`;
    else if (turn) detail = `turn ${str(turn.id)} ${str(turn.status)}`;
    else if (isObj(params.status)) detail = str(params.status.type);
    else if (params.message) detail = truncate(str(params.message), 80);
    return `${str(message.method)}${detail ? `  ${detail}` : ''}`;
  }
  if (frame.type === 'approval') return `${str(p.summary)} ${str(p.approvalId)}`;
  if (frame.type === 'approval_resolved') return `${str(p.approvalId)} ${str(p.status)}${p.decision ? ` ${typeof p.decision === 'string' ? p.decision : JSON.stringify(p.decision)}` : ''}${p.resolvedBy ? ` by ${str(p.resolvedBy)}` : ''}`;
  if (frame.type === 'runtime_state') return `runtime ${str(p.state)}`;
  if (p.requestId) return `${str(p.summary ?? p.tool ?? '')} ${str(p.requestId)}`.trim();
  return truncate(JSON.stringify(frame.payload ?? null), 100);
}
