/**
 * Merging the runtime's transcript (from `thread/read`) with the bridge's supplemental
 * ledger (entries clients upserted, audit notes). The runtime stays the authority on
 * its own items; the ledger adds to them, or enriches an item it names by messageId.
 */

export type EntryStatus = 'streaming' | 'complete' | 'canceled' | 'error';

/** The fields merging looks at; runtime and ledger entries both have them. */
export interface MergeableEntry {
  messageId: string;
  turnId: string;
  role: 'user' | 'assistant' | 'system';
  type: string;
  content: string;
  details?: string | null;
  status: EntryStatus;
  startedAt?: number;
  completedAt?: number;
}

/** A terminal outcome outranks a live one, and failure outranks success. */
const STATUS_RANK: Record<EntryStatus, number> = { streaming: 0, complete: 1, canceled: 2, error: 3 };

export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

export function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/**
 * The session transcript: runtime entries in their order, with each ledger entry
 * - merged into the runtime entry with the same messageId (higher-ranked status,
 *   the fuller text, the widest time span; the runtime's own fields, such as `item`, stay);
 * - else placed in its turn: right after the entry its `details.anchorItemId` names,
 *   or before the turn's final assistant message, so the answer stays last;
 * - else, for turns the runtime does not know (audit notes, client-side turns), between
 *   runtime turns by time, or at the end when it has no time.
 */
export function mergeTranscript<R extends MergeableEntry, L extends MergeableEntry>(runtime: readonly R[], ledger: readonly L[]): (R | L)[] {
  const turns = new Map<string, (R | L)[]>();
  const position = new Map<string, { turn: (R | L)[]; index: number }>();
  for (const entry of runtime) {
    let turn = turns.get(entry.turnId);
    if (!turn) turns.set(entry.turnId, (turn = []));
    if (!position.has(entry.messageId)) position.set(entry.messageId, { turn, index: turn.length });
    turn.push(entry);
  }
  const turnOrder = [...turns.values()];
  const turnStarts = turnOrder.map((turn) => turn.reduce<number | undefined>((min, e) => earliest(min, e.startedAt), undefined));
  const slots: L[][] = turnOrder.map(() => []);
  const tail: L[] = [];

  const inTurn: L[] = [];
  for (const entry of ledger) {
    const at = position.get(entry.messageId);
    if (at) at.turn[at.index] = enrich(at.turn[at.index]!, entry);
    else if (turns.has(entry.turnId)) inTurn.push(entry);
    else {
      const time = entry.startedAt ?? entry.completedAt;
      const next = time === undefined ? -1 : turnStarts.findIndex((start) => start !== undefined && start > time);
      (next < 0 ? tail : slots[next]!).push(entry);
    }
  }
  for (const entry of inTurn) insertIntoTurn(turns.get(entry.turnId)!, entry);

  const out: (R | L)[] = [];
  turnOrder.forEach((turn, i) => out.push(...slots[i]!, ...turn));
  out.push(...tail);
  return out;
}

function insertIntoTurn<E extends MergeableEntry>(turn: E[], entry: E): void {
  const anchor = anchorOf(entry);
  const anchorIndex = anchor === undefined ? -1 : turn.findIndex((e) => e.messageId === anchor);
  if (anchorIndex >= 0) {
    turn.splice(anchorIndex + 1, 0, entry);
    return;
  }
  const lastAssistant = turn.findLastIndex((e) => e.role === 'assistant');
  turn.splice(lastAssistant >= 0 ? lastAssistant : turn.length, 0, entry);
}

function anchorOf(entry: MergeableEntry): string | undefined {
  if (!entry.details) return undefined;
  try {
    const parsed: unknown = JSON.parse(entry.details);
    const anchor = (parsed as { anchorItemId?: unknown } | null)?.anchorItemId;
    return typeof anchor === 'string' && anchor.trim() ? anchor.trim() : undefined;
  } catch {
    return undefined;
  }
}

function enrich<R extends MergeableEntry>(base: R, extra: MergeableEntry): R {
  const startedAt = earliest(base.startedAt, extra.startedAt);
  const completedAt = latest(base.completedAt, extra.completedAt);
  const details = fuller(base.details ?? undefined, extra.details ?? undefined);
  return {
    ...base,
    status: STATUS_RANK[extra.status] > STATUS_RANK[base.status] ? extra.status : base.status,
    content: fuller(base.content, extra.content) ?? '',
    ...(details !== undefined ? { details } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(completedAt !== undefined ? { completedAt } : {}),
  };
}

/** The text with more substance; the first one on a tie. */
function fuller(a: string | undefined, b: string | undefined): string | undefined {
  const la = a?.trim().length ?? 0;
  const lb = b?.trim().length ?? 0;
  if (la === 0 && lb === 0) return a ?? b;
  return la >= lb ? a : b;
}
