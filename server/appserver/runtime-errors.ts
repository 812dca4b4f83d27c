import { ResponseError } from 'vscode-jsonrpc/node';
import { BridgeError, type ErrorCode } from '../../protocol/errors';

/**
 * Runtime JSON-RPC errors → bridge errors, by error *code* and `codexErrorInfo`, never
 * by message text (messages change between codex versions; codes are the contract).
 */
const BY_JSONRPC_CODE: Record<number, ErrorCode> = {
  [-32700]: 'invalid_request', // parse error: we sent something the runtime could not read
  [-32600]: 'invalid_request', // invalid request (codex also uses it for bad params and unknown ids)
  [-32602]: 'invalid_request', // invalid params
  [-32601]: 'method_not_supported',
  [-32001]: 'runtime_unavailable', // server overloaded: back off and retry later
  [-32603]: 'internal_error',
};

const BY_CODEX_ERROR_INFO: Record<string, ErrorCode> = {
  unauthorized: 'unauthorized',
  badRequest: 'invalid_request',
  activeTurnNotSteerable: 'conflict',
  threadRollbackFailed: 'conflict',
  serverOverloaded: 'runtime_unavailable',
  rateLimitExceeded: 'rate_limited',
  usageLimitExceeded: 'rate_limited',
};

function codexErrorInfoKey(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const info = (data as { codexErrorInfo?: unknown }).codexErrorInfo;
  if (typeof info === 'string') return info;
  if (typeof info === 'object' && info !== null) return Object.keys(info)[0];
  return undefined;
}

export function mapRuntimeError(error: unknown, method: string): BridgeError {
  if (error instanceof BridgeError) return error;
  if (error instanceof ResponseError) {
    const infoKey = codexErrorInfoKey(error.data);
    const code: ErrorCode = (infoKey ? BY_CODEX_ERROR_INFO[infoKey] : undefined) ?? BY_JSONRPC_CODE[error.code] ?? 'internal_error';
    const details: Record<string, unknown> = { runtimeMethod: method, runtimeCode: error.code };
    if (infoKey) details.codexErrorInfo = infoKey;
    return new BridgeError(code, `codex ${method}: ${error.message}`, { details, cause: error });
  }
  return new BridgeError('runtime_unavailable', `codex ${method}: the runtime connection failed`, { cause: error });
}
