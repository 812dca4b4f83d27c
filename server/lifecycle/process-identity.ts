import fs from 'node:fs';

/**
 * Who a process is, beyond its pid: pids are reused, so a lock or discovery record names
 * its owner by pid and start time. On Linux the start time is field 22 of
 * /proc/<pid>/stat (clock ticks since boot); elsewhere it is unknown (null) and only
 * liveness is checked.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process recorded as (pid, start) is still the one running under that pid. */
export function sameProcessAlive(pid: number, start: string | null | undefined): boolean {
  if (!pidAlive(pid)) return false;
  if (!start) return true;
  const now = processStartTime(pid);
  return now === null || now === start;
}
