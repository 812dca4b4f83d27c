import type { ParsedOptions } from '../args';
import { apiPath } from '../config';
import type { Ctx } from '../context';
import { CliError, EXIT, exitCodeForStatus, usageError } from '../errors';
import { request, type ApiResponse } from '../http';
import { MANIFEST, type CommandSpec } from '../manifest';
import { json } from '../output';
import { renderBody } from '../render';
import { buildRequest, flagForIssue } from '../values';

/** Runs a derived command: flags → request → the bridge → a view, or the envelope. */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `--allow-status 404,409` (or `none`) replaces the command's own list of statuses that count as success. */
export function allowedStatuses(ctx: Ctx, own: readonly number[]): number[] {
  const raw = ctx.globals.allowStatus;
  if (raw === undefined) return [...own];
  if (raw.trim().toLowerCase() === 'none' || raw.trim() === '') return [];
  const codes = raw.split(',').map((s) => Number(s.trim()));
  if (codes.some((c) => !Number.isInteger(c) || c < 100 || c > 599)) throw usageError(`--allow-status ${JSON.stringify(raw)} is not a list of HTTP statuses`, 'e.g. --allow-status 404,409 (or none)');
  return codes;
}

export interface Envelope {
  ok: boolean;
  command: string;
  request: { method: string; path: string; url: string };
  response: { statusCode: number; body: unknown };
  [extra: string]: unknown;
}

export function envelope(ctx: Ctx, method: string, path: string, res: ApiResponse, ok: boolean, extra: Obj = {}): Envelope {
  return { ok, command: ctx.command, request: { method, path, url: res.url }, response: { statusCode: res.statusCode, body: res.body }, ...extra };
}

function listCommandFor(spec: CommandSpec | undefined): string | undefined {
  if (!spec) return undefined;
  const group = spec.command.split(' ')[0]!;
  return MANIFEST.commands.find((c) => c.command === `${group} list`)?.command;
}

/** The cause and fix of a non-success answer, in words. */
export function describeFailure(ctx: Ctx, res: ApiResponse, spec?: CommandSpec): { message: string; fix: string } {
  const body = isObj(res.body) ? res.body : {};
  const status = res.statusCode;
  const code = typeof body.code === 'string' ? body.code : typeof body.status === 'string' ? body.status : '';
  let cause = typeof body.message === 'string' ? body.message : typeof res.body === 'string' && res.body ? res.body.slice(0, 200) : `HTTP ${status}`;
  const issues = Array.isArray(body.issues) ? (body.issues as { path?: (string | number)[]; message?: string }[]) : [];
  if (status === 400 && issues.length) {
    const first = issues[0]!;
    const flag = spec && first.path ? flagForIssue(spec, first.path) : undefined;
    cause = `invalid ${flag ?? (first.path ?? []).join('.')}: ${first.message ?? 'invalid'}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
  }
  if (status === 404 && body.status === 'not_found' && !body.message) {
    const idKey = Object.keys(body).find((k) => k.endsWith('Id'));
    cause = idKey ? `${idKey.replace(/Id$/, '')} ${String(body[idKey])} not found` : 'not found';
  }
  const command = spec?.command ?? ctx.command;
  const conn = ctx.connection();
  let fix: string;
  switch (status) {
    case 400: case 413: case 422:
      fix = `see \`codex-manager ${command} --help\``;
      break;
    case 401:
      fix = /bearer/i.test(cause)
        ? (conn.source.bearer === 'none'
          ? 'no token was found: pass --bearer TOKEN (or CODEX_MANAGER_BEARER_TOKEN) with the contents of the bridge\'s token file'
          : `the token from ${conn.source.bearer} is not this bridge's: pass the contents of ${conn.bridge ? conn.bridge.tokenFile : 'its token file (<data-dir>/token)'} with --bearer`)
        : 'sign the runtime in: `codex-manager account login start --type chatgpt` (or --type apiKey --api-key KEY)';
      break;
    case 403:
      fix = 'connect through 127.0.0.1 or localhost, or start the bridge with --allow-host NAME / --allow-origin URL';
      break;
    case 404: {
      const lister = listCommandFor(spec);
      fix = lister ? `check the id; \`codex-manager ${lister}\` shows what exists` : 'check the id and the URL (is this the right bridge?)';
      break;
    }
    case 409:
      fix = spec?.id === 'sendSessionMessage'
        ? `wait for the running turn, or stop it: \`codex-manager sessions interrupt --session-id ${String(body.sessionId ?? 'S')}\``
        : body.resolution ? 'nothing to do: the first decision stands' : 'check the current state (get it), then retry';
      break;
    case 410:
      fix = 'it was deleted; create a new one (`codex-manager sessions create`)';
      break;
    case 423:
      fix = 'the defaults are locked on this bridge (`codex-manager serve --unlock-defaults` to unlock), or use --scope session';
      break;
    case 501:
      fix = 'the pinned codex runtime does not support this method';
      break;
    case 503:
      fix = code === 'queue_unavailable'
        ? 'this bridge version has no job queue; run the work as a session turn instead (`codex-manager sessions send --wait`)'
        : 'check `codex-manager system health`; restart the runtime with `codex-manager runtime restart`';
      break;
    case 504:
      fix = 'the runtime did not answer in time: retry, or raise --timeout-ms';
      break;
    default:
      fix = status >= 500 ? 'see the bridge log in its data dir (logs/)' : `see \`codex-manager ${command} --help\``;
  }
  return { message: `${cause} (${status}${code && code !== cause ? ` ${code}` : ''})`, fix };
}

