import type { z } from 'zod';
import type { CodexThreadSchema } from '../../protocol/schemas/common';
import { BridgeError } from '../../protocol/errors';
import type { JsonValue } from '../../protocol/generated/codex/serde_json/JsonValue';
import type { ThreadResumeParams } from '../../protocol/generated/codex/v2/ThreadResumeParams';
import type { ThreadSetNameParams } from '../../protocol/generated/codex/v2/ThreadSetNameParams';
import type { ThreadStartParams } from '../../protocol/generated/codex/v2/ThreadStartParams';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { SessionIndex, SessionMeta } from './session-index';
import { runtimeApprovalPolicy, threadIdOf } from './thread-meta';

/** A thread as the runtime returns it (codex-manager's CodexThread fields, the rest passed through). */
export type Thread = z.input<typeof CodexThreadSchema>;
export type ThreadSettings = Pick<SessionMeta, 'cwd' | 'model' | 'approvalPolicy' | 'filesystemSandbox' | 'dynamicTools'>;

/**
 * Which runtime threads the current runtime process has loaded, and how a session's
 * thread gets there: resumed, or started again when it never had a turn and the
 * runtime lost it. Threads are started named, which is what makes codex 0.169 write
 * them to disk before their first turn.
 */
export class ThreadLoader {
  /** runtime threadId → the runtime generation that has it loaded. */
  private readonly loaded = new Map<string, number>();
  /** sessionId → a load in progress, so concurrent calls share one resume. */
  private readonly loading = new Map<string, Promise<string>>();

  constructor(private readonly runtime: RuntimeSupervisor, private readonly index: SessionIndex) {}

  /**
   * Makes sure the current runtime process has the session's thread loaded and returns
   * its id. A session that never had a turn has no history to lose: if the runtime
   * cannot resume its thread, a new one is started behind the same session id.
   */
  load(meta: SessionMeta): Promise<string> {
    if (meta.archived) {
      return Promise.reject(new BridgeError('conflict', `session ${meta.sessionId} is archived; unarchive it first`, { details: { reason: 'archived', sessionId: meta.sessionId } }));
    }
    const threadId = threadIdOf(meta);
    if (this.loaded.get(threadId) === this.runtime.generation) return Promise.resolve(threadId);
    const inFlight = this.loading.get(meta.sessionId);
    if (inFlight) return inFlight;
    const loading = this.resumeOrRestart(meta).finally(() => this.loading.delete(meta.sessionId));
    this.loading.set(meta.sessionId, loading);
    return loading;
  }

  /**
   * Starts a runtime thread and names it. codex 0.169 writes a thread to disk only at its
   * first turn or when it is named, and a thread it has not written cannot be resumed
   * once the runtime restarts; naming it at once keeps a new session resumable under
   * its own id.
   */
  async start(settings: ThreadSettings, title: string): Promise<Thread> {
    const params: ThreadStartParams = {
      cwd: settings.cwd,
      approvalPolicy: runtimeApprovalPolicy(settings.approvalPolicy),
      sandbox: settings.filesystemSandbox,
    };
    if (settings.model) params.model = settings.model;
    if (settings.dynamicTools?.length) {
      params.dynamicTools = settings.dynamicTools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, inputSchema: tool.inputSchema as JsonValue }));
    }
    const { thread } = await this.runtime.request<{ thread: Thread }>('thread/start', params);
    this.markLoaded(thread.id);
    await this.name(thread.id, title);
    return thread;
  }

  /** Names the runtime thread after its session; the index title is the reference, so a failure only costs the mirror. */
  async name(threadId: string, title: string): Promise<void> {
    const params: ThreadSetNameParams = { threadId, name: title };
    await this.runtime.request('thread/name/set', params).catch(() => undefined);
  }

  markLoaded(threadId: string): void {
    this.loaded.set(threadId, this.runtime.generation);
  }

  /** The runtime unloaded (archive) or deleted the thread. */
  forget(threadId: string): void {
    this.loaded.delete(threadId);
  }

  /**
   * After a runtime restart: load again every thread the previous process had loaded,
   * so turns can continue where they were.
   */
  async resumeAfterRestart(): Promise<{ resumed: string[]; failed: { threadId: string; error: string }[] }> {
    const generation = this.runtime.generation;
    const resumed: string[] = [];
    const failed: { threadId: string; error: string }[] = [];
    const byThread = new Map(this.index.all().map((m) => [threadIdOf(m), m]));
    for (const threadId of [...this.loaded.keys()]) {
      const meta = byThread.get(threadId);
      this.loaded.delete(threadId);
      if (!meta || meta.archived) continue;
      try {
        await this.load(meta);
        if (this.runtime.generation === generation) resumed.push(meta.sessionId);
      } catch (error) {
        failed.push({ threadId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { resumed, failed };
  }

  private async resumeOrRestart(meta: SessionMeta): Promise<string> {
    const threadId = threadIdOf(meta);
    try {
      const params: ThreadResumeParams = {
        threadId,
        cwd: meta.cwd,
        approvalPolicy: runtimeApprovalPolicy(meta.approvalPolicy),
        sandbox: meta.filesystemSandbox,
        excludeTurns: true,
      };
      // The session's model control applies to a thread loaded after it changed.
      if (meta.model) params.model = meta.model;
      await this.runtime.request('thread/resume', params);
      this.markLoaded(threadId);
      return threadId;
    } catch (error) {
      // Only a thread the runtime does not know (invalid request) is started again, and only
      // when there is no history to lose; a materialized session's error is the caller's.
      if (meta.materialized || !(error instanceof BridgeError) || error.code !== 'invalid_request') throw error;
    }
    const thread = await this.start(meta, meta.title);
    await this.index.patch(meta.sessionId, thread.id === meta.sessionId ? {} : { threadId: thread.id });
    return thread.id;
  }
}
