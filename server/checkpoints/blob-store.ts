import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../state/store';

/**
 * Content-addressed file versions under `<dataDir>/checkpoints/blobs/ab/<sha256>`:
 * written atomically (temp + fsync + rename), never rewritten, shared by every
 * checkpoint that refers to the same bytes. Independent of the workspace's git.
 */
const FRESH_MS = 60_000;

export class BlobStore {
  private readonly written = new Set<string>();

  constructor(private readonly dir: string) {}

  static hash(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  private pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  /** Stores the bytes (once) and returns their hash. */
  async put(bytes: Uint8Array, hash = BlobStore.hash(bytes)): Promise<string> {
    if (this.written.has(hash)) return hash;
    const file = this.pathOf(hash);
    const present = await fs.stat(file).then((st) => st.size === bytes.length, () => false);
    if (!present) {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, bytes);
    }
    this.written.add(hash);
    return hash;
  }

  async get(hash: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(hash));
  }

  /** Removes every blob not in `keep`; returns the bytes freed. */
  async sweep(keep: ReadonlySet<string>): Promise<number> {
    let freed = 0;
    const shards = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const shard of shards) {
      const names = await fs.readdir(path.join(this.dir, shard)).catch(() => [] as string[]);
      for (const name of names) {
        if (keep.has(name) || !/^[0-9a-f]{64}$/.test(name)) continue;
        const file = path.join(this.dir, shard, name);
        const st = await fs.stat(file).catch(() => undefined);
        // A blob written in the last minute may belong to a snapshot not recorded yet.
        if (!st || Date.now() - st.mtimeMs < FRESH_MS) continue;
        const size = st.size;
        await fs.rm(file, { force: true });
        this.written.delete(name);
        freed += size;
      }
    }
    return freed;
  }
}
