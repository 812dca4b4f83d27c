/**
 * What a worker may do: call the bridge's own operations in-process (never a CLI, never
 * HTTP), limited to the operations its job type was granted. A refused or failed call
 * becomes a JobError whose code drives the retry policy.
 */
import type { CallContext, RawInput, Reply } from '../../operations/table';
import { JobError } from '../types';

export type InvokeOperation = (operationId: string, input: RawInput, ctx: CallContext) => Promise<Reply>;

/** HTTP statuses whose failures are worth another attempt later. */
const STATUS_CODES: Record<number, string> = { 429: 'rate_limited', 503: 'runtime_unavailable', 504: 'timeout' };

export class WorkerApi {
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly invoke: InvokeOperation, readonly agent: string, capabilities: readonly string[]) {
    this.allowed = new Set(capabilities);
  }

  /** The reply body of a 2xx answer; anything else throws a JobError with the reply's code. */
  async call<T = Record<string, unknown>>(operationId: string, input: RawInput = {}): Promise<T> {
    if (!this.allowed.has(operationId)) {
      throw new JobError('capability_denied', `agent ${this.agent} may not call ${operationId}`, false);
    }
    const reply = await this.invoke(operationId, input, { actor: `worker:${this.agent}`, worker: { agent: this.agent } });
    if (reply.status >= 200 && reply.status < 300) return reply.body as T;
    const body = (reply.body ?? {}) as { code?: unknown; status?: unknown; message?: unknown };
    const code = STATUS_CODES[reply.status] ?? (typeof body.code === 'string' ? body.code : typeof body.status === 'string' ? body.status : `http_${reply.status}`);
    const message = typeof body.message === 'string' ? body.message : `${operationId} answered ${reply.status}`;
    throw new JobError(code, message);
  }
}
