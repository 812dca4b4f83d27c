import type http from 'node:http';
import { type Connection } from './config';
import { CliError, EXIT } from './errors';

/** One HTTP exchange with the bridge, on node:http (cheaper to load than fetch). */

export interface ApiRequest {
  method: string;
  /** Path under the origin, prefix included, without the query. */
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawText: string;
  url: string;
  durationMs: number;
}

export function buildUrl(conn: Pick<Connection, 'baseUrl'>, path: string, query?: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  const qs = search.toString();
  return `${conn.baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

export function request(conn: Connection, req: ApiRequest, timeoutMs = conn.timeoutMs): Promise<ApiResponse> {
  const url = buildUrl(conn, req.path, req.query);
  const target = new URL(url);
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string> = { ...conn.headers, ...(req.headers ?? {}) };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  // Loaded on first use: `--help` and the like never pay for node:http (or TLS).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = (target.protocol === 'https:' ? require('node:https') : require('node:http')) as typeof http;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = client.request(target, { method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (error) => reject(connectionError(error, url, conn)));
      res.on('end', () => {
        const rawText = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        if (rawText.trim()) {
          try {
            body = JSON.parse(rawText);
          } catch {
            body = rawText;
          }
        } else {
          body = null;
        }
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body, rawText, url, durationMs: performance.now() - started });
      });
    });
    r.setTimeout(timeoutMs, () => {
      r.destroy(new CliError('timeout', `the bridge at ${conn.baseUrl} did not answer ${req.method} ${req.path} within ${timeoutMs} ms`, EXIT.error,
        'raise --timeout-ms (or CODEX_MANAGER_TIMEOUT_MS), or check the bridge with `codex-manager system health`'));
    });
    r.on('error', (error) => reject(error instanceof CliError ? error : connectionError(error, url, conn)));
    if (payload) r.write(payload);
    r.end();
  });
}

export function connectionError(error: Error, url: string, conn: Pick<Connection, 'baseUrl' | 'source'>): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = code === 'ECONNREFUSED' ? 'connection refused'
    : code === 'ENOTFOUND' ? 'host not found'
      : code === 'ECONNRESET' ? 'connection reset'
        : code === 'ETIMEDOUT' ? 'connection timed out'
          : error.message;
  const from = conn.source.baseUrl.startsWith('discovery') ? 'the discovered bridge' : `the bridge (URL from ${conn.source.baseUrl})`;
  return new CliError('connection', `cannot reach ${from} at ${conn.baseUrl} (${why})`, EXIT.error,
    conn.source.baseUrl.startsWith('discovery')
      ? 'the bridge may have just stopped: start one with `codex-manager serve`'
      : 'start the bridge with `codex-manager serve`, or fix the URL (--base-url, CODEX_MANAGER_API_BASE, or the profile)',
    { url });
}
