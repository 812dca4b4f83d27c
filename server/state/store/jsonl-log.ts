/**
 * An append-only JSONL log (transcript ledger, audit rows, ...). Appends are
 * group-committed: everything appended while the disk is idle for a tick, or
 * busy with the previous batch, goes out as one write + one fdatasync, and each
 * caller's promise resolves only once its records are durable. Records are
 * written in call order. compact() rewrites the file atomically.
 */
import { dirname } from 'node:path';
import type { ZodType } from 'zod';
import { DirectorySyncError, removeStaleTemps, writeFileAtomic } from './atomic-file';
import { errnoCode, fsyncDir, nodeFs, writeAll } from './fs-ops';
import type { FileHandleLike, FsOps } from './fs-ops';
import { checkLine, parseLog, serializeRecord } from './jsonl-parse';
import type { Quarantine, QuarantineReport } from './quarantine';
import { SerialQueue } from './serial-queue';

export type CompactFn<T> = (records: readonly T[]) => T[] | Promise<T[]>;

export interface AutoCompaction<T> {
  /** Compact once the file exceeds this size (and has at least doubled since the last compaction). */
  thresholdBytes: number;
  keep: CompactFn<T>;
}

export interface JsonlLogOptions<T> {
  path: string;
  /** Validates records on open and on append; without it any JSON value is accepted. */
  schema?: ZodType<T>;
  quarantine: Quarantine;
  autoCompact?: AutoCompaction<T>;
  /** Receives failures nobody is awaiting (automatic compaction). */
  onBackgroundError?: (err: unknown) => void;
  fs?: FsOps;
}

export interface OpenOutcome {
  records: number;
  reports: QuarantineReport[];
}

interface Batch<T> {
  lines: string[];
  values: T[];
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

export class JsonlLog<T> {
  readonly path: string;
  private readonly opts: JsonlLogOptions<T>;
  private readonly fs: FsOps;
  private readonly queue = new SerialQueue();
  private recs: T[] = [];
  private handle: FileHandleLike | undefined;
  /** Bytes known durable; a failed write is truncated back to this. */
  private size = 0;
  private sizeAfterCompaction = 0;
  private pending: Batch<T> | undefined;
  private flushScheduled = false;
  private state: 'new' | 'open' | 'closed' = 'new';
  /** Set when the file's state is unknown (failed fsync or failed rollback); the log must be reopened. */
  private broken: Error | undefined;

  constructor(opts: JsonlLogOptions<T>) {
    this.path = opts.path;
    this.opts = opts;
    this.fs = opts.fs ?? nodeFs;
  }

  /**
   * Reads existing records and repairs crash damage. A torn final line (an
   * unacknowledged append cut short) is saved to quarantine and truncated away.
   * Bad complete lines mean real corruption: the whole original is copied to
   * quarantine, then the file is atomically rewritten with the good lines only.
   */
  open(): Promise<OpenOutcome> {
    return this.queue.run(async () => {
      if (this.state !== 'new') throw new Error(`${this.path}: log is already ${this.state === 'open' ? 'open' : 'closed'}`);
      await removeStaleTemps(this.path, this.fs);
      const bytes = await this.fs.readFile(this.path).catch((err: unknown) => {
        if (errnoCode(err) === 'ENOENT') return Buffer.alloc(0);
        throw err;
      });
      const parsed = parseLog(bytes, this.opts.schema);
      const reports: QuarantineReport[] = [];
      let size = bytes.length;
      if (parsed.badLines.length > 0) {
        const detail = parsed.badLines.map((b) => `line ${b.line} ${b.reason}: ${b.detail}`).join('; ');
        const torn = parsed.tornTail.length > 0 ? `; plus a torn final line of ${parsed.tornTail.length} bytes` : '';
        reports.push(await this.opts.quarantine.preserve(this.path, bytes, 'corrupt-lines', detail + torn));
        // Keep the good lines' original bytes rather than re-serializing parsed values.
        const good = Buffer.concat(parsed.spans.map(([start, end]) => bytes.subarray(start, end)));
        await writeFileAtomic(this.path, good, { fs: this.fs });
        size = good.length;
      } else if (parsed.tornTail.length > 0) {
        const detail = `${parsed.tornTail.length} bytes after the last complete line (an append interrupted by a crash)`;
        reports.push(await this.opts.quarantine.preserve(this.path, parsed.tornTail, 'torn-tail', detail));
        const handle = await this.fs.open(this.path, 'r+');
        try {
          await handle.truncate(parsed.completeLength);
          await handle.sync();
        } finally {
          await handle.close();
        }
        size = parsed.completeLength;
      }
      const handle = await this.fs.open(this.path, 'a', 0o600);
      try {
        // The file may have just been created; make its directory entry durable
        // before any append is acknowledged.
        await fsyncDir(this.fs, dirname(this.path));
      } catch (err) {
        await handle.close().catch(() => undefined);
        throw err;
      }
      this.handle = handle;
      this.recs = parsed.records;
      this.size = size;
      // close() may have been called meanwhile; its queued step closes the handle.
      if (this.state === 'new') this.state = 'open';
      return { records: this.recs.length, reports };
    });
  }

  /** Durable records, oldest first (a snapshot; appends still in flight are not included). */
  records(): readonly T[] {
    if (this.state === 'new') throw new Error(`${this.path}: records() before open()`);
    return this.recs.slice();
  }

  append(record: T): Promise<void> {
    return this.appendMany([record]);
  }

