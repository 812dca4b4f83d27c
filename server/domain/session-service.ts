import path from 'node:path';
import type { z } from 'zod';
import { BridgeError } from '../../protocol/errors';
import type { SessionSummarySchema } from '../../protocol/operations/sessions';
import type { ReasoningEffort } from '../../protocol/generated/codex/ReasoningEffort';
import type { Thread as RuntimeThread } from '../../protocol/generated/codex/v2/Thread';
import type { ThreadDeleteParams } from '../../protocol/generated/codex/v2/ThreadDeleteParams';
import type { ThreadReadParams } from '../../protocol/generated/codex/v2/ThreadReadParams';
import type { TurnInterruptParams } from '../../protocol/generated/codex/v2/TurnInterruptParams';
import type { TurnStartParams } from '../../protocol/generated/codex/v2/TurnStartParams';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { EventLog } from '../state/event-log';
import { SessionLifecycle } from './session-lifecycle-service';
import type { SessionIndex, SessionMeta, Tombstone } from './session-index';
import { listSessions, type ListPage, type ListQuery } from './session-listing';
import { couldBeThreadId, metaFromThread, runtimeApprovalPolicy, sandboxPolicy, threadIdOf, titleFrom, UNTITLED } from './thread-meta';
import { ThreadLoader, type Thread } from './thread-loader';
import { transcriptFromTurns, type TranscriptEntry } from './transcript';
import type { TurnTracker } from './turn-tracker';

type ApprovalPolicy = SessionMeta['approvalPolicy'];
type Sandbox = SessionMeta['filesystemSandbox'];
type Network = SessionMeta['networkAccess'];
type DynamicTool = NonNullable<SessionMeta['dynamicTools']>[number];

export interface CreateSessionInput {
  cwd?: string;
  model?: string;
  approvalPolicy?: ApprovalPolicy;
  networkAccess?: Network;
  filesystemSandbox?: Sandbox;
  dynamicTools?: DynamicTool[];
  /** Set only in-process, for an agent's worker session (never from a client's body). */
  systemOwned?: { ownerId: string; agent: string };
  title?: string;
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

export type SessionSummary = z.input<typeof SessionSummarySchema>;

/**
 * Sessions are codex threads plus what the bridge remembers about them. This service
 * turns session operations into runtime calls; `threads` keeps the runtime's threads
 * loaded (and resumes them after it restarts); `lifecycle` has fork, archive,
 * rollback, review and the rest.
 */
export class SessionService {
  private events: EventLog | undefined;
  /** Which threads the runtime has loaded; how a session's thread gets loaded. */
  readonly threads: ThreadLoader;
  readonly lifecycle: SessionLifecycle;

  constructor(
    private readonly runtime: RuntimeSupervisor,
    private readonly index: SessionIndex,
    private readonly tracker: TurnTracker,
    private readonly defaults: SessionDefaults,
  ) {
    this.threads = new ThreadLoader(runtime, index);
    this.lifecycle = new SessionLifecycle(this, runtime, index, tracker);
  }

  /** Where new sessions start (the bridge starts the runtime there too): relative paths resolve against it. */
  get defaultCwd(): string {
    return this.defaults.cwd;
  }

  /** Where session-level events (`session_deleted`) go. */
  publishTo(events: EventLog): void {
    this.events = events;
  }

  /** Where the controls of new sessions come from (the default-scope controls), when set. */
  takeDefaultsFrom(source: () => { model: string | null; approvalPolicy: ApprovalPolicy; networkAccess: Network; filesystemSandbox: Sandbox }): void {
    this.defaultControls = source;
  }

  /** Where a session's settings come from (SessionSettingsService), for `sessionControls.settings`. */
  takeSettingsFrom(source: (sessionId: string) => Record<string, unknown>): void {
    this.settingsOf = source;
  }

  private settingsOf: (sessionId: string) => Record<string, unknown> = () => ({});

  private defaultControls: (() => { model: string | null; approvalPolicy: ApprovalPolicy; networkAccess: Network; filesystemSandbox: Sandbox }) | undefined;

  async create(input: CreateSessionInput): Promise<{ session: SessionSummary; thread: Thread }> {
    const defaults = { model: null, ...this.defaults, ...this.defaultControls?.() };
    const settings = {
      cwd: path.resolve(input.cwd ?? this.defaults.cwd),
      model: input.model ?? defaults.model,
      approvalPolicy: input.approvalPolicy ?? defaults.approvalPolicy,
      filesystemSandbox: input.filesystemSandbox ?? defaults.filesystemSandbox,
      networkAccess: input.networkAccess ?? defaults.networkAccess,
      ...(input.dynamicTools?.length ? { dynamicTools: input.dynamicTools } : {}),
    };
    const title = input.title ?? UNTITLED;
    const thread = await this.threads.start(settings, title);
    const now = Date.now();
    const meta: SessionMeta = {
      sessionId: thread.id,
      title,
      ...settings,
      model: settings.model ?? (typeof thread.model === 'string' ? thread.model : null),
      modelProvider: typeof thread.modelProvider === 'string' ? thread.modelProvider : 'unknown',
      projectId: null,
      materialized: false,
      createdAt: now,
      updatedAt: now,
      source: 'bridge',
      ...(input.systemOwned ? { systemOwned: input.systemOwned } : {}),
    };
    await this.index.put(meta);
    return { session: this.summary(meta), thread };
  }