/**
 * Prints the outcome of one exchange. Success (2xx, or a status the command counts as
 * success) → the view or the envelope on stdout, exit 0. Anything else → a CliError
 * with the status's exit code (the envelope goes to stderr).
 */
export function finish(ctx: Ctx, res: ApiResponse, method: string, path: string, allowed: readonly number[], spec?: CommandSpec, extra: Obj = {}): number {
  const ok = (res.statusCode >= 200 && res.statusCode < 300) || allowed.includes(res.statusCode);
  ctx.verbose(`${method} ${res.url} → ${res.statusCode} in ${res.durationMs.toFixed(0)} ms`);
  if (!ok) {
    const { message, fix } = describeFailure(ctx, res, spec);
    throw new CliError('http', message, exitCodeForStatus(res.statusCode), fix, {
      statusCode: res.statusCode,
      ...(isObj(res.body) && typeof res.body.code === 'string' ? { code: res.body.code } : {}),
      request: { method, path, url: res.url },
      response: { statusCode: res.statusCode, body: res.body },
    });
  }
  if (ctx.globals.json || ctx.globals.jsonl) {
    ctx.stdout.write(json(envelope(ctx, method, path, res, true, extra)));
    return EXIT.ok;
  }
  if (res.statusCode >= 300) {
    const { message } = describeFailure(ctx, res, spec);
    ctx.stderr.write(`${ctx.paintErr('yellow', 'note:')} ${message}; counted as success for ${ctx.command} (--allow-status none to fail instead)\n`);
    const body = isObj(res.body) ? res.body : undefined;
    const resolution = body && isObj(body.resolution) ? body.resolution : undefined;
    if (resolution) ctx.stdout.write(`decided by ${String(resolution.by)} at ${String(resolution.at)}${resolution.decision ? `: ${JSON.stringify(resolution.decision)}` : ''}\n`);
    return EXIT.ok;
  }
  ctx.stdout.write(renderBody(spec?.id ?? '', res.body, { paint: ctx.paint, width: ctx.width, command: ctx.command }));
  return EXIT.ok;
}

export async function runOperation(ctx: Ctx, spec: CommandSpec, parsed: ParsedOptions): Promise<number> {
  const built = buildRequest(spec, parsed);
  const allowed = allowedStatuses(ctx, spec.expect);
  const conn = ctx.connection();
  const path = apiPath(conn, built.path);
  const res = await request(conn, { method: spec.method, path, query: built.query, ...(built.body !== undefined ? { body: built.body } : {}) });
  return finish(ctx, res, spec.method, path, allowed, spec);
}
