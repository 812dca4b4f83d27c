/**
 * The bridge's durable store: one data dir holding named JSON documents
 * (`<name>.json`) and JSONL logs (`<name>.jsonl`), plus `quarantine/` for
 * anything found corrupt. Each name maps to exactly one live instance, so two
 * callers can never interleave writes to the same file.
 */
import { dirname, join, resolve } from 'node:path';
import type { ZodType } from 'zod';
import { ensureDir, nodeFs } from './fs-ops';
import type { FsOps } from './fs-ops';
import { JsonDocument } from './json-document';
import { JsonlLog } from './jsonl-log';
import type { AutoCompaction } from './jsonl-log';
import { Quarantine } from './quarantine';
import type { QuarantineReport } from './quarantine';

export interface StoreOptions {
  /** Called for every file set aside as corrupt (also listed by quarantined()). */
  onQuarantine?: (report: QuarantineReport) => void;
  /** Failures with no caller to reject (automatic compaction, a throwing onQuarantine). Default: process warning. */
  onBackgroundError?: (err: unknown) => void;
  fs?: FsOps;
  now?: () => Date;
}

export interface LogOptions<T> {
  autoCompact?: AutoCompaction<T>;
}

/** Path segments start alphanumeric, so names can never be `..`, hidden, or collide with temp files. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/;
const QUARANTINE_DIR = 'quarantine';

interface Entry {
  kind: 'document' | 'log';
  schema: unknown;
  opened: Promise<{ close(): Promise<void> }>;
}

export class Store {
  private readonly entries = new Map<string, Entry>();
  private readonly reports: QuarantineReport[] = [];
  private readonly quarantine: Quarantine;
  private readonly fs: FsOps;
  private readonly onBackgroundError: (err: unknown) => void;
  private closed = false;

  private constructor(readonly dataDir: string, private readonly opts: StoreOptions) {
    this.fs = opts.fs ?? nodeFs;
    this.onBackgroundError = opts.onBackgroundError ?? ((err) => process.emitWarning(`store ${dataDir}: ${String(err)}`));
    const quarantineOpts = { fs: this.fs, onReport: (report: QuarantineReport) => this.record(report) };
    this.quarantine = new Quarantine(join(dataDir, QUARANTINE_DIR), opts.now ? { ...quarantineOpts, now: opts.now } : quarantineOpts);
  }

  /** Opens (creating with mode 0700 if needed) the data dir. */
  static async open(dataDir: string, opts: StoreOptions = {}): Promise<Store> {
    const dir = resolve(dataDir);
    await ensureDir(opts.fs ?? nodeFs, dir, 0o700);
    return new Store(dir, opts);
  }

  /** The loaded document `<name>.json`; the same instance for every call with this name. */
  document<T>(name: string, schema: ZodType<T>, defaultValue: T): Promise<JsonDocument<T>> {
    return this.entry(name, 'document', schema, async (path) => {
      const doc = new JsonDocument<T>({ path, schema, defaultValue, quarantine: this.quarantine, fs: this.fs });
      await doc.load();
      return doc;
    });
  }

  /** The opened log `<name>.jsonl`; the same instance for every call with this name. */
  log<T>(name: string, schema: ZodType<T>, options?: LogOptions<T>): Promise<JsonlLog<T>>;
  log(name: string): Promise<JsonlLog<unknown>>;
  log<T>(name: string, schema?: ZodType<T>, options: LogOptions<T> = {}): Promise<JsonlLog<T>> {
    return this.entry(name, 'log', schema, async (path) => {
      const log = new JsonlLog<T>({
        path,
        quarantine: this.quarantine,
        fs: this.fs,
        onBackgroundError: this.onBackgroundError,
        ...(schema ? { schema } : {}),
        ...(options.autoCompact ? { autoCompact: options.autoCompact } : {}),
      });
      await log.open();
      return log;
    });
  }

  /** Every quarantine report since this store was opened, oldest first. */
  quarantined(): readonly QuarantineReport[] {
    return this.reports.slice();
  }

  /** Flushes pending appends and updates, then closes every log and document. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const results = await Promise.allSettled(
      [...this.entries.values()].map(async (entry) => {
        const opened = await entry.opened.catch(() => undefined);
        await opened?.close();
      }),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw new AggregateError(failures, `store ${this.dataDir}: ${failures.length} file(s) failed to close cleanly`);
  }

  private entry<R extends { close(): Promise<void> }>(
    name: string,
    kind: Entry['kind'],
    schema: unknown,
    create: (path: string) => Promise<R>,
  ): Promise<R> {
    if (this.closed) return Promise.reject(new Error(`store ${this.dataDir} is closed`));
    if (!NAME.test(name) || name.split('/')[0] === QUARANTINE_DIR) return Promise.reject(new Error(`invalid store name: ${JSON.stringify(name)}`));
    const key = `${kind}:${name}`;
    const existing = this.entries.get(key);
    if (existing) {
      // Handing out one instance under two schemas would make its static type a lie.
      if (existing.schema !== schema) return Promise.reject(new Error(`${kind} ${name} is already open with a different schema`));
      // Same kind and same schema object, so it was created by this same call shape.
      return existing.opened as Promise<R>;
    }
    const path = join(this.dataDir, `${name}${kind === 'document' ? '.json' : '.jsonl'}`);
    const opened = ensureDir(this.fs, dirname(path), 0o700).then(() => create(path));
    this.entries.set(key, { kind, schema, opened });
    // A failed open (e.g. unreadable file) must not poison the name forever.
    opened.catch(() => {
      if (this.entries.get(key)?.opened === opened) this.entries.delete(key);
    });
    return opened;
  }

  private record(report: QuarantineReport): void {
    this.reports.push(report);
    try {
      this.opts.onQuarantine?.(report);
    } catch (err) {
      this.onBackgroundError(err);
    }
  }
}
