/**
 * Corrupt files are moved (or copied) aside, never deleted, and every such
 * event produces a report so the UI can tell the user what was set aside and
 * where it went.
 */
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { ensureDir, fsyncDir, nodeFs } from './fs-ops';
import type { FsOps } from './fs-ops';

export type QuarantineReason =
  /** Not parseable as JSON (or not valid UTF-8). */
  | 'unparsable'
  /** Parsed, but rejected by the document's or log's schema. */
  | 'invalid'
  /** A JSONL log had bad complete lines; the whole original was copied aside. */
  | 'corrupt-lines'
  /** A JSONL log ended in a partial line (an append interrupted by a crash); the fragment was saved. */
  | 'torn-tail';

export interface QuarantineReport {
  /** The store file that was found corrupt. */
  file: string;
  /** Where its content now lives. */
  quarantinedAs: string;
  reason: QuarantineReason;
  /** ISO-8601 time of the quarantine. */
  at: string;
  /** Human-readable cause (parse error, schema issue, line numbers). */
  detail: string;
}

export interface QuarantineOptions {
  fs?: FsOps;
  onReport?: (report: QuarantineReport) => void;
  /** Injectable clock so tests get deterministic names. */
  now?: () => Date;
}

export class Quarantine {
  private readonly fs: FsOps;
  private readonly onReport: (report: QuarantineReport) => void;
  private readonly now: () => Date;

  constructor(readonly dir: string, opts: QuarantineOptions = {}) {
    this.fs = opts.fs ?? nodeFs;
    this.onReport = opts.onReport ?? (() => undefined);
    this.now = opts.now ?? (() => new Date());
  }

  /** Moves `file` into the quarantine dir. Use when the file is replaced by a default. */
  async move(file: string, reason: QuarantineReason, detail: string): Promise<QuarantineReport> {
    const at = this.now();
    const target = await this.reserveName(file, reason, at);
    await this.fs.rename(file, target);
    // Both directory entries changed; sync both so a crash cannot resurrect
    // the corrupt file or lose the quarantined copy.
    await fsyncDir(this.fs, this.dir);
    await fsyncDir(this.fs, dirname(file));
    return this.emit({ file, quarantinedAs: target, reason, at: at.toISOString(), detail });
  }

  /**
   * Durably saves `bytes` (content that belonged to `file`) into quarantine,
   * leaving `file` itself alone. Use before repairing a file in place.
   */
  async preserve(file: string, bytes: Uint8Array, reason: QuarantineReason, detail: string): Promise<QuarantineReport> {
    const at = this.now();
    const target = await this.reserveName(file, reason, at);
    await writeFileAtomic(target, bytes, { fs: this.fs });
    return this.emit({ file, quarantinedAs: target, reason, at: at.toISOString(), detail });
  }

  /**
   * `<basename>.<ISO-time>.<reason>`, with ':' replaced so the name is valid on
   * every platform, plus a counter if the same file is quarantined twice in one
   * millisecond. rename() would silently overwrite, so uniqueness is checked here.
   */
  private async reserveName(file: string, reason: QuarantineReason, at: Date): Promise<string> {
    await ensureDir(this.fs, this.dir);
    const stem = `${basename(file)}.${at.toISOString().replace(/:/g, '-')}.${reason}`;
    for (let n = 0; ; n++) {
      const candidate = join(this.dir, n === 0 ? stem : `${stem}.${n}`);
      if (!(await this.fs.exists(candidate))) return candidate;
    }
  }

  private emit(report: QuarantineReport): QuarantineReport {
    this.onReport(report);
    return report;
  }
}
