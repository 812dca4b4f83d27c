import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EventLog } from '../state/event-log';
import type { JsonlLog, Store } from '../state/store';
import { earliest, latest, type EntryStatus } from './transcript-merge';

export { mergeTranscript, type MergeableEntry } from './transcript-merge';

const LedgerEntrySchema = z.object({
  messageId: z.string().min(1),
  turnId: z.string().min(1),
  role: z.enum(['user', 'assistant', 'system']),
  type: z.string().min(1),
  content: z.string(),
  status: z.enum(['streaming', 'complete', 'canceled', 'error']),
  details: z.string().optional(),
  startedAt: z.number().optional(),
  completedAt: z.number().optional(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** One line of a session's ledger: the whole entry as it stands after that upsert. */
const RecordSchema = z.object({ at: z.number(), entry: LedgerEntrySchema });
type LedgerRecord = z.infer<typeof RecordSchema>;

/** Rewrite a ledger once it passes this size (and has doubled since): repeated upserts of one entry collapse. */
const COMPACT_AT_BYTES = 256 * 1024;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The supplemental transcript: entries that are not runtime items (client upserts,
 * audit notes), kept per session in an append-only JSONL log under `ledger/`. An
 * upsert appends the merged entry; reads fold the log to the latest entry per
 * messageId in first-seen order, which is also what compaction keeps.
 */
export class TranscriptLedger {
  /** sessionId → messageId → entry, for sessions whose ledger has been opened. */
  private readonly folded = new Map<string, Map<string, LedgerEntry>>();
  private readonly opening = new Map<string, Promise<JsonlLog<LedgerRecord>>>();

  constructor(private readonly store: Store, private readonly events: EventLog) {}

  /**
   * Merges `incoming` into the entry with the same messageId (if any), stores it
   * durably, then announces it with `transcript_updated`. Times widen (earliest
   * start, latest end); a finished entry never goes back to `streaming`.
   */
  async upsert(sessionId: string, incoming: LedgerEntry): Promise<LedgerEntry> {
    const log = await this.open(sessionId);
    const entries = this.folded.get(sessionId)!;
    const previous = entries.get(incoming.messageId);
    const entry = previous ? combine(previous, incoming) : LedgerEntrySchema.parse(incoming);
    // Updated before the write resolves so a concurrent upsert of the same entry builds on this one.
    entries.set(entry.messageId, entry);
    try {
      await log.append({ at: Date.now(), entry });
    } catch (error) {
      if (entries.get(entry.messageId) === entry) {
        if (previous) entries.set(entry.messageId, previous);
        else entries.delete(entry.messageId);
      }
      throw error;
    }
    this.events.append('transcript_updated', sessionId, { threadId: sessionId, turnId: entry.turnId, messageId: entry.messageId, type: entry.type, entry });
    return entry;
  }

  /** The session's ledger entries, oldest first; empty (and nothing created on disk) when it has none. */
  async entries(sessionId: string): Promise<LedgerEntry[]> {
    if (!this.folded.has(sessionId) && !this.opening.has(sessionId) && !(await this.exists(sessionId))) return [];
    await this.open(sessionId);
    return [...this.folded.get(sessionId)!.values()];
  }

  private open(sessionId: string): Promise<JsonlLog<LedgerRecord>> {
    let opening = this.opening.get(sessionId);
    if (!opening) {
      opening = this.store.log(logName(sessionId), RecordSchema, { autoCompact: { thresholdBytes: COMPACT_AT_BYTES, keep: compactRecords } })
        .then((log) => {
          if (!this.folded.has(sessionId)) this.folded.set(sessionId, fold(log.records()));
          return log;
        });
      this.opening.set(sessionId, opening);
      opening.catch(() => this.opening.delete(sessionId));
    }
    return opening;
  }

  private async exists(sessionId: string): Promise<boolean> {
    return fs.access(path.join(this.store.dataDir, `${logName(sessionId)}.jsonl`)).then(() => true, () => false);
  }
}

/** Session ids are runtime UUIDs; anything else is hex-encoded so it is always a valid file name. */
function logName(sessionId: string): string {
  return `ledger/${SAFE_NAME.test(sessionId) ? sessionId : `hex.${Buffer.from(sessionId).toString('hex')}`}`;
}

function fold(records: readonly LedgerRecord[]): Map<string, LedgerEntry> {
  const entries = new Map<string, LedgerEntry>();
  for (const { entry } of records) entries.set(entry.messageId, entry);
  return entries;
}

/** The latest record per messageId, in first-seen order: the same entries, fewer lines. */
function compactRecords(records: readonly LedgerRecord[]): LedgerRecord[] {
  const latestRecord = new Map<string, LedgerRecord>();
  for (const record of records) latestRecord.set(record.entry.messageId, record);
  return [...latestRecord.values()];
}

const TERMINAL: ReadonlySet<EntryStatus> = new Set(['complete', 'canceled', 'error']);

/** `incoming` over `previous`, keeping the widest time span and never un-finishing an entry. */
export function combine(previous: LedgerEntry, incoming: LedgerEntry): LedgerEntry {
  const regress = TERMINAL.has(previous.status) && incoming.status === 'streaming';
  const startedAt = earliest(previous.startedAt, incoming.startedAt);
  const end = latest(previous.completedAt, incoming.completedAt);
  const completedAt = end !== undefined && startedAt !== undefined && end < startedAt ? startedAt : end;
  const merged: LedgerEntry = { ...previous, ...incoming };
  if (regress) {
    merged.status = previous.status;
    merged.content = previous.content;
    if (previous.details !== undefined) merged.details = previous.details;
  }
  if (startedAt !== undefined) merged.startedAt = startedAt;
  if (completedAt !== undefined) merged.completedAt = completedAt;
  return LedgerEntrySchema.parse(merged);
}
