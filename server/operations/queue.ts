import { randomUUID } from 'node:crypto';
import type { QUEUE_OPERATIONS } from '../../protocol/operations/queue';
import { given } from '../../protocol/schemas/common';
import { QueueError, type JobRecord } from '../queue';
import { fallbackSuggestion, SUGGEST_REQUEST } from '../queue/jobs/suggest-request';
import { SESSION_OWNER_PREFIX } from '../queue/workers/worker-sessions';
import type { BridgeServices } from './services';
import { forSession } from './sessions';
import type { HandlersFor } from './table';

/** A queue refusal as codex-manager's QueueErrorResponse for a session's queue work. */
function sessionQueueError(error: unknown, sessionId: string) {
  if (!(error instanceof QueueError)) throw error;
  if (error.code === 'queue_full') return { status: 429 as const, body: { status: 'error' as const, code: 'queue_full' as const, sessionId, message: error.message } };
  if (error.code === 'queue_unavailable') {
    return { status: 503 as const, body: { status: 'error' as const, code: 'queue_full' as const, sessionId, message: error.message, details: { reason: 'queue_unavailable' } } };
  }
  return { status: 409 as const, body: { status: 'error' as const, code: 'job_conflict' as const, sessionId, message: error.message } };
}

/** The job an extension enqueued for `suggest_request.requested`, preferring a new one over a joined one. */
async function enqueuedByExtension(s: BridgeServices, payload: Record<string, unknown>): Promise<{ status: 'enqueued' | 'already_queued'; job: JobRecord } | undefined> {
  const results = await s.extensions.dispatch({ type: 'suggest_request.requested', payload, emittedAt: new Date().toISOString() });
  const enqueued = results.filter((r) => r.kind === 'enqueue_result');
  const winner = enqueued.find((r) => r.status === 'enqueued') ?? enqueued[0];
  if (!winner || winner.kind !== 'enqueue_result') return undefined;
  const job = await s.orchestrator.engine.get(winner.job.id);
  return job ? { status: winner.status, job } : undefined;
}

/** The queue's backend is away (Redis): codex-manager's QueueUnavailableResponse, 503. */
async function orUnavailable<T>(fn: () => Promise<T>): Promise<T | { status: 503; body: { status: 'error'; code: 'queue_unavailable'; message: string } }> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QueueError && error.code === 'queue_unavailable') return { status: 503, body: { status: 'error', code: 'queue_unavailable', message: error.message } };
    throw error;
  }
}

