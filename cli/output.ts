/**
 * Terminal output: colours that respect NO_COLOR, FORCE_COLOR, TERM=dumb and a non-TTY;
 * aligned tables; key/value views; the JSON envelope.
 */

export interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

const CODES = {
  bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39],
  magenta: [35, 39], cyan: [36, 39], gray: [90, 39],
} as const;

export type Style = keyof typeof CODES;

export interface Painter {
  enabled: boolean;
  (style: Style | Style[], text: string): string;
}

export function painter(enabled: boolean): Painter {
  const paint = ((style: Style | Style[], text: string) => {
    if (!enabled || text === '') return text;
    const styles = Array.isArray(style) ? style : [style];
    return styles.reduce((t, s) => `\u001b[${CODES[s][0]}m${t}\u001b[${CODES[s][1]}m`, text);
  }) as Painter;
  paint.enabled = enabled;
  return paint;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

export function truncate(text: string, max: number): string {
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of text for a cell: whitespace collapsed. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export interface Column<T> {
  header: string;
  get(row: T): string;
  /** Painted after width is computed. */
  style?(text: string, row: T): string;
  /** This column takes what is left of the terminal width (long text). */
  flex?: boolean;
}

/** An aligned table; the flex column (or the last one) is cut to the terminal width. */
export function table<T>(rows: readonly T[], columns: Column<T>[], paint: Painter, width?: number): string {
  const cells = rows.map((row) => columns.map((c) => c.get(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  if (width && width > 20) {
    const flexIndex = Math.max(0, columns.findIndex((c) => c.flex)) || columns.length - 1;
    const others = widths.reduce((sum, w, i) => (i === flexIndex ? sum : sum + w + 2), 0);
    widths[flexIndex] = Math.max(columns[flexIndex]!.header.length, Math.min(widths[flexIndex]!, width - others));
  }
  const lines = [columns.map((c, i) => padEnd(paint(['bold'], c.header.toUpperCase()), widths[i]!)).join('  ').trimEnd()];
  cells.forEach((r, ri) => {
    lines.push(columns.map((c, i) => {
      const text = truncate(r[i]!, widths[i]!);
      const styled = c.style ? c.style(text, rows[ri]!) : text;
      return i === columns.length - 1 ? styled : padEnd(styled, widths[i]!);
    }).join('  ').trimEnd());
  });
  return lines.join('\n') + '\n';
}

/** A key/value view; nested objects are indented, long scalars kept whole. */
export function keyValues(entries: [string, unknown][], paint: Painter, indent = ''): string {
  const shown = entries.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  let out = '';
  for (const [key, value] of shown) {
    const label = paint('gray', padEnd(key, width));
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && indent.length < 4) {
      out += `${indent}${paint('gray', key)}\n${keyValues(Object.entries(value as Record<string, unknown>), paint, indent + '  ')}`;
    } else if (Array.isArray(value) && value.length > 0 && value.every((v) => v === null || typeof v !== 'object')) {
      out += `${indent}${label}  ${value.map(cellText).join(', ')}\n`;
    } else {
      out += `${indent}${label}  ${scalar(value, paint)}\n`;
    }
  }
  return out;
}

function scalar(value: unknown, paint: Painter): string {
  if (value === null || value === undefined) return paint('dim', '-');
  if (typeof value === 'boolean') return value ? paint('green', 'yes') : paint('dim', 'no');
  if (typeof value === 'string') {
    const text = value.replace(/\s+$/, '');
    return text.includes('\n') ? `\n${text.replace(/^/gm, '    ')}` : text;
  }
  if (Array.isArray(value)) return value.length === 0 ? paint('dim', '(none)') : truncate(JSON.stringify(value), 200);
  if (typeof value === 'object') return Object.keys(value).length === 0 ? paint('dim', '{}') : truncate(JSON.stringify(value), 200);
  return String(value);
}

/** "3 min ago" for epoch milliseconds/seconds or ISO strings; the raw value if unparsable. */
export function ago(value: unknown, now = Date.now()): string {
  let ms: number;
  if (typeof value === 'number') ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string') ms = Date.parse(value);
  else return '';
  if (!Number.isFinite(ms)) return String(value);
  const s = Math.round((now - ms) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function statusStyle(status: string, paint: Painter): string {
  if (/^(ok|completed|complete|ready|accepted|resolved|idle)$/.test(status)) return paint('green', status);
  if (/^(failed|error|expired|declined|deleted)$/.test(status)) return paint('red', status);
  if (/^(running|inProgress|streaming|pending|starting|restarting|active|degraded)$/.test(status)) return paint('yellow', status);
  return status;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
