import { z } from 'zod';
import { ErrorBodySchema } from '../../schemas/common';

/** Query booleans arrive as strings ("true"/"false"); in-process callers may pass real booleans. */
export const queryBoolean = z.union([z.boolean(), z.stringbool()]);

/** codex-manager's paging query, shared by every runtime list it passes through. */
export const pagingQuery = {
  cursor: z.string().min(1).max(1000).optional().describe('Pagination cursor from a previous response.'),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('Maximum rows to return.'),
};

/** A runtime list page as codex-manager returns it: the runtime's rows, untouched, and its cursor. */
export function pageOf<T extends z.ZodType>(row: T) {
  return z.looseObject({ data: z.array(row), nextCursor: z.string().nullable() });
}

/** What codex-manager answers for a runtime write: `{status:"ok", result: <the runtime's result>}`. */
export function writeAck<T extends z.ZodType>(result: T) {
  return z.looseObject({ status: z.literal('ok'), result });
}

const failure = (description: string) => ({ description, schema: ErrorBodySchema });

/**
 * Every way a runtime call can fail, as the supervisor maps it (by JSON-RPC code and
 * `codexErrorInfo`, never by message): the runtime rejected the params (400), wants a
 * signed-in account (401), refused for its state (409), hit a usage limit (429), failed
 * inside (500), lacks the method in the pinned version (501), is not running (503), or
 * did not answer in time (504).
 */
export const RUNTIME_FAILURES = {
  400: failure('Invalid input, or the runtime rejected the request'),
  401: failure('The runtime requires a signed-in account'),
  409: failure('The runtime refused the request in its current state'),
  429: failure('The account hit a rate or usage limit'),
  500: failure('The runtime failed to carry out the request (e.g. an upstream service is unreachable)'),
  501: failure('The pinned codex runtime has no such method (method_not_supported)'),
  503: failure('The codex runtime is unavailable'),
  504: failure('The codex runtime did not answer in time'),
} as const;
