/**
 * A small JSON file (settings, project list, ...) held in memory, validated by
 * a zod schema, and rewritten atomically on every update. Suited to documents
 * that change rarely; append-style data belongs in a JsonlLog instead.
 */
import type { ZodType } from 'zod';
import { DirectorySyncError, removeStaleTemps, writeJsonAtomic } from './atomic-file';
import { errnoCode, nodeFs } from './fs-ops';
import type { FsOps } from './fs-ops';
import type { Quarantine, QuarantineReport } from './quarantine';
import { SerialQueue } from './serial-queue';
import { deepFreeze, describeZodError } from './values';

export interface JsonDocumentOptions<T> {
  path: string;
  schema: ZodType<T>;
  /** Used when the file is missing or had to be quarantined. */
  defaultValue: T;
  quarantine: Quarantine;
  fs?: FsOps;
}

export type LoadOutcome =
  | { status: 'loaded' }
  | { status: 'missing' }
  | { status: 'quarantined'; report: QuarantineReport };

export class JsonDocument<T> {
  readonly path: string;
  private readonly schema: ZodType<T>;
  private readonly defaultValue: T;
  private readonly quarantine: Quarantine;
  private readonly fs: FsOps;
  private readonly queue = new SerialQueue();
  private current: T | undefined;
  private closed = false;

  constructor(opts: JsonDocumentOptions<T>) {
    this.path = opts.path;
    this.schema = opts.schema;
    this.quarantine = opts.quarantine;
    this.fs = opts.fs ?? nodeFs;
    // A default that fails its own schema is a programming error; fail at
    // construction rather than on the first corrupt file in the field.
    this.defaultValue = deepFreeze(this.schema.parse(opts.defaultValue));
  }

  /**
   * Reads the file. Missing → default. Unparsable or schema-invalid → the file
   * is moved to quarantine (reported) and the default is used; if the move
   * itself fails, load rejects rather than risk overwriting the only copy.
   */
  async load(): Promise<LoadOutcome> {
    return this.queue.run(async () => {
      await removeStaleTemps(this.path, this.fs);
      let bytes: Buffer;
      try {
        bytes = await this.fs.readFile(this.path);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
        this.current = this.defaultValue;
        return { status: 'missing' };
      }
      let raw: unknown;
      try {
        raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch (err) {
        return this.quarantineAndReset('unparsable', err instanceof Error ? err.message : String(err));
      }
      const parsed = this.schema.safeParse(raw);
      if (!parsed.success) return this.quarantineAndReset('invalid', describeZodError(parsed.error));
      this.current = deepFreeze(parsed.data);
      return { status: 'loaded' };
    });
  }

  /** The current value, deep-frozen: mutate it only through update(). */
  read(): T {
    if (this.current === undefined) throw new Error(`${this.path}: read() before load()`);
    return this.current;
  }

  /**
   * Applies `fn` to the latest value and persists the result. Updates run one
   * at a time in call order, each seeing the previous one's result, so
   * concurrent callers never lose each other's changes. Resolves with the new
   * value once it is durable; on failure the in-memory value is unchanged
   * (unless the file itself was already replaced; see DirectorySyncError).
   */
  update(fn: (current: T) => T | Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.path}: document is closed`));
    return this.queue.run(async () => {
      const base = this.read();
      // fn gets a mutable copy so an in-place edit followed by a failed write
      // cannot leave memory ahead of disk.
      const next = this.schema.parse(await fn(structuredClone(base)));
      try {
        await writeJsonAtomic(this.path, next, { fs: this.fs });
      } catch (err) {
        // The file already holds `next` (only its directory sync failed), so
        // memory follows the file even though the update is not acknowledged.
        if (err instanceof DirectorySyncError) this.current = deepFreeze(next);
        throw err;
      }
      this.current = deepFreeze(next);
      return this.current;
    });
  }

  /** Waits for queued updates and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.drain();
  }

  private async quarantineAndReset(reason: 'unparsable' | 'invalid', detail: string): Promise<LoadOutcome> {
    const report = await this.quarantine.move(this.path, reason, detail);
    this.current = this.defaultValue;
    return { status: 'quarantined', report };
  }
}
