import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bridge, type BridgeOptions } from '../../../server/bridge';
import type { LoggedEvent } from '../../../server/state/event-log';
import { startFakeModel, writeCodexHome, type FakeModel } from '../../fake-model';
import { CodexManagerContract } from '../../support/codex-manager-contract';



export interface TestBridge {
  bridge: Bridge;
  fake: FakeModel;
  /** The workspace new sessions run in (holds a.txt). */
  workspace: string;
  root: string;
  dataDir: string;
  /** Resolves with the first event (already logged or future) matching `predicate`. */
  waitForEvent(predicate: (e: LoggedEvent) => boolean, timeoutMs?: number, what?: string): Promise<LoggedEvent>;
  /** Events logged so far (still in the ring). */
  events(): LoggedEvent[];
  /** Starts a second bridge on the same data dir (after stop), for persistence tests. */
  restartBridge(): Promise<Bridge>;
  stop(): Promise<void>;
}

/**
 * A real bridge driving the real pinned `codex app-server`, pointed at the scripted fake
 * model, with an isolated CODEX_HOME, data dir and workspace under one temp folder.
 */
export async function startTestBridge(overrides: Partial<BridgeOptions> = {}): Promise<TestBridge> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-it-'));
  const workspace = path.join(root, 'workspace');
  const codexHome = path.join(root, 'codex-home');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'a.txt'), 'old line\n');
  const fake = await startFakeModel({ label: 'the test model' });
  // Every reply a test produces is also checked against codex-manager's response schemas
  // (where its contract has one for that status): compatibility tested on real traffic.
  const contract = new CodexManagerContract();
  const contractViolations: string[] = [];
  writeCodexHome(codexHome, fake.baseUrl);
  const options: BridgeOptions = {
    dataDir,
    codexHome,
    runtimeEnv: { OPENAI_API_KEY: 'test-key-not-secret' },
    sessionDefaults: { cwd: workspace, filesystemSandbox: 'read-only' },
    validateReplies: true,
    onReply: (spec, reply) => {
      for (const problem of contract.checkResponse(spec.id, reply.status, reply.body)) {
        contractViolations.push(`${spec.id} ${reply.status}: ${problem} in ${JSON.stringify(reply.body).slice(0, 300)}`);
      }
    },
    supervisor: { backoff: { initialMs: 50, maxMs: 400, factor: 2 } },
    // The shipped agent extensions (agents/supervisor) act on every turn; suites that test
    // them turn them on (test/integration/extensions*.test.ts).
    extensions: { builtin: false },
    ...overrides,
  };
  let bridge = await Bridge.start(options);

  const waitForEvent: TestBridge['waitForEvent'] = (predicate, timeoutMs = 20_000, what = 'event') =>
    new Promise((resolve, reject) => {
      const replay = bridge.events.since(0);
      const found = replay.ok ? replay.events.find(predicate) : undefined;
      if (found) return resolve(found);
      const timer = setTimeout(() => { unsubscribe(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
      const unsubscribe = bridge.events.subscribe((e) => {
        if (!predicate(e)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(e);
      });
    });

  return {
    get bridge() { return bridge; },
    fake,
    workspace,
    root,
    dataDir,
    waitForEvent,
    events: () => { const r = bridge.events.since(0); return r.ok ? r.events : []; },
    async restartBridge() {
      await bridge.stop();
      bridge = await Bridge.start(options);
      return bridge;
    },
    async stop() {
      await bridge.stop().catch(() => undefined);
      await fake.close();
      fs.rmSync(root, { recursive: true, force: true });
      if (contractViolations.length) {
        throw new Error(`replies that break codex-manager's contract:\n${[...new Set(contractViolations)].join('\n')}`);
      }
    },
  };
}

/** `notification` events carry the runtime message; this reads its method. */
export function methodOf(e: LoggedEvent): string | undefined {
  return e.type === 'notification' ? (e.payload as { method?: string }).method : undefined;
}

export function isTurnCompleted(threadId: string, turnId?: string) {
  return (e: LoggedEvent): boolean => {
    if (methodOf(e) !== 'turn/completed' || e.threadId !== threadId) return false;
    const turn = (e.payload as { params: { turn: { id: string } } }).params.turn;
    return turnId === undefined || turn.id === turnId;
  };
}

export function turnStatusOf(e: LoggedEvent): string {
  return (e.payload as { params: { turn: { status: string } } }).params.turn.status;
}
