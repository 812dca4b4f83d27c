/**
 * `session_title`: names an untitled session after its first request (the supervisor's
 * initial chat rename). Deterministic and offline: the first line of the first user
 * message, shortened at a word boundary. A session the user already named is left alone.
 */
import { z } from 'zod';
import type { JobDefinition } from '../types';
import { WorkerApi, type InvokeOperation } from '../workers/worker-api';

export const SESSION_TITLE = 'session_title';
const UNTITLED = new Set(['', 'New chat', 'Untitled', 'New session']);
const MAX_TITLE = 60;

const Payload = z.object({ sessionId: z.string().min(1), agent: z.string().min(1).default('supervisor') });
type Payload = z.infer<typeof Payload>;

export function titleFrom(text: string): string | null {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!line) return null;
  if (line.length <= MAX_TITLE) return line;
  const cut = line.slice(0, MAX_TITLE);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function sessionTitleJob(deps: { invoke: InvokeOperation }): JobDefinition<Payload> {
  return {
    type: SESSION_TITLE,
    version: 1,
    priority: 'background',
    payloadSchema: Payload,
    dedupe: { mode: 'drop_duplicate', key: (p) => p.sessionId },
    retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000, jitter: true },
    timeoutMs: 30_000,
    cancel: { strategy: 'mark_canceled', gracefulWaitMs: 1000 },
    async run(_ctx, payload) {
      const api = new WorkerApi(deps.invoke, payload.agent, ['readSession', 'renameSession']);
      const detail = await api.call<{ session: { title: string }; transcript: { role: string; content: string }[] }>('readSession', { params: { sessionId: payload.sessionId } });
      if (!UNTITLED.has(detail.session.title.trim())) return { renamed: false, reason: 'already_titled', title: detail.session.title };
      const first = detail.transcript.find((e) => e.role === 'user' && e.content.trim());
      const title = first ? titleFrom(first.content) : null;
      if (!title) return { renamed: false, reason: 'no_user_message' };
      await api.call('renameSession', { params: { sessionId: payload.sessionId }, body: { title } });
      return { renamed: true, title };
    },
  };
}
