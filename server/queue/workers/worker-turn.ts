/**
 * One worker turn: send a prompt to a worker session through the bridge's operations,
 * tell the queue which turn runs (so cancel and timeout interrupt it), wait for the turn
 * to end on the event log, and read the answer back from the session's transcript.
 */
import type { EventLog, LoggedEvent } from '../../state/event-log';
import { JobError, type JobRunContext } from '../types';
import type { WorkerApi } from './worker-api';

interface TurnEnd {
  status: string;
  error?: string;
}

/** The end of a turn, from the runtime's `turn/completed` or the bridge's `turn_aborted`. */
function turnEndOf(event: LoggedEvent): { turnId: string; end: TurnEnd } | undefined {
  if (event.type === 'notification') {
    const message = event.payload as { method?: string; params?: { turn?: { id?: string; status?: string; error?: { message?: string } | null } } };
    const turn = message.params?.turn;
    if (message.method !== 'turn/completed' || !turn?.id) return undefined;
    return { turnId: turn.id, end: { status: turn.status ?? 'completed', ...(turn.error?.message ? { error: turn.error.message } : {}) } };
  }
  if (event.type === 'turn_aborted') {
    const p = event.payload as { turnId?: string; reason?: string };
    return p.turnId ? { turnId: p.turnId, end: { status: 'aborted', error: p.reason ?? 'aborted' } } : undefined;
  }
  return undefined;
}

const STOP_RETRY_MS = 250;
const STOP_LIMIT_MS = 5000;

/**
 * Cancel and timeout stop the worker's turn for real: interrupt it, and again while it
 * has not ended (an interrupt that reaches the runtime before the turn is under way is
 * lost), for at most a few seconds.
 */
async function stopTurn(api: WorkerApi, sessionId: string, turnId: string, hasEnded: () => boolean): Promise<void> {
  const deadline = Date.now() + STOP_LIMIT_MS;
  while (!hasEnded() && Date.now() < deadline) {
    await api.call('interruptSessionTurn', { params: { sessionId }, body: { turnId } }).catch(() => undefined);
    for (let waited = 0; waited < STOP_RETRY_MS && !hasEnded(); waited += 25) await new Promise((r) => setTimeout(r, 25));
  }
}

export async function runWorkerTurn(api: WorkerApi, events: EventLog, ctx: JobRunContext, sessionId: string, text: string): Promise<{ turnId: string; answer: string }> {
  const ended = new Map<string, TurnEnd>();
  let notify: (() => void) | undefined;
  const unsubscribe = events.subscribe((event) => {
    const end = turnEndOf(event);
    if (!end) return;
    ended.set(end.turnId, end.end);
    notify?.();
  });
  try {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const { turnId } = await api.call<{ turnId: string }>('sendSessionMessage', { params: { sessionId }, body: { text } });
    ctx.setRunningContext({ threadId: sessionId, turnId });
    ctx.progress({ phase: 'turn_started', turnId });
    const end = await new Promise<TurnEnd | 'aborted'>((resolve) => {
      const check = () => {
        const found = ended.get(turnId);
        if (found) resolve(found);
      };
      notify = check;
      ctx.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      check();
    });
    if (end === 'aborted') {
      await stopTurn(api, sessionId, turnId, () => ended.has(turnId));
      throw ctx.signal.reason;
    }
    if (end.status === 'aborted') throw new JobError('runtime_unavailable', `the worker turn was aborted: ${end.error ?? ''}`);
    if (end.status === 'interrupted') throw new JobError('turn_interrupted', 'the worker turn was interrupted', false);
    if (end.status !== 'completed') throw new JobError('turn_failed', end.error ?? `the worker turn ended ${end.status}`, false);
    const detail = await api.call<{ transcript: { turnId: string; role: string; content: string }[] }>('readSession', { params: { sessionId } });
    const answer = detail.transcript.filter((e) => e.turnId === turnId && e.role === 'assistant').map((e) => e.content).pop() ?? '';
    ctx.progress({ phase: 'turn_completed', turnId });
    return { turnId, answer };
  } finally {
    unsubscribe();
  }
}
