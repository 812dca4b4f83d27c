// Runs every built-in scenario once against the real `codex app-server`, answering
// server requests the way a client would, and prints what the client saw.
//   npx tsx test/fake-model/verify.ts [scenario-name ...] [--verbose]
//   --items prints item payloads, --verbose forwards codex's stderr.
// Not a test: a living check that the scripts still match the pinned runtime.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startFakeModel, writeCodexHome } from './index';

const ROOT = resolve(__dirname, '../..');
const CODEX = join(ROOT, 'node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');
const verbose = process.argv.includes('--verbose'); // also print codex's stderr
const showItems = process.argv.includes('--items'); // also print item payloads

type Obj = Record<string, unknown>;
type Msg = { id?: number | string; method?: string; params?: Obj & { item?: Obj }; result?: unknown; error?: unknown };

/** Just enough JSON-RPC over stdio (one JSON object per line) to drive a turn. */
class Rpc {
  private nextId = 1;
  private pending = new Map<number, (m: Msg) => void>();
  seen: string[] = [];
  onRequest: (m: Msg) => unknown = () => ({});
  onNotification: (m: Msg) => void = () => {};
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as Msg;
      if (m.method && m.id !== undefined) {
        this.seen.push(`REQUEST ${m.method} ${JSON.stringify(m.params)}`);
        void Promise.resolve(this.onRequest(m)).then((result) => this.write({ id: m.id, result }));
      } else if (m.method) {
        this.seen.push(m.method + itemType(m));
        if (showItems && m.params?.item) this.seen.push(`  item: ${JSON.stringify(m.params.item)}`);
        this.onNotification(m);
      } else if (typeof m.id === 'number') this.pending.get(m.id)?.(m);
    });
    if (verbose) child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  }
  write(m: object) {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
  }
  request<T = Obj>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((res, rej) => {
      this.pending.set(id, (m) => (m.error ? rej(new Error(`${method}: ${JSON.stringify(m.error)}`)) : res(m.result as T)));
      this.write({ id, method, params });
    });
  }
  notify(method: string, params?: unknown) {
    this.write({ method, ...(params === undefined ? {} : { params }) });
  }
}

const itemType = (m: Msg) => (m.method?.startsWith('item/') && m.params?.item ? `(${String(m.params.item.type)})` : '');

/** Collapses runs of the same line: `item/agentMessage/delta x200`. */
function collapse(lines: string[]): string[] {
  const out: string[] = [];
  let prev = '';
  let n = 0;
  for (const l of [...lines, '\u0000']) {
    if (l === prev) n++;
    else {
      if (n) out.push(n > 1 ? `${prev} x${n}` : prev);
      prev = l;
      n = 1;
    }
  }
  return out;
}

interface Case {
  name: string;
  text: string;
  threadParams?: object;
  turnParams?: object;
  /** Interrupt the turn after this many agent message deltas. */
  interruptAfterDeltas?: number;
  /** Answer to command/file-change approvals (default accept). */
  decision?: string;
  sandboxMode?: string;
  /** The final turn status, and a server request that must have been seen. */
  expect: { status: 'completed' | 'interrupted' | 'failed'; request?: string };
}

const ok = { status: 'completed' } as const;
const plan = { collaborationMode: { mode: 'plan', settings: { model: 'mock-model', reasoning_effort: null, developer_instructions: null } } };

