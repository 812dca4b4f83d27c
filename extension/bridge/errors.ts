/** JSON-RPC error code of a bridge operation error; `data` is `{ httpStatus, body }` (server/transports/editor). */
export const BRIDGE_ERROR_CODE = -32050;

/** An operation answered with an error status, or the bridge could not be reached. */
export class BridgeCallError extends Error {
  constructor(message: string, readonly httpStatus: number | undefined, readonly body: Record<string, unknown> | undefined) {
    super(message);
    this.name = 'BridgeCallError';
  }

  /** The structured error code (`conflict`, `runtime_unavailable`, ...) or the body's status (`not_found`, `reconciled`). */
  get code(): string | undefined {
    const code = this.body?.code ?? this.body?.status;
    return typeof code === 'string' ? code : undefined;
  }
}

export function toBridgeCallError(error: unknown): BridgeCallError {
  if (error instanceof BridgeCallError) return error;
  const e = error as { code?: unknown; message?: unknown; data?: { httpStatus?: unknown; body?: unknown } };
  if (e && e.code === BRIDGE_ERROR_CODE && e.data) {
    const status = typeof e.data.httpStatus === 'number' ? e.data.httpStatus : undefined;
    const body = e.data.body && typeof e.data.body === 'object' ? (e.data.body as Record<string, unknown>) : undefined;
    return new BridgeCallError(String(e.message ?? `status ${status}`), status, body);
  }
  return new BridgeCallError(error instanceof Error ? error.message : String(error), undefined, undefined);
}

/** A short sentence for a person, from any failure. */
export function describeError(error: unknown): string {
  const e = toBridgeCallError(error);
  return e.message.replace(/^Error: /, '');
}
