import { ago, cellText, keyValues, statusStyle, table, type Column, type Painter } from './output';

/**
 * Human views of response bodies: tables for lists, key/value views for objects, and
 * a few operation-specific views (sessions, transcripts, health). Anything unknown
 * falls back to the generic views, so every command prints something readable.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export interface RenderContext {
  paint: Painter;
  width: number | undefined;
  command: string;
}

function autoColumns(rows: Obj[], ctx: RenderContext): Column<Obj>[] {
  const keys: string[] = [];
  const structured = new Set<string>();
  for (const row of rows.slice(0, 50)) {
    for (const [k, v] of Object.entries(row)) {
      if (v !== null && typeof v === 'object') structured.add(k);
      else if (!keys.includes(k)) keys.push(k);
    }
  }
  for (const k of structured) if (keys.includes(k)) keys.splice(keys.indexOf(k), 1);
  const score = (k: string) => (/^(id|.*Id)$/.test(k) ? 0 : /^(name|title|tool|method|summary|status|state|type)$/.test(k) ? 1 : 2);
  const chosen = keys.sort((a, b) => score(a) - score(b)).slice(0, 6);
  const longest = chosen.reduce((best, k) => {
    const len = Math.max(...rows.map((r) => cellText(r[k]).length));
    return len > best.len ? { k, len } : best;
  }, { k: chosen[0], len: -1 }).k;
  return chosen.map((k) => ({
    header: k.replace(/([a-z])([A-Z])/g, '$1 $2'),
    get: (r: Obj) => (/(At|Time)$/.test(k) && r[k] !== null && r[k] !== undefined ? ago(r[k]) : cellText(r[k])),
    ...(k === longest ? { flex: true } : {}),
    ...(/^(status|state)$/.test(k) ? { style: (t: string) => statusStyle(t, ctx.paint) } : {}),
  }));
}

function list(rows: Obj[], columns: Column<Obj>[], ctx: RenderContext, empty: string): string {
  if (rows.length === 0) return `${ctx.paint('dim', empty)}\n`;
  return table(rows, columns, ctx.paint, ctx.width);
}

function sessionState(s: Obj): string {
  if (s.activeTurnId) return 'running';
  if (s.archived) return 'archived';
  return s.materialized === false ? 'new' : 'idle';
}

const sessionColumns = (ctx: RenderContext): Column<Obj>[] => [
  { header: 'id', get: (s) => str(s.sessionId) },
  { header: 'title', get: (s) => str(s.title), flex: true },
  { header: 'state', get: sessionState, style: (t) => statusStyle(t === 'running' ? 'running' : t, ctx.paint) },
  { header: 'project', get: (s) => str(s.projectId) },
  { header: 'updated', get: (s) => ago(s.updatedAt) },
];

function transcript(entries: Obj[], ctx: RenderContext, contentChars?: number): string {
  const { paint } = ctx;
  let out = '';
  for (const e of entries) {
    const role = str(e.role);
    const type = str(e.type);
    const status = str(e.status);
    const head = role === 'user' ? paint(['bold', 'cyan'], 'you') : role === 'assistant' ? paint(['bold', 'green'], 'codex') : paint(['bold', 'magenta'], type || role);
    const tag = status && status !== 'complete' ? ` ${statusStyle(status, paint)}` : '';
    let content = str(e.content);
    if (contentChars !== undefined && content.length > contentChars) content = `${content.slice(0, contentChars)}…`;
    out += `${head}${role === 'system' ? '' : paint('dim', type && type !== 'userMessage' && type !== 'agentMessage' ? ` [${type}]` : '')}${tag}\n`;
    if (content) out += `${content.replace(/^/gm, '  ')}\n`;
    if (e.details && role === 'system') out += `${paint('dim', str(e.details).trimEnd().split('\n').slice(0, 8).map((l) => `  │ ${l}`).join('\n'))}\n`;
    out += '\n';
  }
  return out || `${paint('dim', '(no transcript yet)')}\n`;
}

function sessionView(s: Obj, ctx: RenderContext): string {
  const controls = isObj(s.sessionControls) ? s.sessionControls : {};
  return keyValues([
    ['session', s.sessionId],
    ['title', s.title],
    ['state', statusStyle(sessionState(s), ctx.paint)],
    ['active turn', s.activeTurnId ?? undefined],
    ['cwd', s.cwd],
    ['model', controls.model ?? undefined],
    ['approval', s.approvalPolicy],
    ['sandbox', controls.filesystemSandbox],
    ['network', controls.networkAccess],
    ['project', s.projectId],
    ['created', ago(s.createdAt)],
    ['updated', ago(s.updatedAt)],
  ], ctx.paint);
}

const VIEWS: Record<string, (body: Obj, ctx: RenderContext) => string | undefined> = {
  listSessions: (b, ctx) => list((b.data as Obj[]) ?? [], sessionColumns(ctx), ctx, 'no sessions') + (b.nextCursor ? `${ctx.paint('dim', `more: --cursor ${str(b.nextCursor)}`)}\n` : ''),
  listProjects: (b, ctx) => list((b.data as Obj[]) ?? [], [
    { header: 'id', get: (p) => str(p.projectId) },
    { header: 'name', get: (p) => str(p.name) },
    { header: 'directory', get: (p) => str(p.workingDirectory), flex: true },
    { header: 'updated', get: (p) => ago(p.updatedAt) },
  ], ctx, 'no projects'),
  listSessionApprovals: (b, ctx) => list((b.data as Obj[]) ?? [], [
    { header: 'approval', get: (a) => str(a.approvalId) },
    { header: 'summary', get: (a) => str(a.summary), flex: true },
    { header: 'turn', get: (a) => str(a.turnId) },
    { header: 'created', get: (a) => ago(a.createdAt) },
  ], ctx, 'no pending approvals'),
  listSessionToolInput: (b, ctx) => list((b.data as Obj[]) ?? [], [
    { header: 'request', get: (a) => str(a.requestId) },
    { header: 'summary', get: (a) => str(a.summary), flex: true },
    { header: 'created', get: (a) => ago(a.createdAt) },
  ], ctx, 'no pending user-input requests'),
  listSessionToolCalls: (b, ctx) => list((b.data as Obj[]) ?? [], [
    { header: 'request', get: (a) => str(a.requestId) },
    { header: 'tool', get: (a) => str(a.tool) },
    { header: 'summary', get: (a) => str(a.summary), flex: true },
    { header: 'created', get: (a) => ago(a.createdAt) },
  ], ctx, 'no pending tool calls'),
  readSession: (b, ctx) => {
    if (!isObj(b.session)) return undefined;
    return `${sessionView(b.session, ctx)}\n${transcript(Array.isArray(b.transcript) ? (b.transcript as Obj[]) : [], ctx)}`;
  },
  createSession: (b, ctx) => {
    if (!isObj(b.session)) return undefined;
    const id = str(b.session.sessionId);
    return `${ctx.paint('green', '✓')} created session ${ctx.paint('bold', id)}\n${sessionView(b.session, ctx)}${ctx.paint('dim', `next: codex-manager sessions send --session-id ${id} --text "..." --wait`)}\n`;
  },
  sendSessionMessage: (b, ctx) => `${ctx.paint('green', '✓')} turn ${ctx.paint('bold', str(b.turnId))} accepted\n${ctx.paint('dim', `follow it: codex-manager stream events --thread-id ${str(b.sessionId)}  (or send with --wait)`)}\n`,
  decideApproval: (b, ctx) => `${ctx.paint('green', '✓')} decision sent for ${str(b.approvalId)}\n`,
  decideToolInput: (b, ctx) => `${ctx.paint('green', '✓')} answer sent for ${str(b.requestId)}\n`,
  respondToolCall: (b, ctx) => `${ctx.paint('green', '✓')} response sent for ${str(b.requestId)}\n`,
  getHealth: (b, ctx) => {
    const runtime = isObj(b.runtime) ? b.runtime : {};
    const bridge = isObj(b.bridge) ? b.bridge : {};
    const store = isObj(b.store) ? b.store : {};
    const quarantined = Array.isArray(store.quarantined) ? store.quarantined.length : 0;
    return keyValues([
      ['status', statusStyle(str(b.status), ctx.paint)],
      ['runtime', `${statusStyle(str(runtime.state), ctx.paint)}${runtime.pid ? ` (pid ${str(runtime.pid)}, ${str(runtime.restarts)} restarts)` : ''}`],
      ['failure', runtime.failureReason ?? undefined],
      ['runtime agent', runtime.userAgent ?? undefined],
      ['bridge', `${str(bridge.version)}, epoch ${str(bridge.epoch).slice(0, 8)}, last seq ${str(bridge.lastSeq)}`],
      ['pending requests', bridge.pendingRequests],
      ['data dir', store.dataDir],
      ['quarantined files', quarantined ? ctx.paint('yellow', String(quarantined)) : 0],
      ['signed in', isObj(b.auth) ? !b.auth.likelyUnauthenticated : undefined],
    ], ctx.paint);
  },
  getOpenApiDocument: (b) => `${JSON.stringify(b, null, 2)}\n`,
};

/** The human view of a successful response body. */
export function renderBody(operationId: string, body: unknown, ctx: RenderContext): string {
  if (isObj(body)) {
    const view = VIEWS[operationId]?.(body, ctx);
    if (view !== undefined) return view;
    if (Array.isArray(body.data) && body.data.every(isObj)) {
      const rows = body.data as Obj[];
      const others = Object.entries(body).filter(([k, v]) => k !== 'data' && v !== null && v !== undefined);
      return list(rows, autoColumns(rows, ctx), ctx, 'none') + (others.length ? `${ctx.paint('dim', others.map(([k, v]) => `${k}: ${cellText(v)}`).join('  '))}\n` : '');
    }
    if (isObj(body.result) && Object.keys(body).every((k) => k === 'status' || k === 'result')) {
      return keyValues(Object.entries(body.result), ctx.paint);
    }
    return keyValues(Object.entries(body), ctx.paint) || `${ctx.paint('dim', '(empty)')}\n`;
  }
  if (Array.isArray(body)) return body.every(isObj) ? list(body as Obj[], autoColumns(body as Obj[], ctx), ctx, 'none') : `${body.map(cellText).join('\n')}\n`;
  if (body === null || body === undefined || body === '') return '';
  return `${String(body)}\n`;
}

export { transcript as renderTranscript };