  /** Appends records as one unit of the next group commit; resolves once they are durable. */
  appendMany(records: readonly T[]): Promise<void> {
    const unusable = this.unusableReason();
    if (unusable) return Promise.reject(unusable);
    let prepared: { lines: string[]; values: T[] };
    try {
      prepared = this.prepare(records);
    } catch (err) {
      return Promise.reject(err);
    }
    if (prepared.lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const batch = (this.pending ??= { lines: [], values: [], waiters: [] });
      batch.lines.push(...prepared.lines);
      batch.values.push(...prepared.values);
      batch.waiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Replaces the log with `keep(records)`, atomically (temp file + rename), so
   * a crash leaves either the old or the new log. Appends issued before this
   * call are flushed first and are part of `records`.
   */
  compact(keep: CompactFn<T>): Promise<void> {
    const unusable = this.unusableReason();
    if (unusable) return Promise.reject(unusable);
    return this.queue.run(async () => {
      await this.flushPending();
      await this.rewrite(keep);
    });
  }

  /** Flushes pending appends, then closes the file. Later appends reject. */
  async close(): Promise<void> {
    if (this.state === 'closed') return this.queue.drain();
    this.state = 'closed';
    // Queued behind any open()/flush/compaction already in flight.
    await this.queue.run(async () => {
      await this.flushPending();
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close();
    });
  }

  private unusableReason(): Error | undefined {
    if (this.state !== 'open') return new Error(`${this.path}: log is ${this.state === 'new' ? 'not open' : 'closed'}`);
    return this.broken;
  }

  /** Serializes and round-trips each record so memory holds exactly what a reopen would read. */
  private prepare(records: readonly T[]): { lines: string[]; values: T[] } {
    const lines: string[] = [];
    const values: T[] = [];
    for (const record of records) {
      const line = serializeRecord(record);
      const checked = checkLine(Buffer.from(line.slice(0, -1), 'utf8'), this.opts.schema);
      if (!checked.ok) throw new TypeError(`${this.path}: record rejected (${checked.reason}): ${checked.detail}`);
      lines.push(line);
      values.push(checked.value);
    }
    return { lines, values };
  }

  /**
   * The flush runs on the serial queue, and takes whatever is pending when it
   * starts: appends arriving while an earlier batch is being synced simply join
   * the next batch. setImmediate (rather than a microtask) lets appends from
   * all the microtasks of the current tick share one batch.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      void this.queue.run(async () => {
        this.flushScheduled = false;
        if (await this.flushPending()) await this.maybeAutoCompact();
      });
    });
  }

  /** Writes the pending batch. Never throws: failures reject the batch's waiters. Returns whether anything was committed. */
  private async flushPending(): Promise<boolean> {
    const batch = this.pending;
    if (!batch) return false;
    this.pending = undefined;
    try {
      if (this.broken) throw this.broken;
      const handle = await this.openHandle();
      const bytes = Buffer.from(batch.lines.join(''), 'utf8');
      try {
        await writeAll(handle, bytes);
      } catch (err) {
        await this.rollback(handle, err);
        throw err;
      }
      try {
        await handle.datasync();
      } catch (err) {
        // After a failed fsync the kernel may have dropped the dirty pages and
        // a retry can falsely succeed; nothing about the file can be trusted.
        this.broken = new Error(`${this.path}: fdatasync failed; reopen the log`, { cause: err });
        throw err;
      }
      this.size += bytes.length;
      this.recs.push(...batch.values);
    } catch (err) {
      for (const waiter of batch.waiters) waiter.reject(err);
      return false;
    }
    for (const waiter of batch.waiters) waiter.resolve();
    return true;
  }

  /** Cuts a partially written batch off so later appends do not land after garbage. */
  private async rollback(handle: FileHandleLike, cause: unknown): Promise<void> {
    try {
      await handle.truncate(this.size);
      await handle.datasync();
    } catch {
      this.broken = new Error(`${this.path}: a failed append could not be rolled back; reopen the log`, { cause });
    }
  }

  private async openHandle(): Promise<FileHandleLike> {
    this.handle ??= await this.fs.open(this.path, 'a', 0o600);
    return this.handle;
  }

  private async rewrite(keep: CompactFn<T>): Promise<void> {
    if (this.broken) throw this.broken;
    const prepared = this.prepare(await keep(this.recs.slice()));
    const bytes = Buffer.from(prepared.lines.join(''), 'utf8');
    try {
      await writeFileAtomic(this.path, bytes, { fs: this.fs });
    } catch (err) {
      // Renamed but not yet durable: the path holds the new content, so memory
      // and the append handle must follow it even though compact() rejects.
      if (err instanceof DirectorySyncError) this.adopt(prepared.values, bytes.length);
      throw err;
    }
    this.adopt(prepared.values, bytes.length);
  }

  private adopt(values: T[], size: number): void {
    // The old handle refers to the replaced inode; appends through it would vanish.
    // Its data was already synced, so a close error loses nothing.
    const old = this.handle;
    this.handle = undefined;
    void old?.close().catch(() => undefined);
    this.recs = values;
    this.size = size;
    this.sizeAfterCompaction = size;
  }

  private async maybeAutoCompact(): Promise<void> {
    const auto = this.opts.autoCompact;
    if (!auto || this.broken || this.size <= Math.max(auto.thresholdBytes, 2 * this.sizeAfterCompaction)) return;
    try {
      await this.rewrite(auto.keep);
    } catch (err) {
      // The appends that triggered this are already durable; compaction will be retried after the next flush.
      if (this.opts.onBackgroundError) this.opts.onBackgroundError(err);
      else process.emitWarning(`${this.path}: automatic compaction failed: ${String(err)}`);
    }
  }
}
