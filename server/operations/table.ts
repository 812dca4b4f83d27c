import type { z } from 'zod';
import { BridgeError, toBridgeError, type ErrorIssue } from '../../protocol/errors';
import type { InputOf, OperationSpec, ReplyOf } from '../../protocol/operation';
import { OPERATIONS, type OperationId, type Operations } from '../../protocol/operations';
import { MAX_INPUT_DEPTH, nestedTooDeep } from './input-depth';
import { illFormedStringPath } from '../../protocol/unicode';

/** Who is calling, for audit and for "decided by": `<surface>[:<actor>]`, e.g. "http:cli". */
export interface CallContext {
  actor: string;
  /** Set only in-process by the queue's workers (never by a transport): they may act on system-owned sessions. */
  worker?: { agent: string };
  /** The HTTP request's headers and peer, set by the HTTP transport only. */
  request?: { headers: Record<string, string | string[] | undefined>; remoteAddress: string | null };
}

export type Handler<O extends OperationSpec> = (input: InputOf<O>, ctx: CallContext) => Promise<ReplyOf<O>>;
export type HandlerMap = { [K in OperationId]: Handler<Operations[K]> };
/** The handlers of one domain: exactly the operations its declaration object lists. */
export type HandlersFor<D> = { [K in keyof D & OperationId]: Handler<Operations[K]> };

export interface RawInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface OperationTableOptions {
  /** Check every reply against the schema declared for its status (tests turn this on). */
  validateReplies?: boolean;
  /** Sees every reply (tests check them against the codex-manager contract too). */
  onReply?: (spec: OperationSpec, reply: Reply) => void;
  /** Runs after input validation; a reply here refuses the call (e.g. 403 on a system-owned session). */
  guard?: (spec: OperationSpec, input: { params: unknown }, ctx: CallContext) => Reply | undefined;
}

/**
 * The operation table: declarations from protocol/ bound to handlers. `invoke` is the
 * single entry point every surface (HTTP, editor RPC, in-process) goes through:
 * validate input from the zod schemas, run the handler, turn errors into structured
 * replies. It never throws.
 */
export class OperationTable {
  constructor(private readonly handlers: HandlerMap, private readonly opts: OperationTableOptions = {}) {}

  get operations(): readonly OperationSpec[] {
    return Object.values(OPERATIONS);
  }

  spec(id: string): OperationSpec | undefined {
    return Object.hasOwn(OPERATIONS, id) ? OPERATIONS[id as OperationId] : undefined;
  }

  async invoke(id: string, raw: RawInput, ctx: CallContext): Promise<Reply> {
    const spec = this.spec(id);
    if (!spec) return errorReply(new BridgeError('not_found', `unknown operation ${id}`));
    let reply: Reply;
    try {
      const input = parseInput(spec, raw);
      const handler = this.handlers[id as OperationId] as (input: unknown, ctx: CallContext) => Promise<Reply>;
      reply = this.opts.guard?.(spec, input, ctx) ?? await handler(input, ctx);
    } catch (error) {
      reply = errorReply(toBridgeError(error));
    }
    if (this.opts.validateReplies) checkReply(spec, reply);
    this.opts.onReply?.(spec, reply);
    return reply;
  }
}

export function errorReply(error: BridgeError): Reply {
  return { status: error.httpStatus, body: error.toBody() };
}

function parseInput(spec: OperationSpec, raw: RawInput): { params: unknown; query: unknown; body: unknown } {
  const issues: ErrorIssue[] = [];
  const part = (schema: z.ZodType | undefined, value: unknown, where: string): unknown => {
    if (!schema) return {};
    const result = schema.safeParse(value ?? {});
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      issues.push({ path: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message, code: issue.code });
    }
    return undefined;
  };
  const params = part(spec.params, raw.params, 'params');
  const query = part(spec.query, raw.query, 'query');
  let body: unknown;
  if (spec.body && nestedTooDeep(raw.body)) {
    const message = `nested deeper than ${MAX_INPUT_DEPTH} levels`;
    throw new BridgeError('invalid_request', `invalid body: ${message}`, { issues: [{ path: ['body'], message, code: 'too_deep' }] });
  }
  for (const [where, value] of [['params', raw.params], ['query', raw.query], ['body', raw.body]] as const) {
    const bad = illFormedStringPath(value);
    if (bad) {
      const path = [where, ...bad];
      const message = 'contains a lone UTF-16 surrogate (ill-formed Unicode)';
      throw new BridgeError('invalid_request', `invalid ${path.join('.')}: ${message}`, { issues: [{ path, message, code: 'ill_formed_unicode' }] });
    }
  }
  if (spec.body) {
    if ((raw.body === undefined || raw.body === null) && spec.bodyRequired) issues.push({ path: ['body'], message: 'a JSON body is required', code: 'required' });
    else body = part(spec.body, raw.body, 'body');
  }
  if (issues.length) {
    const first = issues[0]!;
    throw new BridgeError('invalid_request', `invalid ${first.path.join('.')}: ${first.message}`, { issues });
  }
  return { params, query, body };
}

function checkReply(spec: OperationSpec, reply: Reply): void {
  const declared = spec.responses[reply.status];
  if (!declared) throw new Error(`${spec.id} answered ${reply.status}, which it does not declare`);
  const result = declared.schema.safeParse(reply.body);
  if (!result.success) throw new Error(`${spec.id} ${reply.status} reply does not match its schema: ${result.error.message}`);
}
