/**
 * `agent_instruction`: an agent's worker runs one instruction as a turn in its
 * system-owned session; when the job names a source session, the answer is added to that
 * session's transcript as a supplemental row (through upsertSessionTranscriptEntry, so
 * every client sees it as a `transcript_updated` event).
 */
import { z } from 'zod';
import type { EventLog } from '../../state/event-log';
import type { JobDefinition } from '../types';
import { WorkerApi, type InvokeOperation } from '../workers/worker-api';
import { runWorkerTurn } from '../workers/worker-turn';
import type { WorkerSessions } from '../workers/worker-sessions';

export const AGENT_INSTRUCTION = 'agent_instruction';

const Payload = z.object({
  agent: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  instruction: z.string().min(1).max(100_000),
  /** The user's session the work is about; the answer lands in its transcript. */
  sessionId: z.string().min(1).optional(),
  /** Jobs with the same key in one project run one at a time (single flight). */
  dedupeKey: z.string().min(1).max(200).optional(),
  cwd: z.string().optional(),
});
type Payload = z.infer<typeof Payload>;

export interface AgentInstructionDeps {
  invoke: InvokeOperation;
  events: EventLog;
  workers: WorkerSessions;
  timeoutMs?: number;
}

export function agentInstructionJob(deps: AgentInstructionDeps): JobDefinition<Payload> {
  return {
    type: AGENT_INSTRUCTION,
    version: 1,
    priority: 'background',
    payloadSchema: Payload,
    dedupe: { mode: 'single_flight', key: (p) => p.dedupeKey ?? null },
    retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: true },
    timeoutMs: deps.timeoutMs ?? 10 * 60_000,
    cancel: { strategy: 'interrupt_turn', gracefulWaitMs: 5000 },
    async run(ctx, payload) {
      const api = new WorkerApi(deps.invoke, payload.agent, ['readSession', 'sendSessionMessage', 'interruptSessionTurn', 'upsertSessionTranscriptEntry']);
      const worker = await deps.workers.ensure(ctx.projectId, payload.agent, payload.cwd ? { cwd: payload.cwd } : {});
      const { turnId, answer } = await runWorkerTurn(api, deps.events, ctx, worker, payload.instruction);
      if (payload.sessionId) {
        const now = Date.now();
        await api.call('upsertSessionTranscriptEntry', {
          params: { sessionId: payload.sessionId },
          body: {
            messageId: `agent-${ctx.jobId}`, turnId: `agent-job-${ctx.jobId}`, role: 'system', type: `agent.${payload.agent}`,
            content: answer, status: 'complete', details: JSON.stringify({ jobId: ctx.jobId, agent: payload.agent, workerSessionId: worker, workerTurnId: turnId }),
            startedAt: now, completedAt: now,
          },
        });
      }
      return { agent: payload.agent, workerSessionId: worker, turnId, text: answer };
    },
  };
}
