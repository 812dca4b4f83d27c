import path from 'node:path';
import type { z } from 'zod';
import { BridgeError } from '../../protocol/errors';
import type { SessionSummarySchema } from '../../protocol/operations/sessions';
import type { ReasoningEffort } from '../../protocol/generated/codex/ReasoningEffort';
import type { JsonValue } from '../../protocol/generated/codex/serde_json/JsonValue';
import type { AskForApproval } from '../../protocol/generated/codex/v2/AskForApproval';
import type { SandboxPolicy } from '../../protocol/generated/codex/v2/SandboxPolicy';
import type { ThreadResumeParams } from '../../protocol/generated/codex/v2/ThreadResumeParams';
import type { ThreadStartParams } from '../../protocol/generated/codex/v2/ThreadStartParams';
import type { TurnInterruptParams } from '../../protocol/generated/codex/v2/TurnInterruptParams';
import type { TurnStartParams } from '../../protocol/generated/codex/v2/TurnStartParams';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { SessionIndex, SessionMeta } from './session-index';
import { transcriptFromTurns, type TranscriptEntry } from './transcript';
import type { TurnTracker } from './turn-tracker';

type ApprovalPolicy = SessionMeta['approvalPolicy'];
type Sandbox = SessionMeta['filesystemSandbox'];
type Network = SessionMeta['networkAccess'];

export interface CreateSessionInput {
  cwd?: string;
  model?: string;
  approvalPolicy?: ApprovalPolicy;
  networkAccess?: Network;
  filesystemSandbox?: Sandbox;
  dynamicTools?: { name: string; description: string; inputSchema: Record<string, unknown> }[];
}

export interface SendMessageInput {
  text: string;
  model?: string;
  effort?: string;
  approvalPolicy?: ApprovalPolicy;
  networkAccess?: Network;
  filesystemSandbox?: Sandbox;
  collaborationMode?: 'default' | 'plan';
}

export interface SessionDefaults {
  cwd: string;
  approvalPolicy: ApprovalPolicy;
  filesystemSandbox: Sandbox;
  networkAccess: Network;
}

type Thread = Record<string, unknown> & { id: string; turns?: unknown[] };
export type SessionSummary = z.input<typeof SessionSummarySchema>;

const UNTITLED = 'New session';

/**
 * Sessions are codex threads plus what the bridge remembers about them. This service
 * turns session operations into runtime calls, keeps track of which threads the current
 * runtime process has loaded, and resumes them after the runtime restarts.
 */
export class SessionService {
  /** threadId → the runtime generation that has it loaded. */
  private readonly loaded = new Map<string, number>();

  constructor(
    private readonly runtime: RuntimeSupervisor,
    private readonly index: SessionIndex,
    private readonly tracker: TurnTracker,
    private readonly defaults: SessionDefaults,
  ) {}

