import { isDeepStrictEqual } from 'node:util';

/** A scope's settings: free-form JSON under top-level keys that clients and extensions share. */
export type SettingsMap = Record<string, unknown>;

/** One write: a single top-level key, or an object merged into (or replacing) the map. */
export type SettingsChange =
  | { kind: 'key'; key: string; value: unknown }
  | { kind: 'object'; settings: SettingsMap; mode: 'merge' | 'replace' };

/** The map after `change`. Merging is shallow: a top-level key's value is replaced whole. */
export function applySettingsChange(current: SettingsMap, change: SettingsChange): SettingsMap {
  if (change.kind === 'key') return { ...current, [change.key]: change.value };
  return change.mode === 'replace' ? { ...change.settings } : { ...current, ...change.settings };
}

export function withoutKey(current: SettingsMap, key: string): { next: SettingsMap; removed: boolean } {
  if (!Object.hasOwn(current, key)) return { next: current, removed: false };
  const next = { ...current };
  delete next[key];
  return { next, removed: true };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

/** Top-level keys added, removed or changed between two maps, sorted. */
export function changedKeys(before: SettingsMap, after: SettingsMap): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => Object.hasOwn(before, k) !== Object.hasOwn(after, k) || !sameValue(before[k], after[k])).sort();
}