  list(query: ListQuery): Promise<ListPage<SessionSummary>> {
    return listSessions({ index: this.index, runtime: this.runtime, defaults: this.defaults, summary: (m) => this.summary(m) }, query);
  }

  async get(sessionId: string): Promise<{ session: SessionSummary; thread: Thread; transcript: TranscriptEntry[] }> {
    const meta = await this.resolve(sessionId);
    const thread = await this.readThread(meta);
    return { session: this.summary(meta), thread, transcript: transcriptFromTurns(thread.turns as never) };
  }

  async send(sessionId: string, input: SendMessageInput): Promise<{ turnId: string }> {
    const meta = await this.resolve(sessionId);
    // Check and reserve in one synchronous step: a second send arriving while this one
    // waits for the runtime sees the reservation and gets the same 409.
    const active = this.activeTurn(meta);
    const release = active ? undefined : this.tracker.reserveStart(meta.sessionId);
    if (!release) {
      const turnId = active ?? null;
      throw new BridgeError('conflict', `session ${sessionId} already has a turn in progress (${active ?? 'starting'}); interrupt it or wait`, { details: { turnId } });
    }
    try {
      return await this.startTurn(sessionId, meta, input);
    } finally {
      release();
    }
  }

  private async startTurn(sessionId: string, meta: SessionMeta, input: SendMessageInput): Promise<{ turnId: string }> {
    const threadId = await this.threads.load(meta);
    // The session's controls go with every turn, so a runtime that restarted (and resumed
    // the thread from disk) runs it exactly as the bridge says. codex keeps per-turn
    // overrides for the turns after, so they become the session's controls too.
    const controls = {
      model: input.model ?? meta.model,
      approvalPolicy: input.approvalPolicy ?? meta.approvalPolicy,
      filesystemSandbox: input.filesystemSandbox ?? meta.filesystemSandbox,
      networkAccess: input.networkAccess ?? meta.networkAccess,
    };
    const params: TurnStartParams = {
      threadId,
      input: [{ type: 'text', text: input.text, text_elements: [] }],
      approvalPolicy: runtimeApprovalPolicy(controls.approvalPolicy),
      sandboxPolicy: sandboxPolicy(controls.filesystemSandbox, controls.networkAccess),
    };
    if (controls.model) params.model = controls.model;
    if (input.effort) params.effort = input.effort as ReasoningEffort;
    if (input.collaborationMode) params.collaborationMode = { mode: input.collaborationMode, settings: { model: input.model ?? meta.model ?? 'default', reasoning_effort: null, developer_instructions: null } };
    const mark = this.tracker.completionMark(threadId);
    const { turn } = await this.runtime.request<{ turn: { id: string } }>('turn/start', params);
    this.tracker.turnStarted(threadId, turn.id, mark);
    const title = meta.title === UNTITLED ? titleFrom(input.text) : undefined;
    await this.index.patch(sessionId, { materialized: true, ...controls, ...(title ? { title } : {}) });
    if (title) await this.threads.name(threadId, title);
    return { turnId: turn.id };
  }

  async interrupt(sessionId: string, turnId?: string): Promise<{ turnId: string }> {
    const meta = await this.resolve(sessionId);
    const threadId = threadIdOf(meta);
    const target = turnId ?? this.tracker.activeTurn(threadId);
    if (!target) throw new BridgeError('conflict', `session ${sessionId} has no active turn`, { details: { reason: 'no_active_turn' } });
    const params: TurnInterruptParams = { threadId, turnId: target };
    await this.runtime.request('turn/interrupt', params);
    return { turnId: target };
  }

  /**
   * Deletes the session for good: the runtime thread and its history (`thread/delete`,
   * which also stops a turn in progress), then the index entry, which becomes a
   * tombstone so that the id answers 410 from then on, across restarts.
   */
  async delete(sessionId: string): Promise<Tombstone & { deletedFileCount: number }> {
    const meta = await this.resolve(sessionId);
    const threadId = threadIdOf(meta);
    // codex keeps one rollout file per thread; it exists once the thread had a turn.
    let deletedFileCount = 0;
    try {
      const params: ThreadDeleteParams = { threadId };
      await this.runtime.request('thread/delete', params);
      deletedFileCount = meta.materialized ? 1 : 0;
    } catch (error) {
      // The runtime refuses (invalid request) a thread it has no rollout for: nothing of it
      // to delete there. Anything else (runtime down) fails the delete, which can be retried.
      if (!(error instanceof BridgeError) || error.code !== 'invalid_request') throw error;
    }
    const tombstone: Tombstone = {
      sessionId, title: meta.title, deletedAt: new Date().toISOString(), ...(threadId !== sessionId ? { threadId } : {}),
    };
    await this.index.remove(tombstone);
    this.threads.forget(threadId);
    this.events?.append('session_deleted', null, { sessionId, title: tombstone.title, deletedAt: tombstone.deletedAt });
    return { ...tombstone, deletedFileCount };
  }