const cases: Case[] = [
  { name: 'hello', text: 'hello', expect: ok },
  { name: 'stream', text: 'stream 20000 words', expect: ok },
  {
    name: 'command',
    text: 'run command: echo fake-model-ran > ran.txt && cat ran.txt',
    expect: { status: 'completed', request: 'item/commandExecution/requestApproval' },
  },
  // Not escalated: runs inside the read-only sandbox, no approval.
  { name: 'sandboxed', text: 'run sandboxed: cat a.txt', expect: ok },
  {
    name: 'command-decline',
    text: 'run command: echo nope > ran.txt',
    decision: 'decline',
    expect: { status: 'completed', request: 'item/commandExecution/requestApproval' },
  },
  { name: 'patch', text: 'patch a.txt: old line => new line', expect: { status: 'completed', request: 'item/fileChange/requestApproval' } },
  {
    name: 'patch-decline',
    text: 'patch a.txt: old line => new line',
    decision: 'decline',
    expect: { status: 'completed', request: 'item/fileChange/requestApproval' },
  },
  // In a writable workspace the patch is applied without asking.
  { name: 'patch-workspace-write', text: 'patch a.txt: old line => new line', sandboxMode: 'workspace-write', expect: ok },
  // A multi-file patch body (update + add), applied without asking in a writable workspace.
  { name: 'apply-patch', text: 'apply patch:\n*** Update File: a.txt\n@@\n-old line\n+new line\n*** Add File: b.txt\n+added', sandboxMode: 'workspace-write', expect: ok },
  // request_user_input is refused in default mode; plan mode accepts it.
  { name: 'ask', text: 'ask me Pick one', turnParams: plan, expect: { status: 'completed', request: 'item/tool/requestUserInput' } },
  { name: 'ask-default-mode', text: 'ask me Pick one', expect: ok },
  {
    name: 'tool',
    text: 'use tool lookup_weather {"city":"Paris"}',
    threadParams: {
      dynamicTools: [
        {
          type: 'function',
          name: 'lookup_weather',
          description: 'Weather for a city',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
    },
    expect: { status: 'completed', request: 'item/tool/call' },
  },
  { name: 'slow', text: 'slow', interruptAfterDeltas: 5, expect: { status: 'interrupted' } },
  { name: 'fail', text: 'fail', expect: { status: 'failed' } },
  { name: 'fail-stream', text: 'fail stream', expect: { status: 'failed' } },
];

async function runCase(c: Case): Promise<void> {
  const base = join(ROOT, '.tmp/fake-model-verify', c.name);
  rmSync(base, { recursive: true, force: true });
  const home = join(base, 'home');
  const ws = join(base, 'ws');
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(ws, 'a.txt'), 'old line\n');
  const model = await startFakeModel({ label: 'verify' });
  writeCodexHome(home, model.baseUrl, c.sandboxMode ? { sandboxMode: c.sandboxMode } : {});
  const child = spawn(CODEX, ['app-server'], { cwd: ws, env: { ...process.env, CODEX_HOME: home, OPENAI_API_KEY: 'offline' } });
  const rpc = new Rpc(child);
  const started = Date.now();
  let deltas = 0;
  let turnId = '';
  let threadId = '';
  const finished = new Promise<{ turn: Obj }>((res) => {
    rpc.onNotification = (m) => {
      if (m.method === 'item/agentMessage/delta' && ++deltas === c.interruptAfterDeltas)
        void rpc.request('turn/interrupt', { threadId, turnId });
      if (m.method === 'turn/completed' || m.method === 'error') {
        if (m.method === 'error') rpc.seen.push(`  error params: ${JSON.stringify(m.params)}`);
        if (m.method === 'turn/completed') res(m.params as { turn: Obj });
      }
    };
  });
  rpc.onRequest = (m) => {
    switch (m.method) {
      case 'item/commandExecution/requestApproval':
      case 'item/fileChange/requestApproval':
        return { decision: c.decision ?? 'accept' };
      case 'item/tool/requestUserInput':
        return { answers: { choice: { answers: ['Beta'] } } };
      case 'item/tool/call':
        return { contentItems: [{ type: 'inputText', text: 'Sunny, 21C' }], success: true };
      default:
        return {};
    }
  };
  try {
    await rpc.request('initialize', { clientInfo: { name: 'verify', title: 'verify', version: '0' }, capabilities: { experimentalApi: true } });
    rpc.notify('initialized');
    const t = await rpc.request<{ thread: { id: string } }>('thread/start', { cwd: ws, ...c.threadParams });
    threadId = t.thread.id;
    const turn = await rpc.request<{ turn: { id: string } }>('turn/start', { threadId, input: [{ type: 'text', text: c.text }], ...c.turnParams });
    turnId = turn.turn.id;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error('timeout waiting for turn/completed')), 60_000);
    });
    const completed = await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
    await new Promise((r) => setTimeout(r, 200)); // let trailing notifications arrive
    console.log(`\n=== ${c.name}: "${c.text}" (${Date.now() - started} ms)`);
    for (const l of collapse(rpc.seen)) console.log('  ' + l);
    console.log(`  turn/completed: ${JSON.stringify(completed.turn).slice(0, 600)}`);
    const reqs = model.requests.map((r) => `${r.method} ${r.path} [${r.scenario ?? '-'} -> ${r.outcome ?? '?'}]`);
    console.log(`  model requests: ${reqs.join(', ')}`);
    const read = (f: string) => (existsSync(join(ws, f)) ? JSON.stringify(readFileSync(join(ws, f), 'utf8')) : 'missing');
    console.log(`  files: a.txt=${read('a.txt')} ran.txt=${read('ran.txt')}`);
    const problems = [
      completed.turn.status === c.expect.status ? '' : `turn status ${String(completed.turn.status)}, expected ${c.expect.status}`,
      !c.expect.request || rpc.seen.some((l) => l.startsWith(`REQUEST ${c.expect.request} `)) ? '' : `no ${c.expect.request}`,
    ].filter(Boolean);
    console.log(problems.length ? `  FAIL: ${problems.join('; ')}` : '  OK');
    if (problems.length) process.exitCode = 1;
  } finally {
    child.kill();
    await model.close();
  }
}

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const c of cases) if (only.length === 0 || only.includes(c.name)) await runCase(c);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
