/**
 * The bridge's error vocabulary. Every surface carries the same `code`: HTTP as the
 * status plus `{status:"error", code, message, issues?}`, editor RPC as JSON-RPC error
 * data, the CLI as an exit code, Python as an exception class.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  locked: 423,
  rate_limited: 429,
  internal_error: 500,
  method_not_supported: 501,
  runtime_unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One problem with the input, naming the field (`path`) it is about. */
export interface ErrorIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

export interface ErrorBody {
  status: 'error';
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
  /** Extra structured detail, e.g. who won a conflicting decision. */
  details?: Record<string, unknown>;
}

export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: { issues?: ErrorIssue[]; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.issues = opts.issues;
    this.details = opts.details;
  }

  get httpStatus(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { status: 'error', code: this.code, message: this.message };
    if (this.issues) body.issues = this.issues;
    if (this.details) body.details = this.details;
    return body;
  }
}

/** Any thrown value as a BridgeError; unknown failures become `internal_error` without leaking internals. */
export function toBridgeError(e: unknown): BridgeError {
  if (e instanceof BridgeError) return e;
  return new BridgeError('internal_error', 'internal error', { cause: e });
}
