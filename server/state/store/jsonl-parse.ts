/**
 * Pure parsing of a JSONL log's bytes into records plus a description of any
 * damage, so the recovery policy in JsonlLog can be decided (and tested)
 * separately from the I/O.
 */
import type { ZodType } from 'zod';
import { describeZodError } from './values';

const NEWLINE = 0x0a;

export interface BadLine {
  /** 1-based line number in the file. */
  line: number;
  reason: 'unparsable' | 'invalid';
  detail: string;
}

export interface ParsedLog<T> {
  records: T[];
  /** [start, end) byte span of each record's line (newline included), parallel to `records`. */
  spans: Array<[number, number]>;
  /** Complete lines that could not be used. */
  badLines: BadLine[];
  /** Length of the prefix that ends at the last newline: everything before a torn tail. */
  completeLength: number;
  /** Bytes after the last newline: an append a crash cut short. Empty when the file ends cleanly. */
  tornTail: Buffer;
}

export type RecordCheck<T> = { ok: true; value: T } | { ok: false; reason: 'unparsable' | 'invalid'; detail: string };

/** Decodes one line (without its newline) into a record, or says why it cannot. */
export function checkLine<T>(bytes: Uint8Array, schema: ZodType<T> | undefined): RecordCheck<T> {
  let raw: unknown;
  try {
    // fatal: invalid UTF-8 must count as corruption, not be papered over with U+FFFD.
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return { ok: false, reason: 'unparsable', detail: err instanceof Error ? err.message : String(err) };
  }
  if (schema === undefined) return { ok: true, value: raw as T };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid', detail: describeZodError(parsed.error) };
  return { ok: true, value: parsed.data };
}

export function parseLog<T>(bytes: Buffer, schema: ZodType<T> | undefined): ParsedLog<T> {
  const completeLength = bytes.lastIndexOf(NEWLINE) + 1;
  const records: T[] = [];
  const spans: Array<[number, number]> = [];
  const badLines: BadLine[] = [];
  let start = 0;
  let line = 0;
  while (start < completeLength) {
    const end = bytes.indexOf(NEWLINE, start);
    line++;
    const content = bytes.subarray(start, end);
    const span: [number, number] = [start, end + 1];
    start = end + 1;
    // The writer never emits blank lines; one carries no data, so skipping it loses nothing.
    if (content.toString('latin1').trim() === '') continue;
    const checked = checkLine(content, schema);
    if (checked.ok) {
      records.push(checked.value);
      spans.push(span);
    } else {
      badLines.push({ line, reason: checked.reason, detail: checked.detail });
    }
  }
  return { records, spans, badLines, completeLength, tornTail: bytes.subarray(completeLength) };
}

/** Serializes one record as a line. JSON.stringify escapes newlines inside strings, so a record is always exactly one line. */
export function serializeRecord(record: unknown): string {
  const text = JSON.stringify(record);
  if (text === undefined) throw new TypeError('record is not JSON-serializable');
  return `${text}\n`;
}