export function queueHandlers(s: BridgeServices): HandlersFor<typeof QUEUE_OPERATIONS> {
  const q = () => s.orchestrator.engine;

  /** Enqueues a suggest_request for the session; an active one is joined (single flight). */
  async function enqueueSuggestion(sessionId: string, body: { model?: string | undefined; effort?: string | undefined; draft?: string | undefined } | undefined) {
    const projectId = s.orchestrator.ownerOf(sessionId);
    const payload = {
      sessionId, requestKey: randomUUID(),
      ...(given(body?.model) ? { model: body!.model } : {}), ...(body?.effort ? { effort: body.effort } : {}), ...(given(body?.draft) ? { draft: body!.draft } : {}),
    };
    // codex-manager routes this through the agent event `suggest_request.requested`: an
    // extension may enqueue the job itself (its result wins); otherwise the bridge does.
    const fromExtension = s.extensions.runtime.hasHandlers('suggest_request.requested')
      ? await enqueuedByExtension(s, { projectId, ...payload })
      : undefined;
    const queued = fromExtension ?? await q().enqueue({ type: SUGGEST_REQUEST, projectId, sourceSessionId: sessionId, payload });
    // Joined an active job: report its request key, the one its result will carry.
    const requestKey = typeof queued.job.payload.requestKey === 'string' ? queued.job.payload.requestKey : payload.requestKey;
    return { queued, projectId, requestKey };
  }

  function queuedReply(sessionId: string, e: Awaited<ReturnType<typeof enqueueSuggestion>>) {
    return {
      status: 202 as const,
      body: { status: 'queued' as const, jobId: e.queued.job.id, requestKey: e.requestKey, sessionId, projectId: e.projectId, dedupe: e.queued.status },
    };
  }

  async function suggestionOutcome(sessionId: string, e: Awaited<ReturnType<typeof enqueueSuggestion>>, terminal: JobRecord, draft: string | undefined) {
    const suggestion = typeof terminal.result?.suggestion === 'string' ? terminal.result.suggestion : '';
    if (terminal.state === 'completed' && suggestion) return { status: 200 as const, body: { status: 'ok' as const, sessionId, requestKey: e.requestKey, suggestion } };
    if (terminal.errorCode === 'no_context') {
      return { status: 409 as const, body: { status: 'no_context' as const, sessionId, requestKey: e.requestKey, message: 'No chat messages available to build a suggested request.' } };
    }
    const detail = await s.sessions.get(sessionId).catch(() => undefined);
    const lastUser = detail?.transcript.filter((t) => t.role === 'user').pop()?.content;
    return { status: 200 as const, body: { status: 'fallback' as const, sessionId, requestKey: e.requestKey, suggestion: fallbackSuggestion(draft, lastUser) } };
  }

  return {
    getOrchestratorJob({ params }) {
      return orUnavailable(async () => {
        const job = await q().get(params.jobId);
        if (!job) return { status: 404 as const, body: { status: 'not_found' as const, jobId: params.jobId } };
        return { status: 200 as const, body: { status: 'ok' as const, job } };
      });
    },
    listProjectOrchestratorJobs({ params, query }) {
      return orUnavailable(async () => ({ status: 200 as const, body: { data: await q().list({ projectId: params.projectId, ...(query.state ? { state: query.state } : {}) }) } }));
    },
    cancelOrchestratorJob({ params }) {
      return orUnavailable(async () => {
        const canceled = await q().cancel(params.jobId, 'api_cancel');
        if (canceled.status === 'not_found' || !canceled.job) return { status: 404 as const, body: { status: 'not_found' as const, jobId: params.jobId } };
        if (canceled.status === 'already_terminal') return { status: 409 as const, body: { status: 'already_terminal' as const, job: canceled.job } };
        return { status: 200 as const, body: { status: 'ok' as const, job: canceled.job } };
      });
    },
    async enqueueSuggestedSessionRequest({ params, body }) {
      return forSession(params.sessionId, async () => {
        await s.sessions.resolve(params.sessionId);
        try {
          return queuedReply(params.sessionId, await enqueueSuggestion(params.sessionId, body));
        } catch (error) {
          return sessionQueueError(error, params.sessionId);
        }
      });
    },
    async suggestSessionRequest({ params, body }) {
      return forSession(params.sessionId, async () => {
        await s.sessions.resolve(params.sessionId);
        let e: Awaited<ReturnType<typeof enqueueSuggestion>>;
        try {
          e = await enqueueSuggestion(params.sessionId, body);
        } catch (error) {
          const refused = sessionQueueError(error, params.sessionId);
          if (refused.status === 409) throw error;
          return refused;
        }
        const terminal = await q().waitForTerminal(e.queued.job.id, s.orchestrator.suggestWaitMs);
        if (!terminal) return queuedReply(params.sessionId, e);
        return suggestionOutcome(params.sessionId, e, terminal, given(body?.draft));
      });
    },
    async upsertSuggestedSessionRequest({ params, body }) {
      return forSession(params.sessionId, async () => {
        await s.sessions.resolve(params.sessionId);
        if (body.status === 'complete' && !body.suggestion?.trim()) {
          return { status: 400 as const, body: { status: 'invalid_request' as const, code: 'missing_suggestion' as const, message: 'suggestion is required when status is complete' } };
        }
        const entry = s.orchestrator.suggestions.upsert(params.sessionId, body.requestKey, {
          status: body.status, ...(body.suggestion ? { suggestion: body.suggestion } : {}), ...(body.error ? { error: body.error } : {}),
        });
        return { status: 200 as const, body: { status: 'ok' as const, sessionId: params.sessionId, requestKey: body.requestKey, entry: { ...entry } } };
      });
    },
    async listAgentExtensions(_input, ctx) {
      const access = await s.extensions.authorize(ctx, ['member', 'admin', 'owner', 'system']);
      if (!access.ok) return { status: access.httpStatus, body: access.body };
      return { status: 200, body: { status: 'ok', ...s.extensions.runtime.list() } };
    },
    async reloadAgentExtensions(_input, ctx) {
      const { httpStatus, body } = await s.extensions.reload(ctx);
      return { status: httpStatus, body } as never;
    },
    async listProjectAgentSessions({ params }) {
      const { projectId } = params;
      const sessionScoped = projectId.startsWith(SESSION_OWNER_PREFIX) && s.sessions.exists(projectId.slice(SESSION_OWNER_PREFIX.length));
      if (!s.projects.get(projectId) && !sessionScoped && !s.orchestrator.workers.hasOwner(projectId)) {
        return { status: 404, body: { status: 'not_found', projectId } };
      }
      const data = s.orchestrator.workers.list(projectId).map((w) => ({ ...w, systemOwned: true }));
      return { status: 200, body: { status: 'ok', projectId, data } };
    },
  };
}
