import { findRunningBridges, registryDir } from '../../protocol/discovery';
import type { ParsedOptions } from '../args';
import { apiPath } from '../config';
import type { Ctx } from '../context';
import { CliError, EXIT, usageError } from '../errors';
import { request } from '../http';
import { MANIFEST } from '../manifest';
import { ago, json, table } from '../output';
import { renderTranscript } from '../render';
import { parseJsonArg } from '../values';
import { allowedStatuses, envelope, finish } from './operation';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function textOpt(parsed: ParsedOptions, name: string): string | undefined {
  const raws = parsed.values.get(name);
  const raw = raws?.[raws.length - 1];
  return raw?.kind === 'text' ? raw.text : undefined;
}

export function textOpts(parsed: ParsedOptions, name: string): string[] {
  return (parsed.values.get(name) ?? []).flatMap((r) => (r.kind === 'text' ? [r.text] : []));
}

export function boolOpt(parsed: ParsedOptions, name: string, fallback = false): boolean {
  const raws = parsed.values.get(name);
  const raw = raws?.[raws.length - 1];
  return raw?.kind === 'bool' ? raw.value : fallback;
}

export function intOpt(parsed: ParsedOptions, name: string, fallback?: number, min = 0): number | undefined {
  const t = textOpt(parsed, name);
  if (t === undefined) return fallback;
  const n = Number(t);
  if (!Number.isInteger(n) || n < min) throw usageError(`--${name} expects a whole number${min > 0 ? ` ≥ ${min}` : ''}, not ${JSON.stringify(t)}`, `e.g. --${name} 10`);
  return n;
}

export function noPositionals(parsed: ParsedOptions, command: string): void {
  if (parsed.positionals.length) throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}: parameters are flags`, `see \`codex-manager ${command} --help\``);
}

export function required(parsed: ParsedOptions, name: string, command: string): string {
  const v = textOpt(parsed, name);
  if (v === undefined || v === '') throw usageError(`missing --${name} for ${command}`, `see \`codex-manager ${command} --help\``);
  return v;
}

