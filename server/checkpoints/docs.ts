import fs from 'node:fs/promises';
import path from 'node:path';
import type { JsonDocument, Store } from '../state/store';
import { BlobStore } from './blob-store';
import { CheckpointDocSchema, type CheckpointDoc, type CheckpointRecord } from './model';

export interface RetentionLimits {
  /** Checkpoints kept per thread; the oldest go first. */
  maxPerThread: number;
  /** Bytes of blobs kept over all threads; the oldest checkpoints go first. */
  maxTotalBytes: number;
}

const DIR = 'checkpoints';
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/**
 * The checkpoint documents (one per thread, through the store's atomic JSON documents)
 * and the blob store they refer to, with retention: a cap on checkpoints per thread and
 * on the bytes of all blobs; blobs no checkpoint refers to any more are swept.
 */
export class CheckpointDocs {
  readonly blobs: BlobStore;
  private readonly opened = new Map<string, JsonDocument<CheckpointDoc>>();

  constructor(private readonly store: Store, private readonly limits: RetentionLimits) {
    this.blobs = new BlobStore(path.join(store.dataDir, DIR, 'blobs'));
  }

  /** Loads every thread's document (so reads are synchronous) and sweeps orphaned blobs. */
  async open(): Promise<void> {
    const names = await fs.readdir(path.join(this.store.dataDir, DIR)).catch(() => [] as string[]);
    for (const name of names) if (name.endsWith('.json')) await this.doc(name.slice(0, -5));
    // Not awaited: start-up does not wait for housekeeping (fresh blobs are never swept).
    void this.blobs.sweep(this.referenced()).catch(() => undefined);
  }

  read(threadId: string): CheckpointDoc | undefined {
    return this.opened.get(docName(threadId))?.read();
  }

  turn(threadId: string, turnId: string): CheckpointRecord | undefined {
    return this.read(threadId)?.checkpoints.find((c) => c.turnId === turnId);
  }

  async update(threadId: string, fn: (doc: CheckpointDoc) => CheckpointDoc): Promise<CheckpointDoc> {
    const doc = await this.doc(docName(threadId), threadId);
    let pruned = false;
    const next = await doc.update((current) => {
      const updated = fn(current);
      if (updated.checkpoints.length > this.limits.maxPerThread) {
        updated.checkpoints.splice(0, updated.checkpoints.length - this.limits.maxPerThread);
        pruned = true;
      }
      return updated;
    });
    if (pruned || this.totalBytes() > this.limits.maxTotalBytes) await this.enforceTotal();
    return next;
  }

  private async doc(name: string, threadId = name): Promise<JsonDocument<CheckpointDoc>> {
    const existing = this.opened.get(name);
    if (existing) return existing;
    const doc = await this.store.document(`${DIR}/${name}`, CheckpointDocSchema, { threadId, checkpoints: [] });
    this.opened.set(name, doc);
    return doc;
  }

  private referenced(): Set<string> {
    const keep = new Set<string>();
    for (const doc of this.opened.values()) {
      for (const c of doc.read().checkpoints) for (const f of c.files) for (const s of [f.before, f.after]) if (s?.blob) keep.add(s.blob);
    }
    return keep;
  }

  private totalBytes(): number {
    const sizes = new Map<string, number>();
    for (const doc of this.opened.values()) {
      for (const c of doc.read().checkpoints) for (const f of c.files) for (const s of [f.before, f.after]) if (s?.blob) sizes.set(s.blob, s.size ?? 0);
    }
    let total = 0;
    for (const size of sizes.values()) total += size;
    return total;
  }

  /** Drops the oldest checkpoints (over all threads) until the blobs fit, then sweeps. */
  private async enforceTotal(): Promise<void> {
    while (this.totalBytes() > this.limits.maxTotalBytes) {
      let oldest: { doc: JsonDocument<CheckpointDoc>; at: string } | undefined;
      for (const doc of this.opened.values()) {
        const first = doc.read().checkpoints[0];
        // A thread's only checkpoint (its current turn) is kept.
        if (first && doc.read().checkpoints.length > 1 && (!oldest || first.createdAt < oldest.at)) oldest = { doc, at: first.createdAt };
      }
      if (!oldest) break;
      await oldest.doc.update((d) => ({ ...d, checkpoints: d.checkpoints.slice(1) }));
    }
    await this.blobs.sweep(this.referenced());
  }
}

/** Thread ids are UUIDs; anything else is hex-encoded so it is always a valid store name. */
function docName(threadId: string): string {
  return SAFE.test(threadId) ? threadId : `x${Buffer.from(threadId).toString('hex').slice(0, 190)}`;
}
