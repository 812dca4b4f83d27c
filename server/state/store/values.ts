/** Small value helpers shared by documents and logs. */
import type { ZodError } from 'zod';

/** Freezes a JSON-like value in place so shared in-memory state cannot be mutated behind the store's back. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** One line per issue, e.g. `theme: Invalid input`, for quarantine reports. */
export function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`).join('; ');
}
