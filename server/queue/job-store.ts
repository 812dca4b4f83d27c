/**
 * The embedded engine's persistence: an append-only JSONL log in the bridge's store
 * (`orchestrator-jobs.jsonl`), one line per job transition (the whole job record as it
 * stands) and a tombstone line when retention drops a job. Appends are group-committed
 * by the log (one write + one fdatasync per batch, each caller resolved once durable),
 * so a transition costs one short line, not a rewrite of every job. The log compacts
 * itself to the latest record per live job once it grows.
 */
import { z } from 'zod';
import type { JsonlLog, Store } from '../state/store';
import { JobRecordSchema, type JobRecord } from './types';

const TombstoneSchema = z.object({ id: z.string(), deleted: z.literal(true) });
const LineSchema = z.union([JobRecordSchema, TombstoneSchema]);
type Line = z.infer<typeof LineSchema>;

const COMPACT_AT_BYTES = 1024 * 1024;

/** The latest record of each live job, in first-seen order. */
export function foldJobLines(lines: readonly Line[]): JobRecord[] {
  const latest = new Map<string, JobRecord>();
  for (const line of lines) {
    if ('deleted' in line) latest.delete(line.id);
    else latest.set(line.id, line);
  }
  return [...latest.values()];
}

export class JobStore {
  private constructor(private readonly log: JsonlLog<Line>) {}

  static async open(store: Store, name = 'orchestrator-jobs'): Promise<JobStore> {
    return new JobStore(await store.log(name, LineSchema, { autoCompact: { thresholdBytes: COMPACT_AT_BYTES, keep: (lines) => foldJobLines(lines) } }));
  }

  /** The jobs as last persisted (mutable copies). */
  load(): JobRecord[] {
    return structuredClone(foldJobLines(this.log.records()));
  }

  /** Durable once it resolves; `jobs` are copied, so later in-memory changes do not leak in. */
  save(jobs: readonly JobRecord[], removed: readonly string[] = []): Promise<void> {
    const lines: Line[] = [...removed.map((id) => ({ id, deleted: true as const })), ...jobs.map((j) => structuredClone(j))];
    return lines.length ? this.log.appendMany(lines) : Promise.resolve();
  }
}