  /** A live session in the index (sessions only the runtime knows are not adopted here). */
  exists(sessionId: string): boolean {
    return this.index.get(sessionId) !== undefined;
  }

  isDeleted(sessionId: string): Tombstone | undefined {
    return this.index.tombstone(sessionId);
  }

  /** The runtime thread behind a session (the session id, unless its thread had to be started again). */
  threadIdOf(sessionId: string): string {
    const meta = this.index.get(sessionId);
    return meta ? threadIdOf(meta) : sessionId;
  }

  /** The session's record, or `gone` (deleted) / `not_found`; synchronous, index only. */
  require(sessionId: string): SessionMeta {
    const meta = this.index.get(sessionId);
    if (meta) return meta;
    throw this.missing(sessionId);
  }

  /**
   * Like `require`, but a thread only the runtime knows (another codex client started
   * it; listings show it) is adopted into the index, so every session operation works
   * on what `listSessions` returns.
   */
  async resolve(sessionId: string): Promise<SessionMeta> {
    const meta = this.index.get(sessionId);
    if (meta) return meta;
    if (this.index.tombstone(sessionId) || !couldBeThreadId(sessionId)) throw this.missing(sessionId);
    let thread: RuntimeThread;
    try {
      const params: ThreadReadParams = { threadId: sessionId, includeTurns: false };
      ({ thread } = await this.runtime.request<{ thread: RuntimeThread }>('thread/read', params));
    } catch (error) {
      if (error instanceof BridgeError && error.code === 'invalid_request') throw this.missing(sessionId);
      throw error;
    }
    const adopted = metaFromThread(thread, this.defaults);
    await this.index.put(adopted);
    return adopted;
  }

  /** The turn in progress, as the runtime's turn notifications tell the tracker. */
  activeTurn(meta: SessionMeta): string | undefined {
    return this.tracker.activeTurn(threadIdOf(meta));
  }


  /** After a runtime restart: load again every thread the previous process had loaded. */
  resumeAfterRestart(): ReturnType<ThreadLoader['resumeAfterRestart']> {
    return this.threads.resumeAfterRestart();
  }

  summary(meta: SessionMeta): SessionSummary {
    return {
      sessionId: meta.sessionId,
      title: meta.title,
      materialized: meta.materialized,
      modelProvider: meta.modelProvider,
      approvalPolicy: meta.approvalPolicy,
      sessionControls: {
        model: meta.model, approvalPolicy: meta.approvalPolicy, networkAccess: meta.networkAccess, filesystemSandbox: meta.filesystemSandbox,
        settings: this.settingsOf(meta.sessionId),
      },
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
      cwd: meta.cwd,
      source: meta.source,
      projectId: meta.projectId,
      activeTurnId: this.tracker.activeTurn(threadIdOf(meta)) ?? null,
      archived: meta.archived ?? false,
      ...(meta.forkedFromSessionId ? { forkedFromSessionId: meta.forkedFromSessionId } : {}),
      ...(meta.systemOwned ? { systemOwned: true } : {}),
    };
  }

  private async readThread(meta: SessionMeta): Promise<Thread> {
    if (!meta.materialized) {
      // Nothing on the runtime's disk yet: describe it from what we know.
      return { id: threadIdOf(meta), preview: '', modelProvider: meta.modelProvider, createdAt: Math.floor(meta.createdAt / 1000), updatedAt: Math.floor(meta.updatedAt / 1000), cwd: meta.cwd, source: meta.source, turns: [] };
    }
    // An archived thread cannot be loaded, but codex still reads it from its archive.
    const threadId = meta.archived ? threadIdOf(meta) : await this.threads.load(meta);
    const params: ThreadReadParams = { threadId, includeTurns: true };
    const { thread } = await this.runtime.request<{ thread: Thread }>('thread/read', params);
    return thread;
  }

  private missing(sessionId: string): BridgeError {
    const tombstone = this.index.tombstone(sessionId);
    if (tombstone) {
      return new BridgeError('gone', `session ${sessionId} was deleted at ${tombstone.deletedAt}`, { details: { ...tombstone } });
    }
    return new BridgeError('not_found', `no session ${sessionId}`, { details: { sessionId } });
  }

  /** Assigns the session to a project (null: none); durable once resolved. Returns where it was. */
  async setProject(sessionId: string, projectId: string | null): Promise<{ previousProjectId: string | null }> {
    const meta = await this.resolve(sessionId);
    if (meta.projectId !== projectId) await this.index.patch(sessionId, { projectId });
    return { previousProjectId: meta.projectId };
  }
}