export function runBridgesList(ctx: Ctx, parsed: ParsedOptions): number {
  noPositionals(parsed, 'bridges list');
  const bridges = findRunningBridges(ctx.env);
  if (ctx.globals.json || ctx.globals.jsonl) {
    ctx.stdout.write(json({ ok: true, command: ctx.command, registry: registryDir(ctx.env), bridges }));
    return EXIT.ok;
  }
  if (!bridges.length) {
    ctx.stdout.write(`${ctx.paint('dim', `no running bridge registered in ${registryDir(ctx.env)}; start one with \`codex-manager serve\``)}\n`);
    return EXIT.ok;
  }
  ctx.stdout.write(table(bridges, [
    { header: '', get: (b) => (b === bridges[0] ? '*' : '') },
    { header: 'url', get: (b) => b.url },
    { header: 'mode', get: (b) => b.mode },
    { header: 'pid', get: (b) => String(b.pid) },
    { header: 'version', get: (b) => b.version },
    { header: 'started', get: (b) => ago(b.started) },
    { header: 'data dir', get: (b) => b.dataDir, flex: true },
  ], ctx.paint, ctx.width));
  return EXIT.ok;
}

/** codex-manager's raw fallback: any method and path; `--allow-status` widens success. */
export async function runApiRequest(ctx: Ctx, parsed: ParsedOptions): Promise<number> {
  noPositionals(parsed, 'api request');
  const method = required(parsed, 'method', 'api request').toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw usageError(`--method ${method} is not one of GET, POST, PUT, PATCH, DELETE`, 'e.g. --method GET');
  const rawPath = required(parsed, 'path', 'api request');
  const conn = ctx.connection();
  const [pathOnly, inlineQuery] = rawPath.split('?', 2) as [string, string | undefined];
  const path = apiPath(conn, pathOnly.startsWith('/') ? pathOnly : `/${pathOnly}`);
  const query: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(inlineQuery ?? '')) (query[k] ??= []).push(v);
  for (const pair of textOpts(parsed, 'query')) {
    const i = pair.indexOf('=');
    if (i <= 0) throw usageError(`--query ${JSON.stringify(pair)} is not key=value`, 'e.g. --query limit=5');
    (query[pair.slice(0, i)] ??= []).push(pair.slice(i + 1));
  }
  const headers: Record<string, string> = {};
  for (const h of textOpts(parsed, 'header')) {
    const i = h.indexOf(':');
    if (i <= 0) throw usageError(`--header ${JSON.stringify(h)} is not key:value`, 'e.g. --header "X-Name: value"');
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const bodyRaw = parsed.values.get('body')?.at(-1);
  const body = bodyRaw?.kind === 'text' ? parseJsonArg(bodyRaw.text, 'body') : bodyRaw?.kind === 'file' ? parseJsonArg(`@${bodyRaw.path}`, 'body') : undefined;
  const own = textOpt(parsed, 'allow-status');
  if (own !== undefined) ctx.globals.allowStatus = own;
  const allowed = allowedStatuses(ctx, []);
  const res = await request(conn, { method, path, query, headers, ...(body !== undefined ? { body } : {}) });
  // The declared operation, when the path is one, names fields in error messages.
  const spec = MANIFEST.commands.find((c) => c.method === method && new RegExp(`^${c.path.replace(/^\/api/, conn.apiPrefix).replace(/\{\w+\}/g, '[^/]+')}/?$`).test(path));
  if (!ctx.globals.json && res.statusCode >= 200 && res.statusCode < 300) {
    ctx.verbose(`${method} ${res.url} → ${res.statusCode}`);
    ctx.stdout.write(json(res.body));
    return EXIT.ok;
  }
  return finish(ctx, res, method, path, allowed, spec);
}

/** codex-manager's `sessions inspect`: the latest turn and the filtered tail of the transcript. */
export async function runInspect(ctx: Ctx, parsed: ParsedOptions): Promise<number> {
  noPositionals(parsed, 'sessions inspect');
  const sessionId = required(parsed, 'session-id', 'sessions inspect');
  const tail = intOpt(parsed, 'transcript-tail', 12, 1)!;
  const chars = intOpt(parsed, 'content-chars', 220, 1)!;
  const set = (name: string) => new Set((textOpt(parsed, name) ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const types = set('types');
  const statuses = set('statuses');
  const roles = set('roles');
  const contains = textOpt(parsed, 'contains')?.trim().toLowerCase();
  const conn = ctx.connection();
  const spec = MANIFEST.commands.find((c) => c.id === 'readSession')!;
  const path = apiPath(conn, spec.path.replace('{sessionId}', encodeURIComponent(sessionId)));
  const res = await request(conn, { method: 'GET', path });
  if (res.statusCode !== 200 || !isObj(res.body)) return finish(ctx, res, 'GET', path, allowedStatuses(ctx, spec.expect), spec);

  const body = res.body;
  const session = isObj(body.session) ? body.session : null;
  const thread = isObj(body.thread) ? body.thread : null;
  const transcript = (Array.isArray(body.transcript) ? body.transcript : []).filter(isObj);
  const turns = Array.isArray(thread?.turns) ? thread.turns : [];
  const last = isObj(turns.at(-1)) ? (turns.at(-1) as Obj) : null;
  const filtered = transcript
    .filter((e) => !types.size || types.has(String(e.type ?? '')))
    .filter((e) => !statuses.size || statuses.has(String(e.status ?? '')))
    .filter((e) => !roles.size || roles.has(String(e.role ?? '')))
    .filter((e) => !contains || String(e.content ?? '').toLowerCase().includes(contains));
  const tailEntries = filtered.slice(-tail).map((e) => ({
    messageId: e.messageId ?? null, turnId: e.turnId ?? null, role: e.role ?? null, type: e.type ?? null, status: e.status ?? null,
    startedAt: e.startedAt ?? null, completedAt: e.completedAt ?? null,
    content: String(e.content ?? '').replace(/\s+/g, ' ').trim().slice(0, chars),
  }));
  const view = {
    session,
    thread: thread ? { id: thread.id ?? null, preview: thread.preview ?? null, updatedAt: thread.updatedAt ?? null } : null,
    latestTurn: last ? { id: last.id ?? null, status: last.status ?? null, error: last.error ?? null } : null,
    transcriptCount: transcript.length,
    filteredTranscriptCount: filtered.length,
    transcriptTail: tailEntries,
  };
  if (ctx.globals.json || ctx.globals.jsonl) {
    ctx.stdout.write(json(envelope(ctx, 'GET', path, { ...res, body: view }, true)));
    return EXIT.ok;
  }
  const p = ctx.paint;
  ctx.stdout.write(`${p('bold', String(session?.title ?? sessionId))}  ${p('dim', sessionId)}\n`);
  if (view.latestTurn) {
    const err = isObj(view.latestTurn.error) ? ` ${p('red', String(view.latestTurn.error.message ?? ''))}` : '';
    ctx.stdout.write(`latest turn ${String(view.latestTurn.id)}: ${String(view.latestTurn.status)}${err}\n`);
  }
  ctx.stdout.write(`${p('dim', `transcript: ${filtered.length} of ${transcript.length} entries match; last ${tailEntries.length}:`)}\n\n`);
  ctx.stdout.write(renderTranscript(filtered.slice(-tail), { paint: p, width: ctx.width, command: ctx.command }, chars));
  return EXIT.ok;
}

/** codex-manager's `orchestrator jobs wait`: poll until the job ends; a progress line on a terminal. */
export async function runJobsWait(ctx: Ctx, parsed: ParsedOptions): Promise<number> {
  noPositionals(parsed, 'orchestrator jobs wait');
  const jobId = required(parsed, 'job-id', 'orchestrator jobs wait');
  const timeoutMs = intOpt(parsed, 'timeout-ms', 60_000, 1)!;
  const pollMs = Math.max(50, intOpt(parsed, 'poll-ms', 500, 1)!);
  const conn = ctx.connection();
  const spec = MANIFEST.commands.find((c) => c.id === 'getOrchestratorJob')!;
  const path = apiPath(conn, spec.path.replace('{jobId}', encodeURIComponent(jobId)));
  const deadline = Date.now() + timeoutMs;
  const tty = Boolean(ctx.stderr.isTTY) && !ctx.globals.json;
  const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
  let tick = 0;
  for (;;) {
    const res = await request(conn, { method: 'GET', path });
    if (res.statusCode !== 200) {
      if (tty) ctx.stderr.write('\r\u001b[2K');
      return finish(ctx, res, 'GET', path, allowedStatuses(ctx, spec.expect), spec);
    }
    const job = isObj(res.body) && isObj(res.body.job) ? res.body.job : isObj(res.body) ? res.body : {};
    const state = typeof job.state === 'string' ? job.state : 'unknown';
    if (['completed', 'failed', 'canceled'].includes(state)) {
      if (tty) ctx.stderr.write('\r\u001b[2K');
      finish(ctx, res, 'GET', path, [], spec);
      return state === 'completed' ? EXIT.ok : EXIT.error;
    }
    if (Date.now() >= deadline) {
      if (tty) ctx.stderr.write('\r\u001b[2K');
      throw new CliError('timeout', `job ${jobId} is still ${state} after ${timeoutMs} ms`, EXIT.error, 'wait longer with --timeout-ms, or check it with `codex-manager orchestrator jobs get`');
    }
    if (tty) {
      const progress = isObj(job.progress) ? ` ${JSON.stringify(job.progress)}` : typeof job.progress === 'number' ? ` ${job.progress}%` : '';
      ctx.stderr.write(`\r\u001b[2K${ctx.paintErr('cyan', frames[tick++ % frames.length]!)} job ${jobId}: ${state}${progress}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
