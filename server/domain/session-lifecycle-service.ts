import { BridgeError } from '../../protocol/errors';
import type { ReviewStartParams } from '../../protocol/generated/codex/v2/ReviewStartParams';
import type { ReviewStartResponse } from '../../protocol/generated/codex/v2/ReviewStartResponse';
import type { ReviewTarget } from '../../protocol/generated/codex/v2/ReviewTarget';
import type { ThreadArchiveParams } from '../../protocol/generated/codex/v2/ThreadArchiveParams';
import type { ThreadBackgroundTerminalsCleanParams } from '../../protocol/generated/codex/v2/ThreadBackgroundTerminalsCleanParams';
import type { ThreadCompactStartParams } from '../../protocol/generated/codex/v2/ThreadCompactStartParams';
import type { ThreadForkParams } from '../../protocol/generated/codex/v2/ThreadForkParams';
import type { ThreadForkResponse } from '../../protocol/generated/codex/v2/ThreadForkResponse';
import type { ThreadRevertParams } from '../../protocol/generated/codex/v2/ThreadRevertParams';
import type { ThreadRevertResponse } from '../../protocol/generated/codex/v2/ThreadRevertResponse';
import type { ThreadSetNameParams } from '../../protocol/generated/codex/v2/ThreadSetNameParams';
import type { ThreadTurnsListParams } from '../../protocol/generated/codex/v2/ThreadTurnsListParams';
import type { ThreadTurnsListResponse } from '../../protocol/generated/codex/v2/ThreadTurnsListResponse';
import type { ThreadUnarchiveParams } from '../../protocol/generated/codex/v2/ThreadUnarchiveParams';
import type { TurnSteerParams } from '../../protocol/generated/codex/v2/TurnSteerParams';
import type { TurnSteerResponse } from '../../protocol/generated/codex/v2/TurnSteerResponse';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { SessionIndex, SessionMeta } from './session-index';
import type { SessionService } from './session-service';
import { runtimeApprovalPolicy, threadIdOf } from './thread-meta';
import type { TurnTracker } from './turn-tracker';

type DynamicTool = NonNullable<SessionMeta['dynamicTools']>[number];

export interface ForkOptions {
  title?: string;
  model?: string;
  approvalPolicy?: SessionMeta['approvalPolicy'];
  filesystemSandbox?: SessionMeta['filesystemSandbox'];
  networkAccess?: SessionMeta['networkAccess'];
  /** Keep turns up to and including this one. */
  lastTurnId?: string;
  /** Keep only the turns before this one. */
  beforeTurnId?: string;
}

/**
 * Session lifecycle on top of the runtime's thread methods: rename, archive, resume,
 * fork, compact, rollback, review, steer. Each call first resolves the session (404 /
 * 410), refuses what the session's state does not allow (409) rather than letting codex
 * do something surprising (compaction, review and revert all stop a turn in progress),
 * then asks the runtime and records the outcome in the index.
 */
export class SessionLifecycle {
  constructor(
    private readonly sessions: SessionService,
    private readonly runtime: RuntimeSupervisor,
    private readonly index: SessionIndex,
    private readonly tracker: TurnTracker,
  ) {}

  async rename(sessionId: string, title: string): Promise<SessionMeta> {
    const meta = await this.sessions.resolve(sessionId);
    // codex cannot name an archived thread; unarchive applies the title then.
    if (!meta.archived) {
      const params: ThreadSetNameParams = { threadId: threadIdOf(meta), name: title };
      await this.runtime.request('thread/name/set', params);
    }
    return (await this.index.patch(sessionId, { title }))!;
  }

  /** Archiving an archived session changes nothing and says so (`changed: false`). */
  async archive(sessionId: string): Promise<{ meta: SessionMeta; changed: boolean }> {
    const meta = await this.sessions.resolve(sessionId);
    if (meta.archived) return { meta, changed: false };
    await this.requireNoActiveTurn(meta);
    // A thread with no turn has nothing on the runtime's disk to archive (codex refuses it):
    // the bridge's index alone holds the archived state, as codex-manager archives it too.
    if (meta.materialized) {
      const threadId = threadIdOf(meta);
      const params: ThreadArchiveParams = { threadId };
      await this.runtime.request('thread/archive', params);
      this.sessions.threads.forget(threadId);
    }
    return { meta: (await this.index.patch(sessionId, { archived: true, archivedAt: Date.now() }))!, changed: true };
  }

  async unarchive(sessionId: string): Promise<{ meta: SessionMeta; changed: boolean }> {
    const meta = await this.sessions.resolve(sessionId);
    if (!meta.archived) return { meta, changed: false };
    if (meta.materialized) {
      const threadId = threadIdOf(meta);
      const params: ThreadUnarchiveParams = { threadId };
      await this.runtime.request('thread/unarchive', params);
      await this.sessions.threads.name(threadId, meta.title); // a rename while archived reached only the index
    }
    return { meta: (await this.index.patch(sessionId, { archived: false, archivedAt: undefined }))!, changed: true };
  }

