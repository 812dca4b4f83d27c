/**
 * `suggest_request`: a worker drafts the next request the user could send in a session.
 * The worker reads the session's recent transcript (through readSession, as the worker),
 * asks its own system-owned session, and records the answer as the request key's state.
 * When the worker cannot answer, callers fall back to `fallbackSuggestion`, which is
 * deterministic (same input, same text) so it can be tested and cached.
 */
import { z } from 'zod';
import type { EventLog } from '../../state/event-log';
import { JobError, type JobDefinition } from '../types';
import type { InvokeOperation } from '../workers/worker-api';
import { WorkerApi } from '../workers/worker-api';
import { runWorkerTurn } from '../workers/worker-turn';
import type { WorkerSessions } from '../workers/worker-sessions';
import type { SuggestionStates } from './suggestions';

export const SUGGEST_REQUEST = 'suggest_request';
export const SUGGEST_AGENT = 'suggest';
/** The worker prompt starts with this marker (the test and demo models script it). */
export const SUGGEST_PROMPT_MARKER = '[codex-manager suggest-request]';

const Payload = z.object({
  sessionId: z.string().min(1),
  requestKey: z.string().min(1),
  model: z.string().optional(),
  effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  draft: z.string().max(4000).optional(),
});
type Payload = z.infer<typeof Payload>;

type Entry = { turnId: string; role: string; content: string };
const CONTEXT_ENTRIES = 8;
const CONTEXT_CHARS = 600;
const MAX_SUGGESTION = 2000;

/** The last few user and assistant messages, each shortened. */
export function conversationContext(transcript: readonly Entry[]): { role: string; text: string }[] {
  return transcript
    .filter((e) => (e.role === 'user' || e.role === 'assistant') && e.content.trim() !== '')
    .slice(-CONTEXT_ENTRIES)
    .map((e) => ({ role: e.role, text: e.content.trim().slice(0, CONTEXT_CHARS) }));
}

export function suggestPrompt(context: readonly { role: string; text: string }[], draft?: string): string {
  const lines = [SUGGEST_PROMPT_MARKER, 'Suggest the single next request the user should send in this conversation.', 'Answer with the request text only.', '', 'Conversation:'];
  for (const c of context) lines.push(`${c.role}: ${c.text.replace(/\s+/g, ' ')}`);
  if (draft?.trim()) lines.push('', `Draft: ${draft.trim()}`);
  return lines.join('\n');
}

/** The deterministic suggestion used when no worker answer is available. */
export function fallbackSuggestion(draft?: string, lastUserText?: string): string {
  if (draft?.trim()) return draft.trim();
  if (lastUserText?.trim()) return `Follow up on "${lastUserText.trim().replace(/\s+/g, ' ').slice(0, 120)}": summarize what was done and what is left.`;
  return 'Summarize what was done so far and list the next steps.';
}

export function cleanSuggestion(answer: string): string {
  return answer.trim().replace(/^["'`]+|["'`]+$/g, '').trim().slice(0, MAX_SUGGESTION);
}

export interface SuggestRequestDeps {
  invoke: InvokeOperation;
  events: EventLog;
  workers: WorkerSessions;
  suggestions: SuggestionStates;
  timeoutMs?: number;
}

export function suggestRequestJob(deps: SuggestRequestDeps): JobDefinition<Payload> {
  return {
    type: SUGGEST_REQUEST,
    version: 1,
    priority: 'interactive',
    payloadSchema: Payload,
    // A session needs one suggestion at a time: a second request joins the running one.
    dedupe: { mode: 'single_flight', key: (p) => p.sessionId },
    retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 5000, jitter: true },
    timeoutMs: deps.timeoutMs ?? 60_000,
    cancel: { strategy: 'interrupt_turn', gracefulWaitMs: 3000 },
    async run(ctx, payload) {
      const api = new WorkerApi(deps.invoke, SUGGEST_AGENT, ['readSession', 'sendSessionMessage', 'interruptSessionTurn']);
      deps.suggestions.upsert(payload.sessionId, payload.requestKey, { status: 'streaming' });
      try {
        const source = await api.call<{ session: { cwd: string }; transcript: Entry[] }>('readSession', { params: { sessionId: payload.sessionId } });
        const context = conversationContext(source.transcript);
        if (context.length === 0) throw new JobError('no_context', 'the session has no messages to build a suggestion from', false);
        const worker = await deps.workers.ensure(ctx.projectId, SUGGEST_AGENT, { cwd: source.session.cwd });
        const { answer } = await runWorkerTurn(api, deps.events, ctx, worker, suggestPrompt(context, payload.draft));
        const suggestion = cleanSuggestion(answer);
        if (!suggestion) throw new JobError('empty_answer', 'the worker answered nothing', false);
        deps.suggestions.upsert(payload.sessionId, payload.requestKey, { status: 'complete', suggestion });
        return { suggestion, sessionId: payload.sessionId, requestKey: payload.requestKey };
      } catch (error) {
        const canceled = ctx.signal.aborted && (ctx.signal.reason as { code?: string })?.code === 'canceled';
        deps.suggestions.upsert(payload.sessionId, payload.requestKey, canceled ? { status: 'canceled' } : { status: 'error', error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  };
}
