import http from 'node:http';

/** One request exactly as written: the path is sent verbatim (no `..` or `%2F` normalization). */
export interface RawRequest {
  method: string;
  /** Path and query as they go on the request line. */
  path: string;
  body?: string | Buffer;
  /** Send the body with chunked transfer encoding instead of a Content-Length. */
  chunked?: boolean;
  headers?: Record<string, string>;
}

export type RawAnswer =
  | { kind: 'answer'; status: number; text: string; json: unknown }
  | { kind: 'dropped'; error: string };

/**
 * A bare HTTP/1.1 client for fuzzing: fetch would normalize the path and refuse odd
 * methods, and hides a reset connection behind a generic error. A fresh connection per
 * request, so one bad request cannot poison the next.
 */
export function rawRequest(baseUrl: string, token: string, req: RawRequest, timeoutMs = 30_000): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...req.headers };
  if (body && !req.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    const request = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => resolve({ kind: 'dropped', error: `response: ${error.message}` }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ kind: 'answer', status: res.statusCode ?? 0, text, json: parseOrText(text) });
      });
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ kind: 'dropped', error: error.message }));
    if (body && req.chunked) {
      // Several chunks, so the server sees a stream it has to cut off rather than one buffer.
      const step = 64 * 1024;
      for (let i = 0; i < body.length; i += step) request.write(body.subarray(i, i + step));
    } else if (body) {
      request.write(body);
    }
    request.end();
  });
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
