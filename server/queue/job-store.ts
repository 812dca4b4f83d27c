/**
 * The embedded engine's persistence: every job in one JSON document of the bridge's store
 * (atomic temp + fsync + rename). Writes are group-committed: callers that change jobs
 * while a write is in flight share the next write, so a burst of transitions costs two
 * fsyncs, not one per job, and each caller still resolves only once its change is durable.
 */
import { z } from 'zod';
import type { JsonDocument, Store } from '../state/store';
import { JobRecordSchema, type JobRecord } from './types';

const SnapshotSchema = z.object({ version: z.literal(1), jobs: z.array(JobRecordSchema) });
type Snapshot = z.infer<typeof SnapshotSchema>;

export class JobStore {
  private next: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();

  private constructor(private readonly doc: JsonDocument<Snapshot>) {}

  static async open(store: Store, name = 'orchestrator-jobs'): Promise<JobStore> {
    return new JobStore(await store.document(name, SnapshotSchema, { version: 1, jobs: [] }));
  }

  /** The jobs as last persisted (mutable copies). */
  load(): JobRecord[] {
    return structuredClone(this.doc.read().jobs) as JobRecord[];
  }

  /** Persists `snapshot()` as taken when the write starts; resolves when it is durable. */
  persist(snapshot: () => JobRecord[]): Promise<void> {
    if (this.next) return this.next;
    const write = this.tail.then(() => {
      this.next = null;
      return this.doc.update(() => ({ version: 1 as const, jobs: snapshot() })).then(() => undefined);
    });
    this.next = write;
    this.tail = write.catch(() => undefined);
    return write;
  }

  async flush(): Promise<void> {
    await this.tail;
  }
}
