/**
 * Retry policy: failures are classified by their *code* (never by message text), and
 * retries wait an exponentially growing delay with full jitter, so many jobs failing
 * together (a runtime restart) do not come back in lockstep.
 */
import { BridgeError } from '../../protocol/errors';
import { JobError, type JobDefinition, type JobFailure, type RetryClass } from './types';

/** Codes that say "try again later": the runtime was away, a limit was hit, an attempt timed out. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'runtime_unavailable', 'timeout', 'job_timeout', 'rate_limited', 'transient', 'interrupted_by_restart',
]);

/** Any thrown value as a JobFailure. Unknown throwables are fatal `internal_error`s. */
export function toFailure(error: unknown): JobFailure {
  if (error instanceof JobError) return { code: error.code, message: error.message, ...(error.retryable === undefined ? {} : { retryable: error.retryable }) };
  if (error instanceof BridgeError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal_error', message: error.message };
  return { code: 'internal_error', message: String(error) };
}

export function classify(definition: Pick<JobDefinition, 'retry'>, failure: JobFailure): RetryClass {
  if (definition.retry.classify) return definition.retry.classify(failure);
  if (failure.retryable !== undefined) return failure.retryable ? 'retryable' : 'fatal';
  return RETRYABLE_CODES.has(failure.code) ? 'retryable' : 'fatal';
}

/**
 * The wait before attempt `attempt + 1`, after `attempt` failed: base · 2^(attempt-1),
 * capped; with jitter a uniform draw in [cap/2, cap] (never zero, never above the cap).
 */
export function backoffDelayMs(retry: JobDefinition['retry'], attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  if (!retry.jitter) return exp;
  return Math.round(exp / 2 + random() * (exp / 2));
}