  async create(input: CreateSessionInput): Promise<{ session: SessionSummary; thread: Thread }> {
    const cwd = path.resolve(input.cwd ?? this.defaults.cwd);
    const approvalPolicy = input.approvalPolicy ?? this.defaults.approvalPolicy;
    const filesystemSandbox = input.filesystemSandbox ?? this.defaults.filesystemSandbox;
    const params: ThreadStartParams = {
      cwd,
      approvalPolicy: runtimeApprovalPolicy(approvalPolicy),
      sandbox: filesystemSandbox,
    };
    if (input.model) params.model = input.model;
    if (input.dynamicTools?.length) {
      params.dynamicTools = input.dynamicTools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, inputSchema: tool.inputSchema as JsonValue }));
    }
    const { thread } = await this.runtime.request<{ thread: Thread }>('thread/start', params);
    this.loaded.set(thread.id, this.runtime.generation);
    const now = Date.now();
    const meta: SessionMeta = {
      sessionId: thread.id,
      title: UNTITLED,
      cwd,
      model: input.model ?? (typeof thread.model === 'string' ? thread.model : null),
      modelProvider: typeof thread.modelProvider === 'string' ? thread.modelProvider : 'unknown',
      approvalPolicy,
      networkAccess: input.networkAccess ?? this.defaults.networkAccess,
      filesystemSandbox,
      projectId: null,
      materialized: false,
      createdAt: now,
      updatedAt: now,
      source: 'bridge',
      ...(input.dynamicTools?.length ? { dynamicTools: input.dynamicTools } : {}),
    };
    await this.index.put(meta);
    return { session: this.summary(meta), thread };
  }

  list(opts: { limit?: number; cursor?: string }): { data: SessionSummary[]; nextCursor: string | null } {
    const all = this.index.all().sort((a, b) => b.updatedAt - a.updatedAt || a.sessionId.localeCompare(b.sessionId));
    const start = opts.cursor ? Number.parseInt(opts.cursor, 10) || 0 : 0;
    const limit = opts.limit ?? 50;
    const page = all.slice(start, start + limit);
    return { data: page.map((m) => this.summary(m)), nextCursor: start + limit < all.length ? String(start + limit) : null };
  }

  async get(sessionId: string): Promise<{ session: SessionSummary; thread: Thread; transcript: TranscriptEntry[] }> {
    const meta = this.requireSession(sessionId);
    const thread = await this.readThread(meta);
    return { session: this.summary(meta), thread, transcript: transcriptFromTurns(thread.turns as never) };
  }

  async send(sessionId: string, input: SendMessageInput): Promise<{ turnId: string }> {
    const meta = this.requireSession(sessionId);
    const active = this.tracker.activeTurn(sessionId);
    if (active) {
      throw new BridgeError('conflict', `session ${sessionId} already has a turn in progress (${active}); interrupt it or wait`, { details: { turnId: active } });
    }
    await this.ensureLoaded(meta);
    const params: TurnStartParams = { threadId: sessionId, input: [{ type: 'text', text: input.text, text_elements: [] }] };
    if (input.model) params.model = input.model;
    if (input.effort) params.effort = input.effort as ReasoningEffort;
    if (input.approvalPolicy) params.approvalPolicy = runtimeApprovalPolicy(input.approvalPolicy);
    if (input.filesystemSandbox || input.networkAccess) {
      params.sandboxPolicy = sandboxPolicy(input.filesystemSandbox ?? meta.filesystemSandbox, input.networkAccess ?? meta.networkAccess);
    }
    if (input.collaborationMode) params.collaborationMode = { mode: input.collaborationMode, settings: { model: input.model ?? meta.model ?? 'default', reasoning_effort: null, developer_instructions: null } };
    const { turn } = await this.runtime.request<{ turn: { id: string } }>('turn/start', params);
    this.tracker.turnStarted(sessionId, turn.id);
    await this.index.patch(sessionId, {
      materialized: true,
      ...(meta.title === UNTITLED ? { title: titleFrom(input.text) } : {}),
    });
    return { turnId: turn.id };
  }

  async interrupt(sessionId: string, turnId?: string): Promise<{ turnId: string }> {
    this.requireSession(sessionId);
    const target = turnId ?? this.tracker.activeTurn(sessionId);
    if (!target) throw new BridgeError('conflict', `session ${sessionId} has no active turn`, { details: { reason: 'no_active_turn' } });
    const params: TurnInterruptParams = { threadId: sessionId, turnId: target };
    await this.runtime.request('turn/interrupt', params);
    return { turnId: target };
  }

  exists(sessionId: string): boolean {
    return this.index.get(sessionId) !== undefined;
  }

  /**
   * After a runtime restart: load again every thread the previous process had loaded,
   * so turns can continue where they were. Threads never persisted (no turn yet) have
   * nothing to resume; they are started lazily on their first message.
   */
  async resumeAfterRestart(): Promise<{ resumed: string[]; failed: { threadId: string; error: string }[] }> {
    const generation = this.runtime.generation;
    const resumed: string[] = [];
    const failed: { threadId: string; error: string }[] = [];
    for (const threadId of [...this.loaded.keys()]) {
      const meta = this.index.get(threadId);
      this.loaded.delete(threadId);
      if (!meta?.materialized) continue;
      try {
        await this.resume(meta);
        if (this.runtime.generation === generation) resumed.push(threadId);
      } catch (error) {
        failed.push({ threadId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { resumed, failed };
  }

  summary(meta: SessionMeta): SessionSummary {
    return {
      sessionId: meta.sessionId,
      title: meta.title,
      materialized: meta.materialized,
      modelProvider: meta.modelProvider,
      approvalPolicy: meta.approvalPolicy,
      sessionControls: { model: meta.model, approvalPolicy: meta.approvalPolicy, networkAccess: meta.networkAccess, filesystemSandbox: meta.filesystemSandbox },
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
      cwd: meta.cwd,
      source: meta.source,
      projectId: meta.projectId,
      activeTurnId: this.tracker.activeTurn(meta.sessionId) ?? null,
    };
  }

  private requireSession(sessionId: string): SessionMeta {
    const meta = this.index.get(sessionId);
    if (!meta) throw new BridgeError('not_found', `no session ${sessionId}`, { details: { sessionId } });
    return meta;
  }

  private async ensureLoaded(meta: SessionMeta): Promise<void> {
    if (this.loaded.get(meta.sessionId) === this.runtime.generation) return;
    await this.resume(meta);
  }

  private async resume(meta: SessionMeta): Promise<void> {
    const params: ThreadResumeParams = {
      threadId: meta.sessionId,
      cwd: meta.cwd,
      approvalPolicy: runtimeApprovalPolicy(meta.approvalPolicy),
      sandbox: meta.filesystemSandbox,
      excludeTurns: true,
    };
    await this.runtime.request('thread/resume', params);
    this.loaded.set(meta.sessionId, this.runtime.generation);
  }

  private async readThread(meta: SessionMeta): Promise<Thread> {
    if (!meta.materialized) {
      // Nothing on the runtime's disk yet: describe it from what we know.
      return { id: meta.sessionId, preview: '', modelProvider: meta.modelProvider, createdAt: Math.floor(meta.createdAt / 1000), updatedAt: Math.floor(meta.updatedAt / 1000), cwd: meta.cwd, turns: [] };
    }
    await this.ensureLoaded(meta);
    const { thread } = await this.runtime.request<{ thread: Thread }>('thread/read', { threadId: meta.sessionId, includeTurns: true });
    return thread;
  }
}

/** codex 0.169 has no `on-failure`; the closest it offers is asking on request. */
function runtimeApprovalPolicy(policy: ApprovalPolicy): AskForApproval {
  return policy === 'on-failure' ? 'on-request' : policy;
}

function sandboxPolicy(mode: Sandbox, network: Network): SandboxPolicy {
  const networkAccess = network === 'enabled';
  switch (mode) {
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'workspace-write':
      return { type: 'workspaceWrite', writableRoots: [], networkAccess, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
    default:
      return { type: 'readOnly', networkAccess };
  }
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line || UNTITLED;
}