  /**
   * Loads the session's thread into the runtime. codex takes dynamic tools only when a
   * thread starts (a resumed thread keeps its own), so a resume asking for other tools
   * is refused rather than silently ignored.
   */
  async resume(sessionId: string, dynamicTools?: DynamicTool[]): Promise<SessionMeta> {
    const meta = await this.sessions.resolve(sessionId);
    if (dynamicTools && !sameTools(dynamicTools, meta.dynamicTools ?? [])) {
      throw conflict(sessionId, 'dynamic_tools_fixed', 'has other dynamic tools; codex fixes them when a thread starts, so create a new session for new tools');
    }
    await this.sessions.threads.load(meta);
    return meta;
  }

  /** A new session holding a copy of this one's history (all of it, or up to a turn). */
  async fork(sessionId: string, opts: ForkOptions): Promise<{ meta: SessionMeta; thread: ThreadForkResponse['thread'] }> {
    const source = await this.sessions.resolve(sessionId);
    if (source.archived) throw conflict(sessionId, 'archived', 'is archived; unarchive it first');
    // A session with no turn may have lost its runtime thread; loading restores one to copy.
    const threadId = source.materialized ? threadIdOf(source) : await this.sessions.threads.load(source);
    const approvalPolicy = opts.approvalPolicy ?? source.approvalPolicy;
    const filesystemSandbox = opts.filesystemSandbox ?? source.filesystemSandbox;
    const params: ThreadForkParams = {
      threadId, approvalPolicy: runtimeApprovalPolicy(approvalPolicy), sandbox: filesystemSandbox, cwd: source.cwd, excludeTurns: true,
    };
    if (opts.model) params.model = opts.model;
    if (opts.lastTurnId) params.lastTurnId = opts.lastTurnId;
    if (opts.beforeTurnId) params.beforeTurnId = opts.beforeTurnId;
    const forked = await this.runtime.request<ThreadForkResponse>('thread/fork', params);
    this.sessions.threads.markLoaded(forked.thread.id);
    const title = opts.title ?? source.title;
    if (opts.title) await this.sessions.threads.name(forked.thread.id, title);
    const now = Date.now();
    const meta: SessionMeta = {
      sessionId: forked.thread.id,
      title,
      cwd: forked.cwd ?? source.cwd,
      model: opts.model ?? forked.model ?? source.model,
      modelProvider: forked.modelProvider ?? source.modelProvider,
      approvalPolicy,
      networkAccess: opts.networkAccess ?? source.networkAccess,
      filesystemSandbox,
      projectId: source.projectId,
      materialized: source.materialized,
      createdAt: now,
      updatedAt: now,
      source: 'bridge',
      forkedFromSessionId: sessionId,
      ...(source.dynamicTools ? { dynamicTools: source.dynamicTools } : {}),
    };
    await this.index.put(meta);
    return { meta, thread: forked.thread };
  }

  /** Starts context compaction: codex runs it as a turn of its own, reported like any turn. */
  async compact(sessionId: string): Promise<unknown> {
    const meta = await this.idleMaterialized(sessionId, 'to compact');
    const params: ThreadCompactStartParams = { threadId: await this.sessions.threads.load(meta) };
    return this.runtime.request('thread/compact/start', params);
  }

  /**
   * Drops the last `numTurns` turns from the thread's history (`thread/revert` before the
   * oldest of them). Files the turns changed stay as they are: codex reverts history only.
   */
  async rollback(sessionId: string, numTurns: number): Promise<{ removedTurnIds: string[]; thread: ThreadRevertResponse['thread'] }> {
    const meta = await this.idleMaterialized(sessionId, 'to roll back');
    const threadId = await this.sessions.threads.load(meta);
    const listParams: ThreadTurnsListParams = { threadId, limit: numTurns, sortDirection: 'desc', itemsView: 'notLoaded' };
    const { data: latest } = await this.runtime.request<ThreadTurnsListResponse>('thread/turns/list', listParams);
    if (latest.length < numTurns) {
      throw new BridgeError('conflict', `session ${sessionId} has ${latest.length} turn(s); cannot roll back ${numTurns}`, {
        details: { reason: 'not_enough_turns', sessionId, availableTurns: latest.length, numTurns },
      });
    }
    const params: ThreadRevertParams = { threadId, beforeTurnId: latest[numTurns - 1]!.id };
    const { thread } = await this.runtime.request<ThreadRevertResponse>('thread/revert', params);
    await this.index.patch(sessionId, {});
    return { removedTurnIds: latest.map((turn) => turn.id).reverse(), thread };
  }

