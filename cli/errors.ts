/**
 * CLI failures and their exit codes (DESIGN §4): 0 ok, 1 error, 2 usage, 3 not found,
 * 4 conflict, 5 auth. Every failure carries a one-line cause and a fix.
 */

export const EXIT = { ok: 0, error: 1, usage: 2, notFound: 3, conflict: 4, auth: 5 } as const;

export type ErrorKind =
  | 'usage'
  | 'http'
  | 'connection'
  | 'timeout'
  | 'config'
  | 'turn_failed'
  | 'stream'
  | 'internal';

export class CliError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly exitCode: number,
    readonly fix?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string, fix?: string): CliError {
  return new CliError('usage', message, EXIT.usage, fix);
}

/** Exit code of an HTTP status that is not a success. */
export function exitCodeForStatus(status: number): number {
  if (status === 400 || status === 413 || status === 422) return EXIT.usage;
  if (status === 404 || status === 410) return EXIT.notFound;
  if (status === 409 || status === 423) return EXIT.conflict;
  if (status === 401 || status === 403) return EXIT.auth;
  return EXIT.error;
}
