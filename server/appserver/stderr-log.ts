import fs from 'node:fs';
import path from 'node:path';
import { redactSecrets } from './redact';

/**
 * The runtime's stderr, kept in a bounded, rotated file: `<file>` is current, `<file>.1`
 * .. `<file>.<keep>` are older. Never the protocol traffic, only what codex prints on
 * stderr. The last few lines are kept in memory so a crash report can quote them.
 */
export class RotatingLog {
  private fd: number | undefined;
  private size = 0;
  private readonly tail: string[] = [];

  constructor(
    private readonly file: string,
    private readonly maxBytes = 1024 * 1024,
    private readonly keep = 3,
    private readonly tailLines = 20,
  ) {}

  write(chunk: string | Buffer): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.remember(text);
    try {
      if (this.fd === undefined) this.open();
      if (this.size + Buffer.byteLength(text) > this.maxBytes && this.size > 0) this.rotate();
      // Synchronous on purpose: stderr volume is small, and a crash right after a write
      // must still find the line on disk.
      this.size += fs.writeSync(this.fd!, text);
    } catch {
      // A full disk must not take the bridge down; the in-memory tail still has it.
    }
  }

  /** The last lines written, newest last. */
  recentLines(): string[] {
    return [...this.tail];
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i + 1}`);
    }
    fs.renameSync(this.file, `${this.file}.1`);
    this.open();
  }

  private remember(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      this.tail.push(line.length > 500 ? line.slice(0, 500) + '…' : line);
      if (this.tail.length > this.tailLines) this.tail.shift();
    }
  }
}

// eslint-disable-next-line no-control-regex -- the escape character is exactly what is matched
const ANSI_SGR = /\x1b\[[0-9;]*m/g;

/** Whole lines of a byte stream, redacted, to a sink; a partial line waits for its end (bounded). */
export class StderrEcho {
  private partial = '';

  constructor(private readonly sink: (line: string) => void, private readonly maxLine = 2000) {}

  write(chunk: string | Buffer): void {
    const lines = (this.partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'))).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > this.maxLine) {
      lines.push(this.partial);
      this.partial = '';
    }
    for (const line of lines) {
      // Colour codes mean nothing in an Output channel.
      const text = line.replace(/\r$/, '').replace(ANSI_SGR, '');
      if (text.trim()) this.sink(redactSecrets(text.length > this.maxLine ? `${text.slice(0, this.maxLine)}…` : text));
    }
  }
}
