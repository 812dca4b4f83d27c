import fs from 'node:fs/promises';
import path from 'node:path';
import { BridgeError, type ErrorIssue } from '../../../protocol/errors';
import { given } from '../../../protocol/schemas/common';

/**
 * executeCommand's argv and working directory, checked the way the OS will: the runtime
 * reports a command it cannot spawn as an internal error (-32603), so what the bridge can
 * see is wrong with the input is a 400 naming the field instead. A relative cwd resolves
 * against `baseCwd`, the runtime's own working directory; none means the runtime's.
 */
export async function spawnableCommand(body: { command: string[]; cwd?: string | undefined }, baseCwd: string): Promise<{ command: string[]; cwd: string | null }> {
  const issues: ErrorIssue[] = [];
  body.command.forEach((arg, i) => {
    if (arg.includes('\0')) issues.push({ path: ['body', 'command', i], message: 'contains a NUL byte, which no program argument can carry' });
  });
  const wanted = given(body.cwd);
  let cwd: string | null = null;
  if (wanted?.includes('\0')) {
    issues.push({ path: ['body', 'cwd'], message: 'contains a NUL byte, which no path can carry' });
  } else if (wanted !== undefined) {
    cwd = path.resolve(baseCwd, wanted);
    const stat = await fs.stat(cwd).catch(() => undefined);
    if (!stat?.isDirectory()) issues.push({ path: ['body', 'cwd'], message: `${cwd} is not a directory` });
  }
  if (issues.length) {
    const first = issues[0]!;
    throw new BridgeError('invalid_request', `invalid ${first.path.join('.')}: ${first.message}`, { issues });
  }
  return { command: body.command, cwd };
}
