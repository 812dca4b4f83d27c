/**
 * How deeply request JSON may nest. Everything the bridge stores or compares is walked
 * recursively (JSON.stringify, deep equality), so input nested deeper than the stack
 * allows would fail inside a handler; refusing it up front makes it a 400. Real payloads
 * (settings, tool schemas, config values) nest a few dozen levels at most.
 */
export const MAX_INPUT_DEPTH = 256;

/** Whether `value` nests objects or arrays deeper than `max` levels. Iterative, so any depth is safe to check. */
export function nestedTooDeep(value: unknown, max = MAX_INPUT_DEPTH): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