  async cleanBackgroundTerminals(sessionId: string): Promise<unknown> {
    const meta = await this.sessions.resolve(sessionId);
    const params: ThreadBackgroundTerminalsCleanParams = { threadId: await this.sessions.threads.load(meta) };
    return this.runtime.request('thread/backgroundTerminals/clean', params);
  }

  /**
   * Runs a code review as a turn. `inline` reviews in the session itself; `detached`
   * (codex 0.169 only reviews inline) starts a new session with the same controls and
   * reviews there, leaving this session's history untouched.
   */
  async review(sessionId: string, target: ReviewTarget, delivery: 'inline' | 'detached'): Promise<{ reviewSessionId: string; turnId: string; result: ReviewStartResponse }> {
    const source = await this.sessions.resolve(sessionId);
    if (source.archived) throw conflict(sessionId, 'archived', 'is archived; unarchive it first');
    await this.requireNoActiveTurn(source);
    // Like a send: reserved synchronously after the check, so a concurrent send or review gets 409.
    const release = this.tracker.reserveStart(source.sessionId);
    if (!release) throw conflict(source.sessionId, 'turn_in_progress', 'has a turn being started; wait for it or interrupt it');
    try {
      return await this.startReview(source, target, delivery);
    } finally {
      release();
    }
  }

  private async startReview(source: SessionMeta, target: ReviewTarget, delivery: 'inline' | 'detached'): Promise<{ reviewSessionId: string; turnId: string; result: ReviewStartResponse }> {
    const reviewer = delivery === 'inline' ? source : await this.detachedReviewSession(source);
    const threadId = await this.sessions.threads.load(reviewer);
    const params: ReviewStartParams = { threadId, target, delivery: 'inline' };
    const mark = this.tracker.completionMark(threadId);
    const result = await this.runtime.request<ReviewStartResponse>('review/start', params).catch(async (error: unknown) => {
      // The runtime judges the target (e.g. an empty branch); a refused review must not leave its new session behind.
      if (reviewer !== source) await this.sessions.delete(reviewer.sessionId).catch(() => undefined);
      throw error;
    });
    this.tracker.turnStarted(threadId, result.turn.id, mark);
    await this.index.patch(reviewer.sessionId, { materialized: true });
    return { reviewSessionId: reviewer.sessionId, turnId: result.turn.id, result };
  }

  /** Adds input to the turn in progress, which must be `turnId`. */
  async steer(sessionId: string, turnId: string, text: string): Promise<{ turnId: string }> {
    const meta = await this.sessions.resolve(sessionId);
    const threadId = threadIdOf(meta);
    const active = this.tracker.activeTurn(threadId);
    if (active !== turnId) {
      throw new BridgeError('conflict', active ? `turn ${turnId} is not the active turn of session ${sessionId} (${active} is)` : `session ${sessionId} has no active turn`, {
        details: { reason: active ? 'not_active_turn' : 'no_active_turn', sessionId, turnId, activeTurnId: active ?? null },
      });
    }
    const params: TurnSteerParams = { threadId, expectedTurnId: turnId, input: [{ type: 'text', text, text_elements: [] }] };
    return { turnId: (await this.runtime.request<TurnSteerResponse>('turn/steer', params)).turnId };
  }

  private async detachedReviewSession(source: SessionMeta): Promise<SessionMeta> {
    const { session } = await this.sessions.create({
      cwd: source.cwd, approvalPolicy: source.approvalPolicy, filesystemSandbox: source.filesystemSandbox, networkAccess: source.networkAccess,
      ...(source.model ? { model: source.model } : {}),
    });
    const title = `Review: ${source.title}`;
    await this.sessions.threads.name(session.sessionId, title);
    return (await this.index.patch(session.sessionId, { title, projectId: source.projectId }))!;
  }

  private async idleMaterialized(sessionId: string, what: string): Promise<SessionMeta> {
    const meta = await this.sessions.resolve(sessionId);
    if (meta.archived) throw conflict(sessionId, 'archived', 'is archived; unarchive it first');
    if (!meta.materialized) throw conflict(sessionId, 'not_materialized', `has had no turn yet, so there is nothing ${what}`);
    await this.requireNoActiveTurn(meta);
    return meta;
  }

  private async requireNoActiveTurn(meta: SessionMeta): Promise<void> {
    const active = this.sessions.activeTurn(meta);
    if (active) throw conflict(meta.sessionId, 'turn_in_progress', `has a turn in progress (${active}); wait for it or interrupt it`, { turnId: active });
  }
}

function conflict(sessionId: string, reason: string, message: string, extra: Record<string, unknown> = {}): BridgeError {
  return new BridgeError('conflict', `session ${sessionId} ${message}`, { details: { reason, sessionId, ...extra } });
}

function sameTools(a: DynamicTool[], b: DynamicTool[]): boolean {
  const key = (tools: DynamicTool[]) => JSON.stringify([...tools].sort((x, y) => x.name.localeCompare(y.name)));
  return key(a) === key(b);
}
