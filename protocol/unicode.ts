/**
 * Strings must be well-formed UTF-16. A lone surrogate ("\ud800") survives
 * JSON.stringify as an escape that the runtime's strict JSON parser refuses: it drops
 * the whole line, and the request that carried it would wait for an answer that never
 * comes. Refusing it at the API boundary turns that into a 400 naming the field.
 */

/** With the `u` flag a surrogate class matches only unpaired halves; pairs are one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * The path of the first string (object key or value) in `value` that is not well-formed,
 * or undefined when all are. Iterative, so any nesting depth is safe to walk.
 */
export function illFormedStringPath(value: unknown): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) return path;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      current.forEach((child, i) => stack.push({ value: child, path: [...path, i] }));
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      if (!isWellFormedText(key)) return [...path, key];
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
